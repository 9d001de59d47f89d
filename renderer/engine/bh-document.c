/* bh-document.c: the document engine's public API: parsing, subresources, layout and paint
 * (decoding in bh-document-decode.c, images in bh-document-images.c)
 *
 * Limits that keep a hostile page from taking the renderer down:
 * - at most BH_MAX_SOURCE_BYTES of the body are parsed; a note at the end says so;
 * - tags nested deeper than BH_MAX_TAG_DEPTH are dropped before gumbo sees them (their
 *   text stays), because gumbo's tree construction scans the stack of open elements and
 *   becomes quadratic in the nesting depth;
 * - gumbo allocates from a budget of BH_GUMBO_BUDGET_BYTES; when a document needs more,
 *   the parse is abandoned (all its memory freed) and retried on the first half;
 * - images are decoded with the limits of bh-document-images.c.
 */
#include "bh-document-private.h"

#include <malloc.h>
#include <math.h>
#include <setjmp.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>

#define BH_MAX_SOURCE_BYTES   (8 * 1024 * 1024)
#define BH_MAX_TAG_DEPTH      1024
#define BH_GUMBO_BUDGET_BYTES (64 * 1024 * 1024)
#define BH_GUMBO_ATTEMPTS     4

/* ---------------------------------------------------------------- gumbo memory budget */

typedef struct _BhArenaBlock BhArenaBlock;
struct _BhArenaBlock {
  BhArenaBlock *prev;
  BhArenaBlock *next;
  gsize size;
  gsize pad;  /* keeps the payload 16-byte aligned */
};

/* What one block really costs: the payload, our header, and malloc's own header and
 * rounding, so that the budget is close to the memory gumbo makes resident. */
#define ARENA_COST(size) ((size) + sizeof (BhArenaBlock) + 16)

typedef struct {
  BhArenaBlock head;  /* sentinel of a circular list of live blocks */
  gsize used;
  gsize budget;
  jmp_buf bail;
} BhArena;

static void *
arena_alloc (void *userdata, size_t size)
{
  BhArena *arena = userdata;
  BhArenaBlock *block;

  if (size > arena->budget || ARENA_COST (size) > arena->budget - arena->used)
    longjmp (arena->bail, 1);
  block = malloc (sizeof (BhArenaBlock) + size);
  if (block == NULL)
    longjmp (arena->bail, 1);
  block->size = size;
  block->next = arena->head.next;
  block->prev = &arena->head;
  arena->head.next->prev = block;
  arena->head.next = block;
  arena->used += ARENA_COST (size);
  return block + 1;
}

static void
arena_free (void *userdata, void *ptr)
{
  BhArena *arena = userdata;
  BhArenaBlock *block;

  if (ptr == NULL)
    return;
  block = (BhArenaBlock *) ptr - 1;
  block->prev->next = block->next;
  block->next->prev = block->prev;
  arena->used -= ARENA_COST (block->size);
  free (block);
}

static void
arena_free_all (BhArena *arena)
{
  BhArenaBlock *block = arena->head.next;

  while (block != &arena->head)
    {
      BhArenaBlock *next = block->next;
      free (block);
      block = next;
    }
  arena->head.next = arena->head.prev = &arena->head;
  arena->used = 0;
}

static BhArena *
arena_new (gsize budget)
{
  BhArena *arena = g_new0 (BhArena, 1);
  arena->head.next = arena->head.prev = &arena->head;
  arena->budget = budget;
  return arena;
}

/* Parses with gumbo inside the budget. Gumbo keeps all its state in memory it got from
 * the allocator, so leaving it by longjmp and freeing every block is a clean abort. */
static GumboOutput *
parse_guarded (BhArena *arena, const GumboOptions *options, const char *source, gsize len)
{
  if (setjmp (arena->bail) != 0)
    {
      arena_free_all (arena);
      return NULL;
    }
  return gumbo_parse_with_options (options, source, len);
}

static BhResource *
add_resource (BhDocument *doc, const char *url, BhResourceKind kind)
{
  BhResource *res = bh_document_find_resource (doc, url);

  if (res != NULL)
    return res->kind == kind ? res : NULL;
  res = g_new0 (BhResource, 1);
  res->url = g_strdup (url);
  res->kind = kind;
  g_ptr_array_add (doc->resources, res);
  g_hash_table_insert (doc->resource_by_url, res->url, res);
  return res;
}

/* Asks for the style sheets @sheet imports, resolved against @base (CSS Cascade 4,
 * section 2.1: an @import URL is relative to the sheet it is in). */
static void
add_imports (BhDocument *doc, BhStyleSheet *sheet, const char *base, guint depth)
{
  if (depth > BH_MAX_IMPORT_DEPTH)
    return;
  for (guint i = 0; i < bh_style_sheet_get_n_imports (sheet); i++)
    {
      g_autofree char *url = bh_document_resolve_url_against (base, bh_style_sheet_get_import (sheet, i, NULL));
      BhResource *res;
      if (url == NULL || bh_document_find_resource (doc, url) != NULL)
        continue;
      if (doc->n_imported_sheets >= BH_MAX_IMPORTED_SHEETS)
        return;
      res = add_resource (doc, url, BH_RESOURCE_STYLESHEET);
      if (res != NULL)
        {
          res->import_depth = (guint8) depth;
          doc->n_imported_sheets++;
        }
    }
}

