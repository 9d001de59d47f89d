/* bh-box-style.c: each element's computed style, for the box tree builder
 *
 * The cascade of a document for a viewport (the user-agent sheet, then every author
 * sheet that applies, each after its imports), the presentational hints HTML section
 * 15 maps old attributes to, what selectors see of an element, and the interning that
 * lets equal computed styles share one copy.
 */
#include "bh-box-private.h"

#include <string.h>

static guint
style_hash (gconstpointer key)
{
  const guint32 *words = key;
  guint32 h = 2166136261u;

  for (gsize i = 0; i < sizeof (BhStyle) / 4; i++)
    h = (h ^ words[i]) * 16777619u;
  return h;
}

static gboolean
style_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (BhStyle)) == 0;
}

GHashTable *
bh_box_style_set_new (void)
{
  return g_hash_table_new (style_hash, style_equal);
}

/* Returns the shared copy of @style. Pages have few distinct styles and many elements,
 * so sharing keeps a big document's styles small. */
const BhStyle *
bh_box_intern_style (Builder *b, const BhStyle *style)
{
  BhStyle *shared = g_hash_table_lookup (b->style_set, style);

  if (shared == NULL)
    {
      shared = g_memdup2 (style, sizeof *style);
      g_ptr_array_add (b->doc->styles, shared);
      g_hash_table_add (b->style_set, shared);
    }
  return shared;
}

gboolean
bh_box_parse_int_attr (const char *value, int *out)
{
  char *end;
  gint64 v;

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  v = g_ascii_strtoll (value, &end, 10);
  if (end == value)
    return FALSE;
  *out = (int) CLAMP (v, -1000000, 1000000);
  return TRUE;
}

/* A legacy dimension attribute (HTML "rules for parsing dimension values"): digits,
 * optionally followed by "%"; returns it as CSS. */
static char *
dimension_to_css (const char *value)
{
  char *end;
  double v;

  if (value == NULL)
    return NULL;
  while (g_ascii_isspace (*value))
    value++;
  if (!g_ascii_isdigit (*value) && *value != '.')
    return NULL;
  v = g_ascii_strtod (value, &end);
  if (end == value || v < 0 || v > 100000)
    return NULL;
  if (*end == '%')
    return g_strdup_printf ("%g%%", v);
  return g_strdup_printf ("%gpx", v);
}

static gboolean
legacy_color (const char *value, char **css_out)
{
  guint32 argb;
  gsize len;

  if (value == NULL)
    return FALSE;
  if (bh_css_parse_color (value, &argb))
    {
      *css_out = g_strdup (value);
      return TRUE;
    }
  /* old pages write bgcolor="ffffff" without the hash */
  len = strlen (value);
  if ((len == 3 || len == 6) && strspn (value, "0123456789abcdefABCDEF") == len)
    {
      *css_out = g_strdup_printf ("#%s", value);
      return TRUE;
    }
  return FALSE;
}

static Frame *
enclosing_table_frame (Builder *b)
{
  for (guint i = b->frames->len; i > 0; i--)
    {
      Frame *f = b->frames->pdata[i - 1];
      if (f->node->type == GUMBO_NODE_ELEMENT && f->node->v.element.tag == GUMBO_TAG_TABLE)
        return f;
    }
  return NULL;
}

#define HINT(prop, value) \
  G_STMT_START { \
    if (hints == NULL) \
      hints = bh_declarations_new (); \
    bh_declarations_add (hints, prop, value); \
  } G_STMT_END

