/* bh-tab-interaction-private.h: what the tab tells its BhTabInteraction. */
#pragma once

#include "bh-renderer-host.h"
#include "bh-tab-interaction.h"

G_BEGIN_DECLS

/**
 * bh_tab_interaction_new:
 *
 * Returns: (transfer full): the interaction of a tab with no renderer yet.
 */
BhTabInteraction *bh_tab_interaction_new (void);

/**
 * bh_tab_interaction_set_view:
 * @host: (nullable) (transfer none): the renderer now serving the tab; the
 *   interaction keeps a reference
 * @view_id: the tab's view in it
 *
 * The tab moved to another renderer, or lost it (%NULL).
 */
void bh_tab_interaction_set_view (BhTabInteraction *interaction, BhRendererHost *host, guint view_id);

/* From the tab's BhRendererViewClient, checked by the renderer host. */
void bh_tab_interaction_clipboard_text (BhTabInteraction *interaction, const char *text, gboolean primary);
void bh_tab_interaction_find_reply (BhTabInteraction *interaction, guint matches, guint active);
void bh_tab_interaction_show_popup_menu (BhTabInteraction *interaction, guint32 popup_id, int x, int y, int width,
                                         int height, int selected, const char *const *labels,
                                         const gboolean *enabled);
void bh_tab_interaction_show_context_menu (BhTabInteraction *interaction, int x, int y, const char *link_url,
                                           const char *image_url, const char *selection, gboolean editable);
void bh_tab_interaction_tooltip_changed (BhTabInteraction *interaction, const char *text);

G_END_DECLS
