/* bh-renderer-host-private.h: what the process manager and BhTab use of a
 * renderer host.
 *
 * The process manager makes hosts; a tab asks one for a view and commits
 * navigations into it, and the host tells the tab, through the
 * BhRendererViewClient it gave, only what it has checked.
 */
#pragma once

#include <gdk/gdk.h>

#include "bh-browser-options.h"
#include "bh-fetch-job.h"
#include "bh-host-rules.h"
#include "bh-message.h"
#include "bh-profile.h"
#include "bh-renderer-host.h"

G_BEGIN_DECLS

/* How long a renderer with no view left is kept for a tab that may come back
 * to its site, before its channel is closed (Chromium keeps a spare a while too). */
#define BH_RENDERER_IDLE_GRACE_MS 1000u
/* A renderer started ahead of its navigation's response (bh-tab.c) that
 * never gets a view exits after this. */
#define BH_RENDERER_SPARE_GRACE_MS 10000u

/**
 * BhRendererViewClient:
 *
 * What a view's owner (its tab) hears from the renderer, every message
 * checked already. Each callback gets the owner given to
 * bh_renderer_host_create_view(); ids are the tab's navigation ids.
 * @frame_ready: a new frame (transfer none); the owner keeps a reference
 *   while it shows it, and dropping the last one releases the buffer to
 *   the renderer
 * @gone: the renderer died (@status, and @message in plain words for the
 *   tab's "status-message"); the host has forgotten the view already
 * @unresponsive: the hang monitor turned (un)responsive, or a navigation
 *   went to a renderer that is still unresponsive
 * @is_visible: whether the user sees the view (the hang monitor pings
 *   only renderers with a visible view)
 * @body_flow: the committed navigation's body: more than a ring's worth
 *   waits for the renderer (@wants_more %FALSE: pause the fetch), or it has
 *   read enough of it (%TRUE: read on)
 * @body_refused: the renderer closed the body's data pipe before its end:
 *   stop fetching it
 * @console_message: a console line of the committed document (level 0 log,
 *   1 warn, 2 error), at most BH_MAX_CONSOLE_MESSAGE_CHARS characters
 * @script_result: the answer to bh_renderer_host_evaluate_script(): JSON that
 *   parses, at most BH_SCRIPT_MAX_RESULT_BYTES, an object whose "type" is
 *   "success" or "exception"
 * @run_dialog: alert/confirm/prompt (@kind 0, 1, 2) of the committed document;
 *   the renderer waits until bh_renderer_host_answer_dialog() with @dialog_id
 * @script_navigate: location/history from script (BhScriptNavigation's kinds,
 *   bh-renderer-host-script.c): @url absolute or "" (reload, history)
 * @get_cookie: document.cookie of the committed document: the tab answers from
 *   the profile's jar for the URL it committed (transfer full)
 * @set_cookie: document.cookie = @cookie, at most BH_MAX_SCRIPT_COOKIE_BYTES
 * @clipboard_text: text for the primary selection (@primary, from
 *   SelectionChanged) or the clipboard (ClipboardWrite, with user
 *   activation), UTF-8 of at most BH_MAX_SELECTION_BYTES
 * @find_reply: the latest Find's answer: @matches found (at most
 *   BH_MAX_FIND_MATCHES), @active the one shown, 1..@matches, 0 for none
 * @scroll_x_changed: the renderer scrolled sideways to @scroll_x_px (>= 0),
 *   for the frames that follow
 * @storage_load: (nullable): localStorage (@session FALSE) or sessionStorage of
 *   the committed document's origin, as an `a(ss)` GVariant sorted by key
 *   (transfer full, may be floating), %NULL for none (no http(s) origin)
 * @storage_change: (nullable): the committed document changed its area:
 *   @operation 0 setItem(@key, @value), 1 removeItem(@key), 2 clear(); key and
 *   value at most BH_MAX_STORAGE_ITEM_BYTES together
 * @show_popup_menu: a <select>'s options to choose from: @labels
 *   (NULL-terminated, UTF-8, at most BH_MAX_POPUP_ITEMS) and whether each
 *   may be chosen, @selected -1 or an index into them, the control's box at
 *   (@x, @y) @width x @height viewport device px; answer with
 *   bh_renderer_host_send_to_view() PopupMenuClosed (@popup_id, index or -1)
 * @show_context_menu: a right-click at (@x, @y) viewport device px on
 *   @link_url and @image_url (absolute URLs or ""), with @selection selected
 *   (UTF-8, at most BH_MAX_SELECTION_BYTES, "" for none), @editable a field
 * @tooltip_changed: the title= under the pointer, "" for none, at most
 *   BH_MAX_TOOLTIP_CHARS characters

 * @submit_form: a form was submitted: @method "GET" (@url carries the
 *   query, @body is empty) or "POST" (@body of @content_type, urlencoded or
 *   multipart/form-data, at most BH_MAX_FORM_BODY_BYTES); @url is an
 *   absolute http(s) URL
 */
