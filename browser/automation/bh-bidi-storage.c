/* bh-bidi-storage.c: the BiDi "storage" module
 * (https://w3c.github.io/webdriver-bidi/#module-storage): getCookies,
 * setCookie, deleteCookies on the profile's cookie jar
 * (browser/profile/bh-cookie-jar.h), and the cookie shapes classic
 * WebDriver's /cookie endpoints share (bh-bidi-private.h).
 *
 * A partition names a user context (by itself or by one of its tabs); each
 * has the cookie jar of its own profile (bh-bidi-user-contexts.c).
 */
#include "bh-bidi-private.h"

#include <math.h>
#include <string.h>

#include "bh-cookie-jar.h"
#include "bh-profile.h"

BhCookieJar *
bh_bidi_server_get_cookie_jar (BhBidiServer *server)
{
  BhProfile *profile = bh_browser_get_profile (bh_bidi_server_get_browser (server));

  return profile != NULL ? bh_profile_get_cookie_jar (profile) : NULL;
}

static const char *
same_site_name (BhCookieSameSite same_site)
{
  switch (same_site)
    {
    case BH_COOKIE_SAME_SITE_NONE:
      return "none";
    case BH_COOKIE_SAME_SITE_LAX:
      return "lax";
    case BH_COOKIE_SAME_SITE_STRICT:
      return "strict";
    case BH_COOKIE_SAME_SITE_DEFAULT:
    default:
      return "default";
    }
}

static gboolean
same_site_from_name (const char *name, BhCookieSameSite *out)
{
  if (g_ascii_strcasecmp (name, "none") == 0)
    *out = BH_COOKIE_SAME_SITE_NONE;
  else if (g_ascii_strcasecmp (name, "lax") == 0)
    *out = BH_COOKIE_SAME_SITE_LAX;
  else if (g_ascii_strcasecmp (name, "strict") == 0)
    *out = BH_COOKIE_SAME_SITE_STRICT;
  else if (g_ascii_strcasecmp (name, "default") == 0)
    *out = BH_COOKIE_SAME_SITE_DEFAULT;
  else
    return FALSE;
  return TRUE;
}

JsonObject *
bh_bidi_cookie_to_json (const BhCookie *cookie, gboolean classic)
{
  JsonObject *object = json_object_new ();
  /* A host-only cookie's domain as the spec shows it: the host itself; a
   * domain cookie's with its leading dot, as Chromium reports it. */
  g_autofree char *domain = cookie->host_only ? g_strdup (cookie->domain)
                                              : g_strconcat (".", cookie->domain, NULL);

  json_object_set_string_member (object, "name", cookie->name);
  if (classic)
    json_object_set_string_member (object, "value", cookie->value);
  else
    {
      JsonObject *value = json_object_new ();

      json_object_set_string_member (value, "type", "string");
      json_object_set_string_member (value, "value", cookie->value);
      json_object_set_object_member (object, "value", value);
      json_object_set_int_member (object, "size",
                                  (gint64) (strlen (cookie->name) + strlen (cookie->value)));
    }
  json_object_set_string_member (object, "domain", domain);
  json_object_set_string_member (object, "path", cookie->path);
  json_object_set_boolean_member (object, "httpOnly", cookie->http_only);
  json_object_set_boolean_member (object, "secure", cookie->secure);
  /* Classic's sameSite is "Strict", "Lax" or "None" (no "default"). */
  if (classic)
    {
      const char *name = same_site_name (cookie->same_site);

      json_object_set_string_member (object, "sameSite",
                                     g_str_equal (name, "strict") ? "Strict"
                                     : g_str_equal (name, "none") ? "None"
                                                                  : "Lax");
    }
  else
    json_object_set_string_member (object, "sameSite", same_site_name (cookie->same_site));
  if (cookie->expiry_us != 0)
    json_object_set_int_member (object, "expiry", cookie->expiry_us / G_USEC_PER_SEC);
  return object;
}