/**
 * bh_document_want_image: (skip)
 * @doc: a document
 * @url: an absolute URL from a url() value
 *
 * Returns: (transfer none) (nullable): its resource, pending until the browser hands
 *   it over (the renderer asks for resources after each layout).
 */
BhResource *
bh_document_want_image (BhDocument *doc, const char *url)
{
  BhResource *res = bh_document_find_resource (doc, url);

  if (res != NULL)
    return res->kind == BH_RESOURCE_IMAGE ? res : NULL;
  if (doc->n_css_images >= BH_MAX_CSS_IMAGES)
    return NULL;
  doc->n_css_images++;
  return add_resource (doc, url, BH_RESOURCE_IMAGE);
}

static void
resource_free (gpointer data)
{
  BhResource *res = data;

  g_free (res->url);
  g_clear_pointer (&res->surface, cairo_surface_destroy);
  g_clear_object (&res->svg);
  bh_style_sheet_free (res->sheet);
  g_free (res);
}

/* ---------------------------------------------------------------- scanning the DOM */

/* Whether a style sheet with this media="" may apply to a screen at some viewport
 * size: "print" alone does not; one with a query is fetched and evaluated with the
 * cascade (bh_box_tree_build()), as the viewport changes. */
static gboolean
media_applies (const char *media)
{
  g_autofree char *lower = NULL;

  if (media == NULL)
    return TRUE;
  lower = g_ascii_strdown (media, -1);
  g_strstrip (lower);
  if (*lower == '\0' || strchr (lower, '(') != NULL)
    return TRUE;
  return bh_media_query_matches (lower, 1280, 900);
}

static gboolean
rel_has_stylesheet (const char *rel)
{
  g_auto(GStrv) tokens = NULL;
  gboolean stylesheet = FALSE, alternate = FALSE;

  if (rel == NULL)
    return FALSE;
  tokens = g_strsplit_set (rel, " \t\n\r\f", -1);
  for (int i = 0; tokens[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (tokens[i], "stylesheet") == 0)
        stylesheet = TRUE;
      else if (g_ascii_strcasecmp (tokens[i], "alternate") == 0)
        alternate = TRUE;
    }
  return stylesheet && !alternate;
}

/* rel="icon", "shortcut icon", "apple-touch-icon" is not: the HTML standard's
 * "icon" keyword, as Chromium's favicon candidates read it. */
static gboolean
rel_has_icon (const char *rel)
{
  g_auto(GStrv) tokens = NULL;

  if (rel == NULL)
    return FALSE;
  tokens = g_strsplit_set (rel, " \t\n\r\f", -1);
  for (int i = 0; tokens[i] != NULL; i++)
    if (g_ascii_strcasecmp (tokens[i], "icon") == 0)
      return TRUE;
  return FALSE;
}

static void
append_child_text (GString *out, const GumboNode *node)
{
  const GumboVector *children = &node->v.element.children;

  for (guint i = 0; i < children->length; i++)
    {
      const GumboNode *child = children->data[i];
      if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE ||
          child->type == GUMBO_NODE_CDATA)
        g_string_append (out, child->v.text.text);
    }
}

static char *
collapse_whitespace (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = TRUE;

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
        }
      else
        {
          g_string_append_c (out, *p);
          space = FALSE;
        }
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

typedef enum { SCAN_STYLE, SCAN_LINK, SCAN_IMG } ScanKind;

typedef struct {
  ScanKind kind;
  const GumboNode *node;
} ScanItem;

/* One walk over the whole DOM (explicit stack) for what the document needs before any
 * layout: title, <base href>, style sheets and images in document order. */
