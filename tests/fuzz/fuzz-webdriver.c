/* fuzz-webdriver: libFuzzer target for classic WebDriver's request parsing
 * (browser/automation/bh-webdriver-route.c and the body's JSON checks in
 * bh-bidi-message.c; docs/fuzzing.md).
 *
 * The input is a request as a client on --remote-debugging-port's HTTP side
 * sends it, reduced to what Bulkhead reads of it: a first line
 * "METHOD PATH" (lws has parsed the rest of the head), then the body. The
 * path goes through bh_webdriver_route_parse() and the body through
 * bh_bidi_json_object_decode(), as bh-webdriver.c hands them over. A route
 * found must name a command and give session, element and name segments
 * that are valid UTF-8 without "/" or nul (they end up in error messages,
 * JSON answers and element lookups); a decoded body must be an object whose
 * strings are valid UTF-8.
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "bh-bidi-message.h"
#include "bh-webdriver-route.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A GLib critical or warning is a finding: abort(), which libFuzzer catches. */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (level, fields, n_fields, data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  return 0;
}

static void
assert_segment (const char *segment)
{
  if (segment == NULL)
    return;
  g_assert (g_utf8_validate (segment, -1, NULL));
  g_assert (strchr (segment, '/') == NULL);
  g_assert (*segment != '\0');
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data;
  const char *newline = memchr (text, '\n', size);
  gsize head_length = newline != NULL ? (gsize) (newline - text) : size;
  g_autofree char *head = g_strndup (text, head_length);
  const char *space;
  g_autofree char *method = NULL;
  g_auto (BhWebDriverRoute) route = { 0 };
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GError) error = NULL;
  BhWebDriverRouteResult result;

  /* lws hands over a nul-terminated path; an embedded nul ends it there. */
  space = strchr (head, ' ');
  method = g_strndup (head, space != NULL ? (gsize) (space - head) : strlen (head));
  result = bh_webdriver_route_parse (method, space != NULL ? space + 1 : "", &route);
  if (result == BH_WEBDRIVER_ROUTE_FOUND)
    {
      g_assert (route.command != NULL);
      assert_segment (route.session_id);
      assert_segment (route.element_id);
      assert_segment (route.name);
    }
  else
    g_assert (route.command == NULL && route.session_id == NULL && route.element_id == NULL &&
              route.name == NULL);

  if (newline != NULL)
    {
      body = bh_bidi_json_object_decode (newline + 1, size - head_length - 1, &error);
      g_assert ((body == NULL) == (error != NULL));
      if (error != NULL)
        g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
