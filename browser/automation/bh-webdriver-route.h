/* bh-webdriver-route.h: classic WebDriver's endpoints
 * (https://w3c.github.io/webdriver/#endpoints): which command an HTTP
 * method and path name, and the session id, element id and name in the
 * path. No server, no browser: tests/fuzz/fuzz-webdriver.c drives it with
 * whatever libFuzzer makes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest path and path segment taken: a WebDriver path is short. */
#define BH_WEBDRIVER_MAX_PATH_BYTES 2048
#define BH_WEBDRIVER_MAX_SEGMENT_BYTES 256

typedef enum {
  BH_WEBDRIVER_ROUTE_FOUND,
  BH_WEBDRIVER_ROUTE_UNKNOWN_COMMAND, /* no such path: "unknown command", 404 */
  BH_WEBDRIVER_ROUTE_UNKNOWN_METHOD,  /* the path, another method: "unknown method", 405 */
} BhWebDriverRouteResult;

/**
 * BhWebDriverRoute:
 * @command: the spec's command name ("Navigate To", "Find Element"...),
 *   static
 * @session_id: (nullable): the {session id} in the path
 * @element_id: (nullable): the {element id} (or {shadow id}) in the path
 * @name: (nullable): the {name} (attribute, property, CSS property, cookie)
 */
typedef struct {
  const char *command;
  char *session_id;
  char *element_id;
  char *name;
} BhWebDriverRoute;

void bh_webdriver_route_clear (BhWebDriverRoute *route);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhWebDriverRoute, bh_webdriver_route_clear)

/**
 * bh_webdriver_route_parse:
 * @method: the request's method ("GET", "POST", "DELETE")
 * @path: the request's path, as sent (not trusted: any bytes); a query
 *   string is ignored, a trailing "/" too, percent-escapes in segments
 *   are decoded and must decode to UTF-8 without "/" or nul
 * @route: (out caller-allocates): filled on BH_WEBDRIVER_ROUTE_FOUND
 *
 * Returns: which it is; on anything but FOUND, @route is cleared
 */
BhWebDriverRouteResult bh_webdriver_route_parse (const char *method, const char *path,
                                                 BhWebDriverRoute *route);

G_END_DECLS
