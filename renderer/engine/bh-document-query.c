/* bh-document-query.c: finding elements and reading them, for automation
 * (WebDriver's element commands and BiDi's locateNodes, via the renderer's
 * LocateNodes and QueryNode messages).
 *
 * Elements are numbered from 1 in document order (a pre-order walk of the
 * gumbo tree, every element counted, shown or not): the number names the
 * same element for as long as the document lives, and a new document
 * numbers afresh. Matching uses the cascade's own selector subset
 * (bh-css.h). An element's rectangle is the union of the boxes made for it
 * and for its descendants, and of the text runs inside it, laid out: what
 * a click at its centre hits.
 */
#include "bh-document-private.h"
#include "bh-layout-private.h"
#include "bh-dom.h"

#include <string.h>

/* Walks every element in document order, with what selectors see of it.
 * The tree is at most BH_MAX_TAG_DEPTH (1024) deep (bh-document.c keeps
 * deeper tags from gumbo), which bounds the recursion. */
typedef gboolean (*ElementFunc) (const GumboNode *node, const BhElement *el, guint index,
                                 gpointer data);

typedef struct {
  ElementFunc func;
  gpointer data;
  guint next_index;
  gboolean stopped;
} Walk;

static void
walk_element (Walk *w, const GumboNode *node, const BhElement *parent)
{
  const GumboElement *e = &node->v.element;
  g_auto (GStrv) classes = NULL;
  g_autofree char *tag_name = NULL;
  const char *class_attr;
  BhElement el = { 0 };
  guint index = w->next_index++;

  el.parent = parent;
  el.tag = e->tag;
  if (e->tag == GUMBO_TAG_UNKNOWN)
    {
      GumboStringPiece piece = e->original_tag;

      gumbo_tag_from_original_text (&piece);
      el.tag_name = tag_name = g_ascii_strdown (piece.data, (gssize) piece.length);
    }
  el.id = bh_gumbo_get_attribute (node, "id");
  class_attr = bh_gumbo_get_attribute (node, "class");
  if (class_attr != NULL)
    {
      int out = 0;

      classes = g_strsplit_set (class_attr, " \t\n\r\f", -1);
      for (int i = 0; classes[i] != NULL; i++)
        {
          if (*classes[i] != '\0')
            classes[out++] = classes[i];
          else
            g_free (classes[i]);
        }
      classes[out] = NULL;
      el.classes = classes;
    }
  el.is_link = (e->tag == GUMBO_TAG_A || e->tag == GUMBO_TAG_AREA) &&
               bh_gumbo_get_attribute (node, "href") != NULL;

  if (!w->func (node, &el, index, w->data))
    {
      w->stopped = TRUE;
      return;
    }
  for (guint i = 0; i < e->children.length && !w->stopped; i++)
    {
      const GumboNode *child = e->children.data[i];

      if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE)
        walk_element (w, child, &el);
    }
}

static void
walk_document (BhDocument *doc, ElementFunc func, gpointer data)
{
  Walk w = { func, data, 1, FALSE };
  const GumboNode *root;

  if (doc->gumbo == NULL)
    return;
  root = doc->gumbo->document;
  for (guint i = 0; i < root->v.document.children.length && !w.stopped; i++)
    {
      const GumboNode *child = root->v.document.children.data[i];

      if (child->type == GUMBO_NODE_ELEMENT)
        walk_element (&w, child, NULL);
    }
}

/* Whether @node is @ancestor or inside it. */
static gboolean
is_inclusive_descendant (const GumboNode *node, const GumboNode *ancestor)
{
  for (; node != NULL; node = node->parent)
    if (node == ancestor)
      return TRUE;
  return FALSE;
}

static void
add_rect (gboolean *have, double *x0, double *y0, double *x1, double *y1, double x, double y,
          double w, double h)
{
  if (w <= 0 && h <= 0)
    return;
  if (!*have)
    {
      *x0 = x;
      *y0 = y;
      *x1 = x + w;
      *y1 = y + h;
      *have = TRUE;
      return;
    }
  *x0 = MIN (*x0, x);
  *y0 = MIN (*y0, y);
  *x1 = MAX (*x1, x + w);
  *y1 = MAX (*y1, y + h);
}

