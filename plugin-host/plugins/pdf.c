/* pdf.c: the application/pdf plugin, with poppler-glib.
 *
 * The document is shown as one continuous column of pages, each scaled so the
 * widest page fits the instance's width (times the zoom), on a grey
 * background, as Chromium's and Firefox's built-in PDF viewers do. A small
 * "3 / 12" indicator in the bottom-right corner names the page at the top of
 * the view.
 *
 * Input:
 *   - wheel: scrolls; Shift+wheel scrolls sideways; Ctrl+wheel zooms
 *   - Page Down / Space, Right: the next page's top; Page Up / Shift+Space, Left:
 *     the previous one; Up / Down: a line; Home / End: the start / the end
 *   - + / = and - : zoom in and out; 0: back to fit-width
 *
 * Pages are rendered straight into the frame on each paint (poppler_page_render),
 * only those that intersect the view.
 */
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>
#include <poppler.h>

#include "bh-plugin.h"

/* GDK keyvals (gdk/gdkkeysyms.h). */
#define KEY_space 0x020
#define KEY_plus 0x02b
#define KEY_minus 0x02d
#define KEY_0 0x030
#define KEY_equal 0x03d
#define KEY_Home 0xff50
#define KEY_Left 0xff51
#define KEY_Up 0xff52
#define KEY_Right 0xff53
#define KEY_Down 0xff54
#define KEY_Page_Up 0xff55
#define KEY_Page_Down 0xff56
#define KEY_End 0xff57
#define KEY_KP_Add 0xffab
#define KEY_KP_Subtract 0xffad

#define MARGIN_PX 8.0     /* around and between pages */
#define LINE_PX 40.0      /* one arrow key */
#define WHEEL_STEP_PX 60.0 /* one wheel step */
#define ZOOM_STEP 1.2
#define ZOOM_MIN 0.25
#define ZOOM_MAX 8.0
/* Page sizes outside this range (in points) are clamped: poppler reports what
 * the file says, and a hostile file may say 0 or 1e30. */
#define PAGE_MIN_PT 1.0
#define PAGE_MAX_PT 14400.0 /* PDF 1.7's largest user-space page: 200 inches */

struct _BhPluginInstance {
  PopplerDocument *document;
  int n_pages;
  double *page_width_pt;  /* n_pages */
  double *page_height_pt; /* n_pages */
  double max_page_width_pt;

  guint width_px;
  guint height_px;
  double zoom;      /* 1.0: the widest page fits the width */
  double scroll_x;  /* px from the document's left edge to the view's */
  double scroll_y;  /* px from the document's top to the view's */

  /* Layout at the current size and zoom (relayout ()). */
  double scale;        /* px per pt */
  double *page_top_px; /* n_pages */
  double doc_width_px;
  double doc_height_px;
};

static void
relayout (BhPluginInstance *self)
{
  double usable = MAX (1.0, (double) self->width_px - 2 * MARGIN_PX);
  double y = MARGIN_PX;

  self->scale = usable / self->max_page_width_pt * self->zoom;
  for (int i = 0; i < self->n_pages; i++)
    {
      self->page_top_px[i] = y;
      y += self->page_height_pt[i] * self->scale + MARGIN_PX;
    }
  self->doc_height_px = y;
  self->doc_width_px = self->max_page_width_pt * self->scale + 2 * MARGIN_PX;
}

static double
max_scroll_y (BhPluginInstance *self)
{
  return MAX (0.0, self->doc_height_px - self->height_px);
}

static double
max_scroll_x (BhPluginInstance *self)
{
  return MAX (0.0, self->doc_width_px - self->width_px);
}

/* Moves the view; returns TRUE if it moved. */
static gboolean
scroll_to (BhPluginInstance *self, double x, double y)
{
  double old_x = self->scroll_x, old_y = self->scroll_y;

  self->scroll_x = round (CLAMP (x, 0.0, max_scroll_x (self)));
  self->scroll_y = round (CLAMP (y, 0.0, max_scroll_y (self)));
  return self->scroll_x != old_x || self->scroll_y != old_y;
}

/* The page whose top edge (with its margin) is the view's top: what the
 * indicator shows and what Page Up/Down count from. At the very end of the
 * document the last page is the current one even when it is too short to
 * reach the top. */
static int
current_page (BhPluginInstance *self)
{
  int page = 0;

  if (self->scroll_y >= max_scroll_y (self) - 0.5 && max_scroll_y (self) > 0)
    return self->n_pages - 1;
  for (int i = 0; i < self->n_pages; i++)
    if (self->page_top_px[i] - MARGIN_PX <= self->scroll_y + 0.5)
      page = i;
  return page;
}

/* Page Down: the first page top below the view's top. */
static gboolean
next_page (BhPluginInstance *self)
{
  for (int i = 0; i < self->n_pages; i++)
    if (self->page_top_px[i] - MARGIN_PX > self->scroll_y + 0.5)
      return scroll_to (self, self->scroll_x, self->page_top_px[i] - MARGIN_PX);
  return scroll_to (self, self->scroll_x, max_scroll_y (self));
}

