/* bh-bidi-elements.c: elements and input: browsingContext.locateNodes,
 * input.performActions and input.releaseActions, and the element helpers
 * classic WebDriver shares (bh-bidi-private.h), so that an element found
 * through either is the same reference.
 *
 * An element reference (BiDi's sharedId, WebDriver's element id) is
 * "node-CONTEXT-NAVIGATION-NODE": the tab, the navigation whose document
 * the element is in, and the renderer's number for it (bh-document.h).
 * Once the tab has committed another navigation the reference is stale.
 * Script's node references ("VIEW.NAVIGATION.N", renderer/script/) are
 * another namespace: neither is ever taken for the other.
 *
 * Input goes to the renderer through the same MouseEvent, KeyEvent and
 * ScrollEvent messages as the window's (bh_tab_send_mouse()...), so the
 * hang monitor and --ipc-debug see it as they see a person's.
 */
#include "bh-bidi-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gdk/gdk.h>

#include "bh-message.h"
#include "bh-renderer-host.h"

char *
bh_bidi_element_ref (BhTab *tab, guint node)
{
  return g_strdup_printf ("node-%u-%" G_GUINT64_FORMAT "-%u", bh_tab_get_id (tab),
                          bh_tab_get_committed_navigation_id (tab), node);
}

BhTab *
bh_bidi_element_lookup (BhBidiServer *server, const char *ref, guint *out_node,
                        const char **out_error)
{
  g_auto (GStrv) parts = NULL;
  g_autofree char *context = NULL;
  guint64 navigation, node;
  BhTab *tab;

  *out_node = 0;
  *out_error = BH_BIDI_ERROR_NO_SUCH_ELEMENT;
  parts = g_strsplit (ref, "-", 5);
  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], "node") ||
      !g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXUINT64, &navigation, NULL) ||
      !g_ascii_string_to_unsigned (parts[3], 10, 1, G_MAXUINT32, &node, NULL))
    return NULL;
  tab = bh_bidi_server_find_tab (server, parts[1]);
  if (tab == NULL)
    {
      *out_error = BH_BIDI_ERROR_NO_SUCH_FRAME;
      return NULL;
    }
  if (bh_tab_get_committed_navigation_id (tab) != navigation)
    {
      *out_error = BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE;
      return NULL;
    }
  *out_node = (guint) node;
  *out_error = NULL;
  return tab;
}

/* Element queries on behalf of a command. */

typedef struct {
  BhBidiCommand *command;
  BhTab *tab;            /* a reference */
  BhBidiLocatedFunc located;
  BhBidiQueriedFunc queried;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->command, bh_bidi_command_free);
  g_clear_object (&pending->tab);
  g_free (pending);
}

static void
located_cb (GArray *nodes, const GError *error, gpointer data)
{
  Pending *pending = data;

  pending->located (g_steal_pointer (&pending->command), pending->tab, nodes, error);
}

static void
queried_cb (const char *value, const GError *error, gpointer data)
{
  Pending *pending = data;

  pending->queried (g_steal_pointer (&pending->command), pending->tab, value, error);
}

static BhRendererHost *
host_for (BhBidiCommand *command, BhTab *tab)
{
  BhRendererHost *host = bh_tab_get_renderer_host (tab);

  if (host == NULL || bh_tab_get_view_id (tab) == 0)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "the tab has no renderer (a sad tab, or nothing loaded yet)");
      return NULL;
    }
  return host;
}

void
bh_bidi_locate (BhBidiCommand *command, BhTab *tab, const char *selectors, guint max_nodes,
                BhBidiLocatedFunc done)
{
  BhRendererHost *host = host_for (command, tab);
  Pending *pending;

  if (host == NULL)
    return;
  pending = g_new0 (Pending, 1);
  pending->command = command;
  pending->tab = g_object_ref (tab);
  pending->located = done;
  bh_renderer_host_locate_nodes (host, bh_tab_get_view_id (tab), selectors, max_nodes,
                                 located_cb, pending, (GDestroyNotify) pending_free);
}

