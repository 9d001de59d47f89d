/* bh-tab-interaction.c: find in page and the page's copied text, for one
 * tab (bh-tab-interaction.h). */
#include "bh-tab-interaction-private.h"

#include "bh-message.h"
#include "bh-renderer-host-private.h"

struct _BhTabInteraction {
  GObject parent_instance;

  BhRendererHost *host; /* a reference, or NULL */
  guint view_id;
  guint32 next_find_request_id;
};

G_DEFINE_FINAL_TYPE (BhTabInteraction, bh_tab_interaction, G_TYPE_OBJECT)

enum {
  SIGNAL_FIND_REPLY,
  SIGNAL_CLIPBOARD_TEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

BhTabInteraction *
bh_tab_interaction_new (void)
{
  return g_object_new (BH_TYPE_TAB_INTERACTION, NULL);
}

void
bh_tab_interaction_set_view (BhTabInteraction *self, BhRendererHost *host, guint view_id)
{
  g_return_if_fail (BH_IS_TAB_INTERACTION (self));

  g_set_object (&self->host, host);
  self->view_id = host != NULL ? view_id : 0;
}

void
bh_tab_interaction_find (BhTabInteraction *self, const char *query, gboolean forward, gboolean find_next)
{
  g_return_if_fail (BH_IS_TAB_INTERACTION (self));
  g_return_if_fail (query != NULL && g_utf8_validate (query, -1, NULL));

  if (self->host == NULL)
    return;
  bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_Find,
                                 g_variant_new ("(uusbb)", self->view_id, ++self->next_find_request_id, query, forward,
                                                find_next));
}

void
bh_tab_interaction_stop_finding (BhTabInteraction *self)
{
  g_return_if_fail (BH_IS_TAB_INTERACTION (self));

  if (self->host != NULL)
    bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_StopFinding, g_variant_new ("(u)", self->view_id));
}

void
bh_tab_interaction_clipboard_text (BhTabInteraction *self, const char *text, gboolean primary)
{
  g_signal_emit (self, signals[SIGNAL_CLIPBOARD_TEXT], 0, text, primary);
}

void
bh_tab_interaction_find_reply (BhTabInteraction *self, guint matches, guint active)
{
  g_signal_emit (self, signals[SIGNAL_FIND_REPLY], 0, matches, active);
}

static void
bh_tab_interaction_dispose (GObject *object)
{
  BhTabInteraction *self = BH_TAB_INTERACTION (object);

  g_clear_object (&self->host);
  G_OBJECT_CLASS (bh_tab_interaction_parent_class)->dispose (object);
}

static void
bh_tab_interaction_class_init (BhTabInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_tab_interaction_dispose;

  signals[SIGNAL_FIND_REPLY] = g_signal_new ("find-reply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                             NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_CLIPBOARD_TEXT] = g_signal_new ("clipboard-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
bh_tab_interaction_init (BhTabInteraction *self)
{
}