static void
scan_document (BhDocument *doc)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (ScanItem));
  const GumboNode *title = NULL;
  const char *base = NULL;
  const char *icon = NULL;

  g_ptr_array_add (stack, doc->gumbo->document);
  while (stack->len > 0)
    {
      const GumboNode *node = g_ptr_array_steal_index (stack, stack->len - 1);
      const GumboVector *children;
      const GumboElement *e;

      if (node->type == GUMBO_NODE_DOCUMENT)
        children = &node->v.document.children;
      else if (node->type == GUMBO_NODE_ELEMENT)
        {
          e = &node->v.element;
          children = &e->children;
          if (e->tag_namespace != GUMBO_NAMESPACE_HTML)
            continue;
          switch (e->tag)
            {
            case GUMBO_TAG_TITLE:
              if (title == NULL)
                title = node;
              continue;
            case GUMBO_TAG_BASE:
              if (base == NULL)
                base = bh_gumbo_get_attribute (node, "href");
              continue;
            case GUMBO_TAG_STYLE:
              if (media_applies (bh_gumbo_get_attribute (node, "media")))
                g_array_append_val (items, ((ScanItem) { SCAN_STYLE, node }));
              continue;
            case GUMBO_TAG_LINK:
              if (icon == NULL && rel_has_icon (bh_gumbo_get_attribute (node, "rel")))
                icon = bh_gumbo_get_attribute (node, "href");
              if (rel_has_stylesheet (bh_gumbo_get_attribute (node, "rel")) &&
                  media_applies (bh_gumbo_get_attribute (node, "media")) &&
                  bh_gumbo_get_attribute (node, "href") != NULL)
                g_array_append_val (items, ((ScanItem) { SCAN_LINK, node }));
              continue;
            case GUMBO_TAG_IMG:
              g_array_append_val (items, ((ScanItem) { SCAN_IMG, node }));
              continue;
            case GUMBO_TAG_NOSCRIPT:
            case GUMBO_TAG_SCRIPT:
              continue;
            default:
              break;
            }
        }
      else
        continue;
      for (guint i = children->length; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }

  if (title != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      append_child_text (text, title);
      g_free (doc->title);
      doc->title = collapse_whitespace (text->str);
    }
  if (base != NULL)
    {
      g_autofree char *resolved = bh_document_resolve_url (doc, base);
      if (resolved != NULL)
        doc->base_url = g_steal_pointer (&resolved);
    }
  if (icon != NULL)
    {
      g_autofree char *resolved = bh_document_resolve_url (doc, icon);

      if (resolved != NULL && (g_str_has_prefix (resolved, "http://") || g_str_has_prefix (resolved, "https://")))
        {
          g_free (doc->favicon_url);
          doc->favicon_url = g_steal_pointer (&resolved);
        }
    }

  for (guint i = 0; i < items->len; i++)
    {
      const ScanItem *item = &g_array_index (items, ScanItem, i);
      BhStyleSlot slot = { NULL, NULL };

      if (item->kind == SCAN_STYLE)
        {
          g_autoptr(GString) css = g_string_new (NULL);
          append_child_text (css, item->node);
          slot.inline_sheet = bh_style_sheet_parse (css->str, css->len);
          slot.media = bh_gumbo_get_attribute (item->node, "media");
          g_array_append_val (doc->style_slots, slot);
          add_imports (doc, slot.inline_sheet, doc->base_url != NULL ? doc->base_url : doc->url, 1);
        }
      else
        {
          const char *ref = bh_gumbo_get_attribute (item->node, item->kind == SCAN_LINK ? "href" : "src");
          g_autofree char *url = NULL;
          if (ref == NULL || *ref == '\0')
            continue;
          url = bh_document_resolve_url (doc, ref);
          if (url == NULL)
            continue;
          if (item->kind == SCAN_LINK)
            {
              slot.resource = add_resource (doc, url, BH_RESOURCE_STYLESHEET);
              slot.media = bh_gumbo_get_attribute (item->node, "media");
              if (slot.resource != NULL)
                g_array_append_val (doc->style_slots, slot);
            }
          else
            add_resource (doc, url, BH_RESOURCE_IMAGE);
        }
    }
}

/* ---------------------------------------------------------------- construction */

static void
load_html (BhDocument *doc, char *source, gsize len)
{
  gsize limited_len = 0;
  char *limited = bh_document_limit_nesting (source, len, BH_MAX_TAG_DEPTH, &limited_len);
  BhArena *arena;

  if (limited != NULL)
    {
      g_free (source);
      source = limited;
      len = limited_len;
    }
  doc->source = source;
  doc->source_len = len;

  arena = arena_new (BH_GUMBO_BUDGET_BYTES);
  doc->gumbo_arena = arena;
  doc->gumbo_options = kGumboDefaultOptions;
  doc->gumbo_options.allocator = arena_alloc;
  doc->gumbo_options.deallocator = arena_free;
  doc->gumbo_options.userdata = arena;
  /* Parse errors are of no use here, and on garbage there are millions of them. */
  doc->gumbo_options.max_errors = 0;

  for (int attempt = 0; attempt < BH_GUMBO_ATTEMPTS && len > 0; attempt++)
    {
      doc->gumbo = parse_guarded (arena, &doc->gumbo_options, source, len);
      if (doc->gumbo != NULL)
        break;
      /* Too much for the budget: retry on the first half, cut at a tag. */
      len /= 2;
      {
        const char *lt = g_strrstr_len (source, len, "<");
        if (lt != NULL && lt > source)
          len = lt - source;
      }
      while (len > 0 && ((guchar) source[len] & 0xc0) == 0x80)
        len--;
      g_free (doc->note);
      doc->note = g_strdup_printf ("Document truncated at %" G_GSIZE_FORMAT " KB: "
                                   "the rest is too complex to display.", len / 1024);
    }
  if (doc->gumbo == NULL && len > 0)
    {
      g_free (doc->note);
      doc->note = g_strdup ("This document is too complex to display.");
    }
  if (doc->gumbo != NULL)
    scan_document (doc);
}

