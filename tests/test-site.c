/* test-site.c: sites, host resolver rules and cross-site read decisions. */
#include <glib.h>
#include <string.h>

#include "bh-host-rules.h"
#include "bh-site.h"

static void
assert_site (const char *url,
             const char *expected)
{
  g_autofree char *site = bh_site_for_url (url);

  g_assert_cmpstr (site, ==, expected);
}

static void
test_site_http (void)
{
  assert_site ("http://example.com/", "http://example.com");
  assert_site ("https://example.com/a/b?c#d", "https://example.com");
  assert_site ("http://www.example.com/", "http://example.com");
  assert_site ("http://a.b.c.example.com/", "http://example.com");
  /* eTLD+1 under a multi-label public suffix */
  assert_site ("http://www.bbc.co.uk/news", "http://bbc.co.uk");
  assert_site ("http://bbc.co.uk/", "http://bbc.co.uk");
  /* Private PSL section: each github.io user is a site of its own. */
  assert_site ("https://alice.github.io/x", "https://alice.github.io");
  assert_site ("https://bob.github.io/x", "https://bob.github.io");
  /* Scheme matters, case does not. */
  assert_site ("HTTP://WWW.Example.COM/", "http://example.com");
  assert_site ("http://example.com./", "http://example.com");
}

static void
test_site_ports (void)
{
  assert_site ("http://example.com:8080/", "http://example.com");
  assert_site ("http://alpha.test:1234/x", "http://alpha.test");
  assert_site ("https://a.alpha.test:443/", "https://alpha.test");
}

static void
test_site_test_names (void)
{
  /* .test is not in the PSL: its implicit "*" rule makes every name under
   * it a registrable domain of its own. */
  assert_site ("http://alpha.test/", "http://alpha.test");
  assert_site ("http://beta.test/", "http://beta.test");
  assert_site ("http://a.alpha.test/", "http://alpha.test");
  assert_site ("http://x.y.beta.test/", "http://beta.test");
  assert_site ("http://test/", "http://test");
}

static void
test_site_ip_and_localhost (void)
{
  assert_site ("http://127.0.0.1:8000/", "http://127.0.0.1");
  assert_site ("http://127.0.0.2/", "http://127.0.0.2");
  assert_site ("http://10.1.2.3/x", "http://10.1.2.3");
  assert_site ("http://[::1]:8080/", "http://[::1]");
  assert_site ("http://[2001:DB8::1]/", "http://[2001:db8::1]");
  assert_site ("http://localhost:8000/", "http://localhost");
  assert_site ("http://LOCALHOST/", "http://localhost");
  /* A public suffix used as a host is its own site. */
  assert_site ("http://co.uk/", "http://co.uk");
}

static void
test_site_idn (void)
{
  assert_site ("http://www.bücher.example/", "http://xn--bcher-kva.example");
  assert_site ("http://xn--bcher-kva.example/", "http://xn--bcher-kva.example");
}

static void
test_site_local_schemes (void)
{
  assert_site ("file:///etc/passwd", "file://");
  assert_site ("file:///home/user/page.html#x", "file://");
  assert_site ("FILE:///tmp/", "file://");
  assert_site ("about:blank", "about:");
  assert_site ("about:start", "about:");
  assert_site ("about:images/bulkhead.svg", "about:");
  assert_site ("data:text/html,<h1>hi</h1>", "data:");
  assert_site ("data:,", "data:");
}

static void
test_site_invalid (void)
{
  assert_site ("not a url", NULL);
  assert_site ("/relative/path", NULL);
  assert_site ("http://", NULL);
  assert_site ("http:///path-only", NULL);
  assert_site ("mailto:someone@example.com", NULL);
  assert_site ("", NULL);
}

/* Host resolver rules ---------------------------------------------------- */

