/* bh-tab-interaction.c: find in page and the page's copied text, for one
 * tab (bh-tab-interaction.h). */
#include "bh-tab-interaction-private.h"

#include <string.h>

#include "bh-message.h"
#include "bh-renderer-host-private.h"

struct _BhTabInteraction {
  GObject parent_instance;

  BhRendererHost *host; /* a reference, or NULL */
  guint view_id;
  guint32 next_find_request_id;
  char *tooltip;
};

G_DEFINE_FINAL_TYPE (BhTabInteraction, bh_tab_interaction, G_TYPE_OBJECT)

enum {
  SIGNAL_FIND_REPLY,
  SIGNAL_CLIPBOARD_TEXT,
  SIGNAL_SHOW_POPUP_MENU,
  SIGNAL_CONTEXT_MENU,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_TOOLTIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  bh_tab_interaction_tooltip_changed (self, "");
}

void
bh_tab_interaction_popup_menu_closed (BhTabInteraction *self, guint32 popup_id, int index)
{
  g_return_if_fail (BH_IS_TAB_INTERACTION (self));
  g_return_if_fail (index >= -1);

  if (self->host != NULL)
    bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_PopupMenuClosed,
                                   g_variant_new ("(uui)", self->view_id, popup_id, index));
}

void
bh_tab_interaction_select_all (BhTabInteraction *self)
{
  g_return_if_fail (BH_IS_TAB_INTERACTION (self));

  if (self->host != NULL)
    bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_ExecuteEditCommand,
                                   g_variant_new ("(us)", self->view_id, "SelectAll"));
}

void
bh_tab_interaction_delete_selection (BhTabInteraction *self)
{
  g_return_if_fail (BH_IS_TAB_INTERACTION (self));

  if (self->host != NULL)
    bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_ExecuteEditCommand,
                                   g_variant_new ("(us)", self->view_id, "Delete"));
}

void
bh_tab_interaction_insert_text (BhTabInteraction *self, const char *text)
{
  g_autofree char *cut = NULL;

  g_return_if_fail (BH_IS_TAB_INTERACTION (self));
  g_return_if_fail (text != NULL && g_utf8_validate (text, -1, NULL));

  if (self->host == NULL)
    return;
  if (strlen (text) > BH_MAX_SELECTION_BYTES)
    {
      const char *end = g_utf8_find_prev_char (text, text + BH_MAX_SELECTION_BYTES + 1);

      text = cut = g_strndup (text, end != NULL ? (gsize) (end - text) : 0);
    }
  bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_InsertText,
                                 g_variant_new ("(us)", self->view_id, text));
}

const char *
bh_tab_interaction_get_tooltip (BhTabInteraction *self)
{
  g_return_val_if_fail (BH_IS_TAB_INTERACTION (self), "");

  return self->tooltip != NULL ? self->tooltip : "";
}

void
bh_tab_interaction_show_popup_menu (BhTabInteraction *self, guint32 popup_id, int x, int y, int width, int height,
                                    int selected, const char *const *labels, const gboolean *enabled)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_POPUP_MENU], 0, popup_id, x, y, width, height, selected, labels,
                 enabled);
}

void
bh_tab_interaction_show_context_menu (BhTabInteraction *self, int x, int y, const char *link_url,
                                      const char *image_url, const char *selection, gboolean editable)
{
  g_signal_emit (self, signals[SIGNAL_CONTEXT_MENU], 0, x, y, link_url, image_url, selection, editable);
}

void
bh_tab_interaction_tooltip_changed (BhTabInteraction *self, const char *text)
{
  if (g_strcmp0 (text, bh_tab_interaction_get_tooltip (self)) == 0)
    return;
  g_free (self->tooltip);
  self->tooltip = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
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
bh_tab_interaction_finalize (GObject *object)
{
  BhTabInteraction *self = BH_TAB_INTERACTION (object);

  g_free (self->tooltip);
  G_OBJECT_CLASS (bh_tab_interaction_parent_class)->finalize (object);
}

static void
bh_tab_interaction_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhTabInteraction *self = BH_TAB_INTERACTION (object);

  switch (prop_id)
    {
    case PROP_TOOLTIP:
      g_value_set_string (value, bh_tab_interaction_get_tooltip (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_tab_interaction_class_init (BhTabInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_tab_interaction_dispose;
  object_class->finalize = bh_tab_interaction_finalize;
  object_class->get_property = bh_tab_interaction_get_property;

  properties[PROP_TOOLTIP] = g_param_spec_string ("tooltip", NULL, NULL, "",
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_SHOW_POPUP_MENU] =
    g_signal_new ("show-popup-menu", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  8, G_TYPE_UINT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_STRV,
                  G_TYPE_POINTER);
  signals[SIGNAL_CONTEXT_MENU] =
    g_signal_new ("context-menu", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 6,
                  G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  signals[SIGNAL_FIND_REPLY] = g_signal_new ("find-reply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                             NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_CLIPBOARD_TEXT] = g_signal_new ("clipboard-text", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
bh_tab_interaction_init (BhTabInteraction *self)
{
}
