/* bh-bidi-private.h: what the BiDi command table (bh-bidi-commands.c) uses
 * of the server (bh-bidi.c): replies, events, sessions and the navigation
 * and frame waits.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bh-bidi.h"
#include "bh-cookie-jar.h"

G_BEGIN_DECLS

/* WebDriver BiDi error codes (https://w3c.github.io/webdriver-bidi/#errors). */
#define BH_BIDI_ERROR_INVALID_ARGUMENT "invalid argument"
#define BH_BIDI_ERROR_UNKNOWN_COMMAND "unknown command"
#define BH_BIDI_ERROR_NO_SUCH_FRAME "no such frame"
#define BH_BIDI_ERROR_NO_SUCH_HISTORY_ENTRY "no such history entry"
#define BH_BIDI_ERROR_UNKNOWN_ERROR "unknown error"
#define BH_BIDI_ERROR_UNSUPPORTED_OPERATION "unsupported operation"
#define BH_BIDI_ERROR_SESSION_NOT_CREATED "session not created"
#define BH_BIDI_ERROR_INVALID_SESSION_ID "invalid session id"
#define BH_BIDI_ERROR_NO_SUCH_USER_CONTEXT "no such user context"
#define BH_BIDI_ERROR_NO_SUCH_CLIENT_WINDOW "no such client window"
#define BH_BIDI_ERROR_NO_SUCH_NODE "no such node"
#define BH_BIDI_ERROR_NO_SUCH_ELEMENT "no such element"
#define BH_BIDI_ERROR_INVALID_SELECTOR "invalid selector"
#define BH_BIDI_ERROR_NO_SUCH_INTERCEPT "no such intercept"
#define BH_BIDI_ERROR_UNABLE_TO_CAPTURE_SCREEN "unable to capture screen"
#define BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE "stale element reference"
#define BH_BIDI_ERROR_INVALID_ELEMENT_STATE "invalid element state"
#define BH_BIDI_ERROR_UNABLE_TO_SET_COOKIE "unable to set cookie"
#define BH_BIDI_ERROR_NO_SUCH_COOKIE "no such cookie"
#define BH_BIDI_ERROR_NO_SUCH_ALERT "no such alert"
#define BH_BIDI_ERROR_NO_SUCH_SCRIPT "no such script"

/* The user context every tab is in unless made in another. */
#define BH_BIDI_DEFAULT_USER_CONTEXT "default"
/* The one client window every context reports. */
#define BH_BIDI_CLIENT_WINDOW "1"

/* The User-Agent header the fetcher sends (bh-fetcher.c). */
#define BH_USER_AGENT "Mozilla/5.0 (X11; Linux x86_64) Bulkhead/" BH_VERSION

typedef struct _BhBidiConnection BhBidiConnection;

/**
 * BhBidiCommand:
 *
 * One command being answered. Exactly one of bh_bidi_command_return() and
 * bh_bidi_command_fail() consumes it; if the connection closed meanwhile the
 * answer goes nowhere.
 */
typedef struct {
  BhBidiServer *server;          /* not a reference: the server frees waiting commands when it goes */
  BhBidiConnection *connection;  /* a reference */
  gint64 id;
  char *method;
  JsonObject *params;            /* a reference; {} when the command had none */
  /* What a handler keeps between its steps (a screenshot's options...),
   * freed with the command. */
  gpointer state;
  GDestroyNotify state_free;
  /* Classic WebDriver (bh-webdriver.c): when set, the answer goes to
   * @reply instead of a connection; @connection is %NULL then. Exactly one
   * of @result (transfer full, nullable for {}) and @error is given. */
  void (*reply) (gpointer reply_data, JsonNode *result, const char *error, const char *message);
  gpointer reply_data;
  GDestroyNotify reply_data_free;
} BhBidiCommand;

/**
 * BhBidiReplyFunc:
 * @result: (transfer full) (nullable): on success, the result (%NULL: {})
 * @error: (nullable): on failure, the BiDi error code
 * @message: (nullable): on failure, the reason in words
 */
