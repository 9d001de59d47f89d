/* bh-renderer-fetch.c: fetch() and XMLHttpRequest through the browser
 * (bh-renderer-fetch.h). */
#include "bh-renderer-fetch.h"

#include <unistd.h>

#include "bh-shm.h"

typedef struct {
  guint32 view_id;
  guint64 navigation_id;
  guint realm_request_id;
  char *method;
  char *url;
  char *content_type;
  GBytes *body;
} Fetch;

typedef struct {
  guint in_flight;
  GQueue queued; /* Fetch, not yet sent */
} ViewFetches;

static struct {
  BhChannel *channel;
  BhFetchRealmLookup lookup;
  GHashTable *in_flight; /* wire request id -> Fetch */
  GHashTable *views;     /* view id -> ViewFetches */
  guint32 next_id;
} F;

static void
fetch_free (Fetch *f)
{
  g_free (f->method);
  g_free (f->url);
  g_free (f->content_type);
  g_clear_pointer (&f->body, g_bytes_unref);
  g_free (f);
}

static void
view_fetches_free (ViewFetches *v)
{
  g_queue_clear_full (&v->queued, (GDestroyNotify) fetch_free);
  g_free (v);
}

void
bh_renderer_fetch_init (BhChannel *channel, BhFetchRealmLookup lookup)
{
  F.channel = channel;
  F.lookup = lookup;
  F.in_flight = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) fetch_free);
  F.views = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) view_fetches_free);
}

static void
send_queued (guint32 view_id)
{
  ViewFetches *v = g_hash_table_lookup (F.views, GUINT_TO_POINTER (view_id));

  while (v != NULL && v->in_flight < BH_MAX_FETCH_REQUESTS_PER_VIEW && !g_queue_is_empty (&v->queued))
    {
      Fetch *f = g_queue_pop_head (&v->queued);
      guint32 id = ++F.next_id;
      gsize len;
      const void *data = g_bytes_get_data (f->body, &len);

      v->in_flight++;
      g_hash_table_insert (F.in_flight, GUINT_TO_POINTER (id), f);
      bh_channel_send (F.channel, BH_MSG_FetchRequest,
                       g_variant_new ("(utusss@ay)", f->view_id, f->navigation_id, id, f->method, f->url,
                                      f->content_type,
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data != NULL ? data : "", len, 1)),
                       NULL, 0);
    }
}

void
bh_renderer_fetch_start (BhScriptRealm *realm, guint32 view_id, guint64 navigation_id, guint realm_request_id,
                         const char *method, const char *url, const char *content_type, GBytes *body)
{
  ViewFetches *v;
  Fetch *f;

  if (g_bytes_get_size (body) > BH_MAX_FETCH_BODY_BYTES)
    {
      bh_script_realm_fetch_done (realm, realm_request_id, 0, NULL, NULL, NULL, "the request body is too large");
      return;
    }
  v = g_hash_table_lookup (F.views, GUINT_TO_POINTER (view_id));
  if (v == NULL)
    {
      v = g_new0 (ViewFetches, 1);
      g_hash_table_insert (F.views, GUINT_TO_POINTER (view_id), v);
    }
  f = g_new0 (Fetch, 1);
  f->view_id = view_id;
  f->navigation_id = navigation_id;
  f->realm_request_id = realm_request_id;
  f->method = g_strdup (method);
  f->url = g_strdup (url);
  f->content_type = g_strdup (content_type);
  f->body = g_bytes_ref (body);
  g_queue_push_tail (&v->queued, f);
  send_queued (view_id);
}

void
bh_renderer_fetch_handle_answer (BhMessage *m)
{
  guint32 view_id, id, status = 0;
  const char *url = NULL, *content_type = NULL, *reason = NULL;
  guint64 size = 0;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  ViewFetches *v;
  Fetch *f;
  BhScriptRealm *realm;

  if (m->type == BH_MSG_FetchResponse)
    {
      g_variant_get (m->payload, "(uu&su&st)", &view_id, &id, &url, &status, &content_type, &size);
      body = bh_blob_map (m->fds[0], size, &error);
      if (body == NULL)
        reason = error->message;
    }
  else
    g_variant_get (m->payload, "(uu&s)", &view_id, &id, &reason);

  f = g_hash_table_lookup (F.in_flight, GUINT_TO_POINTER (id));
  /* The browser answers what it was asked; anything else is its bug: ignored. */
  if (f == NULL || f->view_id != view_id)
    return;
  v = g_hash_table_lookup (F.views, GUINT_TO_POINTER (view_id));
  if (v != NULL && v->in_flight > 0)
    v->in_flight--;
  realm = F.lookup (view_id, f->navigation_id);
  if (realm != NULL)
    {
      guint realm_request_id = f->realm_request_id;

      /* The realm may navigate or free its view in the hook: nothing of @f after. */
      g_hash_table_remove (F.in_flight, GUINT_TO_POINTER (id));
      bh_script_realm_fetch_done (realm, realm_request_id, status, url, content_type, body,
                                  body == NULL ? reason : NULL);
    }
  else
    g_hash_table_remove (F.in_flight, GUINT_TO_POINTER (id));
  send_queued (view_id);
}

void
bh_renderer_fetch_forget_view (guint32 view_id)
{
  g_hash_table_remove (F.views, GUINT_TO_POINTER (view_id));
}