void
bh_bidi_locate_by (BhBidiCommand *command, BhTab *tab, const char *kind, const char *value,
                   gboolean ignore_case, gboolean partial, guint max_depth, guint max_nodes,
                   BhBidiLocatedFunc done)
{
  BhRendererHost *host = host_for (command, tab);
  Pending *pending;

  if (host == NULL)
    return;
  pending = g_new0 (Pending, 1);
  pending->command = command;
  pending->tab = g_object_ref (tab);
  pending->located = done;
  bh_renderer_host_locate_nodes_by (host, bh_tab_get_view_id (tab), kind, value, ignore_case, partial,
                                    max_depth, max_nodes, located_cb, pending, (GDestroyNotify) pending_free);
}

void
bh_bidi_query (BhBidiCommand *command, BhTab *tab, guint node, const char *what,
               BhBidiQueriedFunc done)
{
  BhRendererHost *host = host_for (command, tab);
  Pending *pending;

  if (host == NULL)
    return;
  pending = g_new0 (Pending, 1);
  pending->command = command;
  pending->tab = g_object_ref (tab);
  pending->queried = done;
  bh_renderer_host_query_node (host, bh_tab_get_view_id (tab), node, what, queried_cb, pending,
                               (GDestroyNotify) pending_free);
}

/* Locating inside an element: its descendants are the element numbers right
 * after its own (pre-order numbering, bh-document.h), so the document's
 * matches are kept when they fall in that range. */
typedef struct {
  guint node;
  guint descendants;
  char *selectors;
  guint max_nodes;
  BhBidiLocatedFunc done;
} Within;

static void
within_free (gpointer data)
{
  Within *within = data;

  g_free (within->selectors);
  g_free (within);
}

static void
within_located_cb (BhBidiCommand *command, BhTab *tab, GArray *nodes, const GError *error)
{
  Within *within = command->state;
  g_autoptr (GArray) kept = NULL;

  if (error != NULL)
    {
      within->done (command, tab, NULL, error);
      return;
    }
  kept = g_array_new (FALSE, FALSE, sizeof (BhLocatedNode));
  for (guint i = 0; i < nodes->len && kept->len < within->max_nodes; i++)
    {
      const BhLocatedNode *n = &g_array_index (nodes, BhLocatedNode, i);

      if (n->node > within->node && n->node <= within->node + within->descendants)
        g_array_append_val (kept, *n);
    }
  within->done (command, tab, kept, NULL);
}

static void
within_counted_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  Within *within = command->state;
  guint64 count;

  if (error != NULL || value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &count, NULL))
    {
      g_autoptr (GError) gone = error == NULL ? g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                                      "the element is gone")
                                              : NULL;

      within->done (command, tab, NULL, error != NULL ? error : gone);
      return;
    }
  within->descendants = (guint) count;
  if (count == 0)
    {
      g_autoptr (GArray) none = g_array_new (FALSE, FALSE, sizeof (BhLocatedNode));

      within->done (command, tab, none, NULL);
      return;
    }
  bh_bidi_locate (command, tab, within->selectors, BH_MAX_LOCATED_NODES, within_located_cb);
}

void
bh_bidi_locate_within (BhBidiCommand *command, BhTab *tab, guint node, const char *selectors, guint max_nodes,
                       BhBidiLocatedFunc done)
{
  Within *within = g_new0 (Within, 1);

  within->node = node;
  within->selectors = g_strdup (selectors);
  within->max_nodes = max_nodes;
  within->done = done;
  if (command->state_free != NULL)
    g_clear_pointer (&command->state, command->state_free);
  command->state = within;
  command->state_free = within_free;
  bh_bidi_query (command, tab, node, "descendants", within_counted_cb);
}