/* Page Up: the last page top above the view's top. */
static gboolean
previous_page (BhPluginInstance *self)
{
  for (int i = self->n_pages - 1; i >= 0; i--)
    if (self->page_top_px[i] - MARGIN_PX < self->scroll_y - 0.5)
      return scroll_to (self, self->scroll_x, self->page_top_px[i] - MARGIN_PX);
  return scroll_to (self, self->scroll_x, 0);
}

/* Changes the zoom keeping the document point at the view's centre where it is. */
static gboolean
set_zoom (BhPluginInstance *self, double zoom)
{
  double cx, cy, fx, fy;

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  if (fabs (zoom - self->zoom) < 1e-9)
    return FALSE;
  cx = self->width_px / 2.0;
  cy = self->height_px / 2.0;
  fx = (self->scroll_x + cx) / self->doc_width_px;
  fy = (self->scroll_y + cy) / self->doc_height_px;
  self->zoom = zoom;
  relayout (self);
  scroll_to (self, fx * self->doc_width_px - cx, fy * self->doc_height_px - cy);
  return TRUE;
}

static void
pdf_destroy (BhPluginInstance *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->document);
  g_free (self->page_width_pt);
  g_free (self->page_height_pt);
  g_free (self->page_top_px);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhPluginInstance, pdf_destroy)

static BhPluginInstance *
pdf_create (guint width_px, guint height_px, GBytes *data, GError **error)
{
  g_autoptr (BhPluginInstance) self = g_new0 (BhPluginInstance, 1);
  g_autoptr (GError) local_error = NULL;

  self->document = poppler_document_new_from_bytes (data, NULL, &local_error);
  if (self->document == NULL)
    {
      /* poppler's messages are short and plain: "PDF document is damaged",
       * "Document is encrypted". */
      g_set_error (error, BH_PLUGIN_ERROR, BH_PLUGIN_ERROR_INVALID_DATA, "%s", local_error->message);
      return NULL;
    }
  self->n_pages = poppler_document_get_n_pages (self->document);
  if (self->n_pages <= 0)
    {
      g_set_error_literal (error, BH_PLUGIN_ERROR, BH_PLUGIN_ERROR_EMPTY, "the document has no pages");
      return NULL;
    }
  self->page_width_pt = g_new0 (double, self->n_pages);
  self->page_height_pt = g_new0 (double, self->n_pages);
  self->page_top_px = g_new0 (double, self->n_pages);
  self->max_page_width_pt = PAGE_MIN_PT;
  for (int i = 0; i < self->n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (self->document, i);
      double w = 0, h = 0;

      if (page != NULL)
        {
          poppler_page_get_size (page, &w, &h);
          g_object_unref (page);
        }
      /* NaN fails both comparisons of CLAMP: replace it first. */
      self->page_width_pt[i] = isfinite (w) ? CLAMP (w, PAGE_MIN_PT, PAGE_MAX_PT) : PAGE_MIN_PT;
      self->page_height_pt[i] = isfinite (h) ? CLAMP (h, PAGE_MIN_PT, PAGE_MAX_PT) : PAGE_MIN_PT;
      self->max_page_width_pt = MAX (self->max_page_width_pt, self->page_width_pt[i]);
    }
  self->width_px = width_px;
  self->height_px = height_px;
  self->zoom = 1.0;
  relayout (self);
  return g_steal_pointer (&self);
}

static void
pdf_resize (BhPluginInstance *self, guint width_px, guint height_px)
{
  /* Keep the same place in the document: the same fraction of its height. */
  double fy = self->doc_height_px > 0 ? self->scroll_y / self->doc_height_px : 0;

  self->width_px = width_px;
  self->height_px = height_px;
  relayout (self);
  scroll_to (self, self->scroll_x, fy * self->doc_height_px);
}

static gboolean
pdf_input (BhPluginInstance *self, BhPluginInputKind kind, double x, double y, guint code,
           guint modifiers)
{
  gboolean shift = (modifiers & BH_PLUGIN_MODIFIER_SHIFT) != 0;
  gboolean control = (modifiers & BH_PLUGIN_MODIFIER_CONTROL) != 0;

  if (kind == BH_PLUGIN_INPUT_SCROLL)
    {
      double dx = shift ? y : x, dy = shift ? x : y;

      if (control)
        return dy != 0 && set_zoom (self, self->zoom * pow (ZOOM_STEP, -CLAMP (dy, -10.0, 10.0)));
      return scroll_to (self, self->scroll_x + dx * WHEEL_STEP_PX, self->scroll_y + dy * WHEEL_STEP_PX);
    }
  if (kind != BH_PLUGIN_INPUT_KEY)
    return FALSE;

  switch (code)
    {
    case KEY_Page_Down:
    case KEY_Right:
      return next_page (self);
    case KEY_Page_Up:
    case KEY_Left:
      return previous_page (self);
    case KEY_space:
      return shift ? previous_page (self) : next_page (self);
    case KEY_Down:
      return scroll_to (self, self->scroll_x, self->scroll_y + LINE_PX);
    case KEY_Up:
      return scroll_to (self, self->scroll_x, self->scroll_y - LINE_PX);
    case KEY_Home:
      return scroll_to (self, self->scroll_x, 0);
    case KEY_End:
      return scroll_to (self, self->scroll_x, max_scroll_y (self));
    case KEY_plus:
    case KEY_equal:
    case KEY_KP_Add:
      return set_zoom (self, self->zoom * ZOOM_STEP);
    case KEY_minus:
    case KEY_KP_Subtract:
      return set_zoom (self, self->zoom / ZOOM_STEP);
    case KEY_0:
      return set_zoom (self, 1.0);
    default:
      return FALSE;
    }
}

