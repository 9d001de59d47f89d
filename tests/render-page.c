/* render-page: renders a local HTML (or text) file through the document engine to a PNG.
 *
 *   render-page FILE OUT.png [WIDTH [MAX_HEIGHT [SCROLL_Y]]]
 *
 * A developer's tool: subresources are read from the file system (file: URLs only), which
 * the sandboxed renderer never does. Prints how long parsing, layout and painting the
 * first 900 px took. FILE may be gzip-compressed (.gz).
 */
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "bh-document.h"

static GBytes *
read_file (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) in = G_INPUT_STREAM (g_file_read (file, NULL, error));
  g_autoptr(GOutputStream) out = NULL;

  if (in == NULL)
    return NULL;
  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      GInputStream *converted = g_converter_input_stream_new (in, G_CONVERTER (gunzip));
      g_object_unref (in);
      in = converted;
    }
  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static const char *
guess_type (const char *path)
{
  g_autofree char *base = g_strdup (path);

  if (g_str_has_suffix (base, ".gz"))
    base[strlen (base) - 3] = '\0';
  if (g_str_has_suffix (base, ".html") || g_str_has_suffix (base, ".htm") || g_str_has_suffix (base, ".xhtml"))
    return "text/html";
  if (g_str_has_suffix (base, ".txt"))
    return "text/plain";
  if (g_str_has_suffix (base, ".css"))
    return "text/css";
  return NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BhDocument) doc = NULL;
  g_autofree char *abs = NULL;
  g_autofree char *url = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width = 1280, max_height = 20000, scroll_y = 0, height;
  gint64 t0, t1, t2, t3, t4;

  if (argc < 3)
    {
      g_printerr ("usage: %s FILE OUT.png [WIDTH [MAX_HEIGHT [SCROLL_Y]]]\n", argv[0]);
      return 2;
    }
  if (argc > 3)
    width = CLAMP (atoi (argv[3]), 16, 8192);
  if (argc > 4)
    max_height = CLAMP (atoi (argv[4]), 16, 100000);
  if (argc > 5)
    scroll_y = MAX (0, atoi (argv[5]));

  body = read_file (argv[1], &error);
  if (body == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  abs = g_canonicalize_filename (argv[1], NULL);
  url = g_filename_to_uri (abs, NULL, NULL);

  t0 = g_get_monotonic_time ();
  doc = bh_document_new (url, guess_type (argv[1]), NULL, body);
  t1 = g_get_monotonic_time ();

  for (guint i = 0; i < bh_document_get_n_resources (doc); i++)
    {
      const char *res_url = bh_document_get_resource_url (doc, i);
      /* a query ("theme.css?v=2") names the same file */
      g_autofree char *file_url = g_strndup (res_url, strcspn (res_url, "?#"));
      g_autofree char *path = g_filename_from_uri (file_url, NULL, NULL);
      g_autoptr(GBytes) data = NULL;
      if (path != NULL)
        data = read_file (path, NULL);
      g_print ("resource %s: %s\n", res_url, data ? "loaded" : "missing");
      bh_document_set_resource (doc, res_url, path ? guess_type (path) : NULL, data);
    }

  t2 = g_get_monotonic_time ();
  bh_document_layout (doc, width, 1.0);
  t3 = g_get_monotonic_time ();
  {
    cairo_surface_t *viewport = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, 900);
    cairo_t *vcr = cairo_create (viewport);
    bh_document_paint (doc, vcr, 0, width, 900);
    cairo_destroy (vcr);
    cairo_surface_destroy (viewport);
  }
  t4 = g_get_monotonic_time ();

  height = MIN (MAX (bh_document_get_height_px (doc) - scroll_y, 1), max_height);
  g_print ("title: \"%s\"\nheight: %d px\nparse %.1f ms, layout %.1f ms, paint first 900 px %.1f ms\n",
           bh_document_get_title (doc), bh_document_get_height_px (doc), (t1 - t0) / 1000.0,
           (t3 - t2) / 1000.0, (t4 - t3) / 1000.0);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, MAX (height, 1));
  cr = cairo_create (surface);
  bh_document_paint (doc, cr, scroll_y, width, MAX (height, 1));
  cairo_destroy (cr);
  if (cairo_surface_write_to_png (surface, argv[2]) != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("cannot write %s\n", argv[2]);
      cairo_surface_destroy (surface);
      return 1;
    }
  cairo_surface_destroy (surface);
  return 0;
}