/* The union of the boxes and runs of @node, in document px. */
static gboolean
node_rect (BhDocument *doc, const GumboNode *node, BhNodeRect *out)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  gboolean have = FALSE;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  L.keep_layouts = bh_layout_keep_all_layouts (doc);
  for (guint i = 0; doc->boxes != NULL && i < doc->boxes->len; i++)
    {
      BhBox *box = g_ptr_array_index (doc->boxes, i);
      BhParagraph *para = box->para;
      PangoLayout *layout;

      if (box->node != NULL && is_inclusive_descendant (box->node, node))
        {
          add_rect (&have, &x0, &y0, &x1, &y1, box->x, box->y, box->w, box->h);
          continue;
        }
      if (box->kind != BH_BOX_PARAGRAPH || para == NULL || para->runs->len == 0)
        continue;
      layout = NULL;
      for (guint r = 0; r < para->runs->len; r++)
        {
          const BhRun *run = &g_array_index (para->runs, BhRun, r);
          PangoRectangle first, last;
          const char *end_char;

          if (run->node == NULL || !is_inclusive_descendant (run->node, node) ||
              run->end <= run->start || run->end > para->text->len)
            continue;
          if (layout == NULL)
            layout = bh_layout_ensure_layout (&L, box, box->w);
          end_char = g_utf8_find_prev_char (para->text->str, para->text->str + run->end);
          pango_layout_index_to_pos (layout, (int) run->start, &first);
          pango_layout_index_to_pos (layout, end_char != NULL ? (int) (end_char - para->text->str)
                                                              : (int) run->start,
                                     &last);
          if (first.y == last.y)
            {
              double left = MIN (first.x, last.x + last.width);
              double right = MAX (first.x, last.x + last.width);

              add_rect (&have, &x0, &y0, &x1, &y1,
                        box->x + para->align_offset + (double) left / PANGO_SCALE,
                        box->y + (double) first.y / PANGO_SCALE,
                        (double) (right - left) / PANGO_SCALE, (double) first.height / PANGO_SCALE);
            }
          else
            /* Over several lines: the lines it spans, the paragraph's width. */
            add_rect (&have, &x0, &y0, &x1, &y1, box->x,
                      box->y + (double) first.y / PANGO_SCALE, box->w,
                      (double) (last.y + last.height - first.y) / PANGO_SCALE);
        }
    }
  if (!have)
    return FALSE;
  out->x = x0;
  out->y = y0;
  out->width = x1 - x0;
  out->height = y1 - y0;
  return TRUE;
}

typedef struct {
  BhDocument *doc;
  const BhSelectorList *selectors;
  guint max_nodes;
  GArray *found;
} Locate;

static gboolean
locate_cb (const GumboNode *node, const BhElement *el, guint index, gpointer data)
{
  Locate *l = data;
  BhNodeRect rect = { index, 0, 0, 0, 0 };

  if (!bh_selector_list_matches (l->selectors, el))
    return TRUE;
  /* An element that makes no box (display: none, or empty) has an empty
   * rectangle at the origin. */
  node_rect (l->doc, node, &rect);
  rect.node = index;
  g_array_append_val (l->found, rect);
  return l->found->len < l->max_nodes;
}

GArray *
bh_document_locate_nodes (BhDocument *doc, const char *selectors, guint max_nodes)
{
  g_autoptr (BhSelectorList) list = NULL;
  Locate l = { doc, NULL, max_nodes, NULL };

  g_return_val_if_fail (doc != NULL && selectors != NULL, NULL);

  list = bh_selector_list_parse (selectors);
  if (list == NULL)
    return NULL;
  l.selectors = list;
  l.found = g_array_new (FALSE, FALSE, sizeof (BhNodeRect));
  if (max_nodes > 0)
    walk_document (doc, locate_cb, &l);
  return l.found;
}

/* Locating by a set of elements made some other way (XPath, text): every
 * element of @set, numbered and measured in document order. */
typedef struct {
  BhDocument *doc;
  GHashTable *set;
  guint max_nodes;
  GArray *found;
} LocateSet;

static gboolean
locate_set_cb (const GumboNode *node, const BhElement *el, guint index, gpointer data)
{
  LocateSet *l = data;
  BhNodeRect rect = { index, 0, 0, 0, 0 };

  if (!g_hash_table_contains (l->set, node))
    return TRUE;
  node_rect (l->doc, node, &rect);
  rect.node = index;
  g_array_append_val (l->found, rect);
  return l->found->len < l->max_nodes;
}

