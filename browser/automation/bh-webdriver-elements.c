/* bh-webdriver-elements.c: classic WebDriver's element, input,
 * screenshot, cookie and script commands (bh-webdriver-private.h), each
 * through the BiDi helpers that do the same thing (bh-bidi-elements.c,
 * bh-bidi-screenshot.c, bh-bidi-storage.c, bh-bidi-script.c).
 */
#include "bh-webdriver-private.h"

#include <math.h>
#include <string.h>

#include <gdk/gdk.h>

#include "bh-bidi-message.h"
#include "bh-message.h"
#include "bh-renderer-host.h"

/* Elements. */

static JsonNode *
element_node (BhTab *tab, guint node)
{
  g_autofree char *ref = bh_bidi_element_ref (tab, node);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, ELEMENT_KEY, ref);
  return bh_bidi_node_take_object (object);
}

static void
found_cb (BhBidiCommand *command, BhTab *tab, GArray *nodes, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;
  gboolean all = g_str_equal (call->route.command, "Find Elements") ||
                 g_str_equal (call->route.command, "Find Elements From Element");

  if (error != NULL)
    {
      bh_webdriver_call_fail (call, bh_bidi_query_error (error), error->message);
      return;
    }
  if (all)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < nodes->len; i++)
        json_array_add_element (array,
                                element_node (tab, g_array_index (nodes, BhLocatedNode, i).node));
      bh_webdriver_call_answer (call, bh_webdriver_array_node (array));
      return;
    }
  if (nodes->len == 0)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_NO_SUCH_ELEMENT, "no element matches the selector");
      return;
    }
  bh_webdriver_call_answer (call, element_node (tab, g_array_index (nodes, BhLocatedNode, 0).node));
}

void
bh_webdriver_find_element (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);
  const char *using = json_object_get_string_member_with_default (call->body, "using", NULL);
  const char *value = json_object_get_string_member_with_default (call->body, "value", NULL);
  gboolean all = g_str_equal (call->route.command, "Find Elements");

  if (tab == NULL)
    return;
  if (using == NULL || value == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"using\" and \"value\" must be strings");
      return;
    }
  if (g_str_equal (using, "xpath"))
    {
      bh_bidi_locate_by (bh_webdriver_carrier (call, bh_webdriver_reply_null_cb), tab, "xpath", value, FALSE,
                         FALSE, 0, all ? BH_MAX_LOCATED_NODES : 1, found_cb);
      return;
    }
  if (g_str_equal (using, "link text") || g_str_equal (using, "partial link text"))
    {
      /* WebDriver's link text strategies: the <a> elements whose rendered
       * text, trimmed, is (or contains) the value, as an XPath the renderer
       * has. */
      char quote = strchr (value, '\'') == NULL ? '\'' : '"';
      g_autofree char *expression = NULL;

      if (strchr (value, '\'') != NULL && strchr (value, '"') != NULL)
        {
          bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                                  "a link text with both kinds of quote is not supported");
          return;
        }
      expression = g_str_equal (using, "link text")
                     ? g_strdup_printf ("//a[normalize-space(.)=%c%s%c]", quote, value, quote)
                     : g_strdup_printf ("//a[contains(normalize-space(.),%c%s%c)]", quote, value, quote);
      bh_bidi_locate_by (bh_webdriver_carrier (call, bh_webdriver_reply_null_cb), tab, "xpath", expression,
                         FALSE, FALSE, 0, all ? BH_MAX_LOCATED_NODES : 1, found_cb);
      return;
    }
  if (!g_str_equal (using, "css selector") && !g_str_equal (using, "tag name"))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "not a location strategy");
      return;
    }
  bh_bidi_locate (bh_webdriver_carrier (call, bh_webdriver_reply_null_cb), tab, value, all ? BH_MAX_LOCATED_NODES : 1,
                  found_cb);
}

/* The element of the path, or NULL having answered why not. */
static BhTab *
path_element (Call *call)
{
  BhTab *current = bh_webdriver_current_tab (call);
  const char *error = NULL;
  BhTab *tab;

  if (current == NULL)
    return NULL;
  tab = bh_bidi_element_lookup (bh_webdriver_call_server (call), call->route.element_id, &call->node, &error);
  if (tab == NULL || tab != current)
    {
      bh_webdriver_call_fail (call,
                 tab == NULL && g_str_equal (error, BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE)
                   ? BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE
                   : BH_BIDI_ERROR_NO_SUCH_ELEMENT,
                 "the element is not in the current window's document");
      return NULL;
    }
  g_set_object (&call->tab, tab);
  return tab;
}

