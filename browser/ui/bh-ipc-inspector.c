/* bh-ipc-inspector.c: a trace sink feeding a GtkColumnView (bh-ipc-inspector.h).
 *
 * The sink runs inside the channels' dispatch, so it only copies what a row
 * needs (the texts, a reference on the payload, a thumbnail for FrameReady)
 * and queues the row; a timer adds the queued rows to the list in batches.
 */
#include "bh-ipc-inspector.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bh-shm.h"
#include "bh-trace.h"

#define APPLICATION_DATA_KEY "bh-ipc-inspector"

/* ---- one message: BhIpcRow ---- */

#define BH_TYPE_IPC_ROW (bh_ipc_row_get_type ())
G_DECLARE_FINAL_TYPE (BhIpcRow, bh_ipc_row, BH, IPC_ROW, GObject)

struct _BhIpcRow {
  GObject parent_instance;

  gint64 time_us;
  BhMessageType type;
  char *name;
  char *from;      /* "browser 100", "renderer 101 http://alpha.test" */
  char *to;
  guint from_lane;
  guint to_lane;
  gsize bytes;
  char *fds;       /* "[memfd 19 B sealed]" or "" */
  char *call;      /* "CreateView(view=1, width=800, ...)" */
  GVariant *payload;
  guint32 serial;
  guint32 reply_serial;
  char *lane_channel; /* "control" or NULL */
  GdkTexture *thumbnail;
};

G_DEFINE_FINAL_TYPE (BhIpcRow, bh_ipc_row, G_TYPE_OBJECT)

static void
bh_ipc_row_finalize (GObject *object)
{
  BhIpcRow *row = BH_IPC_ROW (object);

  g_free (row->name);
  g_free (row->from);
  g_free (row->to);
  g_free (row->fds);
  g_free (row->call);
  g_free (row->lane_channel);
  g_clear_pointer (&row->payload, g_variant_unref);
  g_clear_object (&row->thumbnail);
  G_OBJECT_CLASS (bh_ipc_row_parent_class)->finalize (object);
}

static void
bh_ipc_row_class_init (BhIpcRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bh_ipc_row_finalize;
}

static void
bh_ipc_row_init (BhIpcRow *row)
{
}

/* ---- the window ---- */

struct _BhIpcInspector {
  GtkWindow parent_instance;

  BhBrowser *browser; /* a reference */
  guint sink_id;
  gint64 opened_us;

  GListStore *rows;            /* BhIpcRow, oldest first */
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  BhTraceFilter *trace_filter;
  GtkSingleSelection *selection;
  GPtrArray *queued;           /* BhIpcRow not yet in @rows */
  guint flush_id;
  gboolean paused;

  GPtrArray *lanes;            /* char *, "browser 100", one per process seen */
  GHashTable *bitmaps;         /* "pid/buffer" -> BhBitmap, from BufferCreated */

  GtkColumnView *column_view;
  GtkEntry *filter_entry;
  GtkToggleButton *pause_button;
  GtkLabel *count_label;
  GtkLabel *details_label;
  GtkPicture *thumbnail;
};

G_DEFINE_FINAL_TYPE (BhIpcInspector, bh_ipc_inspector, GTK_TYPE_WINDOW)

static guint
lane_of (BhIpcInspector *self, const char *process)
{
  for (guint i = 0; i < self->lanes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->lanes, i), process))
      return i;
  g_ptr_array_add (self->lanes, g_strdup (process));
  return self->lanes->len - 1;
}

/* "│  ●───▶○  │": a column per process, an arrow from sender to receiver. */
static char *
lanes_text (BhIpcInspector *self, const BhIpcRow *row)
{
  guint n = MAX (self->lanes->len, MAX (row->from_lane, row->to_lane) + 1);
  guint lo = MIN (row->from_lane, row->to_lane), hi = MAX (row->from_lane, row->to_lane);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      gboolean inside = i > lo && i <= hi;

      /* Three cells between two lanes. */
      if (i > 0)
        g_string_append (out, inside ? "───" : "   ");
      if (i == row->from_lane)
        g_string_append (out, "●");
      else if (i == row->to_lane)
        g_string_append (out, row->to_lane > row->from_lane ? "▶" : "◀");
      else
        g_string_append (out, inside ? "─" : "│");
    }
  return g_string_free (out, FALSE);
}