typedef void (*BhBidiReplyFunc) (gpointer reply_data, JsonNode *result, const char *error,
                                 const char *message);

/**
 * bh_bidi_command_new_for_reply:
 * @params: (nullable): the parameters, a reference is taken; %NULL for {}
 * @reply: where the answer goes
 * @reply_data: (transfer full): for @reply, freed with @reply_data_free
 *
 * A command that no client connection sent: classic WebDriver runs BiDi's
 * handlers through these (bh-webdriver.c). Hand it to the handler that
 * bh_bidi_command_lookup() gives for @method.
 *
 * Returns: (transfer full): the command
 */
BhBidiCommand *bh_bidi_command_new_for_reply (BhBidiServer *server, const char *method,
                                              JsonObject *params, BhBidiReplyFunc reply,
                                              gpointer reply_data,
                                              GDestroyNotify reply_data_free);

/**
 * bh_bidi_command_return:
 * @command: (transfer full): the command
 * @result: (transfer full) (nullable): a JSON object, %NULL for {}
 *
 * Queues {"type": "success", "id": ID, "result": RESULT}.
 */
void bh_bidi_command_return (BhBidiCommand *command, JsonNode *result);

/**
 * bh_bidi_command_fail:
 * @command: (transfer full): the command
 * @error: a BiDi error code, BH_BIDI_ERROR_*
 *
 * Queues {"type": "error", "id": ID, "error": ERROR, "message": MESSAGE}.
 */
void bh_bidi_command_fail (BhBidiCommand *command, const char *error, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

void bh_bidi_command_free (BhBidiCommand *command);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBidiCommand, bh_bidi_command_free)

/**
 * BhBidiCommandFunc:
 * @command: (transfer full): to be answered now or later
 */
typedef void (*BhBidiCommandFunc) (BhBidiCommand *command);

/**
 * bh_bidi_command_lookup:
 * @method: a method name such as "browsingContext.navigate"
 *
 * Returns: (nullable): the handler, %NULL for an unknown command.
 */
BhBidiCommandFunc bh_bidi_command_lookup (const char *method);

/**
 * BhBidiCommandEntry:
 *
 * One row of a module's command table; a table ends with { NULL, NULL }.
 */
typedef struct {
  const char *method;
  BhBidiCommandFunc func;
} BhBidiCommandEntry;

/* The modules' tables, one file each. */
extern const BhBidiCommandEntry bh_bidi_session_commands[];
extern const BhBidiCommandEntry bh_bidi_browsing_context_commands[];
extern const BhBidiCommandEntry bh_bidi_screenshot_commands[];
extern const BhBidiCommandEntry bh_bidi_element_commands[];
extern const BhBidiCommandEntry bh_bidi_storage_commands[];
extern const BhBidiCommandEntry bh_bidi_script_commands[];
extern const BhBidiCommandEntry bh_bidi_browser_commands[];
extern const BhBidiCommandEntry bh_bidi_bulkhead_commands[];
extern const BhBidiCommandEntry bh_bidi_print_commands[];
extern const BhBidiCommandEntry bh_bidi_prompt_commands[];
extern const BhBidiCommandEntry bh_bidi_intercept_commands[];
extern const BhBidiCommandEntry bh_bidi_preload_commands[];
extern const BhBidiCommandEntry bh_bidi_data_commands[];

/* Parameters (bh-bidi-commands.c). Each getter fails @command (which it
 * then consumes) and returns FALSE (or %NULL) when the member is missing
 * (if @required) or mistyped; optional and absent, the output is %NULL, 0
 * or @fallback. */
gboolean bh_bidi_param_string (BhBidiCommand *command, const char *name, gboolean required,
                               const char **out);
gboolean bh_bidi_param_boolean (BhBidiCommand *command, const char *name, gboolean fallback,
                                gboolean *out);
/* A required integer. */
gboolean bh_bidi_param_integer (BhBidiCommand *command, const char *name, gint64 *out);
/* An array of strings, %NULL when absent and optional. */
gboolean bh_bidi_param_strings (BhBidiCommand *command, const char *name, gboolean required,
                                GStrv *out);
