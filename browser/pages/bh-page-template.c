/* bh-page-template.c: {{name}} placeholders, escaped. */
#include "bh-page-template.h"

#include <string.h>

char *
bh_template_expand_table (const char *template_text,
                          GHashTable *values,
                          GHashTable *raw_values)
{
  GString *out;
  const char *p = template_text;

  g_return_val_if_fail (template_text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  out = g_string_sized_new (strlen (template_text) + 256);
  for (;;)
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL)
        break;
      close = strstr (open + 2, "}}");
      if (close == NULL)
        break;

      g_string_append_len (out, p, open - p);
      name = g_strstrip (g_strndup (open + 2, close - open - 2));

      if (raw_values != NULL && (value = g_hash_table_lookup (raw_values, name)) != NULL)
        g_string_append (out, value);
      else if ((value = g_hash_table_lookup (values, name)) != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);

          g_string_append (out, escaped);
        }

      p = close + 2;
    }
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

char *
bh_template_expand (const char *template_text,
                    ...)
{
  g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  const char *name;
  va_list args;

  g_return_val_if_fail (template_text != NULL, NULL);

  va_start (args, template_text);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_hash_table_insert (values, (gpointer) name, (gpointer) (value != NULL ? value : ""));
    }
  va_end (args);

  return bh_template_expand_table (template_text, values, NULL);
}