static char *
bitmap_key (guint pid, guint32 buffer)
{
  return g_strdup_printf ("%u/%u", pid, buffer);
}

/* A small copy of the frame a FrameReady names, as its bitmap holds it now. */
static GdkTexture *
make_thumbnail (BhBitmap *bitmap)
{
  int width = BH_IPC_INSPECTOR_THUMBNAIL_PX;
  int height = MAX (1, (int) ((gint64) bitmap->height * width / MAX (1u, bitmap->width)));
  cairo_surface_t *source, *thumb;
  g_autoptr (GBytes) bytes = NULL;
  cairo_t *cr;
  GdkTexture *texture;

  source = cairo_image_surface_create_for_data (bitmap->data, CAIRO_FORMAT_ARGB32, (int) bitmap->width,
                                                (int) bitmap->height, (int) bitmap->stride_bytes);
  thumb = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (thumb);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, (double) width / bitmap->width, (double) height / bitmap->height);
  cairo_set_source_surface (cr, source, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (thumb);
  bytes = g_bytes_new (cairo_image_surface_get_data (thumb),
                       (gsize) cairo_image_surface_get_stride (thumb) * (gsize) height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes,
                                    (gsize) cairo_image_surface_get_stride (thumb));
  cairo_surface_destroy (thumb);
  cairo_surface_destroy (source);
  return texture;
}

/* Keeps a read-only mapping of every bitmap a renderer shares, and drops it
 * with BufferDestroyed, so that a FrameReady can be shown. */
static void
track_bitmaps (BhIpcInspector *self, const BhTraceEvent *event, BhIpcRow *row)
{
  const BhMessage *m = event->message;
  guint32 view, buffer, width, height, stride;
  guint64 size;

  if (event->direction != BH_TRACE_RECEIVED)
    return;
  if (m->type == BH_MSG_BufferCreated && m->n_fds == 1 && m->fds[0] >= 0)
    {
      int fd;
      BhBitmap *bitmap;

      g_variant_get (m->payload, "(uuuuut)", &view, &buffer, &width, &height, &stride, &size);
      fd = fcntl (m->fds[0], F_DUPFD_CLOEXEC, 3);
      if (fd < 0)
        return;
      /* Checked as the renderer host checks it; a bad one is simply not kept. */
      bitmap = bh_bitmap_import (fd, width, height, stride, size, NULL);
      if (bitmap)
        g_hash_table_replace (self->bitmaps, bitmap_key (event->peer_pid, buffer), bitmap);
    }
  else if (m->type == BH_MSG_BufferDestroyed)
    {
      g_autofree char *key = NULL;

      g_variant_get (m->payload, "(uu)", &view, &buffer);
      key = bitmap_key (event->peer_pid, buffer);
      g_hash_table_remove (self->bitmaps, key);
    }
  else if (m->type == BH_MSG_FrameReady)
    {
      g_autofree char *key = NULL;
      BhBitmap *bitmap;

      g_variant_get_child (m->payload, 1, "u", &buffer);
      key = bitmap_key (event->peer_pid, buffer);
      bitmap = g_hash_table_lookup (self->bitmaps, key);
      if (bitmap)
        row->thumbnail = make_thumbnail (bitmap);
    }
}

static void update_count (BhIpcInspector *self);

