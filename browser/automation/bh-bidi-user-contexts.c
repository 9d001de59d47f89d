/* bh-bidi-user-contexts.c: BiDi's user contexts
 * (https://w3c.github.io/webdriver-bidi/#user-contexts): "default", the
 * browser's own profile and renderers, and those browser.createUserContext
 * makes. Each of those is a profile of its own in memory (its own cookies:
 * browser/profile/) with a process manager of its own, so that its tabs get
 * renderers of their own: a site's renderer is per profile, as Chromium
 * keeps one per BrowserContext. Removing one closes its tabs and ends its
 * renderers.
 */
#include "bh-bidi-server-private.h"

#include "bh-process-manager.h"
#include "bh-profile.h"

/* How long a removed user context's renderers get to exit on EOF. */
#define USER_CONTEXT_REAP_MS 2000

struct _UserContext {
  char *id;
  BhProfile *profile;          /* a reference */
  BhProcessManager *processes; /* a reference */
  BhBidiServer *server;
};

void
bh_bidi_user_context_free (UserContext *context)
{
  if (context == NULL)
    return;
  if (context->processes != NULL)
    {
      g_signal_handlers_disconnect_by_data (context->processes, context->server);
      bh_process_manager_close_children (context->processes);
      bh_process_manager_reap_children (context->processes, USER_CONTEXT_REAP_MS);
    }
  g_clear_object (&context->processes);
  g_clear_object (&context->profile);
  g_free (context->id);
  g_free (context);
}

static UserContext *
find (BhBidiServer *self, const char *id, guint *out_index)
{
  for (guint i = 0; id != NULL && i < self->user_contexts->len; i++)
    {
      UserContext *context = g_ptr_array_index (self->user_contexts, i);

      if (g_str_equal (context->id, id))
        {
          if (out_index != NULL)
            *out_index = i;
          return context;
        }
    }
  return NULL;
}

GStrv
bh_bidi_server_list_user_contexts (BhBidiServer *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), NULL);

  g_strv_builder_add (builder, BH_BIDI_DEFAULT_USER_CONTEXT);
  for (guint i = 0; i < self->user_contexts->len; i++)
    g_strv_builder_add (builder, ((UserContext *) g_ptr_array_index (self->user_contexts, i))->id);
  return g_strv_builder_end (builder);
}

char *
bh_bidi_server_create_user_context (BhBidiServer *self, GError **error)
{
  BhBrowserOptions *options;
  UserContext *context;

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), NULL);

  context = g_new0 (UserContext, 1);
  context->server = self;
  context->profile = bh_profile_open (NULL, error);
  if (context->profile == NULL)
    {
      bh_bidi_user_context_free (context);
      return NULL;
    }
  options = (BhBrowserOptions *) bh_browser_get_options (self->browser);
  context->processes = bh_process_manager_new (options, context->profile, error);
  if (context->processes == NULL)
    {
      bh_bidi_user_context_free (context);
      return NULL;
    }
  /* Its renderers' ends are bulkhead:process.terminated events like any. */
  g_signal_connect (context->processes, "renderer-host-added", G_CALLBACK (bh_bidi_host_added_cb),
                    self);
  g_signal_connect (context->processes, "renderer-host-removed",
                    G_CALLBACK (bh_bidi_host_removed_cb), self);
  context->id = g_uuid_string_random ();
  g_ptr_array_add (self->user_contexts, context);
  return g_strdup (context->id);
}

gboolean
bh_bidi_server_has_user_context (BhBidiServer *self, const char *id)
{
  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), FALSE);

  return g_str_equal (id, BH_BIDI_DEFAULT_USER_CONTEXT) || find (self, id, NULL) != NULL;
}

BhProcessManager *
bh_bidi_server_get_user_context_processes (BhBidiServer *self, const char *id)
{
  UserContext *context;

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), NULL);

  context = find (self, id, NULL);
  return context != NULL ? context->processes
                         : bh_browser_get_process_manager (self->browser);
}

BhProfile *
bh_bidi_server_get_user_context_profile (BhBidiServer *self, const char *id)
{
  UserContext *context;

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), NULL);

  context = find (self, id, NULL);
  return context != NULL ? context->profile : bh_browser_get_profile (self->browser);
}

gboolean
bh_bidi_server_remove_user_context (BhBidiServer *self, const char *id)
{
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, value;
  guint index;

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), FALSE);

  if (find (self, id, &index) == NULL)
    return FALSE;
  /* Its tabs close, as the spec's "remove user context" closes its
   * top-level traversables; then its renderers end. */
  g_hash_table_iter_init (&iter, self->tab_user_contexts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BhTab *tab = g_str_equal (value, id) ? bh_bidi_server_find_tab (self, key) : NULL;

      if (tab != NULL)
        g_ptr_array_add (doomed, g_object_ref (tab));
    }
  for (guint i = 0; i < doomed->len; i++)
    {
      BhTab *tab = g_ptr_array_index (doomed, i);

      if (!bh_bidi_server_close_tab (self, tab))
        bh_tab_close (tab);
    }
  g_ptr_array_remove_index (self->user_contexts, index);
  return TRUE;
}

const char *
bh_bidi_server_get_user_context (BhBidiServer *self, BhTab *tab)
{
  g_autofree char *context = bh_bidi_context_for_tab (tab);
  const char *id = g_hash_table_lookup (self->tab_user_contexts, context);

  return id != NULL ? id : BH_BIDI_DEFAULT_USER_CONTEXT;
}
