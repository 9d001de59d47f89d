/* bh-bidi-private.h: what the BiDi command table (bh-bidi-commands.c) uses
 * of the server (bh-bidi.c): replies, events, sessions and the navigation
 * and frame waits.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bh-bidi.h"

G_BEGIN_DECLS

/* WebDriver BiDi error codes (https://w3c.github.io/webdriver-bidi/#errors). */
#define BH_BIDI_ERROR_INVALID_ARGUMENT "invalid argument"
#define BH_BIDI_ERROR_UNKNOWN_COMMAND "unknown command"
#define BH_BIDI_ERROR_NO_SUCH_FRAME "no such frame"
#define BH_BIDI_ERROR_NO_SUCH_HISTORY_ENTRY "no such history entry"
#define BH_BIDI_ERROR_UNKNOWN_ERROR "unknown error"
#define BH_BIDI_ERROR_UNSUPPORTED_OPERATION "unsupported operation"
#define BH_BIDI_ERROR_SESSION_NOT_CREATED "session not created"

typedef struct _BhBidiConnection BhBidiConnection;

/**
 * BhBidiCommand:
 *
 * One command being answered. Exactly one of bh_bidi_command_return() and
 * bh_bidi_command_fail() consumes it; if the connection closed meanwhile the
 * answer goes nowhere.
 */
typedef struct {
  BhBidiServer *server;          /* a reference */
  BhBidiConnection *connection;  /* a reference */
  gint64 id;
  char *method;
  JsonObject *params;            /* a reference; {} when the command had none */
} BhBidiCommand;

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
extern const BhBidiCommandEntry bh_bidi_browser_commands[];
extern const BhBidiCommandEntry bh_bidi_bulkhead_commands[];

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

/* Signals for the UI (bh-bidi.h); each returns whether a handler took it. */
void bh_bidi_server_tab_created (BhBidiServer *server, BhTab *tab, gboolean new_window,
                                 gboolean background);
gboolean bh_bidi_server_activate_tab (BhBidiServer *server, BhTab *tab);
gboolean bh_bidi_server_close_tab (BhBidiServer *server, BhTab *tab);

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
 * bh_bidi_connection_subscribe:
 * @events: (array zero-terminated=1): event or module names
 * @contexts: (array zero-terminated=1) (nullable): context ids, %NULL for all
 * @ipc_filter: (nullable): "bulkhead:filter" globs for bulkhead:ipc.message
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for an unknown event,
 *   %G_IO_ERROR_NOT_FOUND for a context that is not an open tab
 *
 * Subscribing again to an event for the same contexts replaces that
 * subscription (and its filter). The first bulkhead:ipc.message
 * subscription registers the trace sink.
 */
gboolean bh_bidi_connection_subscribe (BhBidiConnection *connection, const char * const *events,
                                       const char * const *contexts, const char *ipc_filter,
                                       GError **error);

/**
 * bh_bidi_connection_unsubscribe:
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for an unknown event, or one that
 *   was not subscribed to (as the BiDi spec wants)
 */
gboolean bh_bidi_connection_unsubscribe (BhBidiConnection *connection, const char * const *events,
                                         const char * const *contexts, GError **error);

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

G_END_DECLS
