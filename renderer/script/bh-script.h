/* renderer/script/: JavaScript for the renderer's documents.
 *
 * Owns: the SpiderMonkey 102 engine (one JSContext per renderer process,
 * interpreter only: see docs/architecture.md, "Script"), one realm per
 * document with its global (window, document, console, timers, events), the
 * DOM bindings over the engine's tree (renderer/engine/bh-dom.h) and the
 * serialisation of results for automation (WebDriver BiDi RemoteValues).
 *
 * May use: renderer/engine/ and GLib. No IPC: whatever a script asks of the
 * outside (a console line, a dialog, a navigation, a script's bytes) goes to
 * the BhScriptClient the renderer gave, which turns it into a message to the
 * browser. This header is the folder's whole API: C, with no C++ type in it;
 * the rest of the folder is C++ because SpiderMonkey's API is.
 *
 * Threads: everything on the renderer's main thread, the GMainLoop's, which
 * also runs the timers.
 */
#pragma once

#include <glib.h>

#include "bh-document.h"

G_BEGIN_DECLS

/* console.log/info/debug, console.warn, console.error (and uncaught exceptions). */
typedef enum {
  BH_CONSOLE_LOG = 0,
  BH_CONSOLE_WARN = 1,
  BH_CONSOLE_ERROR = 2,
} BhConsoleLevel;

/* alert(), confirm(), prompt() */
typedef enum {
  BH_DIALOG_ALERT = 0,
  BH_DIALOG_CONFIRM = 1,
  BH_DIALOG_PROMPT = 2,
} BhDialogKind;

/* location.assign(), location.replace(), location.reload(), history.back()/forward()/go(),
 * history.pushState()/replaceState(). */
typedef enum {
  BH_SCRIPT_NAVIGATE_ASSIGN = 0,
  BH_SCRIPT_NAVIGATE_REPLACE = 1,
  BH_SCRIPT_NAVIGATE_RELOAD = 2,
  BH_SCRIPT_NAVIGATE_HISTORY = 3,  /* by @delta entries of the session history */
  BH_SCRIPT_NAVIGATE_PUSH_STATE = 4,
  BH_SCRIPT_NAVIGATE_REPLACE_STATE = 5,
} BhScriptNavigation;

/* The most bytes of JSON a script result may have (ScriptResult's payload stays
 * well inside the channel's 1 MiB frame); a bigger one becomes an exception result. */
#define BH_SCRIPT_MAX_RESULT_BYTES (512u * 1024u)

/**
 * BhScriptClient:
 *
 * What a realm asks of the renderer, all on the main thread; @user_data is the
 * one given to bh_script_realm_new(). Strings are UTF-8 and borrowed for the call.
 * @console_message: a console line, already formatted
 * @document_changed: the DOM changed: restyle, relayout and paint soon
 * @ensure_layout: lay out now if the DOM changed, so that geometry is current
 * @after_task: a task (script, timer, event) and its microtasks ran: the title
 *   may have changed
 * @fetch_script: fetch @url for the script @script_id; answer with
 *   bh_script_realm_script_arrived(), even on failure
 * @navigate: a navigation a script asked for (@url absolute, "" for reload and
 *   history; @delta for %BH_SCRIPT_NAVIGATE_HISTORY)
 * @open_window: window.open(@url): a new tab, subject to the pop-up rule
 * @run_dialog: show a dialog and wait; returns whether it was accepted, and for a
 *   prompt the text in @out_text (transfer full)
 * @evaluate_done: the answer to bh_script_realm_evaluate(): JSON, at most
 *   %BH_SCRIPT_MAX_RESULT_BYTES
 * @viewport: the viewport's size in CSS px and its scroll position
 * @get_cookie: document.cookie: the document's cookies, asked of the browser
 *   and waited for ("a=1; b=2", transfer full; "" when none)
 * @set_cookie: document.cookie = @cookie (one cookie string with its attributes)
 * @fetch: fetch() or XMLHttpRequest: ask the browser for @url (absolute, of the
 *   document's origin) with @method ("GET" or "POST"), @content_type ("" when
 *   none) and @body (empty for GET, at most BH_MAX_FETCH_BODY_BYTES); answer
 *   with bh_script_realm_fetch_done() for @request_id, even on failure
 * @storage_available: whether the document has localStorage and sessionStorage
 *   (@session picks which below): an http(s) origin
 * @storage_get: getItem(@key): (transfer full) (nullable)
 * @storage_set: setItem(@key, @value): %FALSE past the quota (QuotaExceededError)
 * @storage_remove: removeItem(@key)
 * @storage_clear: clear()
 * @storage_keys: the keys, sorted: (transfer full), NULL-terminated
 * @scroll_to: window.scrollTo(): scroll the view to @y_px (document px; the
 *   renderer clamps it)
 * @submit_form: HTMLFormElement.submit(): send the document's pending form
 *   submission (bh_dom_submit_form() made it), with no submit event
 * @request_frame: (nullable): requestAnimationFrame(): call
 *   bh_script_realm_run_animation_frames() before the next frame; %NULL: the
 *   realm falls back to a 16 ms timer
 */