typedef struct {
  void (*did_commit_navigation) (gpointer owner, guint64 navigation_id, const char *url);
  void (*title_changed) (gpointer owner, guint64 navigation_id, const char *title);
  void (*load_progress) (gpointer owner, guint64 navigation_id, double progress);
  void (*did_finish_load) (gpointer owner, guint64 navigation_id);
  void (*document_size) (gpointer owner, guint64 navigation_id, guint width_px, guint height_px);
  /* @user_activation: the view had a user activation (a press or key being handled, or
   * handled less than BH_USER_ACTIVATION_LIFESPAN_MS ago) and this request consumed it. */
  void (*open_url) (gpointer owner, const char *url, BhDisposition disposition, gboolean user_activation);
  void (*hover_changed) (gpointer owner, const char *url, guint cursor);
  void (*frame_ready) (gpointer owner, GdkTexture *frame, int scroll_y_px, guint document_height_px);
  void (*plugin_box_changed) (gpointer owner, guint box_id, const char *url, const char *declared_type,
                              int x, int y, int width, int height);
  void (*plugin_box_removed) (gpointer owner, guint box_id);
  void (*gone) (gpointer owner, BhRendererHost *host, BhTerminationStatus status, const char *message);
  void (*unresponsive) (gpointer owner, BhRendererHost *host, gboolean unresponsive, const char *message);
  gboolean (*is_visible) (gpointer owner);
  void (*body_flow) (gpointer owner, guint64 navigation_id, gboolean wants_more);
  void (*body_refused) (gpointer owner, guint64 navigation_id);
  void (*console_message) (gpointer owner, guint level, const char *text);
  void (*script_result) (gpointer owner, guint32 request_id, const char *json);
  void (*run_dialog) (gpointer owner, guint32 dialog_id, guint kind, const char *message, const char *default_text);
  void (*script_navigate) (gpointer owner, guint kind, const char *url, int delta);
  char *(*get_cookie) (gpointer owner);
  void (*set_cookie) (gpointer owner, const char *cookie);
  void (*clipboard_text) (gpointer owner, const char *text, gboolean primary);
  void (*find_reply) (gpointer owner, guint matches, guint active);
  void (*scroll_x_changed) (gpointer owner, int scroll_x_px);
  void (*submit_form) (gpointer owner, const char *url, const char *method, const char *content_type, GBytes *body);
  GVariant *(*storage_load) (gpointer owner, gboolean session);
  void (*storage_change) (gpointer owner, gboolean session, guint operation, const char *key, const char *value);
  void (*show_popup_menu) (gpointer owner, guint32 popup_id, int x, int y, int width, int height, int selected,
                           const char *const *labels, const gboolean *enabled);
  void (*show_context_menu) (gpointer owner, int x, int y, const char *link_url, const char *image_url,
                             const char *selection, gboolean editable);
  void (*tooltip_changed) (gpointer owner, const char *text);
  /* The document of @navigation_id has this favicon, fetched from @icon_url and
   * decoded by the renderer: @width x @height px (1 to BH_MAX_FAVICON_SIDE), BGRA
   * premultiplied, @width * 4 bytes a row. */
  void (*favicon_changed) (gpointer owner, guint64 navigation_id, const char *icon_url, guint width, guint height,
                           GBytes *pixels);
} BhRendererViewClient;

