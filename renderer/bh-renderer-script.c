/* bh-renderer-script.c: the script realm's client in the renderer, its hooks
 * and the renderer's side of Web Storage (bh-renderer-view-private.h).
 *
 * A document's realm (renderer/script/, bh-script.h) asks through these hooks
 * for what only the renderer's conversation with the browser can give: the
 * console, navigations, dialogs, cookies, fetches, storage, frames. Split out
 * of main.c, which keeps the views, buffers, input and the message loop.
 */
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bh-channel.h"
#include "bh-document.h"
#include "bh-interaction.h"
#include "bh-renderer-fetch.h"
#include "bh-renderer-storage.h"
#include "bh-renderer-view-private.h"
#include "bh-sandbox.h"
#include "bh-script.h"

/* ---- script: the realm's client and its hooks ------------------------- */

/* A console line longer than this is cut (at a character boundary): the
 * browser shows lines, not documents. */
#define MAX_CONSOLE_MESSAGE_BYTES (16 * 1024)
/* How long a dialog may stay up. The browser answers every RunDialog (a
 * closed tab answers "dismissed"), so this is a backstop, not a rule. */
#define DIALOG_TIMEOUT_MS (24u * 3600u * 1000u)

static void
script_console_message (gpointer user_data, BhConsoleLevel level, const char *text)
{
  View *view = user_data;
  g_autofree char *cut = NULL;

  if (strlen (text) > MAX_CONSOLE_MESSAGE_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text, text + MAX_CONSOLE_MESSAGE_BYTES + 1);
      cut = g_strndup (text, end - text);
      text = cut;
    }
  bh_channel_send (R.channel, BH_MSG_ConsoleMessage,
                   g_variant_new ("(utus)", view->id, view->navigation_id, (guint32) level, text), NULL, 0);
}

static void
script_document_changed (gpointer user_data)
{
  View *view = user_data;

  bh_renderer_view_schedule_layout (view);
}

static void
script_ensure_layout (gpointer user_data)
{
  View *view = user_data;

  bh_document_layout (view->doc, (int) (view->width_px / view->scale), view->scale);
}

static void
script_after_task (gpointer user_data)
{
  bh_renderer_view_send_title (user_data);
}

static void
script_fetch (gpointer user_data, guint script_id, const char *url)
{
  View *view = user_data;
  Request *r = g_new0 (Request, 1);

  r->view_id = view->id;
  r->navigation_id = view->navigation_id;
  r->url = g_strdup (url);
  r->script_id = script_id;
  g_queue_push_tail (&view->queued_requests, r);
  bh_renderer_view_send_queued_requests (view);
}

static void
script_navigate (gpointer user_data, BhScriptNavigation kind, const char *url, int delta)
{
  View *view = user_data;

  bh_channel_send (R.channel, BH_MSG_ScriptNavigate,
                   g_variant_new ("(utusi)", view->id, view->navigation_id, (guint32) kind, url, delta), NULL, 0);
}

static void
script_open_window (gpointer user_data, const char *url)
{
  View *view = user_data;

  /* A new tab: the browser's pop-up rule (user activation) decides. */
  bh_channel_send (R.channel, BH_MSG_OpenURL, g_variant_new ("(usu)", view->id, url, 1u), NULL, 0);
}

static gboolean
script_run_dialog (gpointer user_data, BhDialogKind kind, const char *message, const char *default_text,
                   char **out_text)
{
  View *view = user_data;
  g_autoptr (BhMessage) reply = NULL;
  g_autoptr (GError) error = NULL;
  gboolean accepted = FALSE;
  const char *text = "";

  /* The browser shows it and answers; the page waits, as HTML's "pause" does. */
  if (!bh_channel_call_sync (R.channel, BH_MSG_RunDialog,
                             g_variant_new ("(utuss)", view->id, view->navigation_id, (guint32) kind, message,
                                            default_text),
                             NULL, 0, DIALOG_TIMEOUT_MS, &reply, &error))
    return FALSE;
  if (reply->type != BH_MSG_DialogClosed)
    return FALSE;
  g_variant_get (reply->payload, "(b&s)", &accepted, &text);
  *out_text = g_strdup (text);
  return accepted;
}

