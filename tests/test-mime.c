/* test-mime.c: MIME types as the standards read them (browser/net/bh-mime.c).
 *
 * The parse cases follow web-platform-tests' mimesniff/mime-types data
 * (what every browser agrees on); the extraction cases are the Fetch
 * Standard's own examples under "extract a MIME type", plus the duplicate
 * headers of issue #12.
 */
#include <string.h>

#include "bh-mime.h"
#include "bh-site.h"

static void
assert_parse (const char *input, const char *essence, const char *charset)
{
  g_autoptr (BhMimeType) type = bh_mime_type_parse (input, -1);

  if (essence == NULL)
    {
      if (type != NULL)
        g_error ("“%s” parsed as %s; it is no MIME type", input, type->essence);
      return;
    }
  if (type == NULL)
    g_error ("“%s” did not parse; expected %s", input, essence);
  g_assert_cmpstr (type->essence, ==, essence);
  g_assert_cmpstr (type->charset, ==, charset);
}

static void
test_parse (void)
{
  assert_parse ("text/html;charset=gbk", "text/html", "gbk");
  assert_parse ("TEXT/HTML;CHARSET=GBK", "text/html", "gbk");
  assert_parse (" text/html ", "text/html", NULL);
  assert_parse ("\r\n\ttext/html;charset=gbk\t ", "text/html", "gbk");
  assert_parse ("text/html;", "text/html", NULL);
  assert_parse ("x/x;test", "x/x", NULL);
  assert_parse ("*/*", "*/*", NULL);
  /* Parameters: the first of a name wins, malformed ones are skipped. */
  assert_parse ("text/html;charset=gbk;charset=windows-1255", "text/html", "gbk");
  assert_parse ("text/html;charset=;charset=gbk", "text/html", "gbk");
  assert_parse ("text/html;x=(;charset=gbk", "text/html", "gbk");
  assert_parse ("text/html;charset=gbk(", "text/html", "gbk(");
  assert_parse ("text/html;charset= gbk", "text/html", " gbk");
  assert_parse ("text/html;test=\xff;charset=gbk", "text/html", "gbk");
  assert_parse ("text/html;a]=bar;charset=gbk", "text/html", "gbk");
  /* Quoted values. */
  assert_parse ("text/html;charset=\"gbk\"", "text/html", "gbk");
  assert_parse ("text/html;charset=\"gbk", "text/html", "gbk");
  assert_parse ("text/html;charset=\"gbk\"x", "text/html", "gbk");
  assert_parse ("text/html;charset=\"\\g\\b\\k\"", "text/html", "gbk");
  assert_parse ("text/html;charset=\"\";charset=GBK", "text/html", "");
  assert_parse ("text/html;charset=\"a;b\";x=y", "text/html", "a;b");
  /* Not MIME types. */
  assert_parse ("", NULL, NULL);
  assert_parse ("text", NULL, NULL);
  assert_parse ("text/", NULL, NULL);
  assert_parse ("/html", NULL, NULL);
  assert_parse ("te xt/html", NULL, NULL);
  assert_parse ("text/ht ml", NULL, NULL);
  assert_parse ("text/html(;doesnot=matter", NULL, NULL);
  assert_parse ("{/}", NULL, NULL);
  assert_parse ("text/html\f", NULL, NULL);
  assert_parse ("image/png,  text/html", NULL, NULL);
  /* A nul byte is a code point like any other, and not a token one. */
  {
    g_autoptr (BhMimeType) type = bh_mime_type_parse ("text/h\0tml", 10);

    g_assert_null (type);
    type = bh_mime_type_parse ("text/html;charset=a\0b", 21);
    g_assert_nonnull (type);
    g_assert_null (type->charset);
  }
}

static void
assert_split (const char *value, const char * const *expected)
{
  g_auto (GStrv) values = bh_mime_split_header_value (value);

  if (!g_strv_equal ((const char * const *) values, expected))
    {
      g_autofree char *got = g_strjoinv ("|", values);

      g_error ("“%s” split as “%s”", value, got);
    }
}

