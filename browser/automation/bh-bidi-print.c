/* bh-bidi-print.c: browsingContext.print, which classic WebDriver's Print
 * Page runs too (bh-webdriver-elements.c).
 *
 * The parameters are the WebDriver spec's ("Print Page", and BiDi's
 * browsingContext.PrintParameters): lengths in cm, the page 21.59 x 27.94 cm
 * (US Letter) and 1 cm margins unless given, scale 0.1..2, backgrounds off,
 * shrink to fit on. The renderer pages the document (PrintToPdf,
 * renderer/bh-renderer-print.c) and the answer is the PDF in base64.
 */
#include "bh-bidi-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bh-message.h"
#include "bh-renderer-host.h"

/* The smallest page side the spec allows: one point, 2.54 / 72 cm. */
#define MIN_PAGE_CM (2.54 / 72)
#define PT_PER_CM (72 / 2.54)

/* A number member of @object between @min and @max (either may be NAN for
 * none), @fallback when absent. FALSE with @out_error set otherwise. */
static gboolean
number_member (JsonObject *object, const char *where, const char *name, double fallback,
               double min, double max, double *out, char **out_error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type;
  double value;

  *out = fallback;
  if (node == NULL)
    return TRUE;
  type = json_node_get_value_type (node);
  if (JSON_NODE_HOLDS_VALUE (node) && type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    {
      *out_error = g_strdup_printf ("\"%s%s\" must be a number", where, name);
      return FALSE;
    }
  if ((!isnan (min) && value < min) || (!isnan (max) && value > max) || !isfinite (value))
    {
      if (isnan (max))
        *out_error = g_strdup_printf ("\"%s%s\" must be at least %g", where, name, min);
      else
        *out_error = g_strdup_printf ("\"%s%s\" must be between %g and %g", where, name, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* An object member, %NULL when absent; FALSE when it is not an object. */
static gboolean
object_member (JsonObject *params, const char *name, JsonObject **out, char **out_error)
{
  JsonNode *node = json_object_get_member (params, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *out_error = g_strdup_printf ("\"%s\" must be an object", name);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* A whole number of at least 1 from @text, which holds digits only. */
static gboolean
page_number (const char *text, guint32 *out)
{
  guint64 value;

  if (*text == '\0' || strspn (text, "0123456789") != strlen (text) ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    return FALSE;
  *out = (guint32) value;
  return TRUE;
}

/* The spec's "parse a page range": an integer, or a string "N", "N-M",
 * "-M" (from the first page) or "N-" (to the last), white space around the
 * numbers allowed; a range that ends before it starts is an error. */
static gboolean
parse_page_range (JsonNode *node, guint32 range[2], char **out_error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 page = json_node_get_int (node);

      if (page < 1 || page > G_MAXUINT32)
        goto invalid;
      range[0] = range[1] = (guint32) page;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    goto invalid;
  text = g_strdup (json_node_get_string (node));
  parts = g_strsplit (text, "-", 3);
  for (guint i = 0; parts[i] != NULL; i++)
    g_strstrip (parts[i]);
  if (g_strv_length (parts) == 1)
    {
      if (!page_number (parts[0], &range[0]))
        goto invalid;
      range[1] = range[0];
      return TRUE;
    }
  if (g_strv_length (parts) != 2 || (*parts[0] == '\0' && *parts[1] == '\0'))
    goto invalid;
  range[0] = 1;
  range[1] = 0;
  if ((*parts[0] != '\0' && !page_number (parts[0], &range[0])) ||
      (*parts[1] != '\0' && !page_number (parts[1], &range[1])))
    goto invalid;
  if (range[1] != 0 && range[1] < range[0])
    goto invalid;
  return TRUE;

invalid:
  g_clear_pointer (&text, g_free);
  text = json_to_string (node, FALSE);
  *out_error = g_strdup_printf ("%s is not a page range (a page number, \"N-M\", \"-M\" or \"N-\")",
                                text);
  return FALSE;
}

/* Reads the parameters into @settings; FALSE with @out_error (an "invalid
 * argument" reason) otherwise. */
static gboolean
parse_settings (JsonObject *params, BhPrintSettings *settings, char **out_error)
{
  JsonObject *margin, *page;
  JsonNode *node;
  double width_cm, height_cm, top, right, bottom, left;
  const char *orientation = "portrait";

  memset (settings, 0, sizeof *settings);
  node = json_object_get_member (params, "background");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    {
      *out_error = g_strdup ("\"background\" must be a boolean");
      return FALSE;
    }
  settings->background = node != NULL && json_node_get_boolean (node);
  node = json_object_get_member (params, "shrinkToFit");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    {
      *out_error = g_strdup ("\"shrinkToFit\" must be a boolean");
      return FALSE;
    }
  settings->shrink_to_fit = node == NULL || json_node_get_boolean (node);
  node = json_object_get_member (params, "orientation");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          (!g_str_equal (json_node_get_string (node), "portrait") &&
           !g_str_equal (json_node_get_string (node), "landscape")))
        {
          *out_error = g_strdup ("\"orientation\" must be \"portrait\" or \"landscape\"");
          return FALSE;
        }
      orientation = json_node_get_string (node);
    }
  if (!number_member (params, "", "scale", 1.0, 0.1, 2.0, &settings->scale, out_error) ||
      !object_member (params, "margin", &margin, out_error) ||
      !number_member (margin, "margin.", "top", 1.0, 0, NAN, &top, out_error) ||
      !number_member (margin, "margin.", "right", 1.0, 0, NAN, &right, out_error) ||
      !number_member (margin, "margin.", "bottom", 1.0, 0, NAN, &bottom, out_error) ||
      !number_member (margin, "margin.", "left", 1.0, 0, NAN, &left, out_error) ||
      !object_member (params, "page", &page, out_error) ||
      !number_member (page, "page.", "width", 21.59, MIN_PAGE_CM, NAN, &width_cm, out_error) ||
      !number_member (page, "page.", "height", 27.94, MIN_PAGE_CM, NAN, &height_cm, out_error))
    return FALSE;
  if (g_str_equal (orientation, "landscape"))
    {
      double swap = width_cm;

      width_cm = height_cm;
      height_cm = swap;
    }
  settings->page_width_pt = width_cm * PT_PER_CM;
  settings->page_height_pt = height_cm * PT_PER_CM;
  settings->margin_top_pt = top * PT_PER_CM;
  settings->margin_right_pt = right * PT_PER_CM;
  settings->margin_bottom_pt = bottom * PT_PER_CM;
  settings->margin_left_pt = left * PT_PER_CM;

  node = json_object_get_member (params, "pageRanges");
  if (node != NULL)
    {
      JsonArray *ranges;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          *out_error = g_strdup ("\"pageRanges\" must be an array");
          return FALSE;
        }
      ranges = json_node_get_array (node);
      if (json_array_get_length (ranges) > BH_MAX_PRINT_PAGE_RANGES)
        {
          *out_error = g_strdup_printf ("\"pageRanges\" may hold at most %u ranges",
                                        BH_MAX_PRINT_PAGE_RANGES);
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (ranges); i++)
        if (!parse_page_range (json_array_get_element (ranges, i), settings->page_ranges[i],
                               out_error))
          return FALSE;
      settings->n_page_ranges = json_array_get_length (ranges);
    }
  return TRUE;
}

typedef struct {
  BhBidiCommand *command;
  BhTab *tab; /* a reference */
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->command, bh_bidi_command_free);
  g_clear_object (&pending->tab);
  g_free (pending);
}

static void
printed_cb (GBytes *pdf, guint pages, const GError *error, gpointer data)
{
  Pending *pending = data;
  BhBidiCommand *command = g_steal_pointer (&pending->command);
  g_autofree char *base64 = NULL;
  JsonObject *result;
  gsize size;
  const guchar *bytes;

  if (error != NULL)
    {
      /* What the renderer could not print as asked is the spec's
       * "unsupported operation"; a renderer that went, "unknown error". */
      bh_bidi_command_fail (command,
                            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                              ? BH_BIDI_ERROR_UNSUPPORTED_OPERATION
                              : BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "%s", error->message);
      return;
    }
  bytes = g_bytes_get_data (pdf, &size);
  base64 = g_base64_encode (bytes, size);
  result = json_object_new ();
  json_object_set_string_member (result, "data", base64);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
browsing_context_print (BhBidiCommand *command)
{
  g_autofree char *reason = NULL;
  BhPrintSettings settings;
  BhRendererHost *host;
  Pending *pending;
  BhTab *tab;

  tab = bh_bidi_param_context (command, "context", TRUE);
  if (tab == NULL)
    return;
  if (!parse_settings (command->params, &settings, &reason))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "%s", reason);
      return;
    }
  /* The spec: a page with no room for content inside its margins cannot
   * be printed. */
  if (settings.page_width_pt - settings.margin_left_pt - settings.margin_right_pt < 1 ||
      settings.page_height_pt - settings.margin_top_pt - settings.margin_bottom_pt < 1)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "the margins leave no room for content on the page");
      return;
    }
  /* A cap of ours, far above any paper: 5 m a side. */
  if (settings.page_width_pt > 14400 || settings.page_height_pt > 14400)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "Bulkhead prints pages of at most 508 cm a side");
      return;
    }
  host = bh_tab_get_renderer_host (tab);
  if (host == NULL || bh_tab_get_view_id (tab) == 0)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "the tab has no renderer (a sad tab, or nothing loaded yet)");
      return;
    }
  pending = g_new0 (Pending, 1);
  pending->command = command;
  pending->tab = g_object_ref (tab);
  bh_renderer_host_print_to_pdf (host, bh_tab_get_view_id (tab), &settings, printed_cb, pending,
                                 (GDestroyNotify) pending_free);
}

const BhBidiCommandEntry bh_bidi_print_commands[] = {
  { "browsingContext.print", browsing_context_print },
  { NULL, NULL }
};
