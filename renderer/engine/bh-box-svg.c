/* bh-box-svg.c: inline <svg> elements as images of their own subtree
 *
 * HTML puts an <svg> element's subtree in the SVG namespace; the box tree does not lay
 * SVG out. The subtree is written out as an SVG document (XML: names as the parser
 * adjusted them, attributes with their namespaces, text escaped) and drawn by librsvg
 * like an SVG image, its natural size from its width, height and viewBox. Its
 * currentColor is the element's color. Equal subtrees of one colour share one image.
 */
#include "bh-box-private.h"

#include <string.h>

/* Markup of one inline <svg> written out at most; a bigger one is not drawn. */
#define BH_MAX_INLINE_SVG_BYTES (256 * 1024)

static void
append_xml_escaped (GString *out, const char *s, gboolean attribute)
{
  for (const char *p = s; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"':
        if (attribute)
          {
            g_string_append (out, "&quot;");
            break;
          }
        /* fall through */
      default:
        g_string_append_c (out, *p);
      }
}

/* The element's name as the SVG document spells it. */
static char *
element_name (const GumboNode *node)
{
  const GumboElement *e = &node->v.element;
  GumboStringPiece piece = e->original_tag;
  const char *adjusted;

  if (piece.data != NULL && piece.length > 0)
    {
      gumbo_tag_from_original_text (&piece);
      if ((adjusted = gumbo_normalize_svg_tagname (&piece)) != NULL)
        return g_strdup (adjusted);
      if (e->tag == GUMBO_TAG_UNKNOWN)
        return g_strndup (piece.data, piece.length);
    }
  return g_strdup (gumbo_normalized_tagname (e->tag));
}

static gboolean
valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || strchr ("-.0123456789", *name) != NULL)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.' && *p != ':')
      return FALSE;
  return TRUE;
}

static void
append_attributes (GString *out, const GumboVector *attrs, gboolean root)
{
  gboolean has_xmlns = FALSE, has_xlink = FALSE;

  for (guint i = 0; i < attrs->length; i++)
    {
      const GumboAttribute *a = attrs->data[i];
      const char *prefix = a->attr_namespace == GUMBO_ATTR_NAMESPACE_XLINK ? "xlink:"
                           : a->attr_namespace == GUMBO_ATTR_NAMESPACE_XML ? "xml:" : "";
      if (a->attr_namespace == GUMBO_ATTR_NAMESPACE_XMLNS)
        {
          /* the declarations are written once, on the root, below */
          has_xmlns |= strcmp (a->name, "xmlns") == 0;
          has_xlink |= strcmp (a->name, "xlink") == 0 || strcmp (a->name, "xmlns:xlink") == 0;
          continue;
        }
      if (!valid_name (a->name) || strcmp (a->name, "xmlns") == 0 || g_str_has_prefix (a->name, "xmlns:") ||
          g_ascii_strncasecmp (a->name, "on", 2) == 0)
        continue;
      g_string_append_printf (out, " %s%s=\"", prefix, a->name);
      append_xml_escaped (out, a->value, TRUE);
      g_string_append_c (out, '"');
    }
  if (root)
    g_string_append (out, " xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
}

typedef struct {
  const GumboNode *node;
  char *closing;   /* owned: the end tag to write, or NULL for a node to open */
} Item;

/* (transfer full) (nullable): @svg's subtree as an SVG document; NULL past the cap. */
static GString *
write_svg (const GumboNode *svg)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (Item));
  GString *out = g_string_new (NULL);

  g_array_append_val (stack, ((Item) { svg, NULL }));
  while (stack->len > 0)
    {
      Item item = g_array_index (stack, Item, stack->len - 1);
      const GumboNode *n = item.node;

      g_array_set_size (stack, stack->len - 1);
      if (out->len > BH_MAX_INLINE_SVG_BYTES)
        {
          g_free (item.closing);
          continue;  /* drain, then give up */
        }
      if (item.closing != NULL)
        {
          g_string_append_printf (out, "</%s>", item.closing);
          g_free (item.closing);
          continue;
        }
      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA)
        append_xml_escaped (out, n->v.text.text, FALSE);
      else if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag != GUMBO_TAG_SCRIPT &&
               stack->len < 4 * BH_MAX_BOX_DEPTH)
        {
          char *name = element_name (n);
          const GumboVector *children = &n->v.element.children;
          if (!valid_name (name))
            {
              g_free (name);
              continue;
            }
          g_string_append_printf (out, "<%s", name);
          append_attributes (out, &n->v.element.attributes, n == svg);
          g_string_append_c (out, '>');
          g_array_append_val (stack, ((Item) { n, name }));
          for (guint i = children->length; i > 0; i--)
            g_array_append_val (stack, ((Item) { children->data[i - 1], NULL }));
        }
    }
  if (out->len > BH_MAX_INLINE_SVG_BYTES)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return out;
}

/**
 * bh_box_inline_svg: (skip)
 * @b: the builder
 * @node: an <svg> element in the SVG namespace
 * @style: its computed style
 *
 * Returns: (transfer none) (nullable): the image of @node's subtree, decoded; %NULL
 *   when it is too big, not valid SVG, or past the document's image limit.
 */
BhResource *
bh_box_inline_svg (Builder *b, GumboNode *node, const BhStyle *style)
{
  g_autoptr(GString) markup = write_svg (node);
  g_autofree char *key = NULL;
  BhResource *res;

  if (markup == NULL)
    return NULL;
  /* not a URL anything can fetch: the renderer asks only for pending resources */
  key = g_strdup_printf ("about:inline-svg#%08x-%06x-%" G_GSIZE_FORMAT, g_str_hash (markup->str),
                         style->color & 0xffffff, markup->len);
  res = bh_document_want_image (b->doc, key);
  if (res != NULL && res->state == BH_RESOURCE_PENDING)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (markup->str, markup->len);
      res->state = bh_document_decode_svg (b->doc, res, bytes, style->color) ? BH_RESOURCE_LOADED : BH_RESOURCE_FAILED;
    }
  return res != NULL && res->state == BH_RESOURCE_LOADED ? res : NULL;
}