/* The open tab named by the context parameter @name; "no such frame" when
 * it is not one. */
BhTab *bh_bidi_param_context (BhBidiCommand *command, const char *name, gboolean required);
/**
 * bh_bidi_fail_with_error:
 * @command: (transfer full): the command
 * @error: G_IO_ERROR_NOT_FOUND is "no such frame", anything else
 *   "invalid argument"
 */
void bh_bidi_fail_with_error (BhBidiCommand *command, const GError *error);

/**
 * bh_bidi_context_for_tab:
 *
 * Returns: (transfer full): @tab's context id: its tab id in decimal
 */
char *bh_bidi_context_for_tab (BhTab *tab);

/* The server, for the handlers. */

BhBrowser *bh_bidi_server_get_browser (BhBidiServer *server);

/**
 * bh_bidi_server_context_info:
 *
 * Returns: (transfer full): a browsingContext.Info object for @tab, with the
 *   "bulkhead:site", "bulkhead:rendererPid" and "bulkhead:state" fields.
 */
JsonNode *bh_bidi_server_context_info (BhBidiServer *server, BhTab *tab);

/**
 * bh_bidi_server_find_tab:
 * @context: a context id as sent to clients: the tab id in decimal
 *
 * Returns: (transfer none) (nullable): the open tab.
 */
BhTab *bh_bidi_server_find_tab (BhBidiServer *server, const char *context);

/* User contexts (bh-bidi-tabs.c). */

/* Returns: (transfer full): "default", then every user context made. */
GStrv bh_bidi_server_list_user_contexts (BhBidiServer *server);
/* Returns: (transfer full) (nullable): the id of a new user context (a new
 * profile in memory and a process manager of its own), %NULL with @error. */
char *bh_bidi_server_create_user_context (BhBidiServer *server, GError **error);
/* Returns: (transfer none): the process manager tabs of user context @id
 * get their renderers from (the browser's own for "default"). */
BhProcessManager *bh_bidi_server_get_user_context_processes (BhBidiServer *server, const char *id);
/* Returns: (transfer none): user context @id's profile (its cookies). */
BhProfile *bh_bidi_server_get_user_context_profile (BhBidiServer *server, const char *id);
gboolean bh_bidi_server_has_user_context (BhBidiServer *server, const char *id);
/* Closes the user context's tabs and forgets it; FALSE when there is no
 * such user context (or it is "default", which cannot be removed). */
gboolean bh_bidi_server_remove_user_context (BhBidiServer *server, const char *id);
/* The next tab the browser makes goes into user context @id (%NULL: back
 * to "default"). */
void bh_bidi_server_set_next_user_context (BhBidiServer *server, const char *id);
/* Returns: (transfer none): @tab's user context id. */
const char *bh_bidi_server_get_user_context (BhBidiServer *server, BhTab *tab);

/* Signals for the UI (bh-bidi.h); each returns whether a handler took it. */
void bh_bidi_server_tab_created (BhBidiServer *server, BhTab *tab, gboolean new_window,
                                 gboolean background);
gboolean bh_bidi_server_activate_tab (BhBidiServer *server, BhTab *tab);
gboolean bh_bidi_server_close_tab (BhBidiServer *server, BhTab *tab);
/* "set-window-state"; the state is remembered for getClientWindows. */
gboolean bh_bidi_server_set_window_state (BhBidiServer *server, const char *state);
/* Returns: (transfer none): "normal", "maximized", "minimized" or "fullscreen". */
const char *bh_bidi_server_get_window_state (BhBidiServer *server);

/**
 * bh_bidi_server_close_browser:
 * @command: (transfer full): browser.close
 *
 * Answers @command, stops taking commands, and emits "close-requested" once
 * the answer has been written.
 */
void bh_bidi_server_close_browser (BhBidiServer *server, BhBidiCommand *command);

/**
 * bh_bidi_server_note_signal:
 * @pid: a renderer's pid
 * @signo: the signal bulkhead:process.kill sent it
 *
 * Remembered for the bulkhead:process.terminated event.
 */
