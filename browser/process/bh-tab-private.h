/* bh-tab-private.h: what the browser and the tab's plugin areas use of a tab.
 *
 * The renderer host reports to the tabs it serves through the
 * BhRendererViewClient each gave with its view (bh-renderer-host-private.h),
 * not through functions of the tab.
 */
#pragma once

#include "bh-process-manager.h"
#include "bh-tab-plugins-private.h"
#include "bh-tab.h"

G_BEGIN_DECLS

/**
 * bh_tab_new_in:
 * @processes: the process manager whose renderers serve the tab; the tab
 *   keeps a reference
 * @tab_id: the tab's id, unique in the browser
 *
 * For the browser's tab list (bh_browser_new_tab()), which adds the tab and
 * lets it go on "closed".
 *
 * Returns: (transfer full): a tab showing nothing yet, sized by
 *   --window-size; navigate it.
 */
BhTab *bh_tab_new_in (BhProcessManager *processes, guint tab_id);

/**
 * bh_tab_get_plugins:
 *
 * Returns: (transfer none) (nullable): the tab's plugin areas; %NULL once
 *   disposed.
 */
BhTabPlugins *bh_tab_get_plugins (BhTab *tab);

G_END_DECLS
