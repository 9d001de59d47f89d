/* bh-tab-script.c: a tab's JavaScript as the browser sees it (bh-tab-script.h).
 *
 * Part of the tab (bh-tab.c): it keeps the evaluations the tab's document
 * owes an answer and the one dialog its renderer may wait on, in an object
 * attached to the tab, and fails or dismisses them when the document goes.
 */
#include "bh-tab-script-private.h"

#include "bh-renderer-host.h"

#define TAB_SCRIPT_KEY "bh-tab-script"

enum {
  SIGNAL_CONSOLE_MESSAGE,
  SIGNAL_SCRIPT_DIALOG,
  SIGNAL_SCRIPT_DIALOG_OPENED,
  SIGNAL_SCRIPT_DIALOG_CLOSED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

typedef struct {
  BhTabScriptResultFunc callback;
  gpointer user_data;
} Pending;

typedef struct {
  GHashTable *pending;  /* request id -> Pending */
  guint32 next_request_id;
  guint32 dialog_id;    /* the dialog the renderer waits on, 0 when none */
  BhWebStorage *session_storage; /* the tab's sessionStorage, per origin, in memory */
  guint dialog_kind;    /* its kind: 0 alert, 1 confirm, 2 prompt */
  GStrv preload_scripts; /* automation's, for each document committed; NULL: never set */
} TabScript;

G_DEFINE_QUARK (bh-tab-script-error-quark, bh_tab_script_error)

static void
tab_script_free (gpointer data)
{
  TabScript *ts = data;

  /* bh_tab_script_document_gone() ran at dispose: nothing is owed by now. */
  g_hash_table_unref (ts->pending);
  bh_web_storage_free (ts->session_storage);
  g_strfreev (ts->preload_scripts);
  g_free (ts);
}

static TabScript *
tab_script (BhTab *tab)
{
  TabScript *ts = g_object_get_data (G_OBJECT (tab), TAB_SCRIPT_KEY);

  if (ts == NULL)
    {
      ts = g_new0 (TabScript, 1);
      ts->pending = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      ts->session_storage = bh_web_storage_new (NULL);
      g_object_set_data_full (G_OBJECT (tab), TAB_SCRIPT_KEY, ts, tab_script_free);
    }
  return ts;
}

/* "script-dialog-opened": TRUE when any handler holds the dialog. */
static gboolean
accumulate_any (GSignalInvocationHint *hint, GValue *return_accu, const GValue *handler_return, gpointer data)
{
  if (g_value_get_boolean (handler_return))
    g_value_set_boolean (return_accu, TRUE);
  return TRUE;
}

void
bh_tab_script_class_init (GObjectClass *object_class)
{
  signals[SIGNAL_CONSOLE_MESSAGE] =
    g_signal_new ("console-message", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_SCRIPT_DIALOG] =
    g_signal_new ("script-dialog", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 4, G_TYPE_UINT, G_TYPE_UINT,
                  G_TYPE_STRING, G_TYPE_STRING);
  /* Every handler runs: each says whether it holds the dialog open. */
  signals[SIGNAL_SCRIPT_DIALOG_OPENED] =
    g_signal_new ("script-dialog-opened", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0,
                  accumulate_any, NULL, NULL, G_TYPE_BOOLEAN, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_SCRIPT_DIALOG_CLOSED] =
    g_signal_new ("script-dialog-closed", G_TYPE_FROM_CLASS (object_class), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

typedef struct {
  BhTab *tab;
  Pending pending;
  GError *error;
} Failure;

static gboolean
deliver_failure_cb (gpointer data)
{
  Failure *f = data;

  f->pending.callback (f->tab, NULL, f->error, f->pending.user_data);
  g_object_unref (f->tab);
  g_error_free (f->error);
  g_free (f);
  return G_SOURCE_REMOVE;
}

/* Callbacks run from the main loop, never inside the caller's call. */
static void
fail_later (BhTab *tab, const Pending *pending, BhTabScriptError code, const char *message)
{
  Failure *f = g_new0 (Failure, 1);

  f->tab = g_object_ref (tab);
  f->pending = *pending;
  f->error = g_error_new_literal (BH_TAB_SCRIPT_ERROR, code, message);
  g_idle_add (deliver_failure_cb, f);
}

void
bh_tab_evaluate_script (BhTab *tab, const char *source, const char *arguments_json, BhTabScriptFlags flags,
                        BhTabScriptResultFunc callback, gpointer user_data)
{
  TabScript *ts;
  Pending pending = { callback, user_data };
  BhRendererHost *host;
  guint view_id = 0;
  guint32 request_id;

  g_return_if_fail (BH_IS_TAB (tab));
  g_return_if_fail (source != NULL);
  g_return_if_fail (callback != NULL);

  ts = tab_script (tab);
  host = bh_tab_get_renderer_view (tab, &view_id);
  if (host == NULL || bh_tab_get_committed_navigation_id (tab) == 0)
    {
      fail_later (tab, &pending, BH_TAB_SCRIPT_ERROR_NO_DOCUMENT, "no document is committed in the tab");
      return;
    }
  request_id = ++ts->next_request_id;
  g_hash_table_insert (ts->pending, GUINT_TO_POINTER (request_id), g_memdup2 (&pending, sizeof pending));
  bh_renderer_host_evaluate_script (host, view_id, request_id, source, arguments_json ? arguments_json : "[]",
                                    flags);
}

void
bh_tab_script_result (gpointer owner, guint32 request_id, const char *json)
{
  BhTab *tab = owner;
  TabScript *ts = tab_script (tab);
  Pending *pending = g_hash_table_lookup (ts->pending, GUINT_TO_POINTER (request_id));
  Pending copy;

  /* An answer for a document the tab has left was failed already. */
  if (pending == NULL)
    return;
  copy = *pending;
  g_hash_table_remove (ts->pending, GUINT_TO_POINTER (request_id));
  copy.callback (tab, json, NULL, copy.user_data);
}

void
bh_tab_script_document_gone (BhTab *tab, BhTabScriptError code)
{
  TabScript *ts = g_object_get_data (G_OBJECT (tab), TAB_SCRIPT_KEY);
  GHashTableIter iter;
  gpointer value;

  if (ts == NULL)
    return;
  g_hash_table_iter_init (&iter, ts->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    fail_later (tab, value, code,
                code == BH_TAB_SCRIPT_ERROR_RENDERER_GONE ? "the renderer died before it answered"
                                                          : "the document was replaced before it answered");
  g_hash_table_remove_all (ts->pending);
  if (ts->dialog_id != 0)
    bh_tab_answer_script_dialog (tab, ts->dialog_id, FALSE, NULL);
}

void
bh_tab_script_console_message (gpointer owner, guint level, const char *text)
{
  g_signal_emit (owner, signals[SIGNAL_CONSOLE_MESSAGE], 0, level, text);
}

void
bh_tab_script_run_dialog (gpointer owner, guint32 dialog_id, guint kind, const char *message,
                          const char *default_text)
{
  BhTab *tab = owner;
  TabScript *ts = tab_script (tab);
  gboolean handled = FALSE;
  gboolean held = FALSE;

  ts->dialog_id = dialog_id;
  ts->dialog_kind = kind;
  /* Automation hears of it first, and may answer it at once (its
   * unhandledPromptBehavior) or hold it open for a client's answer. */
  g_signal_emit (tab, signals[SIGNAL_SCRIPT_DIALOG_OPENED], 0, dialog_id, kind, message, default_text, &held);
  if (ts->dialog_id != dialog_id)
    return;
  g_signal_emit (tab, signals[SIGNAL_SCRIPT_DIALOG], 0, dialog_id, kind, message, default_text, &handled);
  if (!handled && !held)
    bh_tab_answer_script_dialog (tab, dialog_id, FALSE, NULL);
}

void
bh_tab_answer_script_dialog (BhTab *tab, guint dialog_id, gboolean accepted, const char *text)
{
  TabScript *ts;
  BhRendererHost *host;
  guint view_id;

  g_return_if_fail (BH_IS_TAB (tab));

  ts = tab_script (tab);
  if (dialog_id == 0 || dialog_id != ts->dialog_id)
    return;
  ts->dialog_id = 0;
  host = bh_tab_get_renderer_view (tab, &view_id);
  if (host != NULL)
    bh_renderer_host_answer_dialog (host, dialog_id, accepted, text);
  g_signal_emit (tab, signals[SIGNAL_SCRIPT_DIALOG_CLOSED], 0, dialog_id, ts->dialog_kind, accepted,
                 text != NULL ? text : "");
}

void
bh_tab_set_preload_scripts (BhTab *tab, const char *const *sources)
{
  TabScript *ts;
  const char *const none[] = { NULL };

  g_return_if_fail (BH_IS_TAB (tab));
  g_return_if_fail (sources == NULL || g_strv_length ((GStrv) sources) <= BH_MAX_PRELOAD_SCRIPTS);

  ts = tab_script (tab);
  g_strfreev (ts->preload_scripts);
  ts->preload_scripts = g_strdupv ((GStrv) (sources != NULL ? sources : none));
}

const char *const *
bh_tab_script_get_preload_scripts (BhTab *tab)
{
  return (const char *const *) tab_script (tab)->preload_scripts;
}

/* document.cookie (RFC 6265bis §5.8.2/§5.7 for a "non-HTTP API"): for the URL the
 * tab committed, which the renderer cannot choose; same-site, never HttpOnly. */
char *
bh_tab_script_get_cookie (gpointer owner)
{
  BhTab *tab = owner;
  const char *url = bh_tab_get_uri (tab);
  BhCookieJar *jar = bh_tab_get_cookie_jar (tab);
  BhCookieRequest request = { url, TRUE, TRUE, BH_COOKIE_SOURCE_SCRIPT };

  if (jar == NULL || url == NULL || !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
    return g_strdup ("");
  return bh_cookie_jar_get_header (jar, &request);
}

void
bh_tab_script_set_cookie (gpointer owner, const char *cookie)
{
  BhTab *tab = owner;
  const char *url = bh_tab_get_uri (tab);
  BhCookieJar *jar = bh_tab_get_cookie_jar (tab);
  BhCookieRequest request = { url, TRUE, TRUE, BH_COOKIE_SOURCE_SCRIPT };

  if (jar == NULL || url == NULL || !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
    return;
  bh_cookie_jar_set_from_header (jar, &request, cookie, NULL);
}

/* The origin (scheme://host:port) whose storage a committed document uses, or
 * NULL: only http(s) documents have storage here (file:, data: and about:
 * pages get none, as an opaque origin would). The renderer cannot choose it. */
static char *
storage_origin (BhTab *tab)
{
  const char *url = bh_tab_get_uri (tab);
  g_autoptr (GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL)
                                     : NULL;
  const char *scheme, *host;
  int port;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
  {
    g_autofree char *origin = g_strdup_printf ("%s://%s:%d", scheme, host, port);

    return g_ascii_strdown (origin, -1);
  }
}

/* HTML §12.2: localStorage from the profile, sessionStorage from the tab. */
GVariant *
bh_tab_script_storage_load (gpointer owner, gboolean session)
{
  BhTab *tab = owner;
  g_autofree char *origin = storage_origin (tab);
  BhWebStorage *storage = session ? tab_script (tab)->session_storage : bh_tab_get_web_storage (tab);

  if (origin == NULL || storage == NULL)
    return NULL;
  return bh_web_storage_load (storage, origin);
}

void
bh_tab_script_storage_change (gpointer owner, gboolean session, guint operation, const char *key, const char *value)
{
  BhTab *tab = owner;
  g_autofree char *origin = storage_origin (tab);
  BhWebStorage *storage = session ? tab_script (tab)->session_storage : bh_tab_get_web_storage (tab);
  g_autoptr (GError) error = NULL;

  if (origin == NULL || storage == NULL)
    return;
  if (operation == 0 && !bh_web_storage_set_item (storage, origin, key, value, &error))
    g_message ("tab %u: %sStorage.setItem refused: %s", bh_tab_get_id (tab), session ? "session" : "local",
               error->message);
  else if (operation == 1)
    bh_web_storage_remove_item (storage, origin, key);
  else if (operation == 2)
    bh_web_storage_clear (storage, origin);
}

void
bh_tab_script_navigate (gpointer owner, guint kind, const char *url, int delta)
{
  BhTab *tab = owner;

  switch (kind)
    {
    case 0: /* location.assign(), location.href = */
    case 1: /* location.replace(): a new entry all the same (the tab has no replace) */
      bh_tab_renderer_open_url (tab, url, BH_DISPOSITION_CURRENT_TAB, FALSE);
      break;
    case 2:
      bh_tab_reload (tab);
      break;
    case 3:
      bh_tab_go_to_offset (tab, delta);
      break;
    case 4:
    case 5:
      if (!bh_tab_set_same_document_url (tab, url, kind == 4))
        g_message ("tab %u: history.%s to %s refused: not the document's origin", bh_tab_get_id (tab),
                   kind == 4 ? "pushState" : "replaceState", url);
      break;
    default:
      break;
    }
}