static void
script_evaluate_done (gpointer user_data, guint32 request_id, const char *json)
{
  View *view = user_data;

  /* A preload script's: nobody asked. */
  if (request_id == 0)
    return;
  bh_channel_send (R.channel, BH_MSG_ScriptResult, g_variant_new ("(uus)", view->id, request_id, json), NULL, 0);
}

static void
script_viewport (gpointer user_data, int *width_px, int *height_px, int *scroll_y_px)
{
  View *view = user_data;

  *width_px = (int) (view->width_px / view->scale);
  *height_px = (int) (view->height_px / view->scale);
  *scroll_y_px = view->scroll_y;
}

/* document.cookie: the browser answers for the document it committed. */
static char *
script_get_cookie (gpointer user_data)
{
  View *view = user_data;
  g_autoptr (BhMessage) reply = NULL;
  g_autoptr (GError) error = NULL;
  const char *cookies = "";

  if (!bh_channel_call_sync (R.channel, BH_MSG_CookieGet, g_variant_new ("(ut)", view->id, view->navigation_id),
                             NULL, 0, 10000, &reply, &error) ||
      reply->type != BH_MSG_CookieValue)
    return g_strdup ("");
  g_variant_get (reply->payload, "(&s)", &cookies);
  return g_strdup (cookies);
}

static void
script_set_cookie (gpointer user_data, const char *cookie)
{
  View *view = user_data;

  /* Longer ones the browser would refuse (a cookie is at most 4096 bytes). */
  if (strlen (cookie) > 4096)
    return;
  bh_channel_send (R.channel, BH_MSG_CookieSet, g_variant_new ("(uts)", view->id, view->navigation_id, cookie),
                   NULL, 0);
}

static void
script_fetch_request (gpointer user_data, guint request_id, const char *method, const char *url,
                      const char *content_type, GBytes *body)
{
  View *view = user_data;

  bh_renderer_fetch_start (view->realm, view->id, view->navigation_id, request_id, method, url, content_type, body);
}

/* Web Storage: the renderer's copy of the areas (bh-renderer-storage.h), for
 * the origin of the URL the view committed. */
static gboolean
storage_user (View *view, gboolean session, BhStorageUser *out, char **out_origin)
{
  *out_origin = bh_renderer_storage_origin (view->url);
  if (*out_origin == NULL)
    return FALSE;
  *out = (BhStorageUser) { view->id, view->navigation_id, *out_origin, session };
  return TRUE;
}

static gboolean
script_storage_available (gpointer user_data)
{
  View *view = user_data;
  g_autofree char *origin = bh_renderer_storage_origin (view->url);

  return origin != NULL;
}

static char *
script_storage_get (gpointer user_data, gboolean session, const char *key)
{
  BhStorageUser user;
  g_autofree char *origin = NULL;

  return storage_user (user_data, session, &user, &origin) ? g_strdup (bh_renderer_storage_get (&user, key)) : NULL;
}

/* A localStorage change, for the storage event of the origin's other documents. */
typedef struct {
  guint32 view_id;
  guint64 navigation_id;
  char *key;      /* NULL for clear() */
  char *old_value;
  char *new_value;
  char *url;      /* the document that changed it */
} StorageEvent;

static void
storage_event_free (gpointer data)
{
  StorageEvent *e = data;

  g_free (e->key);
  g_free (e->old_value);
  g_free (e->new_value);
  g_free (e->url);
  g_free (e);
}

static gboolean
storage_event_cb (gpointer data)
{
  StorageEvent *e = data;
  View *view = bh_renderer_lookup_view (e->view_id);

  if (view != NULL && view->navigation_id == e->navigation_id && view->realm != NULL)
    bh_script_realm_dispatch_storage (view->realm, e->key, e->old_value, e->new_value, e->url);
  return G_SOURCE_REMOVE;
}

/* HTML §12.2.1 "broadcast": a task on every other document of the origin, all of
 * which this renderer serves (one renderer per site); not the one that changed it. */