const char *
bh_bidi_query_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return BH_BIDI_ERROR_INVALID_SELECTOR;
  return BH_BIDI_ERROR_UNKNOWN_ERROR;
}

gboolean
bh_bidi_parse_rect (const char *text, double *x, double *y, double *width, double *height)
{
  g_auto (GStrv) parts = text != NULL ? g_strsplit (text, " ", 5) : NULL;

  if (parts == NULL || g_strv_length (parts) != 4)
    return FALSE;
  *x = g_ascii_strtod (parts[0], NULL);
  *y = g_ascii_strtod (parts[1], NULL);
  *width = g_ascii_strtod (parts[2], NULL);
  *height = g_ascii_strtod (parts[3], NULL);
  return isfinite (*x) && isfinite (*y) && isfinite (*width) && isfinite (*height);
}

/* Pointer input. */

/* Scrolls the tab so that document px (x, y) is in the viewport if it is
 * not, and gives its position in the viewport's device px. The renderer
 * takes ScrollTo before the input that follows (one channel, in order). */
static void
viewport_point (BhTab *tab, double x, double y, double *out_x, double *out_y)
{
  int width_px, height_px, scroll_y = 0, document_height = 0;
  double scale, viewport_height;

  bh_tab_get_viewport (tab, &width_px, &height_px, &scale);
  g_object_get (tab, "scroll-y", &scroll_y, "document-height", &document_height, NULL);
  viewport_height = height_px / scale;
  if (y < scroll_y || y >= scroll_y + viewport_height)
    {
      double max_scroll = MAX (0.0, document_height - viewport_height);

      scroll_y = (int) CLAMP (y - viewport_height / 2, 0.0, max_scroll);
      bh_tab_scroll_to (tab, scroll_y);
    }
  *out_x = x * scale;
  *out_y = (y - scroll_y) * scale;
}

void
bh_bidi_click (BhTab *tab, double x, double y, guint button)
{
  double vx, vy;

  viewport_point (tab, x, y, &vx, &vy);
  bh_tab_send_mouse (tab, 0, vx, vy, 0, 0);
  bh_tab_send_mouse (tab, 1, vx, vy, button, 0);
  bh_tab_send_mouse (tab, 2, vx, vy, button, 0);
}

/* WebDriver's key values (https://w3c.github.io/webdriver/#keyboard-actions)
 * for the keys the renderer acts on, as GDK keyvals. */
guint
bh_bidi_keyval_for (const char *value)
{
  static const struct {
    gunichar code;
    guint keyval;
  } special[] = {
    { 0xE003, GDK_KEY_BackSpace }, { 0xE004, GDK_KEY_Tab },     { 0xE006, GDK_KEY_Return },
    { 0xE007, GDK_KEY_Return },    { 0xE00C, GDK_KEY_Escape },  { 0xE00D, GDK_KEY_space },
    { 0xE00E, GDK_KEY_Page_Up },   { 0xE00F, GDK_KEY_Page_Down }, { 0xE010, GDK_KEY_End },
    { 0xE011, GDK_KEY_Home },      { 0xE012, GDK_KEY_Left },    { 0xE013, GDK_KEY_Up },
    { 0xE014, GDK_KEY_Right },     { 0xE015, GDK_KEY_Down },    { 0xE017, GDK_KEY_Delete },
  };
  gunichar c;

  if (value == NULL || !g_utf8_validate (value, -1, NULL) || g_utf8_strlen (value, -1) != 1)
    return 0;
  c = g_utf8_get_char (value);
  for (gsize i = 0; i < G_N_ELEMENTS (special); i++)
    if (special[i].code == c)
      return special[i].keyval;
  /* The other code points of WebDriver's private range are modifiers and
   * keys the renderer has no use for. */
  if (c >= 0xE000 && c <= 0xF8FF)
    return GDK_KEY_VoidSymbol;
  return gdk_unicode_to_keyval (c);
}