/* Adds the queued rows to the list, unless paused. */
static void
flush_now (BhIpcInspector *self)
{
  guint n, drop;

  if (self->rows == NULL || self->paused || self->queued->len == 0)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  drop = n + self->queued->len > BH_IPC_INSPECTOR_MAX_ROWS
           ? MIN (n, n + self->queued->len - BH_IPC_INSPECTOR_MAX_ROWS)
           : 0;
  if (drop > 0)
    g_list_store_splice (self->rows, 0, drop, NULL, 0);
  g_list_store_splice (self->rows, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), 0,
                       self->queued->pdata, self->queued->len);
  g_ptr_array_set_size (self->queued, 0);
  update_count (self);
}

static gboolean
flush_cb (gpointer data)
{
  BhIpcInspector *self = data;

  self->flush_id = 0;
  flush_now (self);
  return G_SOURCE_REMOVE;
}

static void
trace_sink (const BhTraceEvent *event, gpointer user_data)
{
  BhIpcInspector *self = user_data;
  const BhMessage *m = event->message;
  g_autofree char *browser = NULL;
  g_autofree char *peer = NULL;
  g_autoptr (GString) fds = g_string_new (NULL);
  BhIpcRow *row;

  if (event->pipe == NULL && m == NULL)
    return;
  /* Every message crosses the browser: its sent ones and received ones are
   * each message once. */
  browser = g_strdup_printf ("browser %u", event->local_pid);
  peer = g_strdup_printf ("%s %u%s%s", event->peer_role, event->peer_pid,
                          event->peer_label && *event->peer_label ? " " : "",
                          event->peer_label ? event->peer_label : "");
  row = g_object_new (BH_TYPE_IPC_ROW, NULL);
  row->time_us = event->time_us;
  if (event->pipe != NULL)
    {
      /* A data pipe event: no message crossed, the shared ring moved (issue 19).
       * The row reads like a call so the filter and the payload column work. */
      const BhTracePipe *p = event->pipe;

      row->name = g_strdup (BH_TRACE_DATA_PIPE_NAME);
      row->from = g_strdup (event->direction == BH_TRACE_SENT ? browser : peer);
      row->to = g_strdup (event->direction == BH_TRACE_SENT ? peer : browser);
      row->from_lane = lane_of (self, row->from);
      row->to_lane = lane_of (self, row->to);
      row->fds = g_strdup ("");
      row->call = g_strdup_printf (BH_TRACE_DATA_PIPE_NAME "(id=%" G_GUINT64_FORMAT ", event='%s', what='%s', "
                                   "written=%" G_GUINT64_FORMAT ", read=%" G_GUINT64_FORMAT
                                   ", wakeups_sent=%" G_GUINT64_FORMAT ", wakeups_seen=%" G_GUINT64_FORMAT
                                   ", full=%" G_GUINT64_FORMAT ", empty=%" G_GUINT64_FORMAT ")",
                                   p->id, p->event, p->what, p->stats.bytes_written, p->stats.bytes_read,
                                   p->stats.wakeups_sent, p->stats.wakeups_seen, p->stats.full_count,
                                   p->stats.empty_count);
      g_ptr_array_add (self->queued, row);
      if (self->queued->len > BH_IPC_INSPECTOR_MAX_ROWS)
        g_ptr_array_remove_index (self->queued, 0);
      if (self->flush_id == 0 && !self->paused)
        self->flush_id = g_timeout_add (BH_IPC_INSPECTOR_FLUSH_MS, flush_cb, self);
      return;
    }
  row->type = m->type;
  row->name = g_strdup (bh_trace_event_name (event));
  row->from = g_strdup (event->direction == BH_TRACE_SENT ? browser : peer);
  row->to = g_strdup (event->direction == BH_TRACE_SENT ? peer : browser);
  row->from_lane = lane_of (self, row->from);
  row->to_lane = lane_of (self, row->to);
  row->bytes = event->payload_bytes;
  if (m->n_fds > 0)
    bh_trace_append_fds (fds, m);
  row->fds = g_strdup (fds->str);
  row->call = bh_trace_format_call (m, 400);
  /* The details need the value; a big one is not kept (20000 rows of a
   * renderer's 1 MiB payloads would be 20 GB). */
  row->payload = m->payload && g_variant_get_size (m->payload) <= BH_IPC_INSPECTOR_MAX_KEPT_PAYLOAD_BYTES
                   ? g_variant_ref (m->payload)
                   : NULL;
  row->serial = m->serial;
  row->reply_serial = m->reply_serial;
  row->lane_channel = g_strdup (event->lane);
  track_bitmaps (self, event, row);
  g_ptr_array_add (self->queued, row);
  /* While paused, rows wait (a bounded number: the oldest go first). */
  if (self->queued->len > BH_IPC_INSPECTOR_MAX_ROWS)
    g_ptr_array_remove_index (self->queued, 0);
  if (self->flush_id == 0 && !self->paused)
    self->flush_id = g_timeout_add (BH_IPC_INSPECTOR_FLUSH_MS, flush_cb, self);
}