static void
test_rules_parse_valid (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhHostRules) rules = NULL;

  rules = bh_host_rules_parse ("MAP *.test 127.0.0.1, MAP beta.test 127.0.0.2:8080,"
                               " EXCLUDE foo.test,  map   x.example   [::1]:99 ,,",
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (rules);
  g_assert_cmpuint (bh_host_rules_get_n_rules (rules), ==, 4);

  g_clear_pointer (&rules, bh_host_rules_unref);
  rules = bh_host_rules_parse ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bh_host_rules_get_n_rules (rules), ==, 0);
}

static void
assert_rules_invalid (const char *spec,
                      const char *message_part)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhHostRules) rules = bh_host_rules_parse (spec, &error);

  g_assert_null (rules);
  g_assert_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s”: expected “%s” in “%s”", spec, message_part, error->message);
}

static void
test_rules_parse_invalid (void)
{
  assert_rules_invalid ("MAP *.test", "MAP takes a pattern and a replacement");
  assert_rules_invalid ("MAP a b c", "MAP takes a pattern and a replacement");
  assert_rules_invalid ("REDIRECT a b", "starts with MAP or EXCLUDE");
  assert_rules_invalid ("EXCLUDE", "EXCLUDE takes one pattern");
  assert_rules_invalid ("MAP a 127.0.0.1:0", "is not a port number");
  assert_rules_invalid ("MAP a 127.0.0.1:65536", "is not a port number");
  assert_rules_invalid ("MAP a 127.0.0.1:http", "is not a port number");
  assert_rules_invalid ("MAP a [::1", "never closes");
  assert_rules_invalid ("MAP a [nope]", "is not an IPv6 address");
  assert_rules_invalid ("MAP a ::1", "must be written in brackets");
  assert_rules_invalid ("MAP a :80", "has no host name");
  /* The message says which rule is wrong. */
  assert_rules_invalid ("MAP a 127.0.0.1, MAP b", "rule 2");
}

static void
assert_map (BhHostRules *rules,
            const char  *host,
            guint        port,
            const char  *expected_host,
            guint        expected_port)
{
  g_autofree char *mapped = bh_host_rules_map (rules, host, &port);

  g_assert_cmpstr (mapped, ==, expected_host);
  g_assert_cmpuint (port, ==, expected_port);
}

static void
test_rules_map (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhHostRules) rules = NULL;

  rules = bh_host_rules_parse ("MAP beta.test 127.0.0.2:8080, MAP *.test 127.0.0.1,"
                               " EXCLUDE foo.test, MAP gone.example ~NOTFOUND,"
                               " MAP *:8443 [::1], MAP v?.example 10.0.0.1",
                               &error);
  g_assert_no_error (error);

  /* First match wins: beta.test is caught by its own rule first. */
  assert_map (rules, "beta.test", 80, "127.0.0.2", 8080);
  assert_map (rules, "alpha.test", 80, "127.0.0.1", 80);
  assert_map (rules, "a.alpha.test", 1234, "127.0.0.1", 1234);
  assert_map (rules, "ALPHA.TEST", 80, "127.0.0.1", 80);
  /* EXCLUDE beats any MAP, wherever it stands. */
  assert_map (rules, "foo.test", 80, NULL, 80);
  assert_map (rules, "gone.example", 80, BH_HOST_RULES_NOT_FOUND, 80);
  /* A pattern with a port matches "host:port". */
  assert_map (rules, "secure.example", 8443, "::1", 8443);
  assert_map (rules, "secure.example", 443, NULL, 443);
  assert_map (rules, "v1.example", 80, "10.0.0.1", 80);
  assert_map (rules, "v12.example", 80, NULL, 80);
  assert_map (rules, "example.com", 80, NULL, 80);
  /* "*.test" needs a dot before "test". */
  assert_map (rules, "test", 80, NULL, 80);

  /* No rules map nothing. */
  assert_map (NULL, "alpha.test", 80, NULL, 80);
  {
    g_autofree char *mapped = bh_host_rules_map (rules, "alpha.test", NULL);

    g_assert_cmpstr (mapped, ==, "127.0.0.1");
  }
}