/* Find Element(s) From Element: css selector and tag name, among the
 * element's descendants (bh_bidi_locate_within()). */
void
bh_webdriver_find_element_from_element (Call *call)
{
  const char *using = json_object_get_string_member_with_default (call->body, "using", NULL);
  const char *value = json_object_get_string_member_with_default (call->body, "value", NULL);
  gboolean all = g_str_equal (call->route.command, "Find Elements From Element");
  BhTab *tab;

  if (using == NULL || value == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"using\" and \"value\" must be strings");
      return;
    }
  if (!g_str_equal (using, "css selector") && !g_str_equal (using, "tag name"))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                              "from an element, Bulkhead finds by css selector and tag name only");
      return;
    }
  if ((tab = path_element (call)) == NULL)
    return;
  bh_bidi_locate_within (bh_webdriver_carrier (call, bh_webdriver_reply_null_cb), tab, call->node, value,
                         all ? BH_MAX_LOCATED_NODES : 1, found_cb);
}

static void
text_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;

  if (error != NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, error->message);
      return;
    }
  if (value == NULL && (g_str_equal (call->route.command, "Get Element Text") ||
                        g_str_equal (call->route.command, "Get Element Tag Name")))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE, "the element is gone");
      return;
    }
  bh_webdriver_call_answer (call, value != NULL ? bh_webdriver_string_node (value) : NULL);
}

static void
query_element (Call *call, const char *what)
{
  BhTab *tab = path_element (call);

  if (tab != NULL)
    bh_bidi_query (bh_webdriver_carrier (call, bh_webdriver_reply_null_cb), tab, call->node, what, text_cb);
}

void
bh_webdriver_get_element_text (Call *call)
{
  query_element (call, "text");
}

void
bh_webdriver_get_element_tag_name (Call *call)
{
  query_element (call, "tag");
}

void
bh_webdriver_get_element_attribute (Call *call)
{
  g_autofree char *what = g_strconcat ("attribute:", call->route.name, NULL);

  query_element (call, what);
}

void
bh_webdriver_get_element_property (Call *call)
{
  g_autofree char *what = g_strconcat ("property:", call->route.name, NULL);

  query_element (call, what);
}

/* The element's rectangle, then @next. */
typedef void (*RectFunc) (Call *call);

static void
rect_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;
  RectFunc next = command->state;

  if (call->request->webdriver == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, "the browser is closing");
      return;
    }
  if (error != NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, error->message);
      return;
    }
  if (!bh_bidi_parse_rect (value, &call->x, &call->y, &call->width, &call->height))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE, "the element is gone");
      return;
    }
  next (call);
}

static void
with_rect (Call *call, RectFunc next)
{
  BhTab *tab = path_element (call);
  BhBidiCommand *command;

  if (tab == NULL)
    return;
  command = bh_webdriver_carrier (call, bh_webdriver_reply_null_cb);
  command->state = (gpointer) next;
  bh_bidi_query (command, tab, call->node, "rect", rect_cb);
}

static void
answer_rect (Call *call)
{
  JsonObject *value = json_object_new ();

  json_object_set_double_member (value, "x", call->x);
  json_object_set_double_member (value, "y", call->y);
  json_object_set_double_member (value, "width", call->width);
  json_object_set_double_member (value, "height", call->height);
  bh_webdriver_call_answer (call, bh_bidi_node_take_object (value));
}

void
bh_webdriver_get_element_rect (Call *call)
{
  with_rect (call, answer_rect);
}

static void
answer_displayed (Call *call)
{
  bh_webdriver_call_answer (call, json_node_init_boolean (json_node_alloc (),
                                             call->width > 0 && call->height > 0));
}

void
bh_webdriver_is_element_displayed (Call *call)
{
  with_rect (call, answer_displayed);
}

void
bh_webdriver_is_element_enabled (Call *call)
{
  if (path_element (call) != NULL)
    bh_webdriver_call_answer (call, json_node_init_boolean (json_node_alloc (), TRUE));
}

void
bh_webdriver_is_element_selected (Call *call)
{
  if (path_element (call) != NULL)
    bh_webdriver_call_answer (call, json_node_init_boolean (json_node_alloc (), FALSE));
}