gboolean
bh_bidi_cookie_from_json (JsonObject *object, gboolean classic, const char *default_domain,
                          BhCookie *out, char **out_reason)
{
  JsonNode *value = json_object_get_member (object, "value");
  JsonNode *expiry = json_object_get_member (object, "expiry");
  const char *name = json_object_get_string_member_with_default (object, "name", NULL);
  const char *domain = json_object_get_string_member_with_default (object, "domain", NULL);
  const char *path = json_object_get_string_member_with_default (object, "path", "/");
  const char *same_site = json_object_get_string_member_with_default (object, "sameSite", NULL);
  const char *text = NULL;

  *out = (BhCookie) { 0 };
  if (value != NULL && json_node_get_value_type (value) == G_TYPE_STRING)
    text = json_node_get_string (value);
  else if (!classic && value != NULL && JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *bytes = json_node_get_object (value);
      const char *type = json_object_get_string_member_with_default (bytes, "type", "");

      if (g_str_equal (type, "string"))
        text = json_object_get_string_member_with_default (bytes, "value", NULL);
      else if (g_str_equal (type, "base64"))
        {
          *out_reason = g_strdup ("base64 cookie values are not supported");
          return FALSE;
        }
    }
  if (name == NULL || text == NULL)
    {
      *out_reason = g_strdup ("a cookie needs a string \"name\" and a \"value\"");
      return FALSE;
    }
  if (domain == NULL)
    domain = default_domain;
  if (domain == NULL || *domain == '\0')
    {
      *out_reason = g_strdup ("a cookie needs a \"domain\"");
      return FALSE;
    }
  out->name = g_strdup (name);
  out->value = g_strdup (text);
  /* A leading dot names a domain cookie; without "domain" it is
   * host-only, as classic WebDriver's Add Cookie makes it. */
  out->host_only = json_object_get_member (object, "domain") == NULL || domain[0] != '.';
  out->domain = g_ascii_strdown (domain[0] == '.' ? domain + 1 : domain, -1);
  out->path = g_strdup (path);
  out->http_only = json_object_get_boolean_member_with_default (object, "httpOnly", FALSE);
  out->secure = json_object_get_boolean_member_with_default (object, "secure", FALSE);
  out->same_site = classic ? BH_COOKIE_SAME_SITE_LAX : BH_COOKIE_SAME_SITE_DEFAULT;
  if (same_site != NULL && !same_site_from_name (same_site, &out->same_site))
    {
      *out_reason = g_strdup_printf ("\"sameSite\" may not be “%s”", same_site);
      return FALSE;
    }
  if (expiry != NULL && !JSON_NODE_HOLDS_NULL (expiry))
    {
      GType type = json_node_get_value_type (expiry);
      double seconds = (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE) ? json_node_get_double (expiry)
                                                                       : -1;

      if (!isfinite (seconds) || seconds < 0 || seconds > 253402300799.0)
        {
          *out_reason = g_strdup ("\"expiry\" must be seconds since the epoch");
          return FALSE;
        }
      out->expiry_us = (gint64) seconds * G_USEC_PER_SEC;
    }
  return TRUE;
}

/* The partition parameter: which user context's jar, "default" when
 * there is none; NULL having failed @command. */
static const char *
check_partition (BhBidiCommand *command)
{
  JsonNode *partition = json_object_get_member (command->params, "partition");
  JsonObject *object;
  const char *type;

  if (partition == NULL)
    return BH_BIDI_DEFAULT_USER_CONTEXT;
  object = JSON_NODE_HOLDS_OBJECT (partition) ? json_node_get_object (partition) : NULL;
  type = object != NULL ? json_object_get_string_member_with_default (object, "type", NULL)
                        : NULL;
  if (type != NULL && g_str_equal (type, "context"))
    {
      const char *context = json_object_get_string_member_with_default (object, "context", NULL);
      BhTab *tab = bh_bidi_server_find_tab (command->server, context);

      if (tab == NULL)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”",
                                context != NULL ? context : "");
          return NULL;
        }
      return bh_bidi_server_get_user_context (command->server, tab);
    }
  if (type != NULL && g_str_equal (type, "storageKey"))
    {
      const char *user_context =
        json_object_get_string_member_with_default (object, "userContext",
                                                    BH_BIDI_DEFAULT_USER_CONTEXT);

      if (!bh_bidi_server_has_user_context (command->server, user_context))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_USER_CONTEXT,
                                "no user context “%s”", user_context);
          return NULL;
        }
      return user_context;
    }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "\"partition\" must be {type: \"context\"} or {type: \"storageKey\"}");
  return NULL;
}

static JsonObject *
partition_key (const char *user_context)
{
  JsonObject *key = json_object_new ();

  json_object_set_string_member (key, "userContext", user_context);
  return key;
}

