/* bh-bidi-server-private.h: the server's own state, shared by the files
 * that make it up and by nothing else (the command handlers see
 * bh-bidi-private.h):
 *   bh-bidi.c             the GObject, the lws protocol and its handshake
 *                         checks, browser.close;
 *   bh-bidi-connection.c  a connection's queues both ways, flow control,
 *                         decoding and dispatching its commands, answers;
 *   bh-bidi-events.c      sessions, subscriptions, emitting events, the
 *                         live IPC trace sink;
 *   bh-bidi-tabs.c        following tabs: contexts, navigations and their
 *                         events, the navigation and frame waits;
 *   bh-bidi-processes.c   renderer and plugin host terminations;
 *   bh-bidi-network.c     the network module's events;
 *   bh-bidi-user-contexts.c  user contexts, each a profile and renderers of its own;
 * and classic WebDriver on the HTTP side (bh-webdriver.c).
 */
#pragma once

#include "bh-bidi-private.h"

#include <libwebsockets.h>

#include "bh-plugin-host.h"
#include "bh-renderer-host.h"
#include "bh-trace.h"

G_BEGIN_DECLS

/* The limits a client meets, in one place (docs/automation.md, "Flow
 * control"): past the first four a connection stops being read or its
 * events are dropped and counted; none of them ends a connection. */
#define MAX_QUEUED_COMMANDS 64
#define MAX_QUEUED_COMMAND_BYTES (4 * 1024 * 1024)
#define COMMANDS_PER_DISPATCH 8
#define MAX_QUEUED_EVENTS 1000
#define MAX_QUEUED_BYTES (8 * 1024 * 1024)
/* What one WRITEABLE callback hands lws: a socket buffer's worth, so that
 * lws rarely has to keep a truncated write of its own. */
#define WRITE_CHUNK_BYTES (64 * 1024)
/* The kernel's share of what a slow client has not read yet. Left to
 * autotuning it grows to tcp_wmem's maximum (4 MiB on Debian), which would
 * hide a stalled client from our own queue's limits for a long time. */
#define SOCKET_SEND_BUFFER_BYTES (256 * 1024)
/* How long a screenshot waits for the committed page's first frame and its
 * plugins' first frames before it takes what there is. */
#define FRAME_WAIT_MS 2000
/* The payload text in bulkhead:ipc.message, as --ipc-debug cuts it. */
#define IPC_PAYLOAD_CHARS 200

#define SESSION_PATH "/session"
#define IPC_EVENT "bulkhead:ipc.message"

/* Connections. */

typedef struct {
  GBytes *text;
  gboolean too_big; /* the message was cut: answer with an error */
} InMessage;

typedef struct {
  GBytes *text;
  gboolean is_event;      /* may be dropped when the queue is full */
  gboolean close_browser; /* browser.close's answer: close once it is out */
} OutMessage;

typedef struct {
  char *id;              /* the subscription id session.subscribe returned */
  char *event;           /* a full event name */
  GStrv contexts;        /* NULL: every context */
  BhTraceFilter *filter; /* bulkhead:ipc.message only; NULL: every message */
} Subscription;

struct _BhBidiConnection {
  grefcount ref_count;
  BhBidiServer *server; /* NULL once the server or the socket is gone */
  struct lws *wsi;      /* NULL once closed */

  GByteArray *rx;       /* the message being received */
  gboolean rx_too_big;
  GQueue commands;      /* InMessage, whole messages in arrival order */
  gsize commands_bytes;
  gboolean rx_paused;

  GQueue out;           /* OutMessage */
  gsize out_offset;     /* bytes of the head message already written */
  gsize out_bytes;
  guint out_events;
  guint64 dropped_events;

  char *session_id;
  GPtrArray *subscriptions; /* Subscription */
};

/* Tabs and their navigations. */

typedef struct _TabWatch TabWatch;
typedef struct _Intercept Intercept;
typedef struct _PreloadScript PreloadScript;
typedef struct _DataCollector DataCollector;
typedef struct _UserContext UserContext;

typedef struct {
  BhBidiCommand *command;
  BhBidiWait wait;
  BhBidiNavigatedFunc done;
} NavigationWait;

typedef struct {
  TabWatch *watch;
  BhBidiCommand *command;
  BhBidiFrameFunc done;
  int want_width_px;     /* 0: any frame; else one of this size (after a resize) */
  int want_height_px;
  guint timeout_id;
} FrameWait;