/* ---- the list's cells ---- */

typedef enum {
  COLUMN_TIME,
  COLUMN_LANES,
  COLUMN_ROUTE,
  COLUMN_NAME,
  COLUMN_SIZE,
  COLUMN_FDS,
  COLUMN_PAYLOAD,
} Column;

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_SIZE ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), column == COLUMN_PAYLOAD ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (column == COLUMN_PAYLOAD)
    gtk_label_set_width_chars (GTK_LABEL (label), 40);
  if (column == COLUMN_LANES || column == COLUMN_TIME)
    gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  BhIpcInspector *self = data;
  BhIpcRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_TIME:
      text = g_strdup_printf ("%10.6f", (row->time_us - self->opened_us) / 1e6);
      break;
    case COLUMN_LANES:
      text = lanes_text (self, row);
      break;
    case COLUMN_ROUTE:
      text = g_strdup_printf ("%s → %s%s", row->from, row->to, row->lane_channel ? " (control lane)" : "");
      break;
    case COLUMN_NAME:
      text = g_strdup (row->name);
      break;
    case COLUMN_SIZE:
      text = g_strdup_printf ("%" G_GSIZE_FORMAT " B", row->bytes);
      break;
    case COLUMN_FDS:
      text = g_strdup (row->fds);
      break;
    case COLUMN_PAYLOAD:
      {
        const char *open = strchr (row->call, '(');
        text = g_strdup (open ? open : "");
      }
      break;
    }
  gtk_label_set_text (label, text);
}

static void
add_column (BhIpcInspector *self, const char *title, Column column, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *c;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  c = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, TRUE);
  gtk_column_view_append_column (self->column_view, c);
  g_object_unref (c);
}

/* ---- details of the selected row ---- */

static char *
details_text (BhIpcRow *row)
{
  GString *out = g_string_new (NULL);
  const BhMessageInfo *info = bh_message_info_lookup (row->type);

  if (row->type == BH_MSG_INVALID)
    {
      g_string_append_printf (out, "%s\n%s → %s\n\n%s\n\nA data pipe event: no message crossed the socket; "
                              "the producer moved the shared ring's write position (or the consumer its read "
                              "position) and, for \"wake\", sent the one-byte signal on the pipe's socket.\n",
                              row->name, row->from, row->to, row->call);
      return g_string_free (out, FALSE);
    }
  g_string_append_printf (out, "%s\n%s → %s\nserial %u", row->name, row->from, row->to, row->serial);
  if (row->reply_serial)
    g_string_append_printf (out, ", reply to %u", row->reply_serial);
  g_string_append_printf (out, ", %" G_GSIZE_FORMAT " B%s\n\n", row->bytes,
                          row->lane_channel ? ", on the control lane" : "");
  if (info && row->payload && g_variant_is_of_type (row->payload, G_VARIANT_TYPE (info->payload_type)))
    {
      guint n_names;
      const char *const *names = bh_message_info_get_field_names (info, &n_names);
      gboolean tuple = g_variant_is_of_type (row->payload, G_VARIANT_TYPE_TUPLE);

      g_string_append_printf (out, "fields (%s):\n", info->payload_type);
      for (guint i = 0; i < n_names; i++)
        {
          g_autoptr (GVariant) child = tuple ? g_variant_get_child_value (row->payload, i)
                                             : g_variant_ref (row->payload);
          g_autofree char *type = g_variant_type_dup_string (g_variant_get_type (child));

          g_string_append_printf (out, "  %s (%s) = ", names[i], type);
          bh_trace_append_value (out, child);
          g_string_append_c (out, '\n');
        }
      if (n_names == 0)
        g_string_append (out, "  none\n");
    }
  else if (row->payload == NULL && row->bytes > BH_IPC_INSPECTOR_MAX_KEPT_PAYLOAD_BYTES)
    g_string_append_printf (out, "fields: a %" G_GSIZE_FORMAT "-byte payload, not kept; the row shows its start\n",
                            row->bytes);
  if (*row->fds)
    g_string_append_printf (out, "\nfds (SCM_RIGHTS): %s\n", row->fds);
  else
    g_string_append (out, "\nno fds\n");
  if (row->thumbnail)
    g_string_append (out, "\nthe shared bitmap it names, as it was when the frame arrived:\n");
  return g_string_free (out, FALSE);
}