static gboolean
looks_like_html (const guchar *data, gsize len)
{
  gsize n = MIN (len, 512);
  g_autofree char *head = g_ascii_strdown ((const char *) data, n);
  const char *p = head;

  if (n >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    p += 3;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return g_str_has_prefix (p, "<!doctype html") || g_str_has_prefix (p, "<html") ||
         strstr (head, "<head") != NULL || strstr (head, "<body") != NULL;
}

/**
 * bh_document_new:
 * @url: (nullable): the document's absolute URL, the base for its relative references;
 *   %NULL stands for about:blank
 * @content_type: (nullable): the MIME type from the transport, parameters allowed
 *   ("text/html; charset=utf-8")
 * @charset: (nullable): the transport's charset; %NULL or "" to let the document say
 * @body: the bytes of the response body
 *
 * Parses a document. text/html and application/xhtml+xml go through gumbo (HTML5
 * parsing rules for both); text/plain and any other text/ type are shown as
 * preformatted monospace text; a missing or other type is sniffed (HTML if it starts
 * like HTML, text otherwise). The bytes are decoded to UTF-8: byte order mark, then
 * @charset, then the charset parameter of @content_type, then <meta charset> (HTML
 * only), then UTF-8 if valid, then windows-1252.
 *
 * At most 8 MiB of @body are used; a longer document shows a note at its end. Never
 * fails: garbage gives a document of garbage text.
 *
 * Returns: (transfer full): the document; free with bh_document_free().
 */
static BhDocument *document_new (const char *url, const char *content_type, const char *charset, GBytes *body,
                                 BhDocument *previous);

/* HTML's image document: the image alone, centred on a dark page (Chromium's),
 * its own body as the one resource (nothing is fetched again), and a title
 * with the file's name and the image's size, "photo.png (640 × 480)". */
static void
image_document (BhDocument *doc, const char *mime, GBytes *body)
{
  g_autoptr (GUri) uri = g_uri_parse (doc->url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *name = NULL;
  g_autofree char *escaped_url = g_markup_escape_text (doc->url, -1);
  g_autofree char *source = NULL;
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  BhResource *image;

  if (uri != NULL)
    {
      const char *path = g_uri_get_path (uri);
      const char *slash = strrchr (path, '/');
      name = g_uri_unescape_string (slash != NULL ? slash + 1 : path, NULL);
    }
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_free (name);
      name = g_strdup (doc->url);
    }
  source = g_strdup_printf ("<html><head><style>body { margin: 0; background-color: #0e0e0e; text-align: center }"
                            "</style></head><body><img src=\"%s\"></body></html>",
                            escaped_url);
  {
    gsize len = strlen (source);
    load_html (doc, g_steal_pointer (&source), len);
  }
  bh_document_set_resource (doc, doc->url, mime, body != NULL ? body : empty);
  image = bh_document_find_resource (doc, doc->url);
  g_free (doc->title);
  if (image != NULL && image->state == BH_RESOURCE_LOADED)
    doc->title = g_strdup_printf ("%s (%d \xc3\x97 %d)", name, image->width, image->height);
  else
    doc->title = g_strdup (name);
}

BhDocument *
bh_document_new (const char *url, const char *content_type, const char *charset, GBytes *body)
{
  return document_new (url, content_type, charset, body, NULL);
}

/**
 * bh_document_new_continued:
 * @previous: (transfer full): the document parsed from a shorter prefix of @body,
 *   with the same @url, @content_type and @charset
 * @url: (nullable): as for bh_document_new()
 * @content_type: (nullable): as for bh_document_new()
 * @charset: (nullable): as for bh_document_new()
 * @body: more of the same response body
 *
 * Parses a longer prefix of a body that is still arriving, for a renderer that
 * shows a page as it streams in. gumbo has no incremental API, so the whole
 * prefix is parsed again; what carries over is what cost a round trip: every
 * subresource @previous wanted keeps its place, its state and its decoded image
 * or parsed style sheet, and the new document's list of resources starts with
 * them (bh_document_get_n_resources() only grows), so the caller asks only for
 * those past the ones it already asked for. @previous is freed.
 *
 * Returns: (transfer full): the document.
 */
BhDocument *
bh_document_new_continued (BhDocument *previous, const char *url, const char *content_type, const char *charset,
                           GBytes *body)
{
  g_return_val_if_fail (previous != NULL, NULL);

  return document_new (url, content_type, charset, body, previous);
}

static BhDocument *
document_new (const char *url, const char *content_type, const char *charset, GBytes *body, BhDocument *previous)
{
  BhDocument *doc = g_new0 (BhDocument, 1);
  g_autofree char *mime = NULL;
  g_autofree char *type_charset = NULL;
  const guchar *data = NULL;
  gsize len = 0, text_len = 0;
  gboolean is_html;
  char *text;
  cairo_font_options_t *font_options;

  doc->url = g_strdup (url != NULL ? url : "about:blank");
  doc->title = g_strdup ("");
  if (previous != NULL)
    {
      /* The subresources live on; the previous parse's boxes and style slots,
       * which point at them, go with it. */
      doc->resources = g_steal_pointer (&previous->resources);
      doc->resource_by_url = g_steal_pointer (&previous->resource_by_url);
      doc->decoded_image_bytes = previous->decoded_image_bytes;
      doc->n_css_images = previous->n_css_images;
      bh_document_free (previous);
    }
  else
    {
      doc->resources = g_ptr_array_new_with_free_func (resource_free);
      doc->resource_by_url = g_hash_table_new (g_str_hash, g_str_equal);
    }
  doc->style_slots = g_array_new (FALSE, FALSE, sizeof (BhStyleSlot));
  doc->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  doc->cached_layouts = g_ptr_array_new ();
  doc->ua_sheet = bh_style_sheet_parse (bh_style_sheet_get_user_agent_text (),
                                        strlen (bh_style_sheet_get_user_agent_text ()));
  doc->background = 0xffffffffu;
  doc->layout_scale = 1.0;
  doc->tree_dirty = TRUE;

  font_options = cairo_font_options_create ();
  cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (font_options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  doc->pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_font_options (doc->pango, font_options);
  pango_context_set_round_glyph_positions (doc->pango, FALSE);
  cairo_font_options_destroy (font_options);

  if (content_type != NULL)
    {
      g_auto(GStrv) params = g_strsplit (content_type, ";", -1);
      mime = g_ascii_strdown (g_strstrip (params[0]), -1);
      for (int i = 1; params[i] != NULL; i++)
        {
          char *param = g_strstrip (params[i]);
          if (g_ascii_strncasecmp (param, "charset=", 8) == 0)
            type_charset = g_strdup (param + 8);
        }
    }
  if (body != NULL)
    data = g_bytes_get_data (body, &len);
  if (data == NULL)
    data = (const guchar *) "";

  /* An image opened as a page: an image document, as browsers make one. */
  if (mime != NULL && g_str_has_prefix (mime, "image/"))
    {
      image_document (doc, mime, body);
      return doc;
    }
  if (mime != NULL && (strcmp (mime, "text/html") == 0 || strcmp (mime, "application/xhtml+xml") == 0))
    is_html = TRUE;
  else if (mime != NULL && g_str_has_prefix (mime, "text/"))
    is_html = FALSE;
  else
    is_html = looks_like_html (data, len);

  if (len > BH_MAX_SOURCE_BYTES)
    {
      len = BH_MAX_SOURCE_BYTES;
      doc->note = g_strdup_printf ("Document truncated at %d MB.", BH_MAX_SOURCE_BYTES / (1024 * 1024));
    }

  text = bh_document_decode_text (data, len, charset != NULL && *charset ? charset : type_charset, is_html, &text_len);
  if (is_html)
    load_html (doc, text, text_len);
  else
    {
      doc->is_text = TRUE;
      doc->source = text;
      doc->source_len = text_len;
    }
  return doc;
}

/**
 * bh_document_warm_up:
 *
 * Loads what the engine would otherwise load on first use: fontconfig's configuration
 * and caches, the DejaVu faces (regular, bold, italic, monospace, serif) and the GIF
 * loader module of gdk-pixbuf (PNG and JPEG are built in). Call it before a sandbox
 * closes the file system; it also takes the ~100 ms of font set-up off the first page.
 * Safe to call more than once.
 */
void
bh_document_warm_up (void)
{
  static const char html[] =
    "<p>warm <b>bold</b> <i>italic</i> <code>mono</code> <b><i>both</i></b> "
    "<span style='font-family: serif'>serif</span></p>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, sizeof html - 1);
  g_autoptr(BhDocument) doc = bh_document_new ("about:blank", "text/html", "utf-8", body);
  g_autoptr(GdkPixbufLoader) gif = gdk_pixbuf_loader_new_with_type ("gif", NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 64, 64);
  cairo_t *cr = cairo_create (surface);

  bh_document_layout (doc, 400, 1.0);
  bh_document_paint (doc, cr, 0, 64, 64);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (gif != NULL)
    gdk_pixbuf_loader_close (gif, NULL);
}

/**
 * bh_document_free:
 * @doc: (nullable) (transfer full): a document
 *
 * Frees the document and everything it holds.
 */
void
bh_document_free (BhDocument *doc)
{
  gboolean big;

  if (doc == NULL)
    return;
  big = doc->source_len > 1024 * 1024;
  bh_box_tree_clear (doc);
  bh_selection_free (doc);
  bh_forms_free (doc);
  /* Every block of the tree, and of nodes a script made or detached, is in the
   * arena: freeing it all at once needs no walk (which would recurse as deep as a
   * script nested its nodes). */
  if (doc->gumbo != NULL && doc->gumbo_arena == NULL)
    gumbo_destroy_output (&doc->gumbo_options, doc->gumbo);
  if (doc->gumbo_arena != NULL)
    {
      arena_free_all (doc->gumbo_arena);
      g_free (doc->gumbo_arena);
    }
  if (doc->style_slots != NULL)
    for (guint i = 0; i < doc->style_slots->len; i++)
      bh_style_sheet_free (g_array_index (doc->style_slots, BhStyleSlot, i).inline_sheet);
  g_clear_pointer (&doc->style_slots, g_array_unref);
  g_clear_pointer (&doc->resource_by_url, g_hash_table_unref);
  g_clear_pointer (&doc->resources, g_ptr_array_unref);
  g_clear_pointer (&doc->strings, g_hash_table_unref);
  g_clear_pointer (&doc->scroll_offsets, g_hash_table_unref);
  g_clear_pointer (&doc->cached_layouts, g_ptr_array_unref);
  g_clear_pointer (&doc->ua_sheet, bh_style_sheet_free);
  g_clear_object (&doc->pango);
  g_free (doc->source);
  g_free (doc->url);
  g_free (doc->base_url);
  g_free (doc->favicon_url);
  g_free (doc->title);
  g_free (doc->note);
  g_free (doc->viewport_state);
  g_free (doc);
  /* A renderer lives on after a big page: give the memory of its millions of small
   * blocks back to the system instead of keeping it in malloc's free lists. */
  if (big)
    malloc_trim (0);
}

/**
 * bh_document_get_url:
 * @doc: a document
 *
 * Returns: (transfer none): the URL the document was created with.
 */
const char *
bh_document_get_url (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->url;
}

/**
 * bh_document_get_title:
 * @doc: a document
 *
 * Returns: (transfer none): the text of the first <title>, white space collapsed and
 *   trimmed (HTML "document.title"); "" if there is none or for text documents.
 */
const char *
bh_document_get_title (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, "");
  if (doc->title_dirty)
    bh_document_dom_refresh_title (doc);
  return doc->title;
}

/* ---------------------------------------------------------------- subresources */

/**
 * bh_document_get_n_resources:
 * @doc: a document
 *
 * The subresources the document wants: images (<img src>) and style sheets (<link
 * rel=stylesheet href> whose media applies to a screen), each URL once, in document
 * order. The list is fixed when the document is created.
 *
 * Returns: how many there are.
 */
guint
bh_document_get_n_resources (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->resources->len;
}

gboolean
bh_document_has_pending_stylesheets (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);

  for (guint i = 0; i < doc->resources->len; i++)
    {
      BhResource *r = doc->resources->pdata[i];
      if (r->kind == BH_RESOURCE_STYLESHEET && r->state == BH_RESOURCE_PENDING)
        return TRUE;
    }
  return FALSE;
}