/* input.performActions: the actions of all sources, tick by tick, the way
 * the spec's "dispatch actions" goes; a pointerMove to an element waits for
 * the element's rectangle. Pauses do not wait: every action is sent in
 * order and the renderer handles them in order. */

typedef struct {
  char *source;           /* "pointer", "key", "wheel", "none" */
  JsonObject *action;     /* a reference */
} Step;

typedef struct {
  GPtrArray *steps;       /* Step, in dispatch order */
  guint next;
  BhTab *tab;             /* a reference */
  double pointer_x, pointer_y; /* document px */
  guint buttons;          /* the button pressed last, 0: none */
} Actions;

static void
step_free (Step *step)
{
  g_free (step->source);
  g_clear_pointer (&step->action, json_object_unref);
  g_free (step);
}

static void
actions_free (Actions *actions)
{
  g_ptr_array_unref (actions->steps);
  g_clear_object (&actions->tab);
  g_free (actions);
}

static gboolean
number_member (JsonObject *object, const char *name, double fallback, double *out)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type = node != NULL ? json_node_get_value_type (node) : G_TYPE_INVALID;

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

static void run_actions (BhBidiCommand *command);

static void
pointer_to (Actions *actions, double x, double y)
{
  double vx, vy;

  actions->pointer_x = x;
  actions->pointer_y = y;
  viewport_point (actions->tab, x, y, &vx, &vy);
  bh_tab_send_mouse (actions->tab, 0, vx, vy, 0, 0);
}

static void
element_rect_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  Actions *actions = command->state;
  Step *step = g_ptr_array_index (actions->steps, actions->next);
  double x, y, w, h, dx, dy;

  if (error != NULL || !bh_bidi_parse_rect (value, &x, &y, &w, &h))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_ELEMENT, "%s",
                            error != NULL ? error->message : "the element is gone");
      return;
    }
  number_member (step->action, "x", 0, &dx);
  number_member (step->action, "y", 0, &dy);
  /* The spec's origin is the element's centre. */
  pointer_to (actions, x + w / 2 + dx, y + h / 2 + dy);
  actions->next++;
  run_actions (command);
}