static void
selection_changed_cb (GtkSingleSelection *selection, GParamSpec *pspec, BhIpcInspector *self)
{
  BhIpcRow *row = gtk_single_selection_get_selected_item (selection);
  g_autofree char *text = row ? details_text (row) : g_strdup ("Select a message to see its fields and fds.");

  gtk_label_set_text (self->details_label, text);
  gtk_picture_set_paintable (self->thumbnail, row && row->thumbnail ? GDK_PAINTABLE (row->thumbnail) : NULL);
}

static gboolean
filter_func (gpointer item, gpointer data)
{
  BhIpcInspector *self = data;

  return bh_trace_filter_matches (self->trace_filter, BH_IPC_ROW (item)->name);
}

static void
update_count (BhIpcInspector *self)
{
  g_autofree char *text = NULL;

  if (self->rows == NULL)
    return;
  text = g_strdup_printf ("%u of %u messages%s", g_list_model_get_n_items (G_LIST_MODEL (self->filtered)),
                                           g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                                           self->paused ? " (paused)" : "");

  gtk_label_set_text (self->count_label, text);
}

static void
filter_changed_cb (GtkEditable *editable, BhIpcInspector *self)
{
  g_clear_pointer (&self->trace_filter, bh_trace_filter_free);
  self->trace_filter = bh_trace_filter_new (gtk_editable_get_text (editable));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
pause_toggled_cb (GtkToggleButton *button, BhIpcInspector *self)
{
  self->paused = gtk_toggle_button_get_active (button);
  gtk_button_set_label (GTK_BUTTON (button), self->paused ? "Resume" : "Pause");
  if (!self->paused && self->queued->len > 0 && self->flush_id == 0)
    self->flush_id = g_timeout_add (BH_IPC_INSPECTOR_FLUSH_MS, flush_cb, self);
  update_count (self);
}

static void
clear_clicked_cb (GtkButton *button, BhIpcInspector *self)
{
  g_list_store_remove_all (self->rows);
  update_count (self);
}

/* ---- public ---- */

GtkWidget *
bh_ipc_inspector_new (BhBrowser *browser)
{
  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);

  return g_object_new (BH_TYPE_IPC_INSPECTOR, "browser", browser, NULL);
}

