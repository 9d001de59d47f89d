/* test-fetcher.c: bh_fetch() against a local HTTP server, files, data: and
 * about: URLs, and the error pages.
 *
 * One program, its tests in a file per topic: test-fetcher-http.c (http:
 * and https: answers and failures), test-fetcher-connections.c (many
 * fetches at once, the connection pool, an lws server vhost) and
 * test-fetcher-local.c (file:, data:, about:, error pages); what they share,
 * the server included, is in fetcher-test-util.c.
 */
#include <glib.h>

#include "fetcher-test-util.h"

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  fetcher_test_start_server ();

  fetcher_test_add_http ();
  fetcher_test_add_connections ();
  fetcher_test_add_local ();

  status = g_test_run ();

  fetcher_test_stop_server ();

  return status;
}