/* After input: the renderer handles messages in order, so by the time it
 * answers a query sent after the input, whatever the input made it ask
 * (OpenURL for a link) has reached the browser, and a navigation it started
 * has begun. WebDriver then waits for that navigation to load. */
static void
settled_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  bh_webdriver_reply_null_cb (data, result, error, message);
}

static void
navigated_cb (BhBidiCommand *command, BhTab *tab, const char *navigation)
{
  bh_bidi_command_return (command, NULL);
}

static void
fence_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  Call *call = command->reply_data;
  BhBidiServer *server = bh_webdriver_call_server (call);

  if (server != NULL && bh_bidi_server_navigation_serial (server, tab) != call->serial)
    {
      bh_bidi_server_wait_navigation (server, command, tab, call->serial, BH_BIDI_WAIT_COMPLETE,
                                      navigated_cb);
      return;
    }
  bh_bidi_command_return (command, NULL);
}

static void
after_input (Call *call)
{
  bh_bidi_query (bh_webdriver_carrier (call, settled_cb), call->tab, call->node, "tag", fence_cb);
}

static void
click_at_rect (Call *call)
{
  if (call->width <= 0 && call->height <= 0)
    {
      bh_webdriver_call_fail (call, ERROR_ELEMENT_NOT_INTERACTABLE, "the element has no box on the page");
      return;
    }
  call->serial = bh_bidi_server_navigation_serial (bh_webdriver_call_server (call), call->tab);
  bh_bidi_click (call->tab, call->x + call->width / 2, call->y + call->height / 2, 1);
  after_input (call);
}

void
bh_webdriver_element_click (Call *call)
{
  with_rect (call, click_at_rect);
}

static void
type_at_rect (Call *call)
{
  const char *text = json_object_get_string_member_with_default (call->body, "text", NULL);

  if (call->width <= 0 && call->height <= 0)
    {
      bh_webdriver_call_fail (call, ERROR_ELEMENT_NOT_INTERACTABLE, "the element has no box on the page");
      return;
    }
  call->serial = bh_bidi_server_navigation_serial (bh_webdriver_call_server (call), call->tab);
  /* Focus it as a click would, then one KeyEvent per character. */
  bh_bidi_click (call->tab, call->x + call->width / 2, call->y + call->height / 2, 1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      char one[8] = { 0 };
      guint keyval;

      g_unichar_to_utf8 (g_utf8_get_char (p), one);
      keyval = bh_bidi_keyval_for (one);
      if (keyval != 0 && keyval != GDK_KEY_VoidSymbol)
        bh_tab_send_key (call->tab, keyval, 0);
    }
  after_input (call);
}

void
bh_webdriver_element_send_keys (Call *call)
{
  const char *text = json_object_get_string_member_with_default (call->body, "text", NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"text\" must be a string");
      return;
    }
  with_rect (call, type_at_rect);
}

static void
clear_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;

  if (error != NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, error->message);
      return;
    }
  /* Only an <input> can be cleared (QueryNode "clear": its value emptied,
   * as the spec's "clear a content editable or resettable element" does). */
  if (value == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ELEMENT_STATE, "only a form field can be cleared");
      return;
    }
  bh_webdriver_call_answer (call, NULL);
}

void
bh_webdriver_element_clear (Call *call)
{
  BhTab *tab = path_element (call);

  if (tab != NULL)
    bh_bidi_query (bh_webdriver_carrier (call, bh_webdriver_reply_null_cb), tab, call->node, "clear", clear_cb);
}

/* Screenshots. */

static void
screenshot_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  if (error != NULL)
    {
      bh_webdriver_call_fail (call, bh_webdriver_classic_error (error), message);
      return;
    }
  bh_webdriver_call_answer (call, bh_webdriver_string_node (json_object_get_string_member (json_node_get_object (result),
                                                                 "data")));
  json_node_unref (result);
}

void
bh_webdriver_take_screenshot (Call *call)
{
  JsonObject *params;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  bh_webdriver_run_bidi (call, "browsingContext.captureScreenshot", params, screenshot_cb);
}

static void
element_screenshot_at_rect (Call *call)
{
  JsonObject *params = json_object_new ();
  JsonObject *clip = json_object_new ();

  json_object_set_string_member (clip, "type", "box");
  json_object_set_double_member (clip, "x", call->x);
  json_object_set_double_member (clip, "y", call->y);
  json_object_set_double_member (clip, "width", call->width);
  json_object_set_double_member (clip, "height", call->height);
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  json_object_set_string_member (params, "origin", "document");
  json_object_set_object_member (params, "clip", clip);
  bh_webdriver_run_bidi (call, "browsingContext.captureScreenshot", params, screenshot_cb);
}

