/* bh-lws.h: the browser process's one libwebsockets context.
 *
 * libwebsockets runs on the GLib main loop (its GLib event library, loaded
 * from libwebsockets-evlib_glib.so): every socket it owns is a GSource on the
 * default main context, so nothing here ever calls lws_service() in a loop of
 * its own. The fetcher's connections (bh-http-connection.c, raw sockets) and
 * any server that wants to listen (the WebDriver BiDi server) each add a
 * vhost to this context.
 */
#pragma once

#include <glib.h>
#include <libwebsockets.h>

G_BEGIN_DECLS

/* How long lws itself lets a connection wait in any state before closing
 * it (lws_context_creation_info.timeout_secs). Whoever uses a connection
 * keeps its own, shorter timers (the fetcher's deadlines); this only stops
 * a forgotten one from living forever. */
#define BH_LWS_BACKSTOP_TIMEOUT_S 3600

/**
 * bh_lws_get_context:
 *
 * Returns the browser's libwebsockets context, creating it on first use. It
 * is bound to the default GLib main context (g_main_context_default()), so
 * that context must be the one the browser runs (GtkApplication and
 * g_main_loop_run() on a loop made with a %NULL context both are).
 *
 * lws logging is off unless the environment variable `BH_LWS_LOG` holds an
 * lws log level bit mask (LLL_ERR = 1, LLL_WARN = 2, LLL_NOTICE = 4,
 * LLL_INFO = 8, ...; "1" shows errors only, "15" is verbose).
 *
 * Must be called from the main thread.
 *
 * Returns: (transfer none) (nullable): the context, or %NULL when
 *   libwebsockets could not create it (for instance when its GLib event
 *   library plugin is not installed); the reason is logged with g_warning()
 *   once.
 */
struct lws_context *bh_lws_get_context (void);

/**
 * bh_lws_create_vhost:
 * @name: the vhost's name, for lws logs ("bidi", "fetcher")
 * @iface: (nullable): the IPv4 address to listen on, such as "127.0.0.1":
 *   the vhost then listens on that address only, with IPv6 off (lws 4.1
 *   binds [::], every interface, whenever IPv6 is on, whatever the
 *   interface says). %NULL listens on every interface of both families,
 *   which a debugging server must not do. An interface name or an IPv6
 *   address is a programming error.
 * @port: the TCP port to listen on; 0 lets the kernel pick one (read it back
 *   with lws_get_vhost_listen_port()); CONTEXT_PORT_NO_LISTEN makes a
 *   client-only vhost
 * @protocols: (array zero-terminated=1): the vhost's protocols, terminated
 *   by an entry whose name is %NULL, as libwebsockets wants them. The array
 *   must outlive the vhost (a static array is the usual choice).
 * @user: (nullable): the vhost's user pointer, read back in callbacks with
 *   lws_vhost_user (lws_get_vhost (wsi))
 * @client_tls: ready client TLS (OpenSSL, the system CA certificates) so the
 *   vhost can make https connections. Loading the CA store costs tens of
 *   milliseconds, so only a vhost that makes TLS connections asks for it.
 * @error: return location for a #GError (G_IO_ERROR_FAILED, with lws's
 *   reason unknowable beyond "could not listen"; G_IO_ERROR_NOT_SUPPORTED
 *   when there is no context)
 *
 * Adds a vhost to the shared context.
 *
 * Returns: (transfer none) (nullable): the vhost, owned by the context; free
 *   it early with lws_vhost_destroy() or leave it to bh_lws_shutdown().
 */
struct lws_vhost *bh_lws_create_vhost (const char                *name,
                                       const char                *iface,
                                       int                        port,
                                       const struct lws_protocols *protocols,
                                       void                      *user,
                                       gboolean                   client_tls,
                                       GError                   **error);

/**
 * bh_lws_wake:
 *
 * Makes libwebsockets do its pending work on the next main loop iteration.
 * Call it after asking lws for something from outside its own callbacks
 * (from a GLib timeout, idle or cancellable handler), in particular after
 * lws_set_timeout(), which is how a connection is closed from there.
 *
 * lws keeps its timers in its own list and runs them from a GLib timeout
 * that its GLib event library re-arms only from its own sources: a socket's
 * event, its idle, or that timeout firing (lib/event-libs/glib/glib.c in
 * lws 4.1). A timer set from anywhere else, even LWS_TO_KILL_ASYNC ("close
 * now"), waits for whatever lws expected to happen next, seconds away or
 * never. This wakes lws through its event pipe (lws_cancel_service()): that
 * is one of its own sockets, and serving it runs the ripe timers and re-arms
 * the timeout. Protocol callbacks see LWS_CALLBACK_EVENT_WAIT_CANCELLED.
 *
 * Does nothing when there is no context. Main thread only.
 */
void bh_lws_wake (void);

/**
 * bh_lws_shutdown:
 *
 * Destroys the context and every vhost and connection in it (their protocol
 * callbacks see the usual close events). A later bh_lws_get_context() makes a
 * new one. Call it once the main loop is done with network work, on exit.
 */
void bh_lws_shutdown (void);

G_END_DECLS
