/* fuzz-script-result: libFuzzer target for the browser's checks on what a
 * renderer's script sends (browser/process/bh-renderer-host-script.c;
 * docs/fuzzing.md).
 *
 * The input is the text of a ScriptResult, as a compromised renderer may write
 * it (GVariant has already checked that it is UTF-8, so the target makes it so
 * first, as the channel would have refused it otherwise). The check must never
 * crash or recurse without bound, and what it lets through must keep its
 * promise to automation: JSON that parses into an object whose "type" is
 * "success" with a "result" object or "exception" with an "exceptionDetails"
 * object, and no larger than the limit. The same bytes also go through the
 * cut applied to console lines and dialog texts, which must give valid UTF-8
 * of at most that many characters.
 */
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "bh-renderer-host-script.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

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

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_utf8_make_valid ((const char *) data, (gssize) size);
  g_autoptr (GError) error = NULL;
  g_autofree char *cut = NULL;

  if (bh_renderer_script_check_result (text, &error))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *root;
      const char *type;

      g_assert (strlen (text) <= BH_MAX_SCRIPT_RESULT_BYTES);
      g_assert (json_parser_load_from_data (parser, text, -1, NULL));
      g_assert (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      root = json_node_get_object (json_parser_get_root (parser));
      type = json_object_get_string_member (root, "type");
      g_assert (g_strcmp0 (type, "success") == 0 || g_strcmp0 (type, "exception") == 0);
      g_assert (JSON_NODE_HOLDS_OBJECT (json_object_get_member (
        root, g_str_equal (type, "success") ? "result" : "exceptionDetails")));
    }
  else
    g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));

  cut = bh_renderer_script_cut_text (text, 16);
  g_assert (g_utf8_validate (cut, -1, NULL));
  g_assert (g_utf8_strlen (cut, -1) <= 16);
  return 0;
}