void
bh_webdriver_take_element_screenshot (Call *call)
{
  with_rect (call, element_screenshot_at_rect);
}

/* Print Page: classic's parameters are BiDi's browsingContext.print's, and
 * its answer the same base64 PDF. */
void
bh_webdriver_print_page (Call *call)
{
  JsonObject *params;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_iter_init (&iter, call->body);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_str_equal (name, "context"))
      json_object_set_member (params, name, json_node_copy (value));
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  bh_webdriver_run_bidi (call, "browsingContext.print", params, screenshot_cb);
}

/* Actions: classic's shape is BiDi's but for element origins, which are
 * web element references; they become BiDi's shared references. */
void
bh_webdriver_perform_actions (Call *call)
{
  JsonNode *actions = json_object_get_member (call->body, "actions");
  JsonObject *params;
  JsonNode *copy;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  if (actions == NULL || !JSON_NODE_HOLDS_ARRAY (actions))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"actions\" must be an array");
      return;
    }
  copy = json_node_copy (actions);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (copy)); i++)
    {
      JsonNode *source = json_array_get_element (json_node_get_array (copy), i);
      JsonNode *list = JSON_NODE_HOLDS_OBJECT (source)
                         ? json_object_get_member (json_node_get_object (source), "actions")
                         : NULL;

      for (guint j = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                        j < json_array_get_length (json_node_get_array (list));
           j++)
        {
          JsonNode *action = json_array_get_element (json_node_get_array (list), j);
          JsonNode *origin = JSON_NODE_HOLDS_OBJECT (action)
                               ? json_object_get_member (json_node_get_object (action), "origin")
                               : NULL;
          const char *ref;
          JsonObject *element;
          JsonObject *bidi_origin;

          if (origin == NULL || !JSON_NODE_HOLDS_OBJECT (origin))
            continue;
          ref = json_object_get_string_member_with_default (json_node_get_object (origin),
                                                            ELEMENT_KEY, NULL);
          if (ref == NULL)
            continue;
          element = json_object_new ();
          json_object_set_string_member (element, "sharedId", ref);
          bidi_origin = json_object_new ();
          json_object_set_string_member (bidi_origin, "type", "element");
          json_object_set_object_member (bidi_origin, "element", element);
          json_object_set_object_member (json_node_get_object (action), "origin", bidi_origin);
        }
    }
  params = json_object_new ();
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  json_object_set_member (params, "actions", copy);
  bh_webdriver_run_bidi (call, "input.performActions", params, bh_webdriver_reply_null_cb);
}

void
bh_webdriver_release_actions (Call *call)
{
  if (bh_webdriver_current_tab (call) != NULL)
    bh_webdriver_call_answer (call, NULL);
}

/* Cookies: those of the current page's URL, in the profile's jar (the
 * same one BiDi's storage module reads and the fetcher sends). */