/**
 * bh_renderer_host_evaluate_script:
 * @request_id: chosen by the caller, echoed in the view client's script_result
 * @source: an expression, or with @flags bit 0 a function declaration
 * @arguments_json: a JSON array of WebDriver BiDi LocalValues
 * @flags: bit 0 a function (script.callFunction), bit 1 await a promise
 *
 * Sends ScriptEvaluate to the view's renderer. Every one is answered with
 * ScriptResult unless the document goes first (a commit, a crash).
 */
void bh_renderer_host_evaluate_script (BhRendererHost *host, guint view_id, guint32 request_id, const char *source,
                                       const char *arguments_json, guint flags);

/**
 * bh_renderer_host_answer_dialog:
 * @dialog_id: from the view client's run_dialog
 * @text: (nullable): a prompt's text
 *
 * Ends the renderer's wait for a dialog (DialogClosed). The hang monitor
 * watches the renderer again once no dialog of it is open.
 */
void bh_renderer_host_answer_dialog (BhRendererHost *host, guint32 dialog_id, gboolean accepted, const char *text);

/**
 * bh_renderer_host_new:
 * @site: the site this renderer will be locked to
 * @options: the command line; the host keeps a reference
 * @renderer_path: the renderer executable
 * @host_rules: (nullable): --host-resolver-rules for its subresources; the
 *   host keeps a reference
 * @profile: (nullable): whose cookies its subresources carry; the host keeps
 *   a reference
 *
 * Returns: (transfer full): a host; call bh_renderer_host_launch().
 */
BhRendererHost *bh_renderer_host_new (const char *site, BhBrowserOptions *options, const char *renderer_path,
                                      BhHostRules *host_rules, BhProfile *profile);

/**
 * bh_renderer_host_launch:
 * @error: why it could not be spawned
 *
 * Spawns the renderer (through the launcher, sandboxed unless --no-sandbox)
 * with its end of a new channel as fd 3. On failure the host is dead with
 * %BH_TERMINATION_STATUS_LAUNCH_FAILED.
 */
gboolean bh_renderer_host_launch (BhRendererHost *host, GError **error);

/**
 * bh_renderer_host_is_closing:
 *
 * Returns: %TRUE once the host is dead or has closed its idle channel: no new
 *   view may go to it.
 */
gboolean bh_renderer_host_is_closing (BhRendererHost *host);

/**
 * bh_renderer_host_close:
 *
 * Closes the channel (the renderer exits on EOF) without a termination
 * being shown anywhere: for shutdown and the idle grace period.
 */
void bh_renderer_host_close (BhRendererHost *host);

/**
 * bh_renderer_host_create_view:
 * @client: (transfer none): static callbacks
 * @owner: (transfer none): the tab, passed to @client; it must call
 *   bh_renderer_host_destroy_view() before it goes
 *
 * Picks a view id unique in this renderer and sends CreateView.
 *
 * Returns: the view id (never 0).
 */
guint bh_renderer_host_create_view (BhRendererHost *host, const BhRendererViewClient *client,
                                    GObject *owner, guint width_px, guint height_px, double scale);

/**
 * bh_renderer_host_destroy_view:
 *
 * Sends DestroyView, forgets the view's buffers (a frame still shown keeps
 * its mapping until GTK lets go of it) and starts the idle grace period when
 * it was the last view.
 */
void bh_renderer_host_destroy_view (BhRendererHost *host, guint view_id);

/**
 * bh_renderer_host_set_view_cache_mode:
 * @mode: how the subresources the view's renderer asks for from now on use
 *   the HTTP cache: %BH_FETCH_CACHE_BYPASS for a document loaded with
 *   Ctrl+Shift+R or while automation's network.setCacheBehavior says bypass,
 *   %BH_FETCH_CACHE_DEFAULT otherwise
 *
 * Set by the tab before each commit, for the document it commits, and when
 * automation changes its cache behaviour (bh_tab_set_cache_bypass()).
 */