void bh_bidi_server_note_signal (BhBidiServer *server, int pid, int signo);

/* Sessions and subscriptions, per connection. */

/**
 * bh_bidi_connection_new_session:
 *
 * Returns: (transfer none) (nullable): the new session id, %NULL when the
 *   connection already has a session.
 */
const char *bh_bidi_connection_new_session (BhBidiConnection *connection);

/**
 * bh_bidi_connection_end_session:
 *
 * Ends the connection's session (session.end): its subscriptions go, the
 * connection stays open.
 *
 * Returns: %FALSE when there was no session
 */
gboolean bh_bidi_connection_end_session (BhBidiConnection *connection);

/* The connection is the BiDi side of classic session @session_id (its
 * webSocketUrl): it has that session from the start. */
void bh_bidi_connection_attach_session (BhBidiConnection *connection, const char *session_id);

/**
 * bh_bidi_session_capabilities:
 * @requested: (nullable): the client's {alwaysMatch, firstMatch}
 * @session_id: the new session's id
 * @classic: a classic WebDriver session (POST /session): its webSocketUrl
 *   names the session, /session/ID
 *
 * Returns: (transfer full): the capabilities of a new session, as
 *   session.new and POST /session answer them: what Bulkhead has, with
 *   webSocketUrl when asked for and unhandledPromptBehavior as asked.
 */
JsonObject *bh_bidi_session_capabilities (BhBidiServer *server, JsonObject *requested,
                                          const char *session_id, gboolean classic);

/* FALSE with @out_error (transfer full) when a capability asked for is not
 * valid (unhandledPromptBehavior): the command's "invalid argument". */
gboolean bh_bidi_session_check_capabilities (JsonObject *requested, gboolean classic,
                                             char **out_error);

/* {implicit, pageLoad, script}: the session timeouts, WebDriver's defaults. */
JsonObject *bh_bidi_session_timeouts (void);

/**
 * bh_bidi_node_take_object:
 * @object: (transfer full): a JSON object
 *
 * Returns: (transfer full): a node holding @object, for the answers
 */
JsonNode *bh_bidi_node_take_object (JsonObject *object);

/**
 * bh_bidi_connection_subscribe:
 * @events: (array zero-terminated=1): event or module names
 * @contexts: (array zero-terminated=1) (nullable): context ids, %NULL for all
 * @ipc_filter: (nullable): "bulkhead:filter" globs for bulkhead:ipc.message
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for an unknown event,
 *   %G_IO_ERROR_NOT_FOUND for a context that is not an open tab
 *
 * Subscribing again to an event for the same contexts replaces that
 * subscription (and its filter), which takes the new id. The first
 * bulkhead:ipc.message subscription registers the trace sink.
 *
 * Returns: (transfer full) (nullable): the new subscription's id, %NULL
 *   with @error set
 */
char *bh_bidi_connection_subscribe (BhBidiConnection *connection, const char * const *events,
                                       const char * const *contexts, const char *ipc_filter,
                                       GError **error);

/**
 * bh_bidi_connection_unsubscribe:
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for an unknown event, or one that
 *   was not subscribed to (as the BiDi spec wants)
 */
gboolean bh_bidi_connection_unsubscribe (BhBidiConnection *connection, const char * const *events,
                                         const char * const *contexts, GError **error);

/**
 * bh_bidi_connection_unsubscribe_by_id:
 * @ids: (array zero-terminated=1): subscription ids session.subscribe gave
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for an id that is not a subscription
 *   of this connection (nothing is removed then)
 */
gboolean bh_bidi_connection_unsubscribe_by_id (BhBidiConnection *connection,
                                               const char * const *ids, GError **error);

/* Navigations. */

typedef enum {
  BH_BIDI_WAIT_NONE,
  BH_BIDI_WAIT_INTERACTIVE, /* DidCommitNavigation and the first frame after it */
  BH_BIDI_WAIT_COMPLETE,    /* DidFinishLoad */
} BhBidiWait;

/* The "wait" parameter of navigate and reload: none when absent. */
gboolean bh_bidi_param_wait (BhBidiCommand *command, BhBidiWait *out);