static gboolean
page_cookie_filter (Call *call, BhCookieFilter *filter, BhCookieJar **out_jar)
{
  BhTab *tab = bh_webdriver_current_tab (call);
  const char *uri;
  const char *scheme;

  *filter = (BhCookieFilter) BH_COOKIE_FILTER_ALL;
  if (tab == NULL)
    return FALSE;
  uri = bh_tab_get_uri (tab);
  scheme = g_uri_peek_scheme (uri);
  if (scheme == NULL || (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https")))
    {
      bh_webdriver_call_fail (call, "invalid cookie domain", "the page is not an http or https page");
      return FALSE;
    }
  *out_jar = bh_bidi_server_get_cookie_jar (bh_webdriver_call_server (call));
  if (*out_jar == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNSUPPORTED_OPERATION, "the browser has no cookie jar");
      return FALSE;
    }
  filter->url = uri;
  filter->name = call->route.name;
  return TRUE;
}

void
bh_webdriver_get_cookies (Call *call)
{
  BhCookieFilter filter;
  BhCookieJar *jar;
  g_autoptr (GPtrArray) cookies = NULL;
  gboolean named = call->route.name != NULL;
  JsonArray *array;

  if (!page_cookie_filter (call, &filter, &jar))
    return;
  cookies = bh_cookie_jar_get_cookies (jar, &filter);
  if (named)
    {
      if (cookies->len == 0)
        {
          bh_webdriver_call_fail (call, BH_BIDI_ERROR_NO_SUCH_COOKIE, "the page has no cookie of that name");
          return;
        }
      bh_webdriver_call_answer (call, bh_bidi_node_take_object (
                           bh_bidi_cookie_to_json (g_ptr_array_index (cookies, 0), TRUE)));
      return;
    }
  array = json_array_new ();
  for (guint i = 0; i < cookies->len; i++)
    json_array_add_object_element (array,
                                   bh_bidi_cookie_to_json (g_ptr_array_index (cookies, i), TRUE));
  bh_webdriver_call_answer (call, bh_webdriver_array_node (array));
}

void
bh_webdriver_add_cookie (Call *call)
{
  JsonNode *node = json_object_get_member (call->body, "cookie");
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  BhCookieFilter filter;
  BhCookieJar *jar;
  BhCookie cookie = { 0 };
  gboolean stored;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"cookie\" must be an object");
      return;
    }
  if (!page_cookie_filter (call, &filter, &jar))
    return;
  uri = g_uri_parse (filter.url, G_URI_FLAGS_NONE, NULL);
  stored = uri != NULL &&
           bh_bidi_cookie_from_json (json_node_get_object (node), TRUE, g_uri_get_host (uri),
                                     &cookie, &reason) &&
           bh_cookie_jar_set_cookie (jar, &cookie, &error);
  if (!stored)
    bh_webdriver_call_fail (call, reason != NULL ? BH_BIDI_ERROR_INVALID_ARGUMENT
                                    : BH_BIDI_ERROR_UNABLE_TO_SET_COOKIE,
               reason != NULL ? reason : error != NULL ? error->message : "not a page URL");
  else
    bh_webdriver_call_answer (call, NULL);
  g_free (cookie.name);
  g_free (cookie.value);
  g_free (cookie.domain);
  g_free (cookie.path);
}

void
bh_webdriver_delete_cookies (Call *call)
{
  BhCookieFilter filter;
  BhCookieJar *jar;

  if (!page_cookie_filter (call, &filter, &jar))
    return;
  bh_cookie_jar_delete (jar, &filter);
  bh_webdriver_call_answer (call, NULL);
}

/* Execute Script: the body becomes a function called with the arguments,
 * through bh_bidi_script_call(); classic JSON goes in as BiDi LocalValues
 * and comes back from RemoteValues. */

static JsonNode *
local_value (JsonNode *node)
{
  JsonObject *value = json_object_new ();

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      json_object_set_string_member (value, "type", "null");
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *items = json_array_new ();
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (items, local_value (json_array_get_element (array, i)));
        json_object_set_string_member (value, "type", "array");
        json_object_set_array_member (value, "value", items);
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        const char *ref = json_object_get_string_member_with_default (object, ELEMENT_KEY, NULL);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        JsonArray *pairs;

        if (ref != NULL)
          {
            json_object_set_string_member (value, "sharedId", ref);
            break;
          }
        pairs = json_array_new ();
        json_object_iter_init (&iter, object);
        while (json_object_iter_next (&iter, &name, &member))
          {
            JsonArray *pair = json_array_new ();

            json_array_add_string_element (pair, name);
            json_array_add_element (pair, local_value (member));
            json_array_add_array_element (pairs, pair);
          }
        json_object_set_string_member (value, "type", "object");
        json_object_set_array_member (value, "value", pairs);
      }
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        json_object_set_string_member (value, "type",
                                       type == G_TYPE_STRING    ? "string"
                                       : type == G_TYPE_BOOLEAN ? "boolean"
                                                                : "number");
        json_object_set_member (value, "value", json_node_copy (node));
      }
      break;
    }
  return bh_bidi_node_take_object (value);
}

