/* bh-lws.c: the browser's one libwebsockets context, on the GLib main loop.
 *
 * LWS_SERVER_OPTION_GLIB makes lws load its GLib event library
 * (libwebsockets-evlib_glib.so). Given a "foreign" GMainLoop it attaches one
 * GSource per socket, plus an idle and a timer source, to that loop's
 * GMainContext and never runs or quits the loop itself. We hand it a loop on
 * the default context that nobody runs: lws only asks it for its context,
 * and whoever runs the default context (GtkApplication, a test's
 * GMainLoop) services lws along with everything else.
 */
#include "bh-lws.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

static struct lws_context *bh_lws_context;
static GMainLoop *bh_lws_foreign_loop;
static gboolean bh_lws_failed_once;

static void
bh_lws_setup_logging (void)
{
  const char *env = g_getenv ("BH_LWS_LOG");
  int level = 0;

  if (env != NULL && *env != '\0')
    level = (int) strtol (env, NULL, 0);

  /* lws reports every refused connection and failed handshake as an error of
   * its own; the fetcher turns those into GErrors with plain messages, so
   * the raw lines are only wanted when debugging lws itself. */
  lws_set_log_level (level, NULL);
}

/* The context's protocols[0], which lws needs whatever vhosts come later.
 * (The fetcher's certificate checks are its own now, bh-http-connection.c.) */
static int
bh_lws_first_protocol_cb (struct lws               *wsi,
                          enum lws_callback_reasons reason,
                          void                     *user,
                          void                     *in,
                          size_t                    len)
{
  return lws_callback_http_dummy (wsi, reason, user, in, len);
}

static const struct lws_protocols first_protocols[] = {
  { "bh-lws", bh_lws_first_protocol_cb, 0, 0, 0, NULL, 0 },
  { NULL, NULL, 0, 0, 0, NULL, 0 },
};

struct lws_context *
bh_lws_get_context (void)
{
  struct lws_context_creation_info info = { 0 };
  void *foreign_loops[1];

  if (bh_lws_context != NULL)
    return bh_lws_context;

  if (bh_lws_failed_once)
    return NULL;

  bh_lws_setup_logging ();

  bh_lws_foreign_loop = g_main_loop_new (g_main_context_default (), FALSE);
  foreign_loops[0] = bh_lws_foreign_loop;

  info.options = LWS_SERVER_OPTION_GLIB |
                 LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
                 LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.foreign_loops = foreign_loops;
  info.gid = -1;
  info.uid = -1;
  /* The buffer lws reads a socket into (default 4 KiB): a 300 KB page then
   * took 75 recvfrom calls and as many trips through the main loop. 64 KiB
   * matches the fetcher's own read chunk. */
  info.pt_serv_buf_size = 64 * 1024;
  /* lws's own timeouts (5 s by default in 4.1, for instance between a
   * request and its response's headers) closed slow servers' connections
   * before the fetcher's deadlines, and the fetcher then said the server
   * had closed them. The fetcher's timers govern (bh-fetcher.h: 10 s to
   * connect, 30 s for the whole fetch); lws's are a backstop behind them.
   * BH_LWS_BACKSTOP_TIMEOUT_S in bh-lws.h. */
  info.timeout_secs = BH_LWS_BACKSTOP_TIMEOUT_S;
  /* Response headers of up to 32 KiB, not lws's 4 KiB: a Content-Security-
   * Policy or a few cookies pass 4 KiB on real sites (Chromium takes up to
   * 256 KiB). Each connection holds one such buffer while it parses. */
  info.max_http_header_data2 = 32 * 1024;

  bh_lws_context = lws_create_context (&info);
  if (bh_lws_context == NULL)
    {
      g_warning ("libwebsockets could not create its context on the GLib main loop "
                 "(is libwebsockets-evlib-glib installed?); the browser has no network");
      bh_lws_failed_once = TRUE;
      g_clear_pointer (&bh_lws_foreign_loop, g_main_loop_unref);
      return NULL;
    }

  /* First, so that its protocol is the context's protocols[0]. */
  {
    struct lws_context_creation_info vhost_info = { 0 };

    vhost_info.vhost_name = "bh-lws";
    vhost_info.port = CONTEXT_PORT_NO_LISTEN;
    vhost_info.protocols = first_protocols;
    vhost_info.options = LWS_SERVER_OPTION_GLIB;
    vhost_info.gid = -1;
    vhost_info.uid = -1;
    if (lws_create_vhost (bh_lws_context, &vhost_info) == NULL)
      g_warning ("libwebsockets could not create its first vhost: certificate errors will not be "
                 "described");
  }

  return bh_lws_context;
}

struct lws_vhost *
bh_lws_create_vhost (const char                 *name,
                     const char                 *iface,
                     int                         port,
                     const struct lws_protocols *protocols,
                     void                       *user,
                     gboolean                    client_tls,
                     GError                    **error)
{
  struct lws_context_creation_info info = { 0 };
  struct lws_context *context;
  struct lws_vhost *vhost;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (protocols != NULL, NULL);
  g_return_val_if_fail (iface == NULL || g_hostname_is_ip_address (iface), NULL);
  g_return_val_if_fail (iface == NULL || strchr (iface, ':') == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = bh_lws_get_context ();
  if (context == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "libwebsockets is not available on the GLib main loop");
      return NULL;
    }

  info.vhost_name = name;
  info.iface = iface;
  info.port = port;
  info.protocols = protocols;
  info.user = user;
  /* Client TLS contexts are made per vhost, and only when the vhost's own
   * options ask for the global TLS init too. */
  info.options = LWS_SERVER_OPTION_GLIB;
  if (client_tls)
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  /* With IPv6 on, lws 4.1 ignores .iface and binds [::]: every interface,
   * both families (seen in /proc/net/tcp6, issue #12). With IPv6 off for
   * this vhost it binds the IPv4 address it is given, and only that. */
  if (iface != NULL)
    info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;

  info.gid = -1;
  info.uid = -1;

  vhost = lws_create_vhost (context, &info);
  if (vhost == NULL)
    {
      if (port == CONTEXT_PORT_NO_LISTEN)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "libwebsockets could not create the client vhost “%s”", name);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "libwebsockets could not listen on %s port %d for “%s” "
                     "(address in use or not permitted)",
                     iface != NULL ? iface : "every interface", port, name);
      return NULL;
    }

  return vhost;
}

void
bh_lws_wake (void)
{
  if (bh_lws_context != NULL)
    lws_cancel_service (bh_lws_context);
}

void
bh_lws_shutdown (void)
{
  if (bh_lws_context != NULL)
    {
      lws_context_destroy (bh_lws_context);
      bh_lws_context = NULL;
    }

  g_clear_pointer (&bh_lws_foreign_loop, g_main_loop_unref);
  bh_lws_failed_once = FALSE;
}