struct _TabWatch {
  BhBidiServer *server;
  BhTab *tab;            /* a reference */
  char *context;
  BhRendererHost *host;  /* a reference: the last renderer seen serving the tab */
  guint64 serial;        /* navigations seen starting */
  guint64 navigation_id; /* the current navigation, as BhTab numbers it; 0: none */
  char *navigation;      /* its BiDi id, NULL before the first */
  gboolean committed;    /* DidCommitNavigation came for it */
  gboolean loaded;       /* DidFinishLoad came for it */
  gboolean failed;       /* navigationFailed went out for it */
  gboolean frame_since_commit;
  char *realm;           /* the document realm last announced (script.realmCreated), or NULL */
  guint prompt_id;       /* the dialog open in the tab (bh-bidi-prompts.c), 0 when none */
  guint prompt_kind;     /* 0 alert, 1 confirm, 2 prompt */
  char *prompt_message;
  char *prompt_text;     /* what accepting a prompt answers */
  GPtrArray *sandboxes;  /* char *: the sandbox names clients used in this context */
  GList *waits;          /* NavigationWait */
  GList *frame_waits;    /* FrameWait */
};

/* The vhost's user pointer. It outlives the server until lws says the
 * protocol is destroyed, so that a late lws callback finds NULL, not a
 * freed server. */
typedef struct {
  BhBidiServer *server;
} Listener;

struct _BhBidiServer {
  GObject parent_instance;

  BhBrowser *browser;        /* a reference */
  struct lws_vhost *vhost;
  Listener *listener;
  int port;
  GStrv allowed_origins;     /* --remote-allow-origins, or NULL */

  GPtrArray *connections;    /* BhBidiConnection, references: the open ones */
  GHashTable *tabs;          /* context -> TabWatch */
  GHashTable *hosts;         /* BhRendererHost -> itself, a reference: watched */
  GHashTable *plugin_hosts;  /* BhPluginHost -> PluginWatch */
  GHashTable *sent_signals;  /* pid -> signal number, from bulkhead:process.kill */
  GPtrArray *user_contexts;  /* UserContext: those createUserContext made, in order */
  GHashTable *tab_user_contexts; /* context -> user context id, for tabs not in "default" */
  char *next_user_context;   /* for the tab browsingContext.create is making */
  struct _BhWebDriver *webdriver; /* classic WebDriver's sessions (bh-webdriver.c) */
  guint process_id;          /* the idle handling queued commands */
  guint trace_sink_id;
  guint network_observer_id; /* bh-net-observer.h, while network.* is subscribed to */
  GPtrArray *intercepts;     /* Intercept, in the order added (bh-bidi-intercept.c) */
  GPtrArray *preload_scripts; /* PreloadScript, in the order added (bh-bidi-preload.c) */
  GPtrArray *collectors;     /* DataCollector (bh-bidi-data.c) */
  GHashTable *kept_data;     /* guint64 * request id -> KeptData: bodies kept for collectors */
  GQueue kept_order;         /* guint64 *: request ids, oldest first */
  gsize kept_bytes;
  GHashTable *blocked_requests; /* guint64 * request id -> BlockedRequest: fetches held */
  char *window_state;        /* browser.setClientWindowState's last, NULL: "normal" */
  gboolean bypass_cache;     /* network.setCacheBehavior "bypass" for every tab, new ones too */
  GStrv extra_headers;       /* network.setExtraHeaders for every tab, new ones too; NULL: none */
  BhBidiPromptBehavior prompts; /* the newest session's unhandledPromptBehavior */
  char *prompt_session;      /* that session's id */
  gboolean closing;          /* browser.close was asked for */
  guint close_id;
  gboolean close_emitted;
};

/* bh-bidi-connection.c */
BhBidiConnection *bh_bidi_connection_new (BhBidiServer *server, struct lws *wsi);
BhBidiConnection *bh_bidi_connection_ref (BhBidiConnection *self);
void bh_bidi_connection_unref (BhBidiConnection *self);
/* The socket is gone (or the server is): nothing more is read or written,
 * and the server forgets the connection. */
void bh_bidi_connection_closed (BhBidiConnection *self);
gboolean bh_bidi_connection_has_room_for_event (BhBidiConnection *self, gsize size);
/* Queues an event (dropped and counted when the queue is full). */
void bh_bidi_connection_queue_event (BhBidiConnection *self, GBytes *text);
/* Queues an answer (never dropped); with @close_browser the browser closes
 * once it has been written. */
void bh_bidi_connection_queue_answer (BhBidiConnection *self, JsonNode *answer,
                                      gboolean close_browser);
