/* bh-bidi-intercept.c: network interception
 * (https://w3c.github.io/webdriver-bidi/#command-network-addIntercept):
 * addIntercept, removeIntercept, continueRequest, failRequest,
 * provideResponse, and the unsupported continueResponse and
 * continueWithAuth.
 *
 * An intercept names a phase ("beforeRequestSent" only: a request is held
 * before anything is sent), optionally contexts and URL patterns. While one
 * exists the server is the network layer's interceptor
 * (bh-net-observer.h): a fetch of a tab that an intercept matches is held,
 * network.beforeRequestSent says isBlocked with the intercepts' ids, and the
 * fetch waits for the client's continueRequest, failRequest or
 * provideResponse (bh_fetch_intercepted_*(), bh-fetcher.h), or for its own
 * cancellation. Intercepts belong to the connection that added them: when
 * it closes (or removes its last intercept matching a held request) the
 * request goes on, so a client that goes away never leaves a tab waiting.
 */
#include "bh-bidi-server-private.h"

#include <string.h>

#include "bh-fetcher.h"
#include "bh-net-observer.h"

#define BH_BIDI_ERROR_NO_SUCH_REQUEST "no such request"
/* Intercepts one server keeps: a client adding more is refused. */
#define MAX_INTERCEPTS 64

typedef struct {
  char *protocol, *hostname, *port, *pathname, *search; /* (nullable): any */
  char *url;                                            /* type "string": the whole URL */
} UrlPattern;

struct _Intercept {
  char *id;
  BhBidiConnection *connection; /* not a reference: its closing removes us */
  GStrv contexts;               /* (nullable): every context */
  GArray *patterns;             /* UrlPattern; empty: every URL */
};

typedef struct {
  char *context;
  GPtrArray *intercepts; /* char *: the ids that matched */
} BlockedRequest;

static void
url_pattern_clear (UrlPattern *pattern)
{
  g_free (pattern->protocol);
  g_free (pattern->hostname);
  g_free (pattern->port);
  g_free (pattern->pathname);
  g_free (pattern->search);
  g_free (pattern->url);
}

void
bh_bidi_intercept_free (Intercept *intercept)
{
  g_free (intercept->id);
  g_strfreev (intercept->contexts);
  g_array_unref (intercept->patterns);
  g_free (intercept);
}

void
bh_bidi_blocked_request_free (gpointer data)
{
  BlockedRequest *blocked = data;

  g_free (blocked->context);
  g_ptr_array_unref (blocked->intercepts);
  g_free (blocked);
}

/* URLs compared as the URL parser serialises them (GUri's normalisation). */
static char *
normalise_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);

  return uri != NULL ? g_uri_to_string (uri) : g_strdup (url);
}

static gboolean
pattern_matches (const UrlPattern *pattern, const char *url)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *port = NULL;
  const char *query;

  if (pattern->url != NULL)
    {
      g_autofree char *normal = normalise_url (url);

      return g_str_equal (normal, pattern->url);
    }
  uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL)
    return FALSE;
  port = g_strdup_printf ("%d", g_uri_get_port (uri));
  query = g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "";
  return (pattern->protocol == NULL || g_ascii_strcasecmp (pattern->protocol, g_uri_get_scheme (uri)) == 0) &&
         (pattern->hostname == NULL ||
          g_ascii_strcasecmp (pattern->hostname, g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "") == 0) &&
         (pattern->port == NULL || g_str_equal (pattern->port, port)) &&
         (pattern->pathname == NULL || g_str_equal (pattern->pathname, g_uri_get_path (uri))) &&
         (pattern->search == NULL || g_str_equal (pattern->search, query));
}

static gboolean
intercept_matches (const Intercept *intercept, const char *context, const char *url)
{
  if (intercept->contexts != NULL && !g_strv_contains ((const char *const *) intercept->contexts, context))
    return FALSE;
  if (intercept->patterns->len == 0)
    return TRUE;
  for (guint i = 0; i < intercept->patterns->len; i++)
    if (pattern_matches (&g_array_index (intercept->patterns, UrlPattern, i), url))
      return TRUE;
  return FALSE;
}

