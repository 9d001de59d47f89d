/* bh-renderer-host-plugins.c: a renderer's plugin boxes
 * (bh-renderer-host-internal.h).
 *
 * Owns PluginBoxChanged and PluginBoxRemoved: where the document's
 * <embed>/<object> elements are, checked (box ids, coordinates, URL, type)
 * before the tab hears of them.
 */
#include "bh-renderer-host-internal.h"

#include <string.h>

/* Plugin boxes: where the document's <embed>/<object> elements are. The
 * renderer only says where; the browser fetches and shows the content
 * (bh-tab-plugins.h). */

#define MAX_PLUGIN_TYPE_CHARS 255u
/* Document px a box may reach: beyond, scale and scroll arithmetic overflows. */
#define MAX_PLUGIN_BOX_COORDINATE (1 << 24)

void
bh_renderer_host_handle_plugin_box_changed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint32 box_id;
  const char *url;
  const char *type;
  gint32 x, y, w, h;
  View *view;

  g_variant_get (message->payload, "(uu&s&siiii)", &view_id, &box_id, &url, &type, &x, &y, &w, &h);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (box_id == 0 || box_id > BH_MAX_PLUGIN_BOXES)
    {
      bad_message (self, "PluginBoxChanged for box %u (1 to %u)", box_id, BH_MAX_PLUGIN_BOXES);
      return;
    }
  if (w < 0 || h < 0 || ABS (x) > MAX_PLUGIN_BOX_COORDINATE || ABS (y) > MAX_PLUGIN_BOX_COORDINATE ||
      w > MAX_PLUGIN_BOX_COORDINATE || h > MAX_PLUGIN_BOX_COORDINATE)
    {
      bad_message (self, "PluginBoxChanged for box %u at %d,%d %dx%d", box_id, x, y, w, h);
      return;
    }
  if (*url != '\0' && !g_uri_is_valid (url, G_URI_FLAGS_ENCODED, NULL))
    {
      bad_message (self, "PluginBoxChanged for \"%s\", not an absolute URL", url);
      return;
    }
  if (strlen (type) > MAX_PLUGIN_TYPE_CHARS)
    {
      bad_message (self, "PluginBoxChanged with a type of %" G_GSIZE_FORMAT " bytes", strlen (type));
      return;
    }
  /* Boxes of a document the browser is replacing are of no more use. */
  if (!view->commit_acked || view->owner == NULL)
    return;
  view->client->plugin_box_changed (view->owner, box_id, url, type, x, y, w, h);
}

void
bh_renderer_host_handle_plugin_box_removed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint32 box_id;
  View *view;

  g_variant_get (message->payload, "(uu)", &view_id, &box_id);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (box_id == 0 || box_id > BH_MAX_PLUGIN_BOXES)
    {
      bad_message (self, "PluginBoxRemoved for box %u (1 to %u)", box_id, BH_MAX_PLUGIN_BOXES);
      return;
    }
  if (!view->commit_acked || view->owner == NULL)
    return;
  view->client->plugin_box_removed (view->owner, box_id);
}