static void
rounded_rectangle (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
paint_page_indicator (BhPluginInstance *self, cairo_t *cr)
{
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autofree char *text = g_strdup_printf ("%d / %d", current_page (self) + 1, self->n_pages);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 10");
  int text_w, text_h;
  double box_w, box_h, x, y;

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  box_w = text_w + 16;
  box_h = text_h + 8;
  x = self->width_px - box_w - 12;
  y = self->height_px - box_h - 12;
  if (x < 0 || y < 0)
    return; /* too small an area to carry it */

  rounded_rectangle (cr, x, y, box_w, box_h, box_h / 2);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.7);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x + 8, y + 4);
  pango_cairo_show_layout (cr, layout);
}

static void
pdf_paint (BhPluginInstance *self, cairo_t *cr)
{
  double page_x_centred;

  /* Chromium's PDF viewer background. */
  cairo_set_source_rgb (cr, 0x52 / 255.0, 0x56 / 255.0, 0x59 / 255.0);
  cairo_paint (cr);

  for (int i = 0; i < self->n_pages; i++)
    {
      double w = self->page_width_pt[i] * self->scale;
      double h = self->page_height_pt[i] * self->scale;
      double top = self->page_top_px[i] - self->scroll_y;
      double left;
      PopplerPage *page;

      if (top >= self->height_px)
        break;
      if (top + h <= 0)
        continue;
      /* Narrower than the view: centred; wider: scrolled sideways. */
      page_x_centred = (self->width_px - w) / 2.0;
      left = self->doc_width_px <= self->width_px ? page_x_centred
                                                   : MARGIN_PX + (self->max_page_width_pt * self->scale - w) / 2.0 -
                                                         self->scroll_x;

      cairo_save (cr);
      cairo_rectangle (cr, left + 1, top + 2, w, h);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
      cairo_fill (cr);
      cairo_rectangle (cr, left, top, w, h);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_clip (cr);
      page = poppler_document_get_page (self->document, i);
      if (page != NULL)
        {
          cairo_translate (cr, left, top);
          cairo_scale (cr, self->scale, self->scale);
          poppler_page_render (page, cr);
          g_object_unref (page);
        }
      cairo_restore (cr);
    }

  paint_page_indicator (self, cr);
}

/* A one-page PDF whose text uses Helvetica, a font no PDF embeds: rendering
 * it loads poppler's global state, FreeType, fontconfig's configuration and
 * cache, and the substitute font file. */
static GBytes *
make_warm_up_pdf (void)
{
  static const char *const objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R "
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    NULL, /* the content stream, below */
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  static const char content[] = "BT /F1 12 Tf 10 20 Td (Bulkhead warm-up fi 0123) Tj ET";
  GString *pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  for (gsize i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      if (objects[i] != NULL)
        g_string_append_printf (pdf, "%" G_GSIZE_FORMAT " 0 obj\n%s\nendobj\n", i + 1, objects[i]);
      else
        g_string_append_printf (pdf, "%" G_GSIZE_FORMAT " 0 obj\n<< /Length %" G_GSIZE_FORMAT " >>\nstream\n%s\nendstream\nendobj\n",
                                i + 1, strlen (content), content);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %" G_GSIZE_FORMAT "\n0000000000 65535 f \n", G_N_ELEMENTS (objects) + 1);
  for (gsize i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %" G_GSIZE_FORMAT " /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          G_N_ELEMENTS (objects) + 1, xref);
  return g_string_free_to_bytes (pdf);
}

static void
pdf_warm_up (void)
{
  g_autoptr (GBytes) data = make_warm_up_pdf ();
  g_autoptr (BhPluginInstance) instance = pdf_create (200, 60, data, NULL);
  cairo_surface_t *surface;
  cairo_t *cr;

  if (instance == NULL)
    return;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 60);
  cr = cairo_create (surface);
  pdf_paint (instance, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static const BhPluginInfo pdf_info = {
  .abi_version = BH_PLUGIN_ABI_VERSION,
  .mime_type = "application/pdf",
  .kind_name = "PDF",
  .warm_up = pdf_warm_up,
  .create = pdf_create,
  .resize = pdf_resize,
  .input = pdf_input,
  .paint = pdf_paint,
  .destroy = pdf_destroy,
};

G_MODULE_EXPORT const BhPluginInfo *
bh_plugin_get_info (void)
{
  return &pdf_info;
}