/* The network layer's interceptor (bh-net-observer.h). */
static gboolean
intercept_cb (const BhNetRequestInfo *request, gpointer data)
{
  BhBidiServer *self = data;
  TabWatch *watch = BH_IS_TAB (request->initiator)
                      ? bh_bidi_server_lookup_watch (self, BH_TAB (request->initiator))
                      : NULL;
  BlockedRequest *blocked = NULL;

  if (watch == NULL)
    return FALSE;
  for (guint i = 0; i < self->intercepts->len; i++)
    {
      Intercept *intercept = g_ptr_array_index (self->intercepts, i);

      if (!intercept_matches (intercept, watch->context, request->url))
        continue;
      if (blocked == NULL)
        {
          blocked = g_new0 (BlockedRequest, 1);
          blocked->context = g_strdup (watch->context);
          blocked->intercepts = g_ptr_array_new_with_free_func (g_free);
        }
      g_ptr_array_add (blocked->intercepts, g_strdup (intercept->id));
    }
  if (blocked == NULL)
    return FALSE;
  g_hash_table_insert (self->blocked_requests, g_memdup2 (&request->request_id, sizeof (guint64)), blocked);
  return TRUE;
}

GPtrArray *
bh_bidi_server_blocking_intercepts (BhBidiServer *self, guint64 request_id)
{
  BlockedRequest *blocked = g_hash_table_lookup (self->blocked_requests, &request_id);

  return blocked != NULL ? blocked->intercepts : NULL;
}

static void
update_interceptor (BhBidiServer *self)
{
  bh_net_observer_set_interceptor (self->intercepts->len > 0 ? intercept_cb : NULL, self);
  bh_bidi_server_update_network_observer (self);
}

/* Held requests no intercept holds any more go on. */
static void
release_unclaimed (BhBidiServer *self, const char *intercept_id)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr (GArray) released = g_array_new (FALSE, FALSE, sizeof (guint64));

  g_hash_table_iter_init (&iter, self->blocked_requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BlockedRequest *blocked = value;

      for (guint i = 0; i < blocked->intercepts->len; i++)
        if (g_str_equal (g_ptr_array_index (blocked->intercepts, i), intercept_id))
          g_ptr_array_remove_index (blocked->intercepts, i--);
      if (blocked->intercepts->len == 0)
        {
          g_array_append_val (released, *(guint64 *) key);
          g_hash_table_iter_remove (&iter);
        }
    }
  for (guint i = 0; i < released->len; i++)
    bh_fetch_intercepted_continue (g_array_index (released, guint64, i), NULL);
}

static void
remove_intercept_at (BhBidiServer *self, guint index)
{
  Intercept *intercept = g_ptr_array_steal_index (self->intercepts, index);

  release_unclaimed (self, intercept->id);
  bh_bidi_intercept_free (intercept);
}

void
bh_bidi_server_connection_intercepts_gone (BhBidiServer *self, BhBidiConnection *connection)
{
  gboolean removed = FALSE;

  for (guint i = self->intercepts->len; i > 0; i--)
    if (connection == NULL ||
        ((Intercept *) g_ptr_array_index (self->intercepts, i - 1))->connection == connection)
      {
        remove_intercept_at (self, i - 1);
        removed = TRUE;
      }
  if (removed)
    update_interceptor (self);
}

/* The commands. */

static char *
pattern_string (JsonObject *object, const char *name, gboolean *ok)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return g_strdup (json_node_get_string (node));
}

static gboolean
parse_pattern (JsonNode *node, UrlPattern *out)
{
  JsonObject *object;
  const char *type;
  gboolean ok = TRUE;

  memset (out, 0, sizeof *out);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  type = json_object_get_string_member_with_default (object, "type", NULL);
  if (g_strcmp0 (type, "string") == 0)
    {
      const char *pattern = json_object_get_string_member_with_default (object, "pattern", NULL);
      g_autoptr (GUri) uri = pattern != NULL ? g_uri_parse (pattern, G_URI_FLAGS_PARSE_RELAXED, NULL) : NULL;

      if (uri == NULL)
        return FALSE;
      out->url = normalise_url (pattern);
      return TRUE;
    }
  if (g_strcmp0 (type, "pattern") != 0)
    return FALSE;
  out->protocol = pattern_string (object, "protocol", &ok);
  out->hostname = pattern_string (object, "hostname", &ok);
  out->port = pattern_string (object, "port", &ok);
  out->pathname = pattern_string (object, "pathname", &ok);
  out->search = pattern_string (object, "search", &ok);
  /* The spec's forms: "https" not "https:", "/path" and "?q" as written. */
  if (out->protocol != NULL && g_str_has_suffix (out->protocol, ":"))
    out->protocol[strlen (out->protocol) - 1] = '\0';
  if (out->search != NULL && out->search[0] == '?')
    memmove (out->search, out->search + 1, strlen (out->search));
  if (out->pathname != NULL && out->pathname[0] != '/')
    {
      char *rooted = g_strconcat ("/", out->pathname, NULL);

      g_free (out->pathname);
      out->pathname = rooted;
    }
  return ok;
}