/* Presentational attributes, mapped to CSS as HTML section 15 ("Rendering") does. */
static BhDeclarations *
build_hints (Builder *b, GumboNode *node, Frame *f)
{
  GumboTag tag = node->v.element.tag;
  BhDeclarations *hints = NULL;
  const char *v;
  g_autofree char *css = NULL;

  if ((v = bh_gumbo_get_attribute (node, "align")) != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (v, -1);
      g_strstrip (lower);
      if (tag == GUMBO_TAG_TABLE)
        {
          if (strcmp (lower, "center") == 0)
            {
              HINT ("margin-left", "auto");
              HINT ("margin-right", "auto");
            }
        }
      else if (tag != GUMBO_TAG_IMG && tag != GUMBO_TAG_IFRAME && tag != GUMBO_TAG_EMBED &&
               tag != GUMBO_TAG_OBJECT && tag != GUMBO_TAG_INPUT)
        HINT ("text-align", lower);
    }

  if (tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_TR ||
      tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
    {
      g_autofree char *color = NULL;
      if (legacy_color (bh_gumbo_get_attribute (node, "bgcolor"), &color))
        HINT ("background-color", color);
    }
  if (tag == GUMBO_TAG_BODY)
    {
      g_autofree char *color = NULL;
      if (legacy_color (bh_gumbo_get_attribute (node, "text"), &color))
        HINT ("color", color);
    }

  if (tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH || tag == GUMBO_TAG_HR ||
      tag == GUMBO_TAG_PRE)
    {
      g_clear_pointer (&css, g_free);
      if ((css = dimension_to_css (bh_gumbo_get_attribute (node, "width"))) != NULL)
        HINT ("width", css);
    }

  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH || tag == GUMBO_TAG_TR)
    {
      if ((v = bh_gumbo_get_attribute (node, "valign")) != NULL)
        HINT ("vertical-align", v);
      if (tag != GUMBO_TAG_TR && bh_gumbo_get_attribute (node, "nowrap") != NULL)
        HINT ("white-space", "nowrap");
    }

  if (tag == GUMBO_TAG_TABLE)
    {
      int n;
      v = bh_gumbo_get_attribute (node, "border");
      if (v != NULL)
        {
          f->table_border = bh_box_parse_int_attr (v, &n) ? MAX (n, 0) : 1;
          if (f->table_border > 0)
            {
              g_autofree char *border = g_strdup_printf ("%dpx outset #808080", MIN (f->table_border, 100));
              HINT ("border", border);
            }
        }
      if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "cellspacing"), &n) && n >= 0)
        {
          g_autofree char *spacing = g_strdup_printf ("%dpx", MIN (n, 1000));
          HINT ("border-spacing", spacing);
        }
      f->table_cellpadding = -1;
      if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "cellpadding"), &n) && n >= 0)
        f->table_cellpadding = MIN (n, 1000);
    }

  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
    {
      Frame *table = enclosing_table_frame (b);
      if (table != NULL && table->table_border > 0)
        HINT ("border", "1px inset #808080");
      if (table != NULL && table->table_cellpadding >= 0)
        {
          g_autofree char *padding = g_strdup_printf ("%dpx", table->table_cellpadding);
          HINT ("padding", padding);
        }
    }

  if (tag == GUMBO_TAG_FONT)
    {
      g_autofree char *color = NULL;
      if (legacy_color (bh_gumbo_get_attribute (node, "color"), &color))
        HINT ("color", color);
      if ((v = bh_gumbo_get_attribute (node, "face")) != NULL)
        HINT ("font-family", v);
      if ((v = bh_gumbo_get_attribute (node, "size")) != NULL)
        {
          static const char *sizes[] = { "x-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large" };
          int n;
          while (g_ascii_isspace (*v))
            v++;
          if (bh_box_parse_int_attr (v, &n))
            {
              if (*v == '+' || *v == '-')
                n += 3;
              HINT ("font-size", sizes[CLAMP (n, 1, 7)]);
            }
        }
    }

  if (tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_LI)
    {
      if ((v = bh_gumbo_get_attribute (node, "type")) != NULL)
        {
          const char *type = NULL;
          if (strcmp (v, "1") == 0)
            type = "decimal";
          else if (strcmp (v, "a") == 0)
            type = "lower-alpha";
          else if (strcmp (v, "A") == 0)
            type = "upper-alpha";
          else if (strcmp (v, "i") == 0)
            type = "lower-roman";
          else if (strcmp (v, "I") == 0)
            type = "upper-roman";
          else if (g_ascii_strcasecmp (v, "disc") == 0 || g_ascii_strcasecmp (v, "circle") == 0 ||
                   g_ascii_strcasecmp (v, "square") == 0)
            type = v;
          if (type != NULL)
            HINT ("list-style-type", type);
        }
    }

  return hints;
}