static GArray *
locate_set (BhDocument *doc, GHashTable *set, guint max_nodes)
{
  LocateSet l = { doc, set, max_nodes, g_array_new (FALSE, FALSE, sizeof (BhNodeRect)) };

  if (max_nodes > 0 && g_hash_table_size (set) > 0)
    walk_document (doc, locate_set_cb, &l);
  return l.found;
}

GArray *
bh_document_locate_nodes_by_xpath (BhDocument *doc, const char *expression, guint max_nodes)
{
  g_autoptr (GHashTable) set = NULL;

  g_return_val_if_fail (doc != NULL && expression != NULL, NULL);

  set = bh_document_xpath_evaluate (doc, expression);
  if (set == NULL)
    return NULL;
  return locate_set (doc, set, max_nodes);
}

/* The text an element renders, roughly its innerText: what the head,
 * scripts, styles and templates hold is not rendered. */
static void
append_rendered_text (GString *out, const GumboNode *node)
{
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA)
    {
      g_string_append (out, node->v.text.text);
      return;
    }
  if (node->type != GUMBO_NODE_ELEMENT)
    return;
  switch (node->v.element.tag)
    {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
      return;
    case GUMBO_TAG_BR:
      g_string_append_c (out, '\n');
      return;
    default:
      break;
    }
  for (guint i = 0; i < node->v.element.children.length; i++)
    append_rendered_text (out, node->v.element.children.data[i]);
  /* Blocks are separated, as innerText puts a line between them; phrasing
   * elements run on. */
  switch (node->v.element.tag)
    {
    case GUMBO_TAG_A: case GUMBO_TAG_SPAN: case GUMBO_TAG_B: case GUMBO_TAG_I: case GUMBO_TAG_EM:
    case GUMBO_TAG_STRONG: case GUMBO_TAG_CODE: case GUMBO_TAG_SMALL: case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP: case GUMBO_TAG_LABEL: case GUMBO_TAG_ABBR: case GUMBO_TAG_Q: case GUMBO_TAG_S:
    case GUMBO_TAG_U: case GUMBO_TAG_MARK: case GUMBO_TAG_TIME: case GUMBO_TAG_KBD: case GUMBO_TAG_VAR:
    case GUMBO_TAG_CITE: case GUMBO_TAG_TT: case GUMBO_TAG_FONT:
      break;
    default:
      g_string_append_c (out, ' ');
      break;
    }
}

static char *collapse_white_space (const char *text);

typedef struct {
  const char *text;   /* case-folded when ignoring case */
  gboolean ignore_case;
  gboolean partial;
  guint max_depth;
  GHashTable *set;
} TextSearch;

/* 0: the element's text does not contain the locator's; 1: contains it;
 * 2: is it. */
static int
text_matches (TextSearch *t, const GumboNode *node)
{
  GString *raw = g_string_new (NULL);
  g_autofree char *collapsed = NULL;
  g_autofree char *folded = NULL;
  const char *text;

  append_rendered_text (raw, node);
  collapsed = collapse_white_space (raw->str);
  g_string_free (raw, TRUE);
  text = collapsed;
  if (t->ignore_case)
    text = folded = g_utf8_casefold (collapsed, -1);
  if (strstr (text, t->text) == NULL)
    return 0;
  return g_str_equal (text, t->text) ? 2 : 1;
}

/* The spec's search: an element whose text contains the locator's is searched
 * further; it is a result itself when nothing inside it is and its text matches
 * (is the text, for matchType "full"). Returns whether @node or something inside
 * it was a result. */
static gboolean
search_text (TextSearch *t, const GumboNode *node, guint depth)
{
  gboolean child_matched = FALSE;
  int match;

  if (node->type != GUMBO_NODE_ELEMENT || (match = text_matches (t, node)) == 0)
    return FALSE;
  if (t->max_depth == 0 || depth < t->max_depth)
    for (guint i = 0; i < node->v.element.children.length; i++)
      child_matched |= search_text (t, node->v.element.children.data[i], depth + 1);
  if (child_matched)
    return TRUE;
  if (!t->partial && match != 2)
    return FALSE;
  g_hash_table_add (t->set, (gpointer) node);
  return TRUE;
}