static void
network_add_intercept (BhBidiCommand *command)
{
  g_auto (GStrv) phases = NULL;
  g_auto (GStrv) contexts = NULL;
  JsonNode *patterns = json_object_get_member (command->params, "urlPatterns");
  Intercept *intercept;
  JsonObject *result;

  if (!bh_bidi_param_strings (command, "phases", TRUE, &phases) ||
      !bh_bidi_param_strings (command, "contexts", FALSE, &contexts))
    return;
  if (phases[0] == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"phases\" must not be empty");
      return;
    }
  for (guint i = 0; phases[i] != NULL; i++)
    {
      if (g_str_equal (phases[i], "responseStarted") || g_str_equal (phases[i], "authRequired"))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                                "Bulkhead intercepts requests before they are sent only "
                                "(\"beforeRequestSent\"), not in “%s”",
                                phases[i]);
          return;
        }
      if (!g_str_equal (phases[i], "beforeRequestSent"))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "“%s” is not a network phase",
                                phases[i]);
          return;
        }
    }
  for (guint i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (command->server, contexts[i]) == NULL)
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”", contexts[i]);
        return;
      }
  if (contexts != NULL && contexts[0] == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"contexts\" must not be empty");
      return;
    }
  if (patterns != NULL && !JSON_NODE_HOLDS_ARRAY (patterns))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"urlPatterns\" must be an array");
      return;
    }
  if (command->server->intercepts->len >= MAX_INTERCEPTS)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "at most %d intercepts at a time",
                            MAX_INTERCEPTS);
      return;
    }
  intercept = g_new0 (Intercept, 1);
  intercept->patterns = g_array_new (FALSE, TRUE, sizeof (UrlPattern));
  g_array_set_clear_func (intercept->patterns, (GDestroyNotify) url_pattern_clear);
  for (guint i = 0; patterns != NULL && i < json_array_get_length (json_node_get_array (patterns)); i++)
    {
      UrlPattern pattern;

      if (!parse_pattern (json_array_get_element (json_node_get_array (patterns), i), &pattern))
        {
          url_pattern_clear (&pattern);
          bh_bidi_intercept_free (intercept);
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"urlPatterns\" holds {type: \"string\", pattern: URL} or {type: "
                                "\"pattern\", protocol?, hostname?, port?, pathname?, search?}");
          return;
        }
      g_array_append_val (intercept->patterns, pattern);
    }
  intercept->id = g_uuid_string_random ();
  intercept->connection = command->connection;
  intercept->contexts = g_steal_pointer (&contexts);
  g_ptr_array_add (command->server->intercepts, intercept);
  update_interceptor (command->server);
  result = json_object_new ();
  json_object_set_string_member (result, "intercept", intercept->id);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
network_remove_intercept (BhBidiCommand *command)
{
  const char *id;

  if (!bh_bidi_param_string (command, "intercept", TRUE, &id))
    return;
  for (guint i = 0; i < command->server->intercepts->len; i++)
    if (g_str_equal (((Intercept *) g_ptr_array_index (command->server->intercepts, i))->id, id))
      {
        remove_intercept_at (command->server, i);
        update_interceptor (command->server);
        bh_bidi_command_return (command, NULL);
        return;
      }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_INTERCEPT, "no intercept “%s”", id);
}

/* The blocked request named by "request": taken out of the table; 0 having
 * failed @command. */
static guint64
take_blocked (BhBidiCommand *command)
{
  const char *id;
  guint64 request_id;

  if (!bh_bidi_param_string (command, "request", TRUE, &id))
    return 0;
  if (!g_ascii_string_to_unsigned (id, 10, 1, G_MAXUINT64, &request_id, NULL) ||
      !g_hash_table_contains (command->server->blocked_requests, &request_id) ||
      !bh_fetch_intercepted_is_held (request_id))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_REQUEST, "no request “%s” is blocked", id);
      return 0;
    }
  return request_id;
}

static void
network_continue_request (BhBidiCommand *command)
{
  static const char * const unsupported[] = { "method", "headers", "cookies", "body" };
  const char *url;
  guint64 request_id;

  if (!bh_bidi_param_string (command, "url", FALSE, &url))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    if (json_object_has_member (command->params, unsupported[i]))
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                              "Bulkhead does not change a request's “%s” yet", unsupported[i]);
        return;
      }
  if (url != NULL)
    {
      const char *scheme = g_uri_peek_scheme (url);

      if (!g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL) || scheme == NULL ||
          (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https")))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"url\" must be an absolute http or https URL");
          return;
        }
    }
  if ((request_id = take_blocked (command)) == 0)
    return;
  g_hash_table_remove (command->server->blocked_requests, &request_id);
  bh_fetch_intercepted_continue (request_id, url);
  bh_bidi_command_return (command, NULL);
}

