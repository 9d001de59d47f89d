/* test-fetcher-local.c: bh_fetch() of what needs no network (file:,
 * data:, about:, schemes it does not support) and the error pages.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libwebsockets.h>
#include <string.h>

#include "bh-config.h"
#include "bh-error-page.h"
#include "bh-fetcher.h"
#include "fetcher-test-util.h"

/* file: -------------------------------------------------------------------- */

static char *
make_temp_tree (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bh-fetcher-XXXXXX", &error);
  g_autofree char *page = NULL;
  g_autofree char *odd = NULL;
  g_autofree char *sub = NULL;

  g_assert_no_error (error);
  page = g_build_filename (dir, "page.html", NULL);
  g_file_set_contents (page, test_page, -1, &error);
  g_assert_no_error (error);
  odd = g_build_filename (dir, "a<b>&c.txt", NULL);
  g_file_set_contents (odd, "odd", -1, &error);
  g_assert_no_error (error);
  sub = g_build_filename (dir, "subdir", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);

  return g_steal_pointer (&dir);
}

static void
remove_temp_tree (const char *dir)
{
  const char *names[] = { "page.html", "a<b>&c.txt", "big.bin", "subdir" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_file (void)
{
  g_autofree char *dir = make_temp_tree ();
  g_autofree char *page_path = g_build_filename (dir, "page.html", NULL);
  g_autofree char *page_url = g_filename_to_uri (page_path, NULL, NULL);
  g_autofree char *dir_url = g_filename_to_uri (dir, NULL, NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.html", NULL);
  g_autofree char *missing_url = g_filename_to_uri (missing_path, NULL, NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.bin", NULL);
  g_autofree char *big_url = g_filename_to_uri (big_path, NULL, NULL);
  g_autofree char *with_fragment = g_strconcat (page_url, "#top", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = NULL;
  BhFetchOptions small = { .max_bytes = 1000 };
  char big[2000];

  response = fetch_sync (page_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->http_status, ==, 0);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_assert_cmpstr (response->final_url, ==, page_url);
  assert_body (response, test_page);

  /* The fragment names no part of the file. */
  g_clear_pointer (&response, bh_response_free);
  response = fetch_sync (with_fragment, NULL, &error);
  g_assert_no_error (error);
  assert_body (response, test_page);

  /* A folder becomes a listing, names escaped. */
  g_clear_pointer (&response, bh_response_free);
  response = fetch_sync (dir_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_assert_true (body_contains (response, "page.html</a>"));
  g_assert_true (body_contains (response, "subdir/</a>"));
  g_assert_true (body_contains (response, "a&lt;b&gt;&amp;c.txt"));
  g_assert_false (body_contains (response, "a<b>"));

  assert_fetch_fails (missing_url, NULL, BH_NET_ERROR_FILE_NOT_FOUND, "missing.html");

  memset (big, 'b', sizeof big);
  g_file_set_contents (big_path, big, sizeof big, &error);
  g_assert_no_error (error);
  assert_fetch_fails (big_url, &small, BH_NET_ERROR_TOO_LARGE, NULL);

  /* Only this computer's files. */
  assert_fetch_fails ("file://other.example/etc/hostname", NULL, BH_NET_ERROR_INVALID_URL,
                      "another computer");
  assert_fetch_fails ("file://localhost/nonexistent-bulkhead-file", NULL,
                      BH_NET_ERROR_FILE_NOT_FOUND, "/nonexistent-bulkhead-file");

  /* A device never ends: refused before reading. */
  assert_fetch_fails ("file:///dev/zero", NULL, BH_NET_ERROR_ACCESS_DENIED, NULL);

  remove_temp_tree (dir);
}

/* data: -------------------------------------------------------------------- */

static void
assert_data (const char *url,
             const char *content_type,
             const char *charset,
             const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = fetch_sync (url, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (response->http_status, ==, 0);
  g_assert_cmpstr (response->final_url, ==, url);
  g_assert_cmpstr (response->content_type, ==, content_type);
  g_assert_cmpstr (response->charset, ==, charset);
  assert_body (response, body);
}

static void
test_data (void)
{
  BhFetchOptions tiny = { .max_bytes = 4 };

  /* RFC 2397's defaults and examples. */
  assert_data ("data:,A%20brief%20note", "text/plain", "us-ascii", "A brief note");
  assert_data ("data:text/html;base64,PGgxPmhpPC9oMT4=", "text/html", NULL, "<h1>hi</h1>");
  assert_data ("data:text/plain;charset=UTF-8,caf%C3%A9#fragment", "text/plain", "utf-8",
               "caf\xc3\xa9");
  assert_data ("data:;charset=iso-8859-1,x", "text/plain", "iso-8859-1", "x");
  assert_data ("data:Text/HTML,<p>a,b</p>", "text/html", NULL, "<p>a,b</p>");
  /* Base64 with blanks and percent-escapes; a stray % stays as it is. */
  assert_data ("data:text/plain;base64,aGV sbG%38=", "text/plain", NULL, "hello");
  assert_data ("data:,100%", "text/plain", "us-ascii", "100%");
  assert_data ("data:,", "text/plain", "us-ascii", "");

  assert_fetch_fails ("data:text/plain;base64,!!!!", NULL, BH_NET_ERROR_INVALID_URL, "base64");
  assert_fetch_fails ("data:text/plain", NULL, BH_NET_ERROR_INVALID_URL, "no comma");
  assert_fetch_fails ("data:,12345", &tiny, BH_NET_ERROR_TOO_LARGE, NULL);
}

/* about: and other schemes ------------------------------------------------- */

static void
test_about (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = NULL;
  const char *demos[] = { "about:demo-sites", "about:demo-images", "about:demo-crash" };

  response = fetch_sync ("about:blank", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);

  g_clear_pointer (&response, bh_response_free);
  response = fetch_sync ("about:start", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_assert_cmpstr (response->charset, ==, "utf-8");
  g_assert_true (body_contains (response, "<title>Bulkhead</title>"));
  g_assert_true (body_contains (response, "href=\"about:demo-sites\""));

  bh_fetch_add_version_info ("GTK", "4.8.3-test");
  g_clear_pointer (&response, bh_response_free);
  response = fetch_sync ("about:version", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (body_contains (response, "<h1>Bulkhead " BH_VERSION "</h1>"));
  g_assert_true (body_contains (response, lws_get_library_version ()));
  g_assert_true (body_contains (response, "<th>GTK</th><td>4.8.3-test</td>"));
  g_assert_false (body_contains (response, "{{"));

  for (guint i = 0; i < G_N_ELEMENTS (demos); i++)
    {
      g_clear_pointer (&response, bh_response_free);
      response = fetch_sync (demos[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (response->content_type, ==, "text/html");
    }
  g_assert_true (body_contains (response, "href=\"about:crash\""));

  g_clear_pointer (&response, bh_response_free);
  response = fetch_sync ("about:images/pattern.png", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (response->content_type, ==, "image/png");
  g_assert_null (response->charset);
  g_assert_cmpmem (g_bytes_get_data (response->body, NULL), 8, "\x89PNG\r\n\x1a\n", 8);

  assert_fetch_fails ("about:no-such-page", NULL, BH_NET_ERROR_FILE_NOT_FOUND,
                      "about:no-such-page");
  /* No way out of the pages folder. */
  assert_fetch_fails ("about:../errors/error", NULL, BH_NET_ERROR_FILE_NOT_FOUND, NULL);
  /* Debug URLs are for navigation, not pages. */
  assert_fetch_fails ("about:crash", NULL, BH_NET_ERROR_FILE_NOT_FOUND, NULL);
}

static void
test_unsupported_scheme (void)
{
  assert_fetch_fails ("ftp://example.com/file", NULL, BH_NET_ERROR_UNSUPPORTED_SCHEME, "“ftp:”");
  assert_fetch_fails ("javascript:alert(1)", NULL, BH_NET_ERROR_UNSUPPORTED_SCHEME,
                      "“javascript:”");
  assert_fetch_fails ("no scheme here", NULL, BH_NET_ERROR_INVALID_URL, "no scheme");
}

/* Error pages -------------------------------------------------------------- */

static char *
render (const char   *url,
        const GError *error,
        guint         status)
{
  g_autofree char *code = error != NULL ? bh_net_error_code (error) : NULL;
  g_autoptr (GBytes) bytes = bh_error_page_render (url, code, error != NULL ? error->message : NULL, status);
  char *html = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_true (g_utf8_validate (html, -1, NULL));
  g_assert_null (strstr (html, "{{"));
  g_assert_nonnull (strstr (html, "<!DOCTYPE html>"));
  return html;
}

static void
test_error_page (void)
{
  const struct {
    BhNetError code;
    const char *title;
  } cases[] = {
    { BH_NET_ERROR_NAME_NOT_RESOLVED, "This site can’t be reached" },
    { BH_NET_ERROR_CONNECTION_REFUSED, "This site can’t be reached" },
    { BH_NET_ERROR_TIMED_OUT, "This site took too long to respond" },
    { BH_NET_ERROR_UNSUPPORTED_SCHEME, "This address can’t be opened" },
    { BH_NET_ERROR_TOO_LARGE, "This page is too large" },
    { BH_NET_ERROR_TOO_MANY_REDIRECTS, "This page isn’t working" },
    { BH_NET_ERROR_EMPTY_RESPONSE, "This page isn’t working" },
    { BH_NET_ERROR_INVALID_RESPONSE, "This page isn’t working" },
  };
  g_autofree char *not_found = NULL;
  g_autofree char *server_error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = g_error_new (BH_NET_ERROR, cases[i].code,
                                              "Something about <b>%u</b>", i);
      g_autofree char *html = render ("http://x.test/<script>", error, 0);
      g_autofree char *title = g_strdup_printf ("<title>%s</title>", cases[i].title);

      g_assert_nonnull (strstr (html, title));
      g_assert_nonnull (strstr (html, bh_net_error_to_string (cases[i].code)));
      /* Everything from outside is escaped. */
      g_assert_nonnull (strstr (html, "http://x.test/&lt;script&gt;"));
      g_assert_null (strstr (html, "<script>"));
      g_assert_nonnull (strstr (html, "Something about &lt;b&gt;"));
    }

  not_found = render ("http://alpha.test/missing", NULL, 404);
  g_assert_nonnull (strstr (not_found, "HTTP ERROR 404"));
  g_assert_nonnull (strstr (not_found, "alpha.test answered with HTTP status 404 Not Found."));
  g_assert_nonnull (strstr (not_found, "<title>This page can’t be found</title>"));

  server_error = render ("http://alpha.test/", NULL, 502);
  g_assert_nonnull (strstr (server_error, "HTTP ERROR 502"));
  g_assert_nonnull (strstr (server_error, "Bad Gateway"));
  g_assert_nonnull (strstr (server_error, "<title>This page isn’t working</title>"));
}

/* Registers this file's tests, in the order they run. */
void
fetcher_test_add_local (void)
{
  g_test_add_func ("/net/fetch/file", test_file);
  g_test_add_func ("/net/fetch/data", test_data);
  g_test_add_func ("/net/fetch/about", test_about);
  g_test_add_func ("/net/fetch/unsupported-scheme", test_unsupported_scheme);
  g_test_add_func ("/net/error-page", test_error_page);
}
