/* bh-webdriver-route.c: the endpoint table of the WebDriver spec
 * (https://w3c.github.io/webdriver/#endpoints) and matching a request's
 * path against it. Everything here reads text from outside the browser.
 */
#include "bh-webdriver-route.h"

#include <string.h>

typedef struct {
  const char *method;
  const char *path;     /* {session}, {element} and {name} capture a segment */
  const char *command;
} Endpoint;

static const Endpoint endpoints[] = {
  { "POST", "/session", "New Session" },
  { "DELETE", "/session/{session}", "Delete Session" },
  { "GET", "/status", "Status" },
  { "GET", "/session/{session}/timeouts", "Get Timeouts" },
  { "POST", "/session/{session}/timeouts", "Set Timeouts" },
  { "POST", "/session/{session}/url", "Navigate To" },
  { "GET", "/session/{session}/url", "Get Current URL" },
  { "POST", "/session/{session}/back", "Back" },
  { "POST", "/session/{session}/forward", "Forward" },
  { "POST", "/session/{session}/refresh", "Refresh" },
  { "GET", "/session/{session}/title", "Get Title" },
  { "GET", "/session/{session}/window", "Get Window Handle" },
  { "DELETE", "/session/{session}/window", "Close Window" },
  { "POST", "/session/{session}/window", "Switch To Window" },
  { "GET", "/session/{session}/window/handles", "Get Window Handles" },
  { "POST", "/session/{session}/window/new", "New Window" },
  { "POST", "/session/{session}/frame", "Switch To Frame" },
  { "POST", "/session/{session}/frame/parent", "Switch To Parent Frame" },
  { "GET", "/session/{session}/window/rect", "Get Window Rect" },
  { "POST", "/session/{session}/window/rect", "Set Window Rect" },
  { "POST", "/session/{session}/window/maximize", "Maximize Window" },
  { "POST", "/session/{session}/window/minimize", "Minimize Window" },
  { "POST", "/session/{session}/window/fullscreen", "Fullscreen Window" },
  { "GET", "/session/{session}/element/active", "Get Active Element" },
  { "GET", "/session/{session}/element/{element}/shadow", "Get Element Shadow Root" },
  { "POST", "/session/{session}/element", "Find Element" },
  { "POST", "/session/{session}/elements", "Find Elements" },
  { "POST", "/session/{session}/element/{element}/element", "Find Element From Element" },
  { "POST", "/session/{session}/element/{element}/elements", "Find Elements From Element" },
  { "POST", "/session/{session}/shadow/{element}/element", "Find Element From Shadow Root" },
  { "POST", "/session/{session}/shadow/{element}/elements", "Find Elements From Shadow Root" },
  { "GET", "/session/{session}/element/{element}/selected", "Is Element Selected" },
  { "GET", "/session/{session}/element/{element}/attribute/{name}", "Get Element Attribute" },
  { "GET", "/session/{session}/element/{element}/property/{name}", "Get Element Property" },
  { "GET", "/session/{session}/element/{element}/css/{name}", "Get Element CSS Value" },
  { "GET", "/session/{session}/element/{element}/text", "Get Element Text" },
  { "GET", "/session/{session}/element/{element}/name", "Get Element Tag Name" },
  { "GET", "/session/{session}/element/{element}/rect", "Get Element Rect" },
  { "GET", "/session/{session}/element/{element}/enabled", "Is Element Enabled" },
  { "GET", "/session/{session}/element/{element}/computedrole", "Get Computed Role" },
  { "GET", "/session/{session}/element/{element}/computedlabel", "Get Computed Label" },
  /* Not in the spec, but what Selenium and WebdriverIO ask chromedriver. */
  { "GET", "/session/{session}/element/{element}/displayed", "Is Element Displayed" },
  { "POST", "/session/{session}/element/{element}/click", "Element Click" },
  { "POST", "/session/{session}/element/{element}/clear", "Element Clear" },
  { "POST", "/session/{session}/element/{element}/value", "Element Send Keys" },
  { "GET", "/session/{session}/source", "Get Page Source" },
  { "POST", "/session/{session}/execute/sync", "Execute Script" },
  { "POST", "/session/{session}/execute/async", "Execute Async Script" },
  { "GET", "/session/{session}/cookie", "Get All Cookies" },
  { "GET", "/session/{session}/cookie/{name}", "Get Named Cookie" },
  { "POST", "/session/{session}/cookie", "Add Cookie" },
  { "DELETE", "/session/{session}/cookie/{name}", "Delete Cookie" },
  { "DELETE", "/session/{session}/cookie", "Delete All Cookies" },
  { "POST", "/session/{session}/actions", "Perform Actions" },
  { "DELETE", "/session/{session}/actions", "Release Actions" },
  { "POST", "/session/{session}/alert/dismiss", "Dismiss Alert" },
  { "POST", "/session/{session}/alert/accept", "Accept Alert" },
  { "GET", "/session/{session}/alert/text", "Get Alert Text" },
  { "POST", "/session/{session}/alert/text", "Send Alert Text" },
  { "GET", "/session/{session}/screenshot", "Take Screenshot" },
  { "GET", "/session/{session}/element/{element}/screenshot", "Take Element Screenshot" },
  { "POST", "/session/{session}/print", "Print Page" },
};