/* A RemoteValue as classic JSON (https://w3c.github.io/webdriver/#dfn-clone-an-object). */
static JsonNode *
classic_value (JsonObject *remote)
{
  const char *type = json_object_get_string_member_with_default (remote, "type", "undefined");
  JsonNode *value = json_object_get_member (remote, "value");

  if (g_str_equal (type, "string") || g_str_equal (type, "boolean") ||
      g_str_equal (type, "number") || g_str_equal (type, "date") || g_str_equal (type, "bigint"))
    return value != NULL ? json_node_copy (value) : json_node_init_null (json_node_alloc ());
  if ((g_str_equal (type, "array") || g_str_equal (type, "set") ||
       g_str_equal (type, "nodelist") || g_str_equal (type, "htmlcollection")) &&
      value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *items = json_array_new ();
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          json_array_add_element (items, JSON_NODE_HOLDS_OBJECT (item)
                                           ? classic_value (json_node_get_object (item))
                                           : json_node_init_null (json_node_alloc ()));
        }
      return bh_webdriver_array_node (items);
    }
  if ((g_str_equal (type, "object") || g_str_equal (type, "map")) && value != NULL &&
      JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonObject *object = json_object_new ();
      JsonArray *pairs = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (pairs); i++)
        {
          JsonNode *pair = json_array_get_element (pairs, i);
          JsonArray *kv = JSON_NODE_HOLDS_ARRAY (pair) ? json_node_get_array (pair) : NULL;
          JsonNode *key = kv != NULL && json_array_get_length (kv) == 2
                            ? json_array_get_element (kv, 0)
                            : NULL;
          JsonNode *item = key != NULL ? json_array_get_element (kv, 1) : NULL;

          if (key == NULL || json_node_get_value_type (key) != G_TYPE_STRING ||
              !JSON_NODE_HOLDS_OBJECT (item))
            continue;
          json_object_set_member (object, json_node_get_string (key),
                                  classic_value (json_node_get_object (item)));
        }
      return bh_bidi_node_take_object (object);
    }
  if (g_str_equal (type, "node"))
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, ELEMENT_KEY,
                                     json_object_get_string_member_with_default (remote, "sharedId",
                                                                                 ""));
      return bh_bidi_node_take_object (object);
    }
  return json_node_init_null (json_node_alloc ());
}

static void
executed_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;
  JsonObject *object;
  const char *type;

  if (error != NULL)
    {
      bh_webdriver_call_fail (call, bh_webdriver_classic_error (error), message);
      return;
    }
  object = json_node_get_object (result);
  type = json_object_get_string_member_with_default (object, "type", "");
  if (g_str_equal (type, "success") && json_object_has_member (object, "result"))
    bh_webdriver_call_answer (call, classic_value (json_object_get_object_member (object, "result")));
  else
    {
      JsonObject *details = json_object_has_member (object, "exceptionDetails")
                              ? json_object_get_object_member (object, "exceptionDetails")
                              : NULL;

      bh_webdriver_call_fail (call, "javascript error",
                 details != NULL ? json_object_get_string_member_with_default (details, "text",
                                                                               "an exception")
                                 : "an exception");
    }
  json_node_unref (result);
}

/* Get Page Source: the document serialised, as script sees it (the spec's
 * "fragment serializing algorithm" of the document element). */
void
bh_webdriver_get_page_source (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);

  if (tab == NULL)
    return;
  bh_bidi_script_call (bh_webdriver_carrier (call, executed_cb), tab,
                       "function () { return document.documentElement ? document.documentElement.outerHTML : ''; }",
                       "[]", TRUE, FALSE);
}

void
bh_webdriver_execute_script (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);
  const char *script = json_object_get_string_member_with_default (call->body, "script", NULL);
  JsonNode *args = json_object_get_member (call->body, "args");
  gboolean async = g_str_equal (call->route.command, "Execute Async Script");
  g_autoptr (JsonNode) locals = NULL;
  g_autoptr (GBytes) text = NULL;
  g_autofree char *arguments_json = NULL;
  g_autofree char *source = NULL;

  if (tab == NULL)
    return;
  if (script == NULL || args == NULL || !JSON_NODE_HOLDS_ARRAY (args))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT,
                 "\"script\" must be a string and \"args\" an array");
      return;
    }
  locals = local_value (args);
  text = bh_bidi_to_bytes (json_object_get_member (json_node_get_object (locals), "value"));
  arguments_json = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  /* The spec's "execute a function body": the body with the arguments as
   * `arguments`; async, with a callback last that settles the answer. */
  source = async ? g_strdup_printf ("function () { const args = Array.prototype.slice.call (arguments); "
                                    "return new Promise ((resolve) => { args.push (resolve); "
                                    "(function () {\n%s\n}).apply (null, args); }); }",
                                    script)
                 : g_strdup_printf ("function () {\n%s\n}", script);
  bh_bidi_script_call (bh_webdriver_carrier (call, executed_cb), tab, source, arguments_json, TRUE, TRUE);
}