/**
 * BhBidiNavigatedFunc:
 * @command: (transfer full): the command that waited
 * @navigation: the navigation's id, as in the navigationStarted event
 *
 * The wait is over and the navigation succeeded: answer @command.
 */
typedef void (*BhBidiNavigatedFunc) (BhBidiCommand *command, BhTab *tab, const char *navigation);

/**
 * bh_bidi_server_navigation_serial:
 *
 * Returns: how many navigations of @tab the server has seen start; read it
 *   before starting one and hand it to bh_bidi_server_wait_navigation().
 */
guint64 bh_bidi_server_navigation_serial (BhBidiServer *server, BhTab *tab);

/**
 * bh_bidi_server_wait_navigation:
 * @command: (transfer full): the command to answer
 * @serial_before: bh_bidi_server_navigation_serial() before the navigation
 *   was started
 * @done: called when @wait is reached
 *
 * Waits for the navigation just started in @tab. It fails @command with
 * "unknown error" when the navigation fails (a network error, a renderer
 * that dies or cannot start) or is replaced by another before @wait, and
 * with "no such frame" when the tab closes.
 */
void bh_bidi_server_wait_navigation (BhBidiServer *server, BhBidiCommand *command, BhTab *tab,
                                     guint64 serial_before, BhBidiWait wait,
                                     BhBidiNavigatedFunc done);

/**
 * BhBidiFrameFunc:
 * @command: (transfer full): the command that waited
 * @frame: (nullable): the tab's frame now
 */
typedef void (*BhBidiFrameFunc) (BhBidiCommand *command, BhTab *tab, GdkTexture *frame);

/**
 * bh_bidi_server_wait_frame:
 *
 * Calls @done with a frame painted for the page now committed, once its
 * plugins have their first frames too (bh_tab_has_pending_plugins()): at
 * once when that is so, else when it comes, or after 2 s with whatever there
 * is (the renderer does not paint a page that has nothing new).
 */
void bh_bidi_server_wait_frame (BhBidiServer *server, BhBidiCommand *command, BhTab *tab,
                                BhBidiFrameFunc done);

/**
 * bh_bidi_server_wait_frame_size:
 * @width_px: the frame's width wanted, in device pixels; 0 for any
 * @height_px: its height
 *
 * As bh_bidi_server_wait_frame(), for a frame of that size: after
 * bh_tab_set_viewport() the frame on screen is still the old size until the
 * renderer has painted again. After 2 s, whatever frame there is.
 */
void bh_bidi_server_wait_frame_size (BhBidiServer *server, BhBidiCommand *command, BhTab *tab,
                                     int width_px, int height_px, BhBidiFrameFunc done);

/* Elements (bh-bidi-elements.c), shared with classic WebDriver. */

/**
 * bh_bidi_element_ref:
 * @node: the renderer's number for an element of @tab's current document
 *
 * Returns: (transfer full): the element's reference, BiDi's sharedId and
 *   classic WebDriver's element id alike: "node-CONTEXT-NAVIGATION-NODE"
 */
char *bh_bidi_element_ref (BhTab *tab, guint node);

/**
 * bh_bidi_element_lookup:
 * @ref: an element reference from a client
 * @out_node: (out): the element's number
 * @out_error: (out): on failure, BH_BIDI_ERROR_NO_SUCH_ELEMENT (not a
 *   reference), _NO_SUCH_FRAME (its tab closed) or
 *   _STALE_ELEMENT_REFERENCE (its tab has another document now)
 *
 * Returns: (transfer none) (nullable): the element's tab
 */
BhTab *bh_bidi_element_lookup (BhBidiServer *server, const char *ref, guint *out_node,
                               const char **out_error);

/* @nodes: GArray of BhLocatedNode (bh-renderer-host.h), or %NULL with @error. */
typedef void (*BhBidiLocatedFunc) (BhBidiCommand *command, BhTab *tab, GArray *nodes,
                                   const GError *error);
/* @value: the answer, %NULL when there is none (or with @error). */
typedef void (*BhBidiQueriedFunc) (BhBidiCommand *command, BhTab *tab, const char *value,
                                   const GError *error);