static void
test_split (void)
{
  assert_split ("", (const char *[]) { NULL });
  assert_split ("text/html", (const char *[]) { "text/html", NULL });
  /* Two headers joined by lws: "image/png" then "text/html". */
  assert_split ("image/png,  text/html", (const char *[]) { "image/png", "text/html", NULL });
  assert_split ("image/png,text/html", (const char *[]) { "image/png", "text/html", NULL });
  assert_split ("text/html;x=\"a,b\", image/png",
                (const char *[]) { "text/html;x=\"a,b\"", "image/png", NULL });
  assert_split ("a,,b", (const char *[]) { "a", "", "b", NULL });
  assert_split ("a, ", (const char *[]) { "a", "", NULL });
  assert_split ("\"unterminated, still one", (const char *[]) { "\"unterminated, still one", NULL });
}

static void
assert_extract (const char *header, BhMimeExtraction expected, const char *essence,
                const char *charset)
{
  g_autoptr (BhMimeType) type = NULL;
  BhMimeExtraction got = bh_mime_extract (header, &type);

  if (got != expected)
    g_error ("“%s”: extraction %d, expected %d", header, got, expected);
  if (essence == NULL)
    {
      g_assert_null (type);
      return;
    }
  g_assert_nonnull (type);
  g_assert_cmpstr (type->essence, ==, essence);
  g_assert_cmpstr (type->charset, ==, charset);
}

static void
test_extract (void)
{
  /* The Fetch Standard's examples. */
  assert_extract ("text/plain;charset=gbk, text/html", BH_MIME_CONFLICT, "text/html", NULL);
  assert_extract ("text/html;charset=gbk;a=b, text/html;x=y", BH_MIME_EXTRACTED, "text/html",
                  "gbk");
  assert_extract ("text/html;charset=gbk, x/x, text/html;x=y", BH_MIME_CONFLICT, "text/html",
                  NULL);
  assert_extract ("text/html, cannot-parse", BH_MIME_EXTRACTED, "text/html", NULL);
  assert_extract ("text/html, */*", BH_MIME_EXTRACTED, "text/html", NULL);
  assert_extract ("text/html, ", BH_MIME_EXTRACTED, "text/html", NULL);
  /* Issue #12: an image type first, HTML last. Fetch takes the last; the
   * disagreement is reported so that cross-origin read blocking can refuse. */
  assert_extract ("image/png,  text/html", BH_MIME_CONFLICT, "text/html", NULL);
  assert_extract ("text/html, image/png", BH_MIME_CONFLICT, "image/png", NULL);
  assert_extract ("image/png, image/png", BH_MIME_EXTRACTED, "image/png", NULL);
  /* Nothing usable. */
  assert_extract ("", BH_MIME_FAILURE, NULL, NULL);
  assert_extract ("nonsense", BH_MIME_FAILURE, NULL, NULL);
  assert_extract ("*/*", BH_MIME_FAILURE, NULL, NULL);
  assert_extract ("text/html;charset=\"a, b\"", BH_MIME_EXTRACTED, "text/html", "a, b");
}

static void
test_essence (void)
{
  g_assert_true (bh_mime_is_essence ("image/png"));
  g_assert_true (bh_mime_is_essence ("image/svg+xml"));
  g_assert_false (bh_mime_is_essence (NULL));
  g_assert_false (bh_mime_is_essence ("image/png,  text/html"));
  g_assert_false (bh_mime_is_essence ("image/png;charset=x"));
  g_assert_false (bh_mime_is_essence ("Image/png"));
  g_assert_false (bh_mime_is_essence ("image/"));
  g_assert_false (bh_mime_is_essence ("/png"));
  g_assert_false (bh_mime_is_essence ("image"));
  g_assert_false (bh_mime_is_essence ("image/png/x"));
}

/* Cross-origin read blocking is handed essences only; anything else is in
 * doubt, and blocked across sites. */
static void
test_may_read_needs_an_essence (void)
{
  const char *site = "http://alpha.test";

  g_assert_true (bh_site_may_read (site, "http://beta.test/i.png", "image/png"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/i.png", "image/png,  text/html"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/i.png", "image/png;x=y"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/i.png", "IMAGE/PNG"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/s.css", "text/css "));
  /* One's own site's bytes, whatever they claim. */
  g_assert_true (bh_site_may_read (site, "http://alpha.test/i.png", "image/png,  text/html"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/mime/parse", test_parse);
  g_test_add_func ("/net/mime/split", test_split);
  g_test_add_func ("/net/mime/extract", test_extract);
  g_test_add_func ("/net/mime/essence", test_essence);
  g_test_add_func ("/net/mime/may-read-needs-an-essence", test_may_read_needs_an_essence);
  return g_test_run ();
}