guint
bh_ipc_inspector_get_n_rows (BhIpcInspector *self)
{
  g_return_val_if_fail (BH_IS_IPC_INSPECTOR (self), 0);

  /* What is queued counts too; the timer is not needed for it any more. */
  g_clear_handle_id (&self->flush_id, g_source_remove);
  flush_now (self);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

char *
bh_ipc_inspector_get_row_text (BhIpcInspector *self, guint index)
{
  g_autoptr (BhIpcRow) row = NULL;

  g_return_val_if_fail (BH_IS_IPC_INSPECTOR (self), NULL);

  row = g_list_model_get_item (G_LIST_MODEL (self->filtered), index);
  if (row == NULL)
    return NULL;
  return g_strdup_printf ("%s -> %s %s%s%s", row->from, row->to, row->call, *row->fds ? " fds=" : "", row->fds);
}

void
bh_ipc_inspector_select (BhIpcInspector *self, guint index)
{
  g_return_if_fail (BH_IS_IPC_INSPECTOR (self));

  gtk_single_selection_set_selected (self->selection, index);
}

char *
bh_ipc_inspector_get_details (BhIpcInspector *self)
{
  g_return_val_if_fail (BH_IS_IPC_INSPECTOR (self), NULL);

  return g_strdup (gtk_label_get_text (self->details_label));
}

GdkTexture *
bh_ipc_inspector_get_thumbnail (BhIpcInspector *self)
{
  BhIpcRow *row;

  g_return_val_if_fail (BH_IS_IPC_INSPECTOR (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  return row ? row->thumbnail : NULL;
}

void
bh_ipc_inspector_set_filter (BhIpcInspector *self, const char *globs)
{
  g_return_if_fail (BH_IS_IPC_INSPECTOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), globs);
}

void
bh_ipc_inspector_set_paused (BhIpcInspector *self, gboolean paused)
{
  g_return_if_fail (BH_IS_IPC_INSPECTOR (self));

  gtk_toggle_button_set_active (self->pause_button, paused);
}

static void
inspector_destroyed_cb (GtkWidget *window, GtkApplication *application)
{
  g_object_set_data (G_OBJECT (application), APPLICATION_DATA_KEY, NULL);
}

static void
inspector_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  BhBrowser *browser = g_object_get_data (G_OBJECT (action), "bh-browser");
  GtkWidget *window = g_object_get_data (G_OBJECT (application), APPLICATION_DATA_KEY);

  if (window == NULL)
    {
      window = bh_ipc_inspector_new (browser);
      g_object_set_data (G_OBJECT (application), APPLICATION_DATA_KEY, window);
      g_signal_connect (window, "destroy", G_CALLBACK (inspector_destroyed_cb), application);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
application_shutdown_cb (GApplication *application, gpointer user_data)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (application), APPLICATION_DATA_KEY);

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
}

void
bh_ipc_inspector_attach (GtkApplication *application, BhBrowser *browser)
{
  g_autoptr (GSimpleAction) action = NULL;

  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (BH_IS_BROWSER (browser));

  action = g_simple_action_new ("ipc-inspector", NULL);
  g_object_set_data_full (G_OBJECT (action), "bh-browser", g_object_ref (browser), g_object_unref);
  g_signal_connect (action, "activate", G_CALLBACK (inspector_activated_cb), application);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (action));
  g_signal_connect (application, "shutdown", G_CALLBACK (application_shutdown_cb), NULL);
}

/* ---- GObject ---- */