static void
run_actions (BhBidiCommand *command)
{
  Actions *actions = command->state;

  while (actions->next < actions->steps->len)
    {
      Step *step = g_ptr_array_index (actions->steps, actions->next);
      const char *type = json_object_get_string_member_with_default (step->action, "type", "");

      if (g_str_equal (type, "pause"))
        ;
      else if (g_str_equal (step->source, "pointer") && g_str_equal (type, "pointerMove"))
        {
          JsonNode *origin = json_object_get_member (step->action, "origin");
          double x, y;

          number_member (step->action, "x", 0, &x);
          number_member (step->action, "y", 0, &y);
          if (origin != NULL && JSON_NODE_HOLDS_OBJECT (origin))
            {
              JsonObject *element = json_object_get_object_member (json_node_get_object (origin),
                                                                   "element");
              const char *ref = element != NULL ? json_object_get_string_member_with_default (
                                                    element, "sharedId", NULL)
                                                : NULL;
              const char *error = NULL;
              guint node = 0;
              BhTab *tab = ref != NULL ? bh_bidi_element_lookup (command->server, ref, &node,
                                                                  &error)
                                       : NULL;

              if (tab != actions->tab)
                {
                  bh_bidi_command_fail (command, tab == NULL && error != NULL
                                                   ? (g_str_equal (error,
                                                                   BH_BIDI_ERROR_NO_SUCH_ELEMENT)
                                                        ? BH_BIDI_ERROR_NO_SUCH_NODE
                                                        : error)
                                                   : BH_BIDI_ERROR_NO_SUCH_NODE,
                                        "the origin is not an element of this context");
                  return;
                }
              bh_bidi_query (command, tab, node, "rect", element_rect_cb);
              return;
            }
          if (origin != NULL && json_node_get_value_type (origin) == G_TYPE_STRING &&
              g_str_equal (json_node_get_string (origin), "pointer"))
            pointer_to (actions, actions->pointer_x + x, actions->pointer_y + y);
          else
            {
              int scroll_y = 0;
              double scale;

              /* viewport origin: CSS px of the viewport. */
              bh_tab_get_viewport (actions->tab, NULL, NULL, &scale);
              g_object_get (actions->tab, "scroll-y", &scroll_y, NULL);
              pointer_to (actions, x, y + scroll_y);
            }
        }
      else if (g_str_equal (step->source, "pointer") &&
               (g_str_equal (type, "pointerDown") || g_str_equal (type, "pointerUp")))
        {
          double button;
          double vx, vy;

          number_member (step->action, "button", 0, &button);
          viewport_point (actions->tab, actions->pointer_x, actions->pointer_y, &vx, &vy);
          /* WebDriver numbers buttons from 0 (primary), GDK from 1. */
          bh_tab_send_mouse (actions->tab, g_str_equal (type, "pointerDown") ? 1 : 2, vx, vy,
                             (guint) CLAMP (button, 0, 4) + 1, 0);
        }
      else if (g_str_equal (step->source, "key") && g_str_equal (type, "keyDown"))
        {
          guint keyval = bh_bidi_keyval_for (
            json_object_get_string_member_with_default (step->action, "value", NULL));

          if (keyval != GDK_KEY_VoidSymbol && keyval != 0)
            bh_tab_send_key (actions->tab, keyval, 0);
        }
      else if (g_str_equal (step->source, "wheel") && g_str_equal (type, "scroll"))
        {
          double delta_x, delta_y;

          number_member (step->action, "deltaX", 0, &delta_x);
          number_member (step->action, "deltaY", 0, &delta_y);
          bh_tab_send_scroll (actions->tab, delta_x, delta_y);
        }
      actions->next++;
    }
  bh_bidi_command_return (command, NULL);
}

static gboolean
check_action (const char *source, JsonObject *action)
{
  static const char * const pointer[] = { "pause", "pointerMove", "pointerDown", "pointerUp",
                                          "pointerCancel", NULL };
  static const char * const key[] = { "pause", "keyDown", "keyUp", NULL };
  static const char * const wheel[] = { "pause", "scroll", NULL };
  static const char * const none[] = { "pause", NULL };
  const char *type = json_object_get_string_member_with_default (action, "type", NULL);
  const char * const *allowed = g_str_equal (source, "pointer") ? pointer
                                : g_str_equal (source, "key")   ? key
                                : g_str_equal (source, "wheel") ? wheel
                                                                : none;
  double number;

  if (type == NULL || !g_strv_contains (allowed, type))
    return FALSE;
  if (g_str_equal (type, "keyDown") || g_str_equal (type, "keyUp"))
    {
      const char *value = json_object_get_string_member_with_default (action, "value", NULL);

      return value != NULL && g_utf8_strlen (value, -1) >= 1;
    }
  return number_member (action, "x", 0, &number) && number_member (action, "y", 0, &number) &&
         number_member (action, "button", 0, &number) && number >= 0 &&
         number_member (action, "duration", 0, &number) && number >= 0 &&
         number_member (action, "deltaX", 0, &number) &&
         number_member (action, "deltaY", 0, &number);
}