/**
 * bh_document_get_resource_url:
 * @doc: a document
 * @index: from 0 to bh_document_get_n_resources() - 1
 *
 * Returns: (transfer none): the absolute URL of the resource, resolved against the
 *   document URL or its <base href> (RFC 3986 section 5.2 via GUri).
 */
/**
 * bh_document_resource_is_pending:
 * @doc: a document
 * @index: a resource, below bh_document_get_n_resources()
 *
 * Returns: whether the resource still waits for bh_document_set_resource():
 *   an image document's own image does not, and is not to be asked for.
 */
gboolean
bh_document_resource_is_pending (BhDocument *doc, guint index)
{
  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (index < doc->resources->len, FALSE);
  return ((BhResource *) doc->resources->pdata[index])->state == BH_RESOURCE_PENDING;
}

const char *
bh_document_get_resource_url (BhDocument *doc, guint index)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (index < doc->resources->len, NULL);
  return ((BhResource *) doc->resources->pdata[index])->url;
}

const char *
bh_document_get_favicon_url (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->favicon_url;
}

/**
 * bh_document_set_resource:
 * @doc: a document
 * @url: a URL from bh_document_get_resource_url()
 * @content_type: (nullable): its MIME type; informative only, images are recognised
 *   by their signature
 * @data: (nullable): the body, or %NULL if the load failed
 *
 * Hands a subresource to the document. Images are decoded in memory with
 * GdkPixbufLoader (PNG, JPEG, GIF first frame) or librsvg (SVG, recognised by its markup;
 * it loads nothing from outside); other formats count as broken;
 * images over 8192 px a side or 16 Mpx are refused from their header, before pixels
 * are allocated. A broken image shows its alt text. Style sheets are decoded (UTF-8,
 * else windows-1252) and parsed; they apply in document order with <style> elements.
 * A URL that is not wanted, or was already handed over, is ignored.
 *
 * Returns: %TRUE if the document changed: call bh_document_layout() and repaint.
 */
