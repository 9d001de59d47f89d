/* bh-bidi-message.c: decoding a client's command, and the answers' shapes.
 * Everything here reads text from outside the browser.
 */
#include "bh-bidi-message.h"

#include <gio/gio.h>

void
bh_bidi_request_free (BhBidiRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_clear_pointer (&request->params, json_object_unref);
  g_free (request);
}

/* Checks what json-glib would otherwise find out by recursing: a
 * "[[[[..." message must not exhaust the browser's stack. */
static gboolean
json_depth_ok (const char *text, gsize length, guint max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* json-glib turns a malformed "\u" escape ("\udd\83") into bytes that are
 * not UTF-8 rather than an error (found by tests/fuzz/fuzz-bidi.c). The
 * handlers give strings to GLib and GTK, and echo them in answers, so every
 * string and member name must be UTF-8. Recursion is bounded by the depth
 * check. */
static gboolean
strings_valid (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !strings_valid (member))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!strings_valid (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

static gpointer
fail (GError **error, const char *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
  return NULL;
}

JsonObject *
bh_bidi_json_object_decode (const char *text, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) json_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > BH_BIDI_MAX_MESSAGE_BYTES)
    return fail (error, "the message is longer than 1 MiB");
  /* g_utf8_validate_len() also refuses a nul byte, which JSON text only
   * has escaped (RFC 8259 §7) and json-glib would take for the end. */
  if (!g_utf8_validate_len (text, length, NULL))
    return fail (error, "the message is not valid UTF-8");
  if (!json_depth_ok (text, length, BH_BIDI_MAX_JSON_DEPTH))
    return fail (error, "the message nests more than 64 levels deep");

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) length, &json_error))
    {
      /* json-glib quotes the character it choked on, which may be half of
       * a malformed escape and no UTF-8 (fuzz-webdriver found it). */
      g_autofree char *valid = g_utf8_make_valid (json_error->message, -1);
      g_autofree char *reason = g_strdup_printf ("the message is not JSON: %s", valid);

      return fail (error, reason);
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, "the message is not a JSON object");
  if (!strings_valid (root))
    return fail (error, "the message is not JSON: a \\u escape in it is malformed "
                        "(its string is not valid UTF-8)");
  return json_object_ref (json_node_get_object (root));
}

BhBidiRequest *
bh_bidi_request_decode (const char *text, gsize length, JsonNode **out_id, GError **error)
{
  g_autoptr (JsonObject) object = NULL;
  BhBidiRequest *request;
  JsonNode *id;
  JsonNode *method;
  JsonNode *params;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_id != NULL)
    *out_id = NULL;
  object = bh_bidi_json_object_decode (text, length, error);
  if (object == NULL)
    return NULL;

  id = json_object_get_member (object, "id");
  if (id == NULL || json_node_get_value_type (id) != G_TYPE_INT64 ||
      json_node_get_int (id) < 0 || json_node_get_int (id) > BH_BIDI_MAX_COMMAND_ID)
    return fail (error, "\"id\" must be an integer from 0 to 2^53 - 1");
  method = json_object_get_member (object, "method");
  params = json_object_get_member (object, "params");
  if (method == NULL || json_node_get_value_type (method) != G_TYPE_STRING ||
      (params != NULL && !JSON_NODE_HOLDS_OBJECT (params)))
    {
      if (out_id != NULL)
        *out_id = json_node_copy (id);
      return fail (error, method == NULL || json_node_get_value_type (method) != G_TYPE_STRING
                            ? "\"method\" must be a string"
                            : "\"params\" must be an object");
    }

  request = g_new0 (BhBidiRequest, 1);
  request->id = json_node_get_int (id);
  request->method = g_strdup (json_node_get_string (method));
  request->params = params != NULL ? json_object_ref (json_node_get_object (params))
                                   : json_object_new ();
  return request;
}

JsonNode *
bh_bidi_error_answer (const JsonNode *id, const char *error, const char *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *valid = g_utf8_make_valid (message, -1);

  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "id");
  if (id != NULL)
    json_builder_add_value (builder, json_node_copy ((JsonNode *) id));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, valid);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bh_bidi_success_answer (gint64 id, JsonNode *result)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "success");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "result");
  if (result != NULL)
    json_builder_add_value (builder, result);
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

GBytes *
bh_bidi_to_bytes (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}