#undef HINT

static char *
unknown_tag_name (const GumboElement *e)
{
  GumboStringPiece piece = e->original_tag;

  if (piece.data == NULL || piece.length == 0)
    return NULL;
  gumbo_tag_from_original_text (&piece);
  return g_ascii_strdown (piece.data, piece.length);
}

void
bh_box_frame_free (Frame *f)
{
  if (f == NULL)
    return;
  if (f->vars != NULL)
    g_hash_table_unref (f->vars);
  g_free (f->tag_name);
  g_strfreev (f->classes);
  g_free (f);
}

/**
 * bh_box_frame_new: (skip)
 * @b: the builder
 * @node: an HTML element
 * @parent: the frame of its parent
 *
 * Makes @node's frame: what selectors see of it (tag, id, classes, link-ness, its
 * place in the tree) and its computed style, from the cascade with its presentational
 * hints (HTML section 15) and style="" (CSS Style Attributes), under @parent's style
 * and custom properties.
 *
 * Returns: (transfer full) (nullable): the frame, %NULL when the element has
 *   display: none.
 */
Frame *
bh_box_frame_new (Builder *b, GumboNode *node, Frame *parent)
{
  GumboElement *e = &node->v.element;
  g_autoptr(BhDeclarations) hints = NULL;
  g_autoptr(BhDeclarations) style_attr = NULL;
  const char *v;
  BhStyle computed;
  Frame *f;

  f = g_new0 (Frame, 1);
  f->node = node;
  f->el.tag = e->tag;
  if (e->tag == GUMBO_TAG_UNKNOWN)
    f->el.tag_name = f->tag_name = unknown_tag_name (e);
  f->el.id = bh_gumbo_get_attribute (node, "id");
  if ((v = bh_gumbo_get_attribute (node, "class")) != NULL)
    {
      int out = 0;

      f->classes = g_strsplit_set (v, " \t\n\r\f", -1);
      /* drop the empty strings that runs of white space leave */
      for (int i = 0; f->classes[i] != NULL; i++)
        {
          if (*f->classes[i] != '\0')
            f->classes[out++] = f->classes[i];
          else
            g_free (f->classes[i]);
        }
      f->classes[out] = NULL;
      f->el.classes = f->classes;
    }
  f->el.is_link = (e->tag == GUMBO_TAG_A || e->tag == GUMBO_TAG_AREA) &&
                  bh_gumbo_get_attribute (node, "href") != NULL;
  f->el.parent = parent->node->type == GUMBO_NODE_DOCUMENT ? NULL : &parent->el;
  f->el.node = node;
  f->el.states = b->states != NULL ? b->states : &b->doc->states;
  f->table_cellpadding = -1;

  hints = build_hints (b, node, f);
  if ((v = bh_gumbo_get_attribute (node, "style")) != NULL)
    style_attr = bh_declarations_parse (v, strlen (v));

  bh_cascade_compute_with_vars (b->cascade, &f->el, parent->style, parent->vars, hints, style_attr,
                                &computed, &f->vars);
  if (computed.display == BH_DISPLAY_NONE)
    {
      bh_box_frame_free (f);
      return NULL;
    }
  if (computed.background_image != NULL)
    {
      /* the cascade's string lives as long as the cascade; the tree's, as the document */
      BhResource *res = bh_document_want_image (b->doc, computed.background_image);
      computed.background_image = res != NULL ? res->url : NULL;
    }
  f->style = bh_box_intern_style (b, &computed);
  return f;
}

typedef void (*SheetVisitor) (BhStyleSheet *sheet, const char *base, const char *media, gpointer data);

/* A sheet's imports first, in order (CSS Cascade 4 section 2.1: as if their rules were
 * where the @import is), then the sheet; @media of the import applies to all of it. */