typedef struct {
  void (*console_message) (gpointer user_data, BhConsoleLevel level, const char *text);
  void (*document_changed) (gpointer user_data);
  void (*ensure_layout) (gpointer user_data);
  void (*after_task) (gpointer user_data);
  void (*fetch_script) (gpointer user_data, guint script_id, const char *url);
  void (*navigate) (gpointer user_data, BhScriptNavigation kind, const char *url, int delta);
  void (*open_window) (gpointer user_data, const char *url);
  gboolean (*run_dialog) (gpointer user_data, BhDialogKind kind, const char *message, const char *default_text,
                          char **out_text);
  void (*evaluate_done) (gpointer user_data, guint32 request_id, const char *json);
  void (*viewport) (gpointer user_data, int *width_px, int *height_px, int *scroll_y_px);
  char *(*get_cookie) (gpointer user_data);
  void (*set_cookie) (gpointer user_data, const char *cookie);
  void (*fetch) (gpointer user_data, guint request_id, const char *method, const char *url, const char *content_type,
                 GBytes *body);
  gboolean (*storage_available) (gpointer user_data);
  char *(*storage_get) (gpointer user_data, gboolean session, const char *key);
  gboolean (*storage_set) (gpointer user_data, gboolean session, const char *key, const char *value);
  void (*storage_remove) (gpointer user_data, gboolean session, const char *key);
  void (*storage_clear) (gpointer user_data, gboolean session);
  char **(*storage_keys) (gpointer user_data, gboolean session);
  void (*scroll_to) (gpointer user_data, int y_px);
  void (*submit_form) (gpointer user_data);
  void (*request_frame) (gpointer user_data);
} BhScriptClient;

typedef struct _BhScriptRealm BhScriptRealm;

/**
 * bh_script_init:
 * @heap_limit_bytes: the most the JS heap may hold; past it a script fails with
 *   an out-of-memory error and the renderer exits with BH_EXIT_CODE_OUT_OF_MEMORY
 *   (the browser shows `oom`)
 * @error: why the engine could not start
 *
 * Starts SpiderMonkey for this process, interpreter only (JS::DisableJitBackend():
 * no executable memory is made at run time). Call once, before the sandbox
 * closes the filesystem.
 *
 * Returns: %FALSE on failure; the renderer then runs no script.
 */
gboolean bh_script_init (guint64 heap_limit_bytes, GError **error);

/**
 * bh_script_shutdown:
 *
 * Stops the engine (JS_DestroyContext(), JS_ShutDown()) after every realm is
 * freed; SpiderMonkey's static destructors fail if a process exits without it.
 */
void bh_script_shutdown (void);