void bh_renderer_host_set_view_cache_mode (BhRendererHost *host, guint view_id, BhFetchCacheMode mode);

/**
 * bh_renderer_host_commit_navigation:
 * @navigation_id: unique in the browser
 * @url: the final URL; DidCommitNavigation must name exactly this
 * @content_type: (nullable): MIME type without parameters
 * @charset: (nullable): from the Content-Type, or ""
 * @error: a failure to create the data pipe
 *
 * Sends CommitNavigation with a new data pipe (bh-data-pipe.h) for the body,
 * as Chromium commits at the response's headers: the body follows with
 * bh_renderer_host_push_body() and ends with bh_renderer_host_end_body().
 * The view's earlier body, if still streaming, is dropped. The renderer's
 * side of the pipe is checked on every write: positions it was not given
 * are a bad message.
 */
gboolean bh_renderer_host_commit_navigation (BhRendererHost *host, guint view_id,
                                             guint64 navigation_id, const char *url,
                                             const char *content_type, const char *charset,
                                             GError **error);

/**
 * bh_renderer_host_push_body:
 * @navigation_id: the navigation committed last to the view; an older one's
 *   bytes are dropped
 * @chunk: (transfer none): the next bytes
 *
 * Queues bytes of the body; when more than the ring's worth waits, the tab
 * is asked to pause its fetch (bh_tab_renderer_body_flow()).
 */
void bh_renderer_host_push_body (BhRendererHost *host, guint view_id, guint64 navigation_id, GBytes *chunk);

/**
 * bh_renderer_host_end_body:
 * @complete: %FALSE when the body ends incomplete (the renderer then shows
 *   what it has)
 */
void bh_renderer_host_end_body (BhRendererHost *host, guint view_id, guint64 navigation_id, gboolean complete);

void bh_renderer_host_resize_view (BhRendererHost *host, guint view_id, guint width_px,
                                   guint height_px, double scale);

/**
 * bh_renderer_host_send_input:
 * @type: BH_MSG_MouseEvent, ScrollEvent, KeyEvent, ScrollTo, ScrollToX or FocusChanged
 * @payload: (transfer floating): of the catalogue's type, view id first
 *
 * Sends an input event and remembers its serial until InputEventAck.
 */
void bh_renderer_host_send_input (BhRendererHost *host, guint view_id, BhMessageType type,
                                  GVariant *payload);

/**
 * bh_renderer_host_has_visible_view:
 *
 * Returns: %TRUE when one of the tabs this renderer serves is visible
 *   (its client's is_visible): the hang monitor pings it only then.
 */
gboolean bh_renderer_host_has_visible_view (BhRendererHost *host);

/**
 * bh_renderer_host_view_visibility_changed:
 *
 * A tab it serves was shown or hidden: the hang monitor starts or stops
 * watching.
 */
void bh_renderer_host_view_visibility_changed (BhRendererHost *host);

/**
 * bh_renderer_host_send_to_view:
 * @payload: (transfer floating): the message's payload, naming @view_id first
 *
 * Sends a message about one view (documented at its definition in bh-renderer-host.c).
 *
 * Returns: %FALSE when the renderer or the view is gone (nothing sent)
 */
gboolean bh_renderer_host_send_to_view (BhRendererHost *host, guint view_id, BhMessageType type,
                                        GVariant *payload);

/* A view's subresources' extra request headers (bh_tab_set_extra_headers()); copied. */
void bh_renderer_host_set_view_extra_headers (BhRendererHost *host, guint view_id, const char *const *headers);

/* message_cb's share: NodesLocated and NodeQueried. */
void bh_renderer_host_handle_node_answer (BhRendererHost *host, const BhMessage *message);
/* message_cb's share: PdfPrinted (bh-renderer-host-print.c). */
void bh_renderer_host_handle_pdf_printed (BhRendererHost *host, BhMessage *message);

G_END_DECLS