gboolean
bh_document_set_resource (BhDocument *doc, const char *url, const char *content_type, GBytes *data)
{
  BhResource *res;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  res = bh_document_find_resource (doc, url);
  if (res == NULL || res->state != BH_RESOURCE_PENDING)
    return FALSE;

  if (res->kind == BH_RESOURCE_IMAGE)
    {
      if (data != NULL && bh_document_decode_image (doc, res, data))
        {
          res->state = BH_RESOURCE_LOADED;
          doc->layout_dirty = TRUE;
          doc->objects_dirty = TRUE;
        }
      else
        {
          res->state = BH_RESOURCE_FAILED;
          doc->tree_dirty = TRUE;  /* alt text replaces the image */
        }
      return TRUE;
    }

  if (data == NULL)
    {
      res->state = BH_RESOURCE_FAILED;
      return FALSE;
    }
  {
    gsize len, text_len;
    const guchar *bytes = g_bytes_get_data (data, &len);
    g_autofree char *css = bh_document_decode_text (bytes != NULL ? bytes : (const guchar *) "", MIN (len, (gsize) BH_MAX_SOURCE_BYTES),
                                        NULL, FALSE, &text_len);
    res->sheet = bh_style_sheet_parse (css, text_len);
    res->state = BH_RESOURCE_LOADED;
    add_imports (doc, res->sheet, res->url, res->import_depth + 1);
    doc->tree_dirty = TRUE;
  }
  return TRUE;
}

/* ---------------------------------------------------------------- layout and paint */

/* A new viewport size: the tree is restyled when the style sheets see a difference
 * (a media query changes its answer, vw or vh are used). */
static void
set_viewport (BhDocument *doc, double width, double height)
{
  if (height <= 0)
    height = 900;
  if (doc->viewport_width == width && doc->viewport_height == height)
    return;
  doc->viewport_width = width;
  doc->viewport_height = height;
  if (doc->root != NULL && !doc->tree_dirty && doc->viewport_state != NULL)
    {
      g_autofree char *state = bh_box_viewport_state (doc, width, height);
      if (strcmp (state, doc->viewport_state) != 0)
        doc->tree_dirty = TRUE;
    }
}

static void
ensure_tree (BhDocument *doc)
{
  if (doc->tree_dirty || doc->root == NULL)
    bh_box_tree_build (doc);
}

