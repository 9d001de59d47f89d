/* bh-renderer-host-script.c: the value checks on a renderer's script
 * messages (bh-renderer-host-script.h). */
#include "bh-renderer-host-script.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Nesting of [ and { outside strings, before a parser sees it: json-glib
 * recurses, and a renderer must not choose the browser's stack depth. */
static gboolean
nesting_within (const char *json, guint max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (const char *p = json; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

gboolean
bh_renderer_script_check_result (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) parse_error = NULL;
  JsonObject *root;
  const char *type;
  gsize len = strlen (json);

  if (len > BH_MAX_SCRIPT_RESULT_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ScriptResult of %" G_GSIZE_FORMAT " bytes (at most %u)",
                   len, BH_MAX_SCRIPT_RESULT_BYTES);
      return FALSE;
    }
  if (!nesting_within (json, BH_MAX_SCRIPT_RESULT_DEPTH))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ScriptResult nested deeper than %u",
                   BH_MAX_SCRIPT_RESULT_DEPTH);
      return FALSE;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, (gssize) len, &parse_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ScriptResult is not JSON: %s", parse_error->message);
      return FALSE;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ScriptResult is not a JSON object");
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  type = json_object_has_member (root, "type") && JSON_NODE_HOLDS_VALUE (json_object_get_member (root, "type"))
           ? json_object_get_string_member_with_default (root, "type", NULL)
           : NULL;
  if (g_strcmp0 (type, "success") == 0 && json_object_has_member (root, "result") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "result")))
    return TRUE;
  if (g_strcmp0 (type, "exception") == 0 && json_object_has_member (root, "exceptionDetails") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "exceptionDetails")))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "ScriptResult is neither {\"type\":\"success\",\"result\":{...}} nor "
                       "{\"type\":\"exception\",\"exceptionDetails\":{...}}");
  return FALSE;
}

char *
bh_renderer_script_cut_text (const char *text, glong max_chars)
{
  if (g_utf8_strlen (text, max_chars + 1) > max_chars)
    return g_utf8_substring (text, 0, max_chars);
  return g_strdup (text);
}