/* LWS_CALLBACK_SERVER_WRITEABLE; -1 to close the connection. */
int bh_bidi_connection_write (BhBidiConnection *self);
/* LWS_CALLBACK_RECEIVE: a fragment of a message. */
void bh_bidi_connection_receive (BhBidiConnection *self, const void *data, gsize length,
                                 gboolean binary);
void bh_bidi_server_schedule_processing (BhBidiServer *self);

/* bh-bidi-events.c */
void bh_bidi_subscription_free (Subscription *subscription);
/* Sends @method to every connection subscribed to it for one of @contexts
 * (or globally). Consumes @params. */
void bh_bidi_server_emit_event (BhBidiServer *self, const char *method,
                                const char * const *contexts, JsonNode *params);
/* The trace sink is registered while someone subscribes to
 * bulkhead:ipc.message, and only then. */
void bh_bidi_server_update_trace_sink (BhBidiServer *self);
/* Milliseconds since the epoch, as BiDi's timestamps. */
gint64 bh_bidi_timestamp_ms (void);

/* bh-bidi-tabs.c */
TabWatch *bh_bidi_server_lookup_watch (BhBidiServer *self, BhTab *tab);
void bh_bidi_tab_watch_free (TabWatch *watch);
/* The browser's tab list changed ("items-changed" of bh_browser_get_tabs()). */
void bh_bidi_tabs_changed_cb (GListModel *tabs, guint position, guint removed, guint added,
                              gpointer data);

/* bh-bidi-prompts.c: the tab's "script-dialog-opened" and "script-dialog-closed". */
gboolean bh_bidi_prompt_opened_cb (BhTab *tab, guint dialog_id, guint kind, const char *message,
                                   const char *default_text, gpointer watch);
void bh_bidi_prompt_closed_cb (BhTab *tab, guint dialog_id, guint kind, gboolean accepted,
                               const char *text, gpointer watch);

/* bh-bidi-intercept.c */
void bh_bidi_intercept_free (Intercept *intercept);
void bh_bidi_blocked_request_free (gpointer blocked);
/* Returns: (transfer none) (nullable): the ids (char *) of the intercepts
 * holding request @request_id, %NULL when it is not held. */
GPtrArray *bh_bidi_server_blocking_intercepts (BhBidiServer *self, guint64 request_id);
/* @connection's intercepts go (all of them for %NULL); the requests only they
 * held go on. */
void bh_bidi_server_connection_intercepts_gone (BhBidiServer *self, BhBidiConnection *connection);

/* bh-bidi-data.c */
void bh_bidi_data_collector_free (DataCollector *collector);
void bh_bidi_kept_data_free (gpointer kept);
/* A fetch of @tab completed: keep its bodies (nullable) for the collectors that want them. */
void bh_bidi_server_keep_network_data (BhBidiServer *self, BhTab *tab, guint64 request_id, GBytes *request,
                                       GBytes *response);
/* @connection's collectors go (all of them for %NULL). */
void bh_bidi_server_connection_collectors_gone (BhBidiServer *self, BhBidiConnection *connection);

/* bh-bidi-preload.c */
void bh_bidi_preload_script_free (PreloadScript *script);
/* Gives @tab the preload scripts that apply to it (a new tab, or a change). */
void bh_bidi_server_apply_preload_scripts (BhBidiServer *self, BhTab *tab);
void bh_bidi_server_connection_preload_scripts_gone (BhBidiServer *self, BhBidiConnection *connection);

/* bh-bidi-processes.c */
typedef struct _PluginWatch PluginWatch;
void bh_bidi_watch_host (BhBidiServer *self, BhRendererHost *host);
void bh_bidi_host_added_cb (BhProcessManager *processes, BhRendererHost *host, gpointer data);
void bh_bidi_host_removed_cb (BhProcessManager *processes, BhRendererHost *host, gpointer data);
void bh_bidi_plugin_watch_free (PluginWatch *watch);
void bh_bidi_plugin_hosts_changed_cb (GListModel *hosts, guint position, guint removed,
                                      guint added, gpointer data);

/* bh-bidi-network.c: the network observer is registered while someone
 * subscribes to a network event, and only then. */
void bh_bidi_server_update_network_observer (BhBidiServer *self);

/* bh-bidi-user-contexts.c */
void bh_bidi_user_context_free (UserContext *context);

/* bh-bidi.c */
/* Emits "close-requested" from an idle (not from inside an lws callback:
 * the owner may tear lws down). */
void bh_bidi_server_schedule_close (BhBidiServer *self);

G_END_DECLS