GArray *
bh_document_locate_nodes_by_text (BhDocument *doc, const char *text, gboolean ignore_case, gboolean partial,
                                  guint max_depth, guint max_nodes)
{
  g_autoptr (GHashTable) set = g_hash_table_new (NULL, NULL);
  g_autofree char *collapsed = NULL;
  g_autofree char *folded = NULL;
  TextSearch t = { NULL, ignore_case, partial, max_depth, set };

  g_return_val_if_fail (doc != NULL && text != NULL, NULL);

  collapsed = collapse_white_space (text);
  t.text = collapsed;
  if (ignore_case)
    t.text = folded = g_utf8_casefold (collapsed, -1);
  if (doc->gumbo != NULL)
    {
      const GumboNode *root = doc->gumbo->document;

      for (guint i = 0; i < root->v.document.children.length; i++)
        search_text (&t, root->v.document.children.data[i], 0);
    }
  return locate_set (doc, set, max_nodes);
}

typedef struct {
  guint index;
  const GumboNode *node;
} Find;

/* Every element below @node (not itself), in document order, as walk_element
 * counts them (elements and templates). */
static void
collect_descendants (GumboNode *node, GPtrArray *out)
{
  const GumboVector *children = &node->v.element.children;

  for (guint i = 0; i < children->length; i++)
    {
      GumboNode *child = children->data[i];

      if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE)
        {
          g_ptr_array_add (out, child);
          collect_descendants (child, out);
        }
    }
}


static gboolean
find_cb (const GumboNode *node, const BhElement *el, guint index, gpointer data)
{
  Find *f = data;

  if (index != f->index)
    return TRUE;
  f->node = node;
  return FALSE;
}

static const GumboNode *
find_node (BhDocument *doc, guint index)
{
  Find f = { index, NULL };

  if (index > 0)
    walk_document (doc, find_cb, &f);
  return f.node;
}

gboolean
bh_document_get_node_rect (BhDocument *doc, guint node, BhNodeRect *out)
{
  const GumboNode *found;

  g_return_val_if_fail (doc != NULL && out != NULL, FALSE);

  found = find_node (doc, node);
  if (found == NULL)
    return FALSE;
  *out = (BhNodeRect) { node, 0, 0, 0, 0 };
  node_rect (doc, found, out);
  return TRUE;
}

/* textContent, with runs of white space collapsed to one space and trimmed:
 * what the page shows of the element's text when nothing is preformatted
 * (innerText's result for the common case). */
static void
append_text (GString *out, const GumboNode *node)
{
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA)
    {
      g_string_append (out, node->v.text.text);
      return;
    }
  if (node->type != GUMBO_NODE_ELEMENT)
    return;
  if (node->v.element.tag == GUMBO_TAG_SCRIPT || node->v.element.tag == GUMBO_TAG_STYLE)
    return;
  if (node->v.element.tag == GUMBO_TAG_BR)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < node->v.element.children.length; i++)
    append_text (out, node->v.element.children.data[i]);
}

static char *
collapse_white_space (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = TRUE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }
      g_string_append_c (out, *p);
      space = FALSE;
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