static void
broadcast_storage_change (View *from, const char *origin, const char *key, const char *old_value,
                          const char *new_value)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, R.views);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      View *other = value;
      g_autofree char *other_origin = NULL;
      StorageEvent *e;

      if (other == from || other->realm == NULL)
        continue;
      other_origin = bh_renderer_storage_origin (other->url);
      if (g_strcmp0 (other_origin, origin) != 0)
        continue;
      e = g_new0 (StorageEvent, 1);
      e->view_id = other->id;
      e->navigation_id = other->navigation_id;
      e->key = g_strdup (key);
      e->old_value = g_strdup (old_value);
      e->new_value = g_strdup (new_value);
      e->url = g_strdup (from->url);
      g_idle_add_full (G_PRIORITY_DEFAULT, storage_event_cb, e, storage_event_free);
    }
}

static gboolean
script_storage_set (gpointer user_data, gboolean session, const char *key, const char *value)
{
  BhStorageUser user;
  g_autofree char *origin = NULL;
  g_autofree char *old = NULL;

  if (!storage_user (user_data, session, &user, &origin))
    return FALSE;
  old = g_strdup (bh_renderer_storage_get (&user, key));
  if (!bh_renderer_storage_set (&user, key, value))
    return FALSE;
  if (!session && g_strcmp0 (old, value) != 0)
    broadcast_storage_change (user_data, origin, key, old, value);
  return TRUE;
}

static void
script_storage_remove (gpointer user_data, gboolean session, const char *key)
{
  BhStorageUser user;
  g_autofree char *origin = NULL;
  g_autofree char *old = NULL;

  if (!storage_user (user_data, session, &user, &origin))
    return;
  old = g_strdup (bh_renderer_storage_get (&user, key));
  bh_renderer_storage_remove (&user, key);
  if (!session && old != NULL)
    broadcast_storage_change (user_data, origin, key, old, NULL);
}

static void
script_storage_clear (gpointer user_data, gboolean session)
{
  BhStorageUser user;
  g_autofree char *origin = NULL;
  g_auto (GStrv) keys = NULL;

  if (!storage_user (user_data, session, &user, &origin))
    return;
  keys = bh_renderer_storage_keys (&user);
  bh_renderer_storage_clear (&user);
  if (!session && keys != NULL && keys[0] != NULL)
    broadcast_storage_change (user_data, origin, NULL, NULL, NULL);
}

static char **
script_storage_keys (gpointer user_data, gboolean session)
{
  BhStorageUser user;
  g_autofree char *origin = NULL;

  return storage_user (user_data, session, &user, &origin) ? bh_renderer_storage_keys (&user) : NULL;
}

static void
script_request_frame (gpointer user_data)
{
  View *view = user_data;

  view->frame_wanted = TRUE;
  bh_renderer_view_schedule_animation_frame (view);
}

static void
script_submit_form (gpointer user_data)
{
  View *view = user_data;

  bh_interaction_send_submission (view->interaction, view->doc);
}

/* A press or key submits a form: its submit event first (bh-interaction.h). */
gboolean
bh_renderer_script_submit_filter_cb (gpointer data, GumboNode *form)
{
  View *view = data;

  return view->realm == NULL || !bh_script_realm_dispatch_submit (view->realm, form);
}

static void
script_scroll_to (gpointer user_data, int y_px)
{
  View *view = user_data;
  int before = view->scroll_y;

  /* The document may have grown since the last layout. */
  script_ensure_layout (view);
  view->scroll_y = CLAMP (y_px, 0, bh_renderer_view_max_scroll (view));
  if (view->scroll_y != before)
    {
      bh_renderer_view_paint (view);
      bh_renderer_view_schedule_window_event (view, FALSE);
    }
}

/* The realm a fetch's answer is for, if its view still shows that navigation. */
BhScriptRealm *
bh_renderer_script_fetch_realm_lookup (guint32 view_id, guint64 navigation_id)
{
  View *view = bh_renderer_lookup_view (view_id);

  return view != NULL && view->navigation_id == navigation_id ? view->realm : NULL;
}