static void
input_perform_actions (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  JsonNode *sources = json_object_get_member (command->params, "actions");
  g_autoptr (GPtrArray) per_source = NULL;
  Actions *actions;
  guint ticks = 0;

  if (tab == NULL)
    return;
  if (sources == NULL || !JSON_NODE_HOLDS_ARRAY (sources))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"actions\" must be an array of input sources");
      return;
    }
  per_source = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (sources)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (sources), i);
      JsonObject *source = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = source != NULL ? json_object_get_string_member_with_default (source,
                                                                                      "type", NULL)
                                        : NULL;
      JsonNode *list = source != NULL ? json_object_get_member (source, "actions") : NULL;

      if (type == NULL || list == NULL || !JSON_NODE_HOLDS_ARRAY (list) ||
          (!g_str_equal (type, "pointer") && !g_str_equal (type, "key") &&
           !g_str_equal (type, "wheel") && !g_str_equal (type, "none")))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "each input source needs a \"type\" (pointer, key, wheel, none) "
                                "and \"actions\"");
          return;
        }
      for (guint j = 0; j < json_array_get_length (json_node_get_array (list)); j++)
        {
          JsonNode *action = json_array_get_element (json_node_get_array (list), j);

          if (!JSON_NODE_HOLDS_OBJECT (action) ||
              !check_action (type, json_node_get_object (action)))
            {
              bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                    "action %u of the %s source is not a valid %s action", j,
                                    type, type);
              return;
            }
        }
      ticks = MAX (ticks, json_array_get_length (json_node_get_array (list)));
      g_ptr_array_add (per_source, source);
    }

  actions = g_new0 (Actions, 1);
  actions->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  actions->tab = g_object_ref (tab);
  command->state = actions;
  command->state_free = (GDestroyNotify) actions_free;
  for (guint tick = 0; tick < ticks; tick++)
    for (guint i = 0; i < per_source->len; i++)
      {
        JsonObject *source = g_ptr_array_index (per_source, i);
        JsonArray *list = json_object_get_array_member (source, "actions");
        Step *step;

        if (tick >= json_array_get_length (list))
          continue;
        step = g_new0 (Step, 1);
        step->source = g_strdup (json_object_get_string_member (source, "type"));
        step->action = json_object_ref (json_array_get_object_element (list, tick));
        g_ptr_array_add (actions->steps, step);
      }
  run_actions (command);
}

static void
input_release_actions (BhBidiCommand *command)
{
  /* Nothing is held down between commands: each pointerDown went out with
   * the release the client sent, or none. */
  if (bh_bidi_param_context (command, "context", TRUE) == NULL)
    return;
  bh_bidi_command_return (command, NULL);
}

/* browsingContext.locateNodes */