/* The filter parameter, as the jar's filter; FALSE having failed @command. */
static gboolean
parse_filter (BhBidiCommand *command, BhCookieFilter *filter, const char **out_same_site)
{
  JsonNode *node = json_object_get_member (command->params, "filter");
  JsonObject *object;
  JsonNode *value;

  *filter = (BhCookieFilter) BH_COOKIE_FILTER_ALL;
  *out_same_site = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"filter\" must be an object");
      return FALSE;
    }
  object = json_node_get_object (node);
  filter->name = json_object_get_string_member_with_default (object, "name", NULL);
  filter->domain = json_object_get_string_member_with_default (object, "domain", NULL);
  if (filter->domain != NULL && filter->domain[0] == '.')
    filter->domain++;
  filter->path = json_object_get_string_member_with_default (object, "path", NULL);
  value = json_object_get_member (object, "value");
  if (value != NULL && JSON_NODE_HOLDS_OBJECT (value))
    filter->value = json_object_get_string_member_with_default (json_node_get_object (value),
                                                                "value", NULL);
  if (json_object_has_member (object, "httpOnly"))
    filter->http_only = json_object_get_boolean_member_with_default (object, "httpOnly", FALSE);
  if (json_object_has_member (object, "secure"))
    filter->secure = json_object_get_boolean_member_with_default (object, "secure", FALSE);
  *out_same_site = json_object_get_string_member_with_default (object, "sameSite", NULL);
  return TRUE;
}

static BhCookieJar *
jar_for (BhBidiCommand *command, const char *user_context)
{
  BhProfile *profile = bh_bidi_server_get_user_context_profile (command->server, user_context);
  BhCookieJar *jar = profile != NULL ? bh_profile_get_cookie_jar (profile) : NULL;

  if (jar == NULL)
    bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                          "the browser has no cookie jar");
  return jar;
}

static void
storage_get_cookies (BhBidiCommand *command)
{
  const char *user_context;
  BhCookieJar *jar;
  BhCookieFilter filter;
  const char *same_site;
  g_autoptr (GPtrArray) cookies = NULL;
  JsonObject *result;
  JsonArray *array;

  if ((user_context = check_partition (command)) == NULL ||
      !parse_filter (command, &filter, &same_site) || (jar = jar_for (command, user_context)) == NULL)
    return;
  cookies = bh_cookie_jar_get_cookies (jar, &filter);
  array = json_array_new ();
  for (guint i = 0; i < cookies->len; i++)
    {
      const BhCookie *cookie = g_ptr_array_index (cookies, i);

      if (same_site != NULL && !g_str_equal (same_site, same_site_name (cookie->same_site)))
        continue;
      json_array_add_object_element (array, bh_bidi_cookie_to_json (cookie, FALSE));
    }
  result = json_object_new ();
  json_object_set_array_member (result, "cookies", array);
  json_object_set_object_member (result, "partitionKey", partition_key (user_context));
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
storage_set_cookie (BhBidiCommand *command)
{
  JsonNode *node = json_object_get_member (command->params, "cookie");
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  BhCookie cookie;
  BhCookieJar *jar;
  JsonObject *result;
  const char *user_context;
  gboolean parsed;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"cookie\" must be an object");
      return;
    }
  if ((user_context = check_partition (command)) == NULL ||
      (jar = jar_for (command, user_context)) == NULL)
    return;
  parsed = bh_bidi_cookie_from_json (json_node_get_object (node), FALSE, NULL, &cookie, &reason);
  if (!parsed || !bh_cookie_jar_set_cookie (jar, &cookie, &error))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNABLE_TO_SET_COOKIE, "%s",
                            parsed ? error->message : reason);
      g_free (cookie.name);
      g_free (cookie.value);
      g_free (cookie.domain);
      g_free (cookie.path);
      return;
    }
  g_free (cookie.name);
  g_free (cookie.value);
  g_free (cookie.domain);
  g_free (cookie.path);
  result = json_object_new ();
  json_object_set_object_member (result, "partitionKey", partition_key (user_context));
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
storage_delete_cookies (BhBidiCommand *command)
{
  const char *user_context;
  BhCookieJar *jar;
  BhCookieFilter filter;
  const char *same_site;
  JsonObject *result;

  if ((user_context = check_partition (command)) == NULL ||
      !parse_filter (command, &filter, &same_site) || (jar = jar_for (command, user_context)) == NULL)
    return;
  if (same_site != NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "deleting by \"sameSite\" is not supported");
      return;
    }
  bh_cookie_jar_delete (jar, &filter);
  result = json_object_new ();
  json_object_set_object_member (result, "partitionKey", partition_key (user_context));
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

const BhBidiCommandEntry bh_bidi_storage_commands[] = {
  { "storage.getCookies", storage_get_cookies },
  { "storage.setCookie", storage_set_cookie },
  { "storage.deleteCookies", storage_delete_cookies },
  { NULL, NULL }
};