static const BhScriptClient script_client = {
  .console_message = script_console_message,
  .document_changed = script_document_changed,
  .ensure_layout = script_ensure_layout,
  .after_task = script_after_task,
  .fetch_script = script_fetch,
  .navigate = script_navigate,
  .open_window = script_open_window,
  .run_dialog = script_run_dialog,
  .evaluate_done = script_evaluate_done,
  .viewport = script_viewport,
  .get_cookie = script_get_cookie,
  .set_cookie = script_set_cookie,
  .fetch = script_fetch_request,
  .storage_available = script_storage_available,
  .storage_get = script_storage_get,
  .storage_set = script_storage_set,
  .storage_remove = script_storage_remove,
  .storage_clear = script_storage_clear,
  .storage_keys = script_storage_keys,
  .scroll_to = script_scroll_to,
  .submit_form = script_submit_form,
  .request_frame = script_request_frame,
};

/* The whole document is parsed: its realm is made and its scripts run (the
 * engine's parser is not incremental, so every script runs after parsing, as
 * `defer` ones do; see docs/architecture.md). */
void
bh_renderer_script_start (View *view)
{
  g_autofree char *document_id = NULL;

  if (!R.javascript || view->realm != NULL || view->doc == NULL)
    return;
  document_id = g_strdup_printf ("%u.%" G_GUINT64_FORMAT, view->id, view->navigation_id);
  view->realm = bh_script_realm_new (view->doc, document_id, &script_client, view);
  if (view->realm == NULL)
    return;
  /* Request 0: answered to no one (script_evaluate_done). */
  for (guint i = 0; view->preload_scripts != NULL && view->preload_scripts[i] != NULL; i++)
    bh_script_realm_evaluate (view->realm, 0, view->preload_scripts[i], "[]", TRUE, FALSE);
  bh_script_realm_start (view->realm);
}

/* DidFinishLoad waits for DOMContentLoaded and the async scripts, and follows
 * the window's load event and the frame that shows what its handlers did. */
gboolean
bh_renderer_script_ready_to_finish (View *view)
{
  if (view->realm == NULL)
    return TRUE;
  if (!bh_script_realm_is_ready_for_load (view->realm))
    return FALSE;
  bh_script_realm_fire_load (view->realm);
  /* The handlers changed the page: finish after its frame. */
  return view->layout_idle == 0 && !view->needs_paint;
}

gboolean
bh_renderer_script_mouse_event (View *view, guint kind, double x, double doc_y, guint button, guint modifiers)
{
  return view->realm != NULL && bh_script_realm_dispatch_mouse (view->realm, kind, x, doc_y, button, modifiers);
}

/* KeyEvent is a press: keydown, then (after its default action) keyup. */
gboolean
bh_renderer_script_key_event (View *view, gboolean down, guint keyval, guint modifiers)
{
  return view->realm != NULL && bh_script_realm_dispatch_key (view->realm, down, keyval, modifiers);
}

void
bh_renderer_script_evaluate (View *view, const BhMessage *m)
{
  guint32 request_id, flags;
  const char *source, *arguments;

  g_variant_get (m->payload, "(uu&s&su)", NULL, &request_id, &source, &arguments, &flags);
  if (view->realm == NULL)
    {
      g_autofree char *json = bh_script_exception_json (R.javascript ? "the page has no script realm yet"
                                                                     : "JavaScript is disabled");
      script_evaluate_done (view, request_id, json);
      return;
    }
  bh_script_realm_evaluate (view->realm, request_id, source, arguments, (flags & 1) != 0, (flags & 2) != 0);
}

/* Before the sandbox: the engine's heap limit follows the address-space limit
 * the browser set (--renderer-memory-limit-mb). */
void
bh_renderer_script_start_engine (void)
{
  struct rlimit limit;
  guint64 address_space = 0;
  g_autoptr (GError) error = NULL;

  if (!R.javascript)
    return;
  if (getrlimit (RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    address_space = limit.rlim_cur;
  if (!bh_script_init (bh_script_heap_limit_for_address_space (address_space), &error))
    {
      g_printerr ("renderer[%d]: JavaScript is off: %s\n", getpid (), error->message);
      R.javascript = FALSE;
    }
  /* SpiderMonkey installs SIGSEGV/SIGBUS handlers of its own (for WebAssembly,
   * which the interpreter-only engine never runs) that call ours and then retry
   * the faulting instruction for ever: ours go back on top, so that a crash is
   * a crash (and an out-of-memory one `oom`). */
  bh_sandbox_exit_on_out_of_memory ();
}