static void
network_fail_request (BhBidiCommand *command)
{
  guint64 request_id = take_blocked (command);

  if (request_id == 0)
    return;
  g_hash_table_remove (command->server->blocked_requests, &request_id);
  bh_fetch_intercepted_fail (request_id);
  bh_bidi_command_return (command, NULL);
}

/* A network.BytesValue: {type: "string", value} or {type: "base64", value}. */
static GBytes *
bytes_value (JsonNode *node)
{
  JsonObject *object;
  const char *type, *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  type = json_object_get_string_member_with_default (object, "type", NULL);
  value = json_object_get_string_member_with_default (object, "value", NULL);
  if (type == NULL || value == NULL)
    return NULL;
  if (g_str_equal (type, "string"))
    return g_bytes_new (value, strlen (value));
  if (g_str_equal (type, "base64"))
    {
      gsize length;
      guchar *data = g_base64_decode (value, &length);

      return g_bytes_new_take (data, length);
    }
  return NULL;
}

static void
network_provide_response (BhBidiCommand *command)
{
  JsonNode *headers = json_object_get_member (command->params, "headers");
  JsonNode *body_node = json_object_get_member (command->params, "body");
  g_autoptr (GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *charset = NULL;
  gint64 status = 200;
  guint64 request_id;

  if (json_object_has_member (command->params, "statusCode") &&
      !bh_bidi_param_integer (command, "statusCode", &status))
    return;
  if (status < 100 || status > 599)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"statusCode\" must be 100 to 599");
      return;
    }
  if (json_object_has_member (command->params, "cookies"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "Bulkhead does not set a provided response's cookies yet");
      return;
    }
  if (body_node != NULL && (body = bytes_value (body_node)) == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"body\" must be {type: \"string\" | \"base64\", value}");
      return;
    }
  if (headers != NULL && !JSON_NODE_HOLDS_ARRAY (headers))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"headers\" must be an array");
      return;
    }
  /* Of the headers, the Content-Type is what the browser uses: its essence
   * and charset, as "extract a MIME type" takes them. */
  for (guint i = 0; headers != NULL && i < json_array_get_length (json_node_get_array (headers)); i++)
    {
      JsonNode *header = json_array_get_element (json_node_get_array (headers), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (header) ? json_node_get_object (header) : NULL;
      const char *name = object != NULL ? json_object_get_string_member_with_default (object, "name", NULL) : NULL;
      g_autoptr (GBytes) value = object != NULL ? bytes_value (json_object_get_member (object, "value")) : NULL;

      if (name == NULL || value == NULL)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "each of \"headers\" must be {name, value: BytesValue}");
          return;
        }
      if (g_ascii_strcasecmp (name, "content-type") == 0)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
          g_auto (GStrv) parts = g_strsplit (text, ";", -1);

          g_free (content_type);
          content_type = g_strstrip (g_ascii_strdown (parts[0] != NULL ? parts[0] : "", -1));
          for (guint j = 1; parts[j] != NULL; j++)
            {
              char *parameter = g_strstrip (parts[j]);

              if (g_ascii_strncasecmp (parameter, "charset=", 8) == 0)
                {
                  g_free (charset);
                  charset = g_strdup (parameter + 8);
                }
            }
        }
    }
  if ((request_id = take_blocked (command)) == 0)
    return;
  g_hash_table_remove (command->server->blocked_requests, &request_id);
  if (body == NULL)
    body = g_bytes_new (NULL, 0);
  bh_fetch_intercepted_respond (request_id, (guint) status,
                                content_type != NULL && *content_type != '\0' ? content_type : "text/plain",
                                charset, body);
  bh_bidi_command_return (command, NULL);
}

static void
network_unsupported_phase (BhBidiCommand *command)
{
  const char *id;
  guint64 request_id;

  if (!bh_bidi_param_string (command, "request", TRUE, &id))
    return;
  /* No request is ever blocked in responseStarted or authRequired. */
  if (g_ascii_string_to_unsigned (id, 10, 1, G_MAXUINT64, &request_id, NULL) &&
      g_hash_table_contains (command->server->blocked_requests, &request_id))
    bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                          "request “%s” is blocked before it was sent, not in %s", id,
                          g_str_equal (command->method, "network.continueResponse") ? "responseStarted"
                                                                                      : "authRequired");
  else
    bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_REQUEST, "no request “%s” is blocked", id);
}

/* network.setCacheBehavior {cacheBehavior: "default" | "bypass", contexts?}:
 * without contexts, every tab's, those made later too. */