/**
 * bh_bidi_locate:
 * @command: (transfer full): handed to @done
 *
 * Asks @tab's renderer for the elements matching @selectors (LocateNodes);
 * fails @command itself when the tab has no renderer.
 */
void bh_bidi_locate (BhBidiCommand *command, BhTab *tab, const char *selectors,
                     guint max_nodes, BhBidiLocatedFunc done);

/* As bh_bidi_locate(), by another locator (LocateNodesBy): @kind "xpath" or
 * "innerText" with its options (bh_renderer_host_locate_nodes_by()). */
void bh_bidi_locate_by (BhBidiCommand *command, BhTab *tab, const char *kind, const char *value,
                        gboolean ignore_case, gboolean partial, guint max_depth, guint max_nodes,
                        BhBidiLocatedFunc done);

/* As bh_bidi_locate(), among element @node's descendants only (classic's Find
 * Element From Element, BiDi's startNodes): at most @max_nodes of the first
 * BH_MAX_LOCATED_NODES matches of the document. Uses @command's state. */
void bh_bidi_locate_within (BhBidiCommand *command, BhTab *tab, guint node, const char *selectors,
                            guint max_nodes, BhBidiLocatedFunc done);

/* As bh_bidi_locate(), for QueryNode ("text", "rect", "attribute:NAME"...). */
void bh_bidi_query (BhBidiCommand *command, BhTab *tab, guint node, const char *what,
                    BhBidiQueriedFunc done);

/* The error code for a failed query: "invalid selector" or "unknown error". */
const char *bh_bidi_query_error (const GError *error);

/* Parses QueryNode's "rect" answer ("X Y W H", document px). */
gboolean bh_bidi_parse_rect (const char *text, double *x, double *y, double *width,
                             double *height);

/**
 * bh_bidi_click:
 * @x: document px
 * @y: document px
 * @button: 1 primary, 2 middle, 3 secondary
 *
 * Scrolls the point into view if needed, then sends a move, a press and a
 * release there, as the window would for a click.
 */
void bh_bidi_click (BhTab *tab, double x, double y, guint button);

/* The GDK keyval for one WebDriver key value ("a", "\uE007" for Enter...),
 * GDK_KEY_VoidSymbol for a key the renderer has no use for, 0 for
 * something that is not one key. */
guint bh_bidi_keyval_for (const char *value);

/* Script (bh-bidi-script.c), shared with classic WebDriver. */

/* Returns: (transfer full): the realm id of @tab's committed document. */
char *bh_bidi_realm_for_tab (BhTab *tab);
/* Returns: (transfer full): @url's origin serialised ("http://a.test:8000"), or
 * "null" for one without a host (about:, data:). */
char *bh_bidi_origin_for_uri (const char *url);
/**
 * bh_bidi_realm_info:
 * @sandbox: (nullable): a sandbox's name, %NULL for the document's realm
 *
 * Returns: (transfer full): a script.RealmInfo of @tab's committed document:
 *   {realm, origin, type: "window", context, sandbox?}
 */
JsonNode *bh_bidi_realm_info (BhTab *tab, const char *sandbox);
/* The sandboxes (target {context, sandbox}) clients named in @tab's context
 * (bh-bidi-tabs.c): noting a new one announces its realm (script.realmCreated),
 * and every document committed after announces them all again. */
void bh_bidi_server_note_sandbox (BhBidiServer *server, BhTab *tab, const char *sandbox);
gboolean bh_bidi_server_has_sandbox (BhBidiServer *server, BhTab *tab, const char *sandbox);
/* Returns: (transfer full) (nullable): the sandboxes noted, NULL for none. */
GStrv bh_bidi_server_list_sandboxes (BhBidiServer *server, BhTab *tab);

/**
 * bh_bidi_script_call:
 * @command: (transfer full): answered with {type: "success", result, realm}
 *   or {type: "exception", exceptionDetails, realm}, as script.evaluate is
 * @arguments_json: (nullable): a JSON array of LocalValues, for @function
 * @function: @source is a function declaration to call, not an expression
 */