/**
 * bh_script_heap_limit_for_address_space:
 * @address_space_bytes: the process's RLIMIT_AS (--renderer-memory-limit-mb), 0
 *   when unlimited
 *
 * Returns: the JS heap limit the renderer uses: a quarter of the address space
 *   (the heap's chunks, malloc's arenas, the document and its bitmaps share it),
 *   at least 16 MiB, 512 MiB when unlimited.
 */
guint64 bh_script_heap_limit_for_address_space (guint64 address_space_bytes);

/**
 * bh_script_realm_new:
 * @doc: (transfer none): the parsed document; it must outlive the realm
 * @document_id: names the document in node references (BiDi sharedIds)
 * @client: (transfer none): static callbacks
 *
 * A new realm (its own global, compartment and zone) for @doc. Nothing runs
 * yet: see bh_script_realm_start().
 *
 * Returns: (transfer full) (nullable): the realm, %NULL when the engine is not
 *   running or @doc has no HTML tree.
 */
BhScriptRealm *bh_script_realm_new (BhDocument *doc, const char *document_id, const BhScriptClient *client,
                                    gpointer user_data);

/**
 * bh_script_realm_free:
 *
 * Ends the realm: its timers stop, its pending fetches are forgotten (their
 * answers are ignored), and the garbage collector takes its objects.
 */
void bh_script_realm_free (BhScriptRealm *realm);

/**
 * bh_script_realm_start:
 *
 * The document is parsed: runs its classic scripts in document order (inline
 * ones now; `src` ones as they arrive, asked with fetch_script, in order;
 * `async` ones when they arrive), then fires DOMContentLoaded. `type=module` is
 * refused with a console warning.
 */
void bh_script_realm_start (BhScriptRealm *realm);

/**
 * bh_script_realm_script_arrived:
 * @source: (nullable): the script's bytes, %NULL when the fetch failed (the
 *   script's error event, a console error)
 */
void bh_script_realm_script_arrived (BhScriptRealm *realm, guint script_id, GBytes *source);

/**
 * bh_script_realm_is_ready_for_load:
 *
 * Returns: %TRUE once DOMContentLoaded fired and no async script is pending:
 *   the window's load event may fire when the subresources are in.
 */
gboolean bh_script_realm_is_ready_for_load (BhScriptRealm *realm);

/**
 * bh_script_realm_fire_load:
 *
 * Fires the window's load event (once).
 */
void bh_script_realm_fire_load (BhScriptRealm *realm);

/**
 * bh_script_realm_dispatch_mouse:
 * @kind: 0 move, 1 press, 2 release
 * @x_px: @doc_y_px: the pointer in document px
 * @button: 1 left, 2 middle, 3 right (GDK's numbering)
 * @modifiers: GdkModifierType bits
 *
 * Fires mousemove, or mousedown, or mouseup then click (left button) at the
 * element under the pointer.
 *
 * Returns: %TRUE when a listener called preventDefault(): the default action
 *   (following a link) is not taken.
 */
gboolean bh_script_realm_dispatch_mouse (BhScriptRealm *realm, guint kind, double x_px, double doc_y_px,
                                         guint button, guint modifiers);

/**
 * bh_script_realm_dispatch_key:
 * @down: keydown, else keyup
 * @keyval: an X keysym, as GDK sends it
 *
 * Fires the key event at the focused element (the body: focus is not tracked yet).
 *
 * Returns: %TRUE when a listener called preventDefault(): no scrolling.
 */
gboolean bh_script_realm_dispatch_key (BhScriptRealm *realm, gboolean down, guint keyval, guint modifiers);

/**
 * bh_script_realm_form_input_start:
 *
 * Before the renderer handles a press or a key for the form fields: the realm
 * notes their state (see bh_script_realm_form_input_done()).
 */
void bh_script_realm_form_input_start (BhScriptRealm *realm);