enum {
  PROP_0,
  PROP_BROWSER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_ipc_inspector_constructed (GObject *object)
{
  BhIpcInspector *self = BH_IPC_INSPECTOR (object);
  GtkWidget *box, *bar, *paned, *scrolled, *side, *side_scrolled;
  GtkWidget *clear;

  G_OBJECT_CLASS (bh_ipc_inspector_parent_class)->constructed (object);

  gtk_window_set_title (GTK_WINDOW (self), "IPC Inspector");
  gtk_window_set_default_size (GTK_WINDOW (self), 1580, 900);

  self->opened_us = g_get_monotonic_time ();
  self->rows = g_list_store_new (BH_TYPE_IPC_ROW);
  self->queued = g_ptr_array_new_with_free_func (g_object_unref);
  self->lanes = g_ptr_array_new_with_free_func (g_free);
  self->bitmaps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) bh_bitmap_free);
  self->trace_filter = bh_trace_filter_new (NULL);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  self->filter_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->filter_entry, "Filter, as --ipc-debug: *,-Ping,-Pong or Frame*,Commit*");
  gtk_widget_set_hexpand (GTK_WIDGET (self->filter_entry), TRUE);
  g_signal_connect (self->filter_entry, "changed", G_CALLBACK (filter_changed_cb), self);
  self->pause_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label ("Pause"));
  g_signal_connect (self->pause_button, "toggled", G_CALLBACK (pause_toggled_cb), self);
  clear = gtk_button_new_with_label ("Clear");
  g_signal_connect (clear, "clicked", G_CALLBACK (clear_clicked_cb), self);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->filter_entry));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->pause_button));
  gtk_box_append (GTK_BOX (bar), clear);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->count_label));
  gtk_box_append (GTK_BOX (box), bar);

  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_column_separators (self->column_view, TRUE);
  add_column (self, "Time (s)", COLUMN_TIME, FALSE);
  add_column (self, "Lanes", COLUMN_LANES, FALSE);
  add_column (self, "From → to", COLUMN_ROUTE, FALSE);
  add_column (self, "Message", COLUMN_NAME, FALSE);
  add_column (self, "Payload", COLUMN_PAYLOAD, TRUE);
  add_column (self, "Size", COLUMN_SIZE, FALSE);
  add_column (self, "Fds", COLUMN_FDS, FALSE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->column_view));
  gtk_widget_set_vexpand (scrolled, TRUE);

  side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (side, 8);
  gtk_widget_set_margin_end (side, 8);
  self->details_label = GTK_LABEL (gtk_label_new ("Select a message to see its fields and fds."));
  gtk_label_set_xalign (self->details_label, 0.0f);
  gtk_label_set_yalign (self->details_label, 0.0f);
  gtk_label_set_selectable (self->details_label, TRUE);
  gtk_label_set_wrap (self->details_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "monospace");
  self->thumbnail = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->thumbnail, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->thumbnail), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->details_label));
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->thumbnail));
  side_scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (side_scrolled), side);
  gtk_widget_set_size_request (side_scrolled, 340, -1);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), scrolled);
  gtk_paned_set_end_child (GTK_PANED (paned), side_scrolled);
  /* The details keep their 340 px whatever the window's width (a 1280 px
   * screen clamps the 1580 px default): the message list gives way. */
  gtk_paned_set_resize_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (box), paned);
  gtk_window_set_child (GTK_WINDOW (self), box);

  update_count (self);
  /* From now on every message is a row; until dispose, when nothing listens. */
  bh_trace_set_local ("browser", (guint) getpid ());
  self->sink_id = bh_trace_add_sink (trace_sink, self);
}

static void
bh_ipc_inspector_dispose (GObject *object)
{
  BhIpcInspector *self = BH_IPC_INSPECTOR (object);

  if (self->sink_id)
    {
      bh_trace_remove_sink (self->sink_id);
      self->sink_id = 0;
    }
  g_clear_handle_id (&self->flush_id, g_source_remove);
  /* The widgets go after this; their last signals must not reach us. */
  if (self->filter_entry)
    g_signal_handlers_disconnect_by_data (self->filter_entry, self);
  if (self->pause_button)
    g_signal_handlers_disconnect_by_data (self->pause_button, self);
  if (self->selection)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->bitmaps, g_hash_table_unref);
  g_clear_pointer (&self->trace_filter, bh_trace_filter_free);
  g_clear_object (&self->browser);
  G_OBJECT_CLASS (bh_ipc_inspector_parent_class)->dispose (object);
}

static void
bh_ipc_inspector_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BhIpcInspector *self = BH_IPC_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_BROWSER:
      self->browser = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_ipc_inspector_class_init (BhIpcInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bh_ipc_inspector_constructed;
  object_class->dispose = bh_ipc_inspector_dispose;
  object_class->set_property = bh_ipc_inspector_set_property;
  properties[PROP_BROWSER] = g_param_spec_object ("browser", NULL, NULL, BH_TYPE_BROWSER,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_ipc_inspector_init (BhIpcInspector *self)
{
}