static void
visit_sheet (BhDocument *doc, BhStyleSheet *sheet, const char *base, const char *media, guint depth,
             double width, double height, SheetVisitor visit, gpointer data)
{
  if (media != NULL && *media != '\0' && !bh_media_query_matches (media, width, height))
    return;
  if (depth < BH_MAX_IMPORT_DEPTH)
    for (guint i = 0; i < bh_style_sheet_get_n_imports (sheet); i++)
      {
        const char *import_media = NULL;
        const char *ref = bh_style_sheet_get_import (sheet, i, &import_media);
        g_autofree char *url = bh_document_resolve_url_against (base, ref);
        BhResource *res = url != NULL ? bh_document_find_resource (doc, url) : NULL;
        /* a cycle stops at the depth limit */
        if (res != NULL && res->kind == BH_RESOURCE_STYLESHEET && res->sheet != NULL)
          visit_sheet (doc, res->sheet, res->url, import_media, depth + 1, width, height, visit, data);
      }
  visit (sheet, base, media, data);
}

/* Every author style sheet in cascade order, with its imports, for a viewport. */
static void
visit_author_sheets (BhDocument *doc, double width, double height, SheetVisitor visit, gpointer data)
{
  const char *doc_base = doc->base_url != NULL ? doc->base_url : doc->url;

  for (guint i = 0; i < doc->style_slots->len; i++)
    {
      BhStyleSlot *slot = &g_array_index (doc->style_slots, BhStyleSlot, i);
      if (slot->inline_sheet != NULL)
        visit_sheet (doc, slot->inline_sheet, doc_base, slot->media, 0, width, height, visit, data);
      else if (slot->resource != NULL && slot->resource->sheet != NULL)
        visit_sheet (doc, slot->resource->sheet, slot->resource->url, slot->media, 0, width, height, visit, data);
    }
}

static void
add_sheet_to_cascade (BhStyleSheet *sheet, const char *base, const char *media, gpointer data)
{
  bh_cascade_add_sheet_with_base (data, sheet, BH_ORIGIN_AUTHOR, base);
}

typedef struct {
  GString *out;
  double width, height;
} StateVisit;

static void
append_sheet_state (BhStyleSheet *sheet, const char *base, const char *media, gpointer data)
{
  StateVisit *v = data;
  bh_style_sheet_append_viewport_state (sheet, v->width, v->height, v->out);
  g_string_append_c (v->out, ';');
}

/**
 * bh_box_viewport_state: (skip)
 * @doc: a document
 * @width: viewport width, CSS px
 * @height: viewport height, CSS px
 *
 * What the document's style sheets see of a viewport: which sheets apply (media="",
 * @import media) and, within each, which @media blocks match and whether vw/vh are
 * used. The tree is restyled on a resize only when this changes.
 *
 * Returns: (transfer full): the state as a string.
 */
char *
bh_box_viewport_state (BhDocument *doc, double width, double height)
{
  StateVisit v = { g_string_new (NULL), width, height };

  for (guint i = 0; i < doc->style_slots->len; i++)
    {
      const char *media = g_array_index (doc->style_slots, BhStyleSlot, i).media;
      g_string_append_c (v.out, media == NULL || bh_media_query_matches (media, width, height) ? '1' : '0');
    }
  visit_author_sheets (doc, width, height, append_sheet_state, &v);
  return g_string_free (v.out, FALSE);
}

BhCascade *
bh_box_cascade_new (BhDocument *doc, double width, double height)
{
  BhCascade *cascade = bh_cascade_new ();

  bh_cascade_set_viewport (cascade, width, height);
  bh_cascade_set_base_url (cascade, doc->base_url != NULL ? doc->base_url : doc->url);
  bh_cascade_add_sheet (cascade, doc->ua_sheet, BH_ORIGIN_USER_AGENT);
  visit_author_sheets (doc, width, height, add_sheet_to_cascade, cascade);
  return cascade;
}