/**
 * bh_script_realm_form_input_done:
 *
 * The renderer handled a press or a key for the page's form fields (focus,
 * typing, a toggle): the page gets what changed, as HTML and UI Events say:
 * blur (and change, when the field's value changed since it got the focus),
 * focus, focusin/focusout; input for typing; input then change for a checkbox
 * or radio button.
 */
void bh_script_realm_form_input_done (BhScriptRealm *realm);

/**
 * bh_script_realm_dispatch_submit:
 * @form: (nullable): the <form> a press or key is submitting
 *
 * Fires submit at @form (cancelable, bubbling; the submitter is not reported).
 *
 * Returns: %TRUE when a listener called preventDefault(): the form is not sent.
 */
gboolean bh_script_realm_dispatch_submit (BhScriptRealm *realm, GumboNode *form);

/**
 * bh_script_realm_run_animation_frames:
 *
 * Runs the requestAnimationFrame() callbacks asked for so far (a task), each
 * given the frame's time (performance.now() as the frame starts).
 */
void bh_script_realm_run_animation_frames (BhScriptRealm *realm);

/**
 * bh_script_realm_dispatch_storage:
 * @key: (nullable): the key changed, %NULL for clear()
 * @old_value: (nullable): its value before
 * @new_value: (nullable): after (%NULL: removed)
 * @url: the URL of the document that changed it
 *
 * Another document of the origin changed localStorage: fires a StorageEvent
 * at the window (HTML §12.2.1), as a task.
 */
void bh_script_realm_dispatch_storage (BhScriptRealm *realm, const char *key, const char *old_value,
                                       const char *new_value, const char *url);

/**
 * bh_script_realm_dispatch_window_event:
 * @type: "scroll" (fired at the document, bubbling to the window, as CSSOM
 *   View's "run the scroll steps" does) or "resize" (at the window)
 *
 * The view scrolled or changed size; call it from the loop, not inside a
 * script (the renderer fires them after the frame, as Chromium fires them at
 * the next animation frame).
 */
void bh_script_realm_dispatch_window_event (BhScriptRealm *realm, const char *type);

/**
 * bh_script_realm_evaluate:
 * @request_id: echoed in evaluate_done
 * @source: an expression (script.evaluate), or with @is_function a function
 *   declaration (script.callFunction)
 * @arguments_json: a JSON array of BiDi LocalValues for the function ("[]")
 * @await_promise: when the result is a promise, answer with what it settles to
 *
 * Evaluates in the document's realm and answers through evaluate_done with
 * `{"type":"success","result":RemoteValue}` or
 * `{"type":"exception","exceptionDetails":{...}}` (WebDriver BiDi, "script"
 * module); nodes are references with a `sharedId`.
 */
void bh_script_realm_evaluate (BhScriptRealm *realm, guint32 request_id, const char *source,
                               const char *arguments_json, gboolean is_function, gboolean await_promise);

/**
 * bh_script_realm_fetch_done:
 * @request_id: the fetch's id, as given to the client's fetch
 * @status: the HTTP status (0 for a network error)
 * @url: (nullable): the response's URL after redirects
 * @content_type: (nullable): the response's type, lower case, no parameters
 * @body: (nullable): the body; %NULL with @error when the fetch failed
 * @error: (nullable): why it failed (a console line: fetch() rejects with a
 *   TypeError, XMLHttpRequest fires error), %NULL on success
 *
 * Settles the fetch (a task: its promise reactions run after it).
 */
void bh_script_realm_fetch_done (BhScriptRealm *realm, guint request_id, guint status, const char *url,
                                 const char *content_type, GBytes *body, const char *error);

/**
 * bh_script_exception_json:
 * @message: what went wrong
 *
 * Returns: (transfer full): an exception result, for answering an evaluation that
 *   has no realm to run in (JavaScript disabled, no document).
 */
char *bh_script_exception_json (const char *message);

G_END_DECLS