static void
network_set_cache_behavior (BhBidiCommand *command)
{
  g_auto (GStrv) contexts = NULL;
  const char *behavior;
  gboolean bypass;

  if (!bh_bidi_param_string (command, "cacheBehavior", TRUE, &behavior) ||
      !bh_bidi_param_strings (command, "contexts", FALSE, &contexts))
    return;
  if (!g_str_equal (behavior, "default") && !g_str_equal (behavior, "bypass"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"cacheBehavior\" must be \"default\" or \"bypass\"");
      return;
    }
  bypass = g_str_equal (behavior, "bypass");
  for (guint i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (command->server, contexts[i]) == NULL)
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”", contexts[i]);
        return;
      }
  if (contexts != NULL)
    for (guint i = 0; contexts[i] != NULL; i++)
      bh_tab_set_cache_bypass (bh_bidi_server_find_tab (command->server, contexts[i]), bypass);
  else
    {
      GListModel *tabs = bh_browser_get_tabs (command->server->browser);

      command->server->bypass_cache = bypass;
      for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
        {
          g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);

          bh_tab_set_cache_bypass (tab, bypass);
        }
    }
  bh_bidi_command_return (command, NULL);
}

/* An HTTP token (RFC 9110 section 5.6.2): a header's name. */
static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* network.setExtraHeaders {headers: [{name, value: BytesValue}], contexts?}:
 * without contexts, every tab's, those made later too; [] for none. */
static void
network_set_extra_headers (BhBidiCommand *command)
{
  JsonNode *headers = json_object_get_member (command->params, "headers");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) pairs = NULL;
  g_auto (GStrv) contexts = NULL;

  if (!bh_bidi_param_strings (command, "contexts", FALSE, &contexts))
    return;
  if (json_object_has_member (command->params, "userContexts"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "extra headers by user context are not supported");
      return;
    }
  if (headers == NULL || !JSON_NODE_HOLDS_ARRAY (headers) ||
      json_array_get_length (json_node_get_array (headers)) > 64)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"headers\" must be an array of at most 64");
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (headers)); i++)
    {
      JsonNode *header = json_array_get_element (json_node_get_array (headers), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (header) ? json_node_get_object (header) : NULL;
      const char *name = object != NULL ? json_object_get_string_member_with_default (object, "name", NULL) : NULL;
      g_autoptr (GBytes) value = object != NULL ? bytes_value (json_object_get_member (object, "value")) : NULL;
      gsize size = value != NULL ? g_bytes_get_size (value) : 0;
      const char *data = value != NULL ? g_bytes_get_data (value, NULL) : NULL;
      g_autofree char *text = NULL;

      /* Neither may end the header or start another: no request smuggling. */
      if (name == NULL || !is_token (name) || value == NULL || size > 8192 ||
          (size > 0 && (memchr (data, '\r', size) != NULL || memchr (data, '\n', size) != NULL ||
                        memchr (data, '\0', size) != NULL)))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "each header is {name: a token, value: BytesValue without CR, LF or NUL}");
          return;
        }
      text = g_strndup (data, size);
      g_strv_builder_add (builder, name);
      g_strv_builder_add (builder, text);
    }
  for (guint i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (command->server, contexts[i]) == NULL)
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”", contexts[i]);
        return;
      }
  pairs = g_strv_builder_end (builder);
  if (contexts != NULL)
    for (guint i = 0; contexts[i] != NULL; i++)
      bh_tab_set_extra_headers (bh_bidi_server_find_tab (command->server, contexts[i]),
                                (const char *const *) pairs);
  else
    {
      GListModel *tabs = bh_browser_get_tabs (command->server->browser);

      g_strfreev (command->server->extra_headers);
      command->server->extra_headers = pairs[0] != NULL ? g_strdupv (pairs) : NULL;
      for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
        {
          g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);

          bh_tab_set_extra_headers (tab, (const char *const *) pairs);
        }
    }
  bh_bidi_command_return (command, NULL);
}

const BhBidiCommandEntry bh_bidi_intercept_commands[] = {
  { "network.setExtraHeaders", network_set_extra_headers },
  { "network.setCacheBehavior", network_set_cache_behavior },
  { "network.addIntercept", network_add_intercept },
  { "network.removeIntercept", network_remove_intercept },
  { "network.continueRequest", network_continue_request },
  { "network.failRequest", network_fail_request },
  { "network.provideResponse", network_provide_response },
  { "network.continueResponse", network_unsupported_phase },
  { "network.continueWithAuth", network_unsupported_phase },
  { NULL, NULL }
};