/* Cross-site reads ------------------------------------------------------- */

static void
test_corb_same_site (void)
{
  /* Anything of one's own site, whatever its type. */
  g_assert_true (bh_site_may_read ("http://alpha.test", "http://a.alpha.test:81/x.json",
                                   "application/json"));
  g_assert_true (bh_site_may_read ("http://alpha.test", "http://alpha.test/p.html", "text/html"));
  g_assert_true (bh_site_may_read ("http://alpha.test", "http://alpha.test/unknown", NULL));
  g_assert_true (bh_site_may_read ("file://", "file:///tmp/a.txt", "text/plain"));
  g_assert_true (bh_site_may_read ("about:", "about:images/bulkhead.svg", "image/svg+xml"));
}

static void
test_corb_cross_site (void)
{
  const char *site = "http://alpha.test";

  /* What pages embed without reading: allowed. */
  g_assert_true (bh_site_may_read (site, "http://beta.test/i.png", "image/png"));
  g_assert_true (bh_site_may_read (site, "http://beta.test/i.jpg", "image/jpeg"));
  g_assert_true (bh_site_may_read (site, "http://beta.test/i.svg", "image/svg+xml"));
  g_assert_true (bh_site_may_read (site, "http://beta.test/s.css", "text/css"));
  g_assert_true (bh_site_may_read (site, "http://beta.test/d.pdf", "application/pdf"));

  /* Documents and data: blocked. */
  g_assert_false (bh_site_may_read (site, "http://beta.test/", "text/html"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x.xml", "text/xml"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x.xml", "application/xml"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x.json", "application/json"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x.txt", "text/plain"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x.js", "text/javascript"));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x", NULL));
  g_assert_false (bh_site_may_read (site, "http://beta.test/x", "image/"));
  /* Same host, other scheme: another site. */
  g_assert_false (bh_site_may_read (site, "https://alpha.test/", "text/html"));
  /* Same registrable domain is not enough for IPs: each is its own site. */
  g_assert_false (bh_site_may_read ("http://127.0.0.1", "http://127.0.0.2/", "text/html"));
}

static void
test_corb_local (void)
{
  /* Local files and browser pages are never for a web renderer, images
   * included. */
  g_assert_false (bh_site_may_read ("http://alpha.test", "file:///tmp/i.png", "image/png"));
  g_assert_false (bh_site_may_read ("http://alpha.test", "about:images/bulkhead.svg",
                                    "image/svg+xml"));
  /* data: bytes came from the page itself. */
  g_assert_true (bh_site_may_read ("http://alpha.test", "data:text/html,<p>x</p>", "text/html"));
  /* Garbage is refused. */
  g_assert_false (bh_site_may_read ("http://alpha.test", "not a url", "image/png"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/site/http", test_site_http);
  g_test_add_func ("/net/site/ports", test_site_ports);
  g_test_add_func ("/net/site/test-names", test_site_test_names);
  g_test_add_func ("/net/site/ip-and-localhost", test_site_ip_and_localhost);
  g_test_add_func ("/net/site/idn", test_site_idn);
  g_test_add_func ("/net/site/local-schemes", test_site_local_schemes);
  g_test_add_func ("/net/site/invalid", test_site_invalid);
  g_test_add_func ("/net/host-rules/parse-valid", test_rules_parse_valid);
  g_test_add_func ("/net/host-rules/parse-invalid", test_rules_parse_invalid);
  g_test_add_func ("/net/host-rules/map", test_rules_map);
  g_test_add_func ("/net/corb/same-site", test_corb_same_site);
  g_test_add_func ("/net/corb/cross-site", test_corb_cross_site);
  g_test_add_func ("/net/corb/local", test_corb_local);

  return g_test_run ();
}