void
bh_webdriver_route_clear (BhWebDriverRoute *route)
{
  g_clear_pointer (&route->session_id, g_free);
  g_clear_pointer (&route->element_id, g_free);
  g_clear_pointer (&route->name, g_free);
  route->command = NULL;
}

/* The path's segments, percent-decoded; NULL when one is too long, empty,
 * or decodes to something that is not UTF-8 or holds "/" or nul. */
static GStrv
split_path (const char *path)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *copy = NULL;
  const char *end;
  const char *p;

  end = strpbrk (path, "?#");
  copy = g_strndup (path, end != NULL ? (gsize) (end - path) : strlen (path));
  if (strlen (copy) > BH_WEBDRIVER_MAX_PATH_BYTES || copy[0] != '/')
    return NULL;
  /* A trailing slash names the same endpoint (chromedriver takes it). */
  if (strlen (copy) > 1 && copy[strlen (copy) - 1] == '/')
    copy[strlen (copy) - 1] = '\0';
  p = copy + 1;
  if (*p == '\0')
    return g_strv_builder_end (builder);
  while (TRUE)
    {
      const char *slash = strchr (p, '/');
      gsize length = slash != NULL ? (gsize) (slash - p) : strlen (p);
      g_autofree char *raw = g_strndup (p, length);
      g_autofree char *segment = NULL;

      if (length == 0 || length > BH_WEBDRIVER_MAX_SEGMENT_BYTES)
        return NULL;
      segment = g_uri_unescape_string (raw, "/");
      if (segment == NULL || !g_utf8_validate (segment, -1, NULL))
        return NULL;
      g_strv_builder_add (builder, segment);
      if (slash == NULL)
        break;
      p = slash + 1;
    }
  return g_strv_builder_end (builder);
}

/* Whether @segments match @pattern; captures into @route when they do. */
static gboolean
matches (const char *pattern, const char * const *segments, BhWebDriverRoute *route)
{
  g_auto (GStrv) parts = g_strsplit (pattern + 1, "/", -1);
  guint n = g_strv_length (parts);

  if (n != g_strv_length ((GStrv) segments))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (parts[i][0] != '{' && !g_str_equal (parts[i], segments[i]))
      return FALSE;
  if (route != NULL)
    for (guint i = 0; i < n; i++)
      {
        if (g_str_equal (parts[i], "{session}"))
          route->session_id = g_strdup (segments[i]);
        else if (g_str_equal (parts[i], "{element}"))
          route->element_id = g_strdup (segments[i]);
        else if (g_str_equal (parts[i], "{name}"))
          route->name = g_strdup (segments[i]);
      }
  return TRUE;
}

BhWebDriverRouteResult
bh_webdriver_route_parse (const char *method, const char *path, BhWebDriverRoute *route)
{
  g_auto (GStrv) segments = NULL;
  gboolean path_known = FALSE;

  g_return_val_if_fail (method != NULL && path != NULL && route != NULL,
                        BH_WEBDRIVER_ROUTE_UNKNOWN_COMMAND);

  *route = (BhWebDriverRoute) { 0 };
  segments = split_path (path);
  if (segments == NULL)
    return BH_WEBDRIVER_ROUTE_UNKNOWN_COMMAND;
  /* A literal segment beats a capture ("/element/active" is not an
   * element called "active"): the table lists those first. */
  for (gsize i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      if (!matches (endpoints[i].path, (const char * const *) segments, NULL))
        continue;
      path_known = TRUE;
      if (!g_str_equal (endpoints[i].method, method))
        continue;
      matches (endpoints[i].path, (const char * const *) segments, route);
      route->command = endpoints[i].command;
      return BH_WEBDRIVER_ROUTE_FOUND;
    }
  return path_known ? BH_WEBDRIVER_ROUTE_UNKNOWN_METHOD : BH_WEBDRIVER_ROUTE_UNKNOWN_COMMAND;
}