char *
bh_document_query_node (BhDocument *doc, guint node, const char *what)
{
  const GumboNode *found;

  g_return_val_if_fail (doc != NULL && what != NULL, NULL);

  found = find_node (doc, node);
  if (found == NULL)
    return NULL;
  if (g_str_equal (what, "text") || g_str_equal (what, "property:innerText") ||
      g_str_equal (what, "property:textContent"))
    {
      g_autoptr (GString) text = g_string_new (NULL);

      append_text (text, found);
      if (g_str_equal (what, "property:textContent"))
        return g_strdup (text->str);
      return collapse_white_space (text->str);
    }
  if (g_str_equal (what, "rect"))
    {
      BhNodeRect rect = { node, 0, 0, 0, 0 };
      char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
      char w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];

      node_rect (doc, found, &rect);
      return g_strdup_printf ("%s %s %s %s", g_ascii_dtostr (x, sizeof x, rect.x),
                              g_ascii_dtostr (y, sizeof y, rect.y),
                              g_ascii_dtostr (w, sizeof w, rect.width),
                              g_ascii_dtostr (h, sizeof h, rect.height));
    }
  if (g_str_equal (what, "tag"))
    {
      if (found->v.element.tag != GUMBO_TAG_UNKNOWN)
        return g_strdup (gumbo_normalized_tagname (found->v.element.tag));
      {
        GumboStringPiece piece = found->v.element.original_tag;

        gumbo_tag_from_original_text (&piece);
        return g_ascii_strdown (piece.data, (gssize) piece.length);
      }
    }
  if (g_str_has_prefix (what, "attribute:"))
    {
      const char *value = bh_gumbo_get_attribute (found, what + strlen ("attribute:"));

      return value != NULL ? g_strdup (value) : NULL;
    }
  if (g_str_equal (what, "descendants"))
    {
      /* Elements are numbered in pre-order: @node's descendants are the
       * numbers right after it, as many as it has. */
      GPtrArray *all = g_ptr_array_new ();
      char *count;

      collect_descendants ((GumboNode *) found, all);
      count = g_strdup_printf ("%u", all->len);
      g_ptr_array_unref (all);
      return count;
    }
  if (g_str_equal (what, "clear"))
    {
      const char *value;
      gboolean checked;

      if (!bh_dom_get_control_state (doc, (GumboNode *) found, &value, &checked))
        return NULL;
      bh_dom_set_control_value (doc, (GumboNode *) found, "");
      return g_strdup ("");
    }
  if (g_str_has_prefix (what, "property:"))
    {
      const char *name = what + strlen ("property:");

      /* An <input>'s value is its control's: what was typed into it. */
      if (g_str_equal (name, "value"))
        {
          const char *value;
          gboolean checked;

          if (bh_dom_get_control_state (doc, (GumboNode *) found, &value, &checked))
            return g_strdup (value);
        }
      /* The reflected attributes a test reads most. */
      if (g_str_equal (name, "value") || g_str_equal (name, "id") ||
          g_str_equal (name, "name") || g_str_equal (name, "type") ||
          g_str_equal (name, "title"))
        {
          const char *value = bh_gumbo_get_attribute (found, name);

          return g_strdup (value != NULL ? value : "");
        }
      if (g_str_equal (name, "className"))
        {
          const char *value = bh_gumbo_get_attribute (found, "class");

          return g_strdup (value != NULL ? value : "");
        }
      if (g_str_equal (name, "href") || g_str_equal (name, "src"))
        {
          const char *value = bh_gumbo_get_attribute (found, name);

          return value != NULL ? bh_document_resolve_url (doc, value) : NULL;
        }
      if (g_str_equal (name, "tagName"))
        {
          g_autofree char *tag = bh_document_query_node (doc, node, "tag");

          return tag != NULL ? g_ascii_strup (tag, -1) : NULL;
        }
      return NULL;
    }
  return NULL;
}

/* ---------------------------------------------------------------- what is under the pointer */

/**
 * bh_document_image_at:
 * @x_px: document px
 * @y_px: document px
 *
 * What the context menu's "Save image as…" saves: the <img> drawn at the
 * point, as hit testing finds it.
 *
 * Returns: (transfer full) (nullable): its src resolved against the
 *   document, or %NULL when no image is there.
 */
char *
bh_document_image_at (BhDocument *doc, double x_px, double y_px)
{
  const GumboNode *node;
  const char *src;

  g_return_val_if_fail (doc != NULL, NULL);
  if (doc->root == NULL || doc->layout_width == 0 || doc->tree_dirty)
    return NULL;
  node = bh_layout_node_at (doc, x_px, y_px);
  if (node == NULL || node->type != GUMBO_NODE_ELEMENT || node->v.element.tag != GUMBO_TAG_IMG ||
      (src = bh_gumbo_get_attribute (node, "src")) == NULL || *src == '\0')
    return NULL;
  return bh_document_resolve_url (doc, src);
}

/**
 * bh_document_title_at:
 * @x_px: document px
 * @y_px: document px
 *
 * HTML 3.2.6.1 (the title attribute): the advisory information of the
 * innermost element under the point that has a title= is what a tooltip
 * shows; an empty title= on the way hides an outer one.
 *
 * Returns: (transfer none) (nullable): the title, UTF-8, valid while the
 *   document's tree is; %NULL for none.
 */
const char *
bh_document_title_at (BhDocument *doc, double x_px, double y_px)
{
  const GumboNode *node;

  g_return_val_if_fail (doc != NULL, NULL);
  if (doc->root == NULL || doc->layout_width == 0 || doc->tree_dirty)
    return NULL;
  for (node = bh_layout_node_at (doc, x_px, y_px); node != NULL && node->type == GUMBO_NODE_ELEMENT;
       node = node->parent)
    {
      const char *title = bh_gumbo_get_attribute (node, "title");

      if (title != NULL)
        return *title != '\0' && g_utf8_validate (title, -1, NULL) ? title : NULL;
    }
  return NULL;
}