/**
 * bh_document_layout:
 * @doc: a document
 * @viewport_width_px: the width to lay out for, in CSS px (clamped to 1..65536)
 * @scale: device px per CSS px that the caller will paint with (zoom times screen
 *   scale), clamped to 0.25..8; layout is in CSS px, this only snaps borders
 *
 * Lays the document out for a viewport width: the box tree is (re)built first if
 * resources or style sheets arrived. Cheap when nothing changed since the last call
 * with the same arguments.
 */
void
bh_document_layout (BhDocument *doc, int viewport_width_px, double scale)
{
  g_return_if_fail (doc != NULL);

  viewport_width_px = CLAMP (viewport_width_px, 1, 65536);
  if (!(scale >= 0.25))
    scale = 0.25;
  scale = MIN (scale, 8.0);

  set_viewport (doc, viewport_width_px, doc->viewport_height);
  ensure_tree (doc);
  if (!doc->layout_dirty && doc->layout_width == viewport_width_px && doc->layout_scale == scale)
    return;
  doc->layout_width = viewport_width_px;
  doc->layout_scale = scale;
  bh_layout_document (doc);
  doc->layout_dirty = FALSE;
}

/**
 * bh_document_get_height_px:
 * @doc: a document
 *
 * Returns: the document's height in CSS px at the last layout (at least 1), or 0
 *   before the first layout.
 */
int
bh_document_get_height_px (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  if (doc->root == NULL || doc->layout_width == 0)
    return 0;
  return MAX (1, (int) ceil (doc->height));
}

/**
 * bh_document_get_width_px:
 * @doc: a laid-out document
 *
 * How wide the laid-out content is, document px: the viewport width it was
 * laid out for, or more where something does not fit (a table whose
 * columns' minimum widths add up to more, a line that may not wrap), which
 * then scrolls horizontally rather than being cut off, as in browsers.
 *
 * Returns: the width, at least the layout width; 0 before a layout.
 */
int
bh_document_get_width_px (BhDocument *doc)
{
  double right;

  g_return_val_if_fail (doc != NULL, 0);
  if (doc->root == NULL || doc->layout_width == 0)
    return 0;
  right = doc->layout_width;
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      const BhBox *box = doc->boxes->pdata[i];

      right = MAX (right, box->x + box->w);
      /* A line that may not wrap reaches past its box. */
      if (box->para != NULL && box->para->no_wrap && box->para->layout_width >= 0)
        right = MAX (right, box->x + box->para->align_offset + box->para->natural_w);
    }
  return (int) MIN (ceil (right), (double) BH_MAX_DOCUMENT_WIDTH_PX);
}

/**
 * bh_document_get_background:
 * @doc: a document
 * @rgba: (out caller-allocates) (array fixed-size=4): red, green, blue, alpha in 0..1
 *
 * The canvas colour: the background of <html>, else of <body> (CSS 2.1 section 14.2),
 * composited over white; white when neither has one.
 */
void
bh_document_get_background (BhDocument *doc, double rgba[4])
{
  g_return_if_fail (doc != NULL);
  ensure_tree (doc);
  rgba[0] = ((doc->background >> 16) & 0xff) / 255.0;
  rgba[1] = ((doc->background >> 8) & 0xff) / 255.0;
  rgba[2] = (doc->background & 0xff) / 255.0;
  rgba[3] = 1.0;
}

/**
 * bh_document_paint:
 * @doc: a document
 * @cr: where to paint: user space in CSS px with the origin at the viewport's top
 *   left (the caller applies its device scale with cairo_scale())
 * @scroll_y_px: the document y, CSS px, shown at the top of the viewport
 * @viewport_width_px: width of the area to paint, CSS px
 * @viewport_height_px: height of the area to paint, CSS px
 *
 * Fills the viewport with the background colour, then paints the part of the document
 * from @scroll_y_px to @scroll_y_px + @viewport_height_px. Lays the document out first
 * (at @viewport_width_px, scale 1) if it never was, and again if resources arrived
 * since. Plugin boxes are painted as light grey placeholders for the browser to cover.
 */
void
bh_document_paint (BhDocument *doc, cairo_t *cr, int scroll_y_px, int viewport_width_px, int viewport_height_px)
{
  g_return_if_fail (doc != NULL);
  g_return_if_fail (cr != NULL);

  if (doc->layout_width != 0)
    set_viewport (doc, doc->viewport_width, viewport_height_px);
  else
    doc->viewport_height = viewport_height_px;
  if (doc->root == NULL || doc->layout_width == 0)
    bh_document_layout (doc, viewport_width_px, 1.0);
  else if (doc->tree_dirty || doc->layout_dirty)
    bh_document_layout (doc, doc->layout_width, doc->layout_scale);
  bh_paint_document (doc, cr, scroll_y_px, viewport_width_px, viewport_height_px);
}

void
bh_document_set_print_backgrounds (BhDocument *doc, gboolean print_backgrounds)
{
  g_return_if_fail (doc != NULL);
  doc->omit_backgrounds = !print_backgrounds;
}

/**
 * bh_document_link_at:
 * @doc: a laid-out document
 * @x_px: x in CSS px
 * @doc_y_px: y in CSS px from the top of the document (viewport y + scroll)
 *
 * Finds the link whose text (or image) is drawn at a point, as a click would.
 *
 * Returns: (transfer none) (nullable): the link's absolute URL, valid until the next
 *   layout or set_resource; %NULL if no link is there.
 */
