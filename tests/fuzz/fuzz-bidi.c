/* fuzz-bidi: libFuzzer target for the WebDriver BiDi command decoder
 * (browser/automation/bh-bidi-message.c; docs/fuzzing.md).
 *
 * The input is one whole text message as a client on --remote-debugging-port
 * sends it. It goes through bh_bidi_request_decode() as the server hands it
 * every message, then through what the server builds from it: the error
 * answer (with the client's own "id", and for an unknown method the method's
 * name in the message), or a success answer that echoes the parameters back
 * as a handler's result would. Every answer must be valid UTF-8 JSON that
 * parses back to an object with that "id": anything else would be a frame
 * the client cannot read. A decoded request must keep its promises: an id
 * in BiDi's js-uint range, a method in valid UTF-8, an object of parameters
 * whose strings are all valid UTF-8 (handlers give them to GLib and GTK).
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "bh-bidi-message.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A GLib critical or warning is a finding: abort(), which libFuzzer catches
 * and saves the input for (a G_DEBUG=fatal-criticals trap leaves none). */
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
assert_strings_valid (JsonNode *node)
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
          {
            g_assert (g_utf8_validate (name, -1, NULL));
            assert_strings_valid (member);
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          assert_strings_valid (json_array_get_element (array, i));
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_assert (g_utf8_validate (json_node_get_string (node), -1, NULL));
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* What the client would read: one JSON object, valid UTF-8, with @id. */
static void
assert_readable (JsonNode *answer, const JsonNode *id)
{
  g_autoptr (GBytes) bytes = bh_bidi_to_bytes (answer);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize length;
  const char *text = g_bytes_get_data (bytes, &length);
  JsonObject *object;
  JsonNode *answer_id;

  g_assert (g_utf8_validate_len (text, length, NULL));
  if (!json_parser_load_from_data (parser, text, (gssize) length, &error))
    g_error ("the answer is not JSON (%s): %.*s", error->message, (int) MIN (length, 400), text);
  g_assert (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert (json_object_has_member (object, "type"));
  answer_id = json_object_get_member (object, "id");
  g_assert (answer_id != NULL);
  if (id == NULL)
    g_assert (JSON_NODE_HOLDS_NULL (answer_id));
  else
    g_assert (json_node_get_int (answer_id) == json_node_get_int ((JsonNode *) id));
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) id = NULL;
  g_autoptr (BhBidiRequest) request = NULL;
  g_autoptr (JsonNode) answer = NULL;

  request = bh_bidi_request_decode ((const char *) data, size, &id, &error);
  if (request == NULL)
    {
      g_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
      g_assert (id == NULL || json_node_get_value_type (id) == G_TYPE_INT64);
      answer = bh_bidi_error_answer (id, "invalid argument", error->message);
      assert_readable (answer, id);
      return 0;
    }

  g_assert (id == NULL);
  g_assert (request->id >= 0 && request->id <= BH_BIDI_MAX_COMMAND_ID);
  g_assert (g_utf8_validate (request->method, -1, NULL));
  g_assert (request->params != NULL);
  {
    g_autoptr (JsonNode) params = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (params, request->params);
    assert_strings_valid (params);
  }

  id = json_node_init_int (json_node_alloc (), request->id);
  {
    g_autofree char *reason = g_strdup_printf ("unknown command “%s”", request->method);

    answer = bh_bidi_error_answer (id, "unknown command", reason);
    assert_readable (answer, id);
  }
  {
    JsonNode *result = json_node_new (JSON_NODE_OBJECT);
    g_autoptr (JsonNode) success = NULL;

    json_node_set_object (result, request->params);
    success = bh_bidi_success_answer (request->id, result);
    assert_readable (success, id);
  }
  return 0;
}