void bh_bidi_script_call (BhBidiCommand *command, BhTab *tab, const char *source,
                          const char *arguments_json, gboolean function, gboolean await_promise);

/* Prompts (bh-bidi-prompts.c): alert, confirm and prompt under automation. */

typedef enum {
  BH_BIDI_PROMPT_UNSET,
  BH_BIDI_PROMPT_ACCEPT,
  BH_BIDI_PROMPT_DISMISS,
  BH_BIDI_PROMPT_IGNORE,
} BhBidiPromptHandler;

/* A session's unhandledPromptBehavior: a handler for each kind of dialog
 * (alert, confirm, prompt); @notify: classic's "... and notify"; @set: a
 * session gave it (without one, prompts are the window's alone). */
typedef struct {
  BhBidiPromptHandler by_kind[3];
  gboolean notify;
  gboolean set;
} BhBidiPromptBehavior;

/**
 * bh_bidi_prompt_behavior_parse:
 * @capability: (nullable): the unhandledPromptBehavior asked for: a string, or
 *   BiDi's object of handlers by prompt type; %NULL for the default ("dismiss",
 *   and for @classic "dismiss and notify")
 * @out_error: (transfer full): why it is not one, for "invalid argument"
 *
 * Returns: whether @capability is valid; @out is set when it is.
 */
gboolean bh_bidi_prompt_behavior_parse (JsonNode *capability, gboolean classic,
                                        BhBidiPromptBehavior *out, char **out_error);
/* The newest session's behaviour applies to every tab's dialogs, until that
 * session ends. */
void bh_bidi_server_set_prompt_behavior (BhBidiServer *server, const BhBidiPromptBehavior *behavior,
                                         const char *session_id);
void bh_bidi_server_session_ended (BhBidiServer *server, const char *session_id);
/* Returns: (transfer none): the behaviour in force (@set FALSE: none). */
const BhBidiPromptBehavior *bh_bidi_server_get_prompt_behavior (BhBidiServer *server);
/* The dialog open in @tab, FALSE with none: its kind (0 alert, 1 confirm,
 * 2 prompt), message and the text a prompt would answer (its default, or
 * what classic's Send Alert Text set); (transfer none). */
gboolean bh_bidi_server_get_prompt (BhBidiServer *server, BhTab *tab, guint *out_kind,
                                    const char **out_message, const char **out_text);
gboolean bh_bidi_server_set_prompt_text (BhBidiServer *server, BhTab *tab, const char *text);
/* Accepts or dismisses @tab's open dialog (@text: (nullable): a prompt's answer,
 * else the text kept); FALSE when none is open. userPromptClosed goes out
 * first. */
gboolean bh_bidi_server_answer_prompt (BhBidiServer *server, BhTab *tab, gboolean accept,
                                       const char *text);

/* Cookies (bh-bidi-storage.c), shared with classic WebDriver. */
/* Returns: (transfer none) (nullable): the profile's cookie jar. */
BhCookieJar *bh_bidi_server_get_cookie_jar (BhBidiServer *server);

/**
 * bh_bidi_cookie_to_json:
 * @classic: WebDriver's shape ("value" a string, "sameSite" capitalised)
 *   rather than BiDi's storage.Cookie
 *
 * Returns: (transfer full): the cookie as a client sees it
 */
JsonObject *bh_bidi_cookie_to_json (const BhCookie *cookie, gboolean classic);

/**
 * bh_bidi_cookie_from_json:
 * @object: a client's cookie: BiDi's storage.PartialCookie, or classic's
 * @default_domain: (nullable): the domain when @object names none (classic:
 *   the current page's host); the cookie is then host-only
 * @out: (out caller-allocates): the cookie; its strings are the caller's
 *   to free, also on failure
 * @out_reason: (out) (transfer full): on failure, why
 */
gboolean bh_bidi_cookie_from_json (JsonObject *object, gboolean classic,
                                   const char *default_domain, BhCookie *out,
                                   char **out_reason);

G_END_DECLS