const char *
bh_document_link_at (BhDocument *doc, double x_px, double doc_y_px)
{
  g_return_val_if_fail (doc != NULL, NULL);
  if (doc->root == NULL || doc->layout_width == 0 || doc->tree_dirty)
    return NULL;
  return bh_layout_link_at (doc, x_px, doc_y_px);
}

/* ---------------------------------------------------------------- plugin boxes */

/**
 * bh_document_get_n_plugin_boxes:
 * @doc: a document
 *
 * <embed src type width height> and <object data type width height> elements, in
 * document order (an <object> without data= and type= shows its fallback content
 * instead and is not listed).
 *
 * Returns: how many plugin boxes the document has.
 */
guint
bh_document_get_n_plugin_boxes (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  ensure_tree (doc);
  return doc->plugins->len;
}

/**
 * bh_document_get_plugin_box:
 * @doc: a document
 * @index: from 0 to bh_document_get_n_plugin_boxes() - 1
 * @url: (out) (optional) (transfer none): absolute URL of src=/data=, "" if absent
 * @mime_type: (out) (optional) (transfer none): type= as written, "" if absent
 * @x: (out) (optional): left edge, CSS px, at the last layout
 * @y: (out) (optional): top edge, CSS px, from the top of the document
 * @width: (out) (optional): width, CSS px (300 if the page gives none)
 * @height: (out) (optional): height, CSS px (150 if the page gives none)
 *
 * Where a plugin goes. Before the first layout all four are 0: ask again after
 * bh_document_layout(), and after each layout since boxes move.
 */
void
bh_document_get_plugin_box (BhDocument *doc, guint index, const char **url, const char **mime_type,
                            int *x, int *y, int *width, int *height)
{
  BhObject *obj;
  double ox = 0, oy = 0;

  g_return_if_fail (doc != NULL);
  ensure_tree (doc);
  g_return_if_fail (index < doc->plugins->len);

  obj = doc->plugins->pdata[index];
  if (obj->para_box != NULL)
    {
      ox = obj->para_box->x + obj->rel_x;
      oy = obj->para_box->y + obj->rel_y;
    }
  if (url != NULL)
    *url = obj->url;
  if (mime_type != NULL)
    *mime_type = obj->mime_type;
  if (x != NULL)
    *x = (int) floor (ox + 0.5);
  if (y != NULL)
    *y = (int) floor (oy + 0.5);
  if (width != NULL)
    *width = (int) floor (obj->w + 0.5);
  if (height != NULL)
    *height = (int) floor (obj->h + 0.5);
}

/* ---------------------------------------------------------------- memory for the DOM */

/**
 * bh_document_dom_alloc: (skip)
 *
 * Memory for a node, string or child vector the DOM adds to the tree, counted
 * in the document's gumbo budget and freed with it.
 *
 * Returns: (nullable): @size bytes, or %NULL past the budget (or when the
 *   document has no HTML tree).
 */
void *
bh_document_dom_alloc (BhDocument *doc, gsize size)
{
  BhArena *arena = doc->gumbo_arena;
  BhArenaBlock *block;

  if (arena == NULL || size > arena->budget || ARENA_COST (size) > arena->budget - arena->used)
    return NULL;
  block = malloc (sizeof (BhArenaBlock) + size);
  if (block == NULL)
    return NULL;
  block->size = size;
  block->next = arena->head.next;
  block->prev = &arena->head;
  arena->head.next->prev = block;
  arena->head.next = block;
  arena->used += ARENA_COST (size);
  return block + 1;
}

/**
 * bh_document_dom_free: (skip)
 * @ptr: (nullable): from bh_document_dom_alloc() or gumbo's parse of @doc
 */
void
bh_document_dom_free (BhDocument *doc, void *ptr)
{
  if (doc->gumbo_arena != NULL)
    arena_free (doc->gumbo_arena, ptr);
}

/**
 * bh_document_parse_fragment: (skip)
 * @html: UTF-8 markup, which must live as long as @doc (gumbo points into it)
 * @context: the element the fragment is parsed for (HTML's fragment parsing
 *   algorithm, as innerHTML does)
 *
 * Parses in what is left of the document's budget; the nodes are the children
 * of the output's root element, allocated in the document's arena.
 *
 * Returns: (nullable): the output, %NULL when the fragment needs more than the
 *   budget has left (the document is untouched).
 */
GumboOutput *
bh_document_parse_fragment (BhDocument *doc, const char *html, gsize len, GumboTag context)
{
  BhArena *arena = doc->gumbo_arena;
  BhArena *frag;
  GumboOptions options;
  GumboOutput *out;

  if (arena == NULL)
    return NULL;
  frag = arena_new (arena->budget - arena->used);
  options = doc->gumbo_options;
  options.userdata = frag;
  options.fragment_context = context;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  out = parse_guarded (frag, &options, html, len);
  if (out != NULL && frag->head.next != &frag->head)
    {
      /* The fragment's blocks join the document's. */
      BhArenaBlock *first = frag->head.next, *last = frag->head.prev;

      last->next = arena->head.next;
      arena->head.next->prev = last;
      first->prev = &arena->head;
      arena->head.next = first;
      arena->used += frag->used;
    }
  g_free (frag);
  return out;
}