static void
located_nodes_cb (BhBidiCommand *command, BhTab *tab, GArray *nodes, const GError *error)
{
  JsonObject *result;
  JsonArray *array;

  if (error != NULL)
    {
      bh_bidi_command_fail (command, bh_bidi_query_error (error), "%s", error->message);
      return;
    }
  result = json_object_new ();
  array = json_array_new ();
  for (guint i = 0; i < nodes->len; i++)
    {
      const BhLocatedNode *node = &g_array_index (nodes, BhLocatedNode, i);
      g_autofree char *ref = bh_bidi_element_ref (tab, node->node);
      JsonObject *value = json_object_new ();
      JsonObject *properties = json_object_new ();

      json_object_set_string_member (value, "type", "node");
      json_object_set_string_member (value, "sharedId", ref);
      json_object_set_int_member (properties, "nodeType", 1);
      json_object_set_int_member (properties, "childNodeCount", 0);
      json_object_set_object_member (value, "value", properties);
      json_array_add_object_element (array, value);
    }
  json_object_set_array_member (result, "nodes", array);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
browsing_context_locate_nodes (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  JsonNode *locator = json_object_get_member (command->params, "locator");
  JsonObject *object;
  const char *type;
  const char *value;
  double max = BH_MAX_LOCATED_NODES;

  if (tab == NULL)
    return;
  object = locator != NULL && JSON_NODE_HOLDS_OBJECT (locator) ? json_node_get_object (locator)
                                                               : NULL;
  type = object != NULL ? json_object_get_string_member_with_default (object, "type", NULL)
                        : NULL;
  if (type != NULL && (g_str_equal (type, "accessibility") || g_str_equal (type, "context")))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "Bulkhead locates nodes by css, xpath and innerText, not %s", type);
      return;
    }
  value = object != NULL ? json_object_get_string_member_with_default (object, "value", NULL)
                         : NULL;
  if (type == NULL || value == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"locator\" must be {type, value}");
      return;
    }
  if (!g_str_equal (type, "css") && !g_str_equal (type, "xpath") && !g_str_equal (type, "innerText"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "“%s” is not a locator type", type);
      return;
    }
  if (json_object_has_member (command->params, "startNodes"))
    {
      /* One start node, for css: its descendants (bh_bidi_locate_within()). */
      JsonNode *starts = json_object_get_member (command->params, "startNodes");
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (starts) ? json_node_get_array (starts) : NULL;
      JsonNode *first = array != NULL && json_array_get_length (array) == 1 ? json_array_get_element (array, 0) : NULL;
      const char *ref = first != NULL && JSON_NODE_HOLDS_OBJECT (first)
                          ? json_object_get_string_member_with_default (json_node_get_object (first), "sharedId", NULL)
                          : NULL;
      const char *error = NULL;
      guint node = 0;

      if (ref == NULL || !g_str_equal (type, "css"))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                                "\"startNodes\" is supported with one node and a css locator");
          return;
        }
      if (bh_bidi_element_lookup (command->server, ref, &node, &error) != tab)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_NODE, "“%s” is not an element of this document", ref);
          return;
        }
      if (!number_member (command->params, "maxNodeCount", BH_MAX_LOCATED_NODES, &max) || max < 1)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"maxNodeCount\" must be a whole number from 1");
          return;
        }
      bh_bidi_locate_within (command, tab, node, value, (guint) MIN (max, BH_MAX_LOCATED_NODES), located_nodes_cb);
      return;
    }
  if (!number_member (command->params, "maxNodeCount", BH_MAX_LOCATED_NODES, &max) || max < 1)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"maxNodeCount\" must be a whole number from 1");
      return;
    }
  if (g_str_equal (type, "innerText"))
    {
      const char *match = json_object_get_string_member_with_default (object, "matchType", "full");
      JsonNode *ignore = json_object_get_member (object, "ignoreCase");
      double depth = 0;

      if ((!g_str_equal (match, "full") && !g_str_equal (match, "partial")) ||
          (ignore != NULL && (!JSON_NODE_HOLDS_VALUE (ignore) ||
                              json_node_get_value_type (ignore) != G_TYPE_BOOLEAN)) ||
          !number_member (object, "maxDepth", 0, &depth) || depth < 0 || depth > G_MAXUINT32)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "an innerText locator is {value, ignoreCase?: bool, matchType?: "
                                "\"full\" | \"partial\", maxDepth?: a whole number}");
          return;
        }
      if (*value == '\0')
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_SELECTOR, "an innerText locator needs a text");
          return;
        }
      bh_bidi_locate_by (command, tab, "innerText", value, ignore != NULL && json_node_get_boolean (ignore),
                         g_str_equal (match, "partial"), (guint) depth, (guint) MIN (max, BH_MAX_LOCATED_NODES),
                         located_nodes_cb);
      return;
    }
  if (g_str_equal (type, "xpath"))
    {
      bh_bidi_locate_by (command, tab, "xpath", value, FALSE, FALSE, 0, (guint) MIN (max, BH_MAX_LOCATED_NODES),
                         located_nodes_cb);
      return;
    }
  bh_bidi_locate (command, tab, value, (guint) MIN (max, BH_MAX_LOCATED_NODES), located_nodes_cb);
}

const BhBidiCommandEntry bh_bidi_element_commands[] = {
  { "browsingContext.locateNodes", browsing_context_locate_nodes },
  { "input.performActions", input_perform_actions },
  { "input.releaseActions", input_release_actions },
  { NULL, NULL }
};
