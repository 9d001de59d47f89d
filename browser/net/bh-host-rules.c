/* bh-host-rules.c: Chromium's --host-resolver-rules, parsed and applied. */
#include "bh-host-rules.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (bh-host-rules-error-quark, bh_host_rules_error)

typedef struct {
  gboolean exclude;
  char *pattern;     /* lower case */
  char *replacement; /* NULL for EXCLUDE; IPv6 without brackets */
  guint port;        /* 0: keep the URL's port */
} BhHostRule;

struct _BhHostRules {
  gatomicrefcount ref_count;
  GPtrArray *rules; /* BhHostRule, in the order given */
};

static void
bh_host_rule_free (BhHostRule *rule)
{
  if (rule == NULL)
    return;

  g_free (rule->pattern);
  g_free (rule->replacement);
  g_free (rule);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHostRule, bh_host_rule_free)

/* "host", "host:port", "[v6]", "[v6]:port" or ~NOTFOUND. */
static gboolean
parse_replacement (const char  *text,
                   char       **out_host,
                   guint       *out_port,
                   GError     **error)
{
  g_autofree char *host = NULL;
  const char *port_text = NULL;

  if (g_str_equal (text, BH_HOST_RULES_NOT_FOUND))
    {
      *out_host = g_strdup (BH_HOST_RULES_NOT_FOUND);
      *out_port = 0;
      return TRUE;
    }

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "“%s” opens an IPv6 address with “[” but never closes it", text);
          return FALSE;
        }
      host = g_strndup (text + 1, close - text - 1);
      if (!g_hostname_is_ip_address (host) || strchr (host, ':') == NULL)
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "“%s” is not an IPv6 address", host);
          return FALSE;
        }
      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "unexpected “%s” after the IPv6 address in “%s”", close + 1, text);
          return FALSE;
        }
    }
  else
    {
      const char *colon = strchr (text, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "“%s”: an IPv6 replacement must be written in brackets, "
                       "as [::1] or [::1]:8080", text);
          return FALSE;
        }
      host = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
      if (colon != NULL)
        port_text = colon + 1;
    }

  if (*host == '\0')
    {
      g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                   "“%s” has no host name", text);
      return FALSE;
    }

  if (port_text != NULL)
    {
      guint64 port = 0;

      if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL))
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "“%s” in “%s” is not a port number (1-65535)", port_text, text);
          return FALSE;
        }
      *out_port = (guint) port;
    }
  else
    *out_port = 0;

  *out_host = g_ascii_strdown (host, -1);
  return TRUE;
}

static BhHostRule *
parse_rule (const char  *text,
            GError     **error)
{
  g_auto (GStrv) words = NULL;
  g_autoptr (BhHostRule) rule = g_new0 (BhHostRule, 1);
  g_autoptr (GPtrArray) tokens = g_ptr_array_new ();

  /* Words are separated by any run of blanks. */
  words = g_strsplit_set (text, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (tokens, words[i]);

  if (tokens->len == 0)
    return NULL;

  if (g_ascii_strcasecmp (tokens->pdata[0], "MAP") == 0)
    {
      if (tokens->len != 3)
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "“%s”: MAP takes a pattern and a replacement", text);
          return NULL;
        }
      if (!parse_replacement (tokens->pdata[2], &rule->replacement, &rule->port, error))
        return NULL;
    }
  else if (g_ascii_strcasecmp (tokens->pdata[0], "EXCLUDE") == 0)
    {
      if (tokens->len != 2)
        {
          g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                       "“%s”: EXCLUDE takes one pattern", text);
          return NULL;
        }
      rule->exclude = TRUE;
    }
  else
    {
      g_set_error (error, BH_HOST_RULES_ERROR, BH_HOST_RULES_ERROR_INVALID,
                   "“%s”: a rule starts with MAP or EXCLUDE", text);
      return NULL;
    }

  rule->pattern = g_ascii_strdown (tokens->pdata[1], -1);
  return g_steal_pointer (&rule);
}

BhHostRules *
bh_host_rules_parse (const char  *spec,
                     GError     **error)
{
  g_auto (GStrv) entries = NULL;
  BhHostRules *rules;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rules = g_new0 (BhHostRules, 1);
  g_atomic_ref_count_init (&rules->ref_count);
  rules->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_host_rule_free);

  entries = g_strsplit (spec, ",", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      BhHostRule *rule;

      rule = parse_rule (entries[i], &local_error);
      if (local_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Host resolver rule %u: ", i + 1);
          bh_host_rules_unref (rules);
          return NULL;
        }
      if (rule != NULL)
        g_ptr_array_add (rules->rules, rule);
    }

  return rules;
}

BhHostRules *
bh_host_rules_ref (BhHostRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);

  g_atomic_ref_count_inc (&rules->ref_count);
  return rules;
}

void
bh_host_rules_unref (BhHostRules *rules)
{
  if (rules == NULL)
    return;

  if (!g_atomic_ref_count_dec (&rules->ref_count))
    return;

  g_clear_pointer (&rules->rules, g_ptr_array_unref);
  g_free (rules);
}

guint
bh_host_rules_get_n_rules (const BhHostRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);

  return rules->rules->len;
}

char *
bh_host_rules_map (const BhHostRules *rules,
                   const char        *host,
                   guint             *port)
{
  g_autofree char *lower = NULL;
  g_autofree char *host_port = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  if (rules == NULL)
    return NULL;

  lower = g_ascii_strdown (host, -1);
  if (port != NULL)
    host_port = strchr (lower, ':') != NULL ? g_strdup_printf ("[%s]:%u", lower, *port)
                                            : g_strdup_printf ("%s:%u", lower, *port);

  for (guint i = 0; i < rules->rules->len; i++)
    {
      const BhHostRule *rule = rules->rules->pdata[i];

      if (rule->exclude && g_pattern_match_simple (rule->pattern, lower))
        return NULL;
    }

  for (guint i = 0; i < rules->rules->len; i++)
    {
      const BhHostRule *rule = rules->rules->pdata[i];

      if (rule->exclude)
        continue;

      if (!g_pattern_match_simple (rule->pattern, lower) &&
          (host_port == NULL || !g_pattern_match_simple (rule->pattern, host_port)))
        continue;

      if (port != NULL && rule->port != 0)
        *port = rule->port;
      return g_strdup (rule->replacement);
    }

  return NULL;
}
