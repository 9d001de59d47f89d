/* bh-document-dom.c: the DOM's changes to the document's gumbo tree (bh-dom.h)
 *
 * Nodes, strings and child vectors come from the document's arena
 * (bh_document_dom_alloc()), so that the budget that bounds a parse bounds what
 * a script builds too, and everything goes with the document. Walks use
 * explicit stacks: a script can nest nodes deeper than the C stack allows.
 */
#include "bh-document-private.h"
#include "bh-dom.h"

#include <string.h>

/* Ancestors a selector looks at, as the cascade's BH_MAX_ANCESTOR_WALK. */
#define MAX_SELECTOR_ANCESTORS 256

static char *
dom_strdup (BhDocument *doc, const char *s, gsize len)
{
  char *copy = bh_document_dom_alloc (doc, len + 1);

  if (copy != NULL)
    {
      memcpy (copy, s, len);
      copy[len] = '\0';
    }
  return copy;
}

/* Something under <title> changed: the title is computed again when asked. */
static void
changed (BhDocument *doc, const GumboNode *node)
{
  doc->tree_dirty = TRUE;
  doc->layout_dirty = TRUE;
  for (const GumboNode *n = node; n != NULL; n = n->parent)
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_TITLE)
      {
        doc->title_dirty = TRUE;
        break;
      }
}

/**
 * bh_dom_get_document:
 *
 * Returns: (transfer none) (nullable): the document node, %NULL for a text
 *   document or one too complex to parse.
 */
GumboNode *
bh_dom_get_document (BhDocument *doc)
{
  return doc->gumbo != NULL ? doc->gumbo->document : NULL;
}

/**
 * bh_dom_get_children:
 *
 * Returns: (transfer none) (nullable): the child vector of a document or
 *   element, %NULL for character data.
 */
GumboVector *
bh_dom_get_children (GumboNode *node)
{
  if (node->type == GUMBO_NODE_DOCUMENT)
    return &node->v.document.children;
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    return &node->v.element.children;
  return NULL;
}

/**
 * bh_dom_get_local_name:
 *
 * Returns: (transfer none) (nullable): an element's local name in lower case
 *   (SVG's camel-case names as HTML spells them), interned; %NULL for other nodes.
 */
const char *
bh_dom_get_local_name (const GumboNode *node)
{
  const GumboElement *e;

  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
    return NULL;
  e = &node->v.element;
  if (e->tag != GUMBO_TAG_UNKNOWN)
    {
      if (e->tag_namespace == GUMBO_NAMESPACE_SVG)
        {
          const char *svg = gumbo_normalize_svg_tagname (&e->original_tag);
          if (svg != NULL)
            return svg;
        }
      return gumbo_normalized_tagname (e->tag);
    }
  {
    GumboStringPiece piece = e->original_tag;
    g_autofree char *name = NULL;

    if (piece.data == NULL || piece.length == 0)
      return "unknown";
    gumbo_tag_from_original_text (&piece);
    name = g_ascii_strdown (piece.data, (gssize) MIN (piece.length, 256));
    return g_intern_string (name);
  }
}

/**
 * bh_dom_create_element:
 * @local_name: a name the caller checked (DOM Standard: a valid element name);
 *   lower-cased here, as createElement() does in an HTML document
 *
 * Returns: (transfer none) (nullable): a new detached HTML element, %NULL past
 *   the budget.
 */
GumboNode *
bh_dom_create_element (BhDocument *doc, const char *local_name)
{
  g_autofree char *lower = g_ascii_strdown (local_name, -1);
  GumboNode *node = bh_document_dom_alloc (doc, sizeof (GumboNode));
  GumboElement *e;

  if (node == NULL)
    return NULL;
  memset (node, 0, sizeof *node);
  node->type = GUMBO_NODE_ELEMENT;
  node->parse_flags = GUMBO_INSERTION_BY_PARSER;
  e = &node->v.element;
  e->tag = gumbo_tag_enum (lower);
  e->tag_namespace = GUMBO_NAMESPACE_HTML;
  if (e->tag == GUMBO_TAG_UNKNOWN)
    {
      /* Unknown tags are named by their source text, "<name>", as the parser's are. */
      g_autofree char *source = g_strdup_printf ("<%s>", lower);
      char *copy = dom_strdup (doc, source, strlen (source));

      if (copy == NULL)
        {
          bh_document_dom_free (doc, node);
          return NULL;
        }
      e->original_tag.data = copy;
      e->original_tag.length = strlen (copy);
    }
  return node;
}

/* A DocumentFragment is an element of this name, which no markup can make
 * ("#" cannot start a tag name) and no selector matches. */
#define FRAGMENT_SOURCE "<#document-fragment>"

/**
 * bh_dom_create_fragment:
 *
 * Returns: (transfer none) (nullable): a new DocumentFragment, %NULL past the budget.
 */
GumboNode *
bh_dom_create_fragment (BhDocument *doc)
{
  GumboNode *node = bh_dom_create_element (doc, "bh-fragment");

  if (node != NULL)
    {
      bh_document_dom_free (doc, (void *) node->v.element.original_tag.data);
      node->v.element.original_tag.data = dom_strdup (doc, FRAGMENT_SOURCE, strlen (FRAGMENT_SOURCE));
      node->v.element.original_tag.length = strlen (FRAGMENT_SOURCE);
      if (node->v.element.original_tag.data == NULL)
        return NULL;
    }
  return node;
}

/**
 * bh_dom_is_fragment:
 *
 * Returns: whether @node was made by bh_dom_create_fragment().
 */
gboolean
bh_dom_is_fragment (const GumboNode *node)
{
  const GumboStringPiece *tag;

  if (node->type != GUMBO_NODE_ELEMENT || node->v.element.tag != GUMBO_TAG_UNKNOWN)
    return FALSE;
  tag = &node->v.element.original_tag;
  return tag->length == strlen (FRAGMENT_SOURCE) && memcmp (tag->data, FRAGMENT_SOURCE, tag->length) == 0;
}

/**
 * bh_dom_resolve_url:
 *
 * Returns: (transfer full) (nullable): @ref resolved against the document's
 *   base URL, %NULL when it is no valid URL.
 */
char *
bh_dom_resolve_url (BhDocument *doc, const char *ref)
{
  return bh_document_resolve_url (doc, ref);
}

/**
 * bh_dom_resolve_url_against:
 * @base: an absolute URL (the URL constructor's base)
 * @ref: a URL reference
 *
 * As bh_dom_resolve_url(), against @base rather than the document's base URL.
 *
 * Returns: (transfer full) (nullable): the absolute URL, %NULL when either does not parse.
 */
char *
bh_dom_resolve_url_against (const char *base, const char *ref)
{
  return bh_document_resolve_url_against (base, ref);
}

/**
 * bh_dom_create_character_data:
 * @type: %GUMBO_NODE_TEXT or %GUMBO_NODE_COMMENT
 *
 * Returns: (transfer none) (nullable): a new detached node, %NULL past the budget.
 */
GumboNode *
bh_dom_create_character_data (BhDocument *doc, GumboNodeType type, const char *data)
{
  GumboNode *node;

  g_return_val_if_fail (type == GUMBO_NODE_TEXT || type == GUMBO_NODE_COMMENT, NULL);
  node = bh_document_dom_alloc (doc, sizeof (GumboNode));
  if (node == NULL)
    return NULL;
  memset (node, 0, sizeof *node);
  node->type = type;
  node->v.text.text = dom_strdup (doc, data, strlen (data));
  if (node->v.text.text == NULL)
    {
      bh_document_dom_free (doc, node);
      return NULL;
    }
  return node;
}

static void
renumber (GumboVector *children, guint from)
{
  for (guint i = from; i < children->length; i++)
    ((GumboNode *) children->data[i])->index_within_parent = i;
}

static void
detach (BhDocument *doc, GumboNode *node)
{
  GumboNode *parent = node->parent;
  GumboVector *children;
  guint i;

  if (parent == NULL)
    return;
  changed (doc, parent);
  children = bh_dom_get_children (parent);
  i = (guint) node->index_within_parent;
  g_assert (i < children->length && children->data[i] == node);
  memmove (&children->data[i], &children->data[i + 1], (children->length - i - 1) * sizeof (void *));
  children->length--;
  renumber (children, i);
  node->parent = NULL;
  node->index_within_parent = 0;
}

/**
 * bh_dom_insert_before:
 * @parent: a document or element
 * @child: the node to insert; it leaves its current parent first
 * @reference: (nullable): a child of @parent, or %NULL to append
 *
 * The DOM Standard's "pre-insert", for one node (fragments are the caller's):
 * refuses a @child that is @parent or one of its ancestors, or a document.
 *
 * Returns: %BH_DOM_OK, or why nothing changed.
 */
BhDomStatus
bh_dom_insert_before (BhDocument *doc, GumboNode *parent, GumboNode *child, GumboNode *reference)
{
  GumboVector *children = bh_dom_get_children (parent);
  guint index;

  if (children == NULL || child->type == GUMBO_NODE_DOCUMENT || bh_dom_is_fragment (child))
    return BH_DOM_HIERARCHY;
  for (GumboNode *n = parent; n != NULL; n = n->parent)
    if (n == child)
      return BH_DOM_HIERARCHY;
  if (reference != NULL && reference->parent != parent)
    return BH_DOM_NOT_FOUND;
  if (reference == child)
    return BH_DOM_OK;
  if (children->length == children->capacity)
    {
      guint capacity = MAX (4u, children->capacity * 2);
      void **data = bh_document_dom_alloc (doc, capacity * sizeof (void *));

      if (data == NULL || capacity <= children->capacity)
        return BH_DOM_NO_MEMORY;
      if (children->length > 0)
        memcpy (data, children->data, children->length * sizeof (void *));
      bh_document_dom_free (doc, children->data);
      children->data = data;
      children->capacity = capacity;
    }
  detach (doc, child);
  index = reference != NULL ? (guint) reference->index_within_parent : children->length;
  memmove (&children->data[index + 1], &children->data[index], (children->length - index) * sizeof (void *));
  children->data[index] = child;
  children->length++;
  child->parent = parent;
  renumber (children, index);
  changed (doc, parent);
  if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_TITLE)
    doc->title_dirty = TRUE;
  return BH_DOM_OK;
}

/**
 * bh_dom_remove:
 *
 * Detaches @node from its parent, if it has one. It stays valid, and may be
 * inserted again.
 */
void
bh_dom_remove (BhDocument *doc, GumboNode *node)
{
  if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_TITLE)
    doc->title_dirty = TRUE;
  detach (doc, node);
}

/**
 * bh_dom_get_attribute:
 * @name: in lower case
 *
 * Returns: (transfer none) (nullable): the value, %NULL when absent or not an element.
 */
const char *
bh_dom_get_attribute (const GumboNode *node, const char *name)
{
  return bh_gumbo_get_attribute (node, name);
}

/**
 * bh_dom_set_attribute:
 * @name: a valid attribute name; lower-cased here, as setAttribute() does
 *
 * Returns: %FALSE past the budget or when @node is no element.
 */
gboolean
bh_dom_set_attribute (BhDocument *doc, GumboNode *node, const char *name, const char *value)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  GumboVector *attrs;
  GumboAttribute *attr;
  char *copy;

  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
    return FALSE;
  attrs = &node->v.element.attributes;
  copy = dom_strdup (doc, value, strlen (value));
  if (copy == NULL)
    return FALSE;
  attr = gumbo_get_attribute (attrs, lower);
  if (attr != NULL)
    {
      bh_document_dom_free (doc, (void *) attr->value);
      attr->value = copy;
      changed (doc, node);
      return TRUE;
    }
  if (attrs->length == attrs->capacity)
    {
      guint capacity = MAX (4u, attrs->capacity * 2);
      void **data = bh_document_dom_alloc (doc, capacity * sizeof (void *));

      if (data == NULL)
        goto fail;
      if (attrs->length > 0)
        memcpy (data, attrs->data, attrs->length * sizeof (void *));
      bh_document_dom_free (doc, attrs->data);
      attrs->data = data;
      attrs->capacity = capacity;
    }
  attr = bh_document_dom_alloc (doc, sizeof (GumboAttribute));
  if (attr == NULL)
    goto fail;
  memset (attr, 0, sizeof *attr);
  attr->attr_namespace = GUMBO_ATTR_NAMESPACE_NONE;
  attr->name = dom_strdup (doc, lower, strlen (lower));
  if (attr->name == NULL)
    {
      bh_document_dom_free (doc, attr);
      goto fail;
    }
  attr->value = copy;
  attrs->data[attrs->length++] = attr;
  changed (doc, node);
  return TRUE;

fail:
  bh_document_dom_free (doc, copy);
  return FALSE;
}

void
bh_dom_remove_attribute (BhDocument *doc, GumboNode *node, const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  GumboVector *attrs;

  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
    return;
  attrs = &node->v.element.attributes;
  for (guint i = 0; i < attrs->length; i++)
    {
      GumboAttribute *attr = attrs->data[i];
      if (g_ascii_strcasecmp (attr->name, lower) != 0)
        continue;
      memmove (&attrs->data[i], &attrs->data[i + 1], (attrs->length - i - 1) * sizeof (void *));
      attrs->length--;
      changed (doc, node);
      return;
    }
}

static gboolean
is_character_data (const GumboNode *node)
{
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
         node->type == GUMBO_NODE_CDATA || node->type == GUMBO_NODE_COMMENT;
}

/**
 * bh_dom_set_data:
 *
 * Replaces the text of a text or comment node.
 *
 * Returns: %FALSE past the budget or when @node holds no text.
 */
gboolean
bh_dom_set_data (BhDocument *doc, GumboNode *node, const char *data)
{
  char *copy;

  if (!is_character_data (node))
    return FALSE;
  copy = dom_strdup (doc, data, strlen (data));
  if (copy == NULL)
    return FALSE;
  bh_document_dom_free (doc, (void *) node->v.text.text);
  node->v.text.text = copy;
  /* White space the parser set apart may now be text. */
  if (node->type == GUMBO_NODE_WHITESPACE)
    node->type = GUMBO_NODE_TEXT;
  changed (doc, node);
  return TRUE;
}

/**
 * bh_dom_get_text_content:
 *
 * The DOM's textContent: a text node's data, or every descendant text of an
 * element in tree order. %NULL for a document (as textContent is null there).
 *
 * Returns: (transfer full) (nullable): UTF-8.
 */
char *
bh_dom_get_text_content (const GumboNode *node)
{
  g_autoptr (GPtrArray) stack = NULL;
  GString *out;

  if (node->type == GUMBO_NODE_DOCUMENT)
    return NULL;
  if (is_character_data (node))
    return g_strdup (node->v.text.text);
  out = g_string_new (NULL);
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) node);
  while (stack->len > 0)
    {
      const GumboNode *n = g_ptr_array_steal_index (stack, stack->len - 1);
      const GumboVector *children;

      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA)
        {
          g_string_append (out, n->v.text.text);
          continue;
        }
      children = bh_dom_get_children ((GumboNode *) n);
      if (children == NULL)
        continue;
      for (guint i = children->length; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }
  return g_string_free (out, FALSE);
}

static void
remove_all_children (BhDocument *doc, GumboNode *node)
{
  GumboVector *children = bh_dom_get_children (node);

  while (children != NULL && children->length > 0)
    detach (doc, children->data[children->length - 1]);
}

/**
 * bh_dom_set_text_content:
 *
 * The DOM's textContent setter: an element's children are replaced by one
 * text node (none for ""), a text node's data is replaced.
 *
 * Returns: %FALSE past the budget.
 */
gboolean
bh_dom_set_text_content (BhDocument *doc, GumboNode *node, const char *text)
{
  GumboNode *child;

  if (is_character_data (node))
    return bh_dom_set_data (doc, node, text);
  if (bh_dom_get_children (node) == NULL || node->type == GUMBO_NODE_DOCUMENT)
    return TRUE;
  if (*text == '\0')
    {
      remove_all_children (doc, node);
      return TRUE;
    }
  child = bh_dom_create_character_data (doc, GUMBO_NODE_TEXT, text);
  if (child == NULL)
    return FALSE;
  remove_all_children (doc, node);
  return bh_dom_insert_before (doc, node, child, NULL) == BH_DOM_OK;
}

/* ---------------------------------------------------------------- serialising */

static void
append_escaped (GString *out, const char *s, gboolean attribute)
{
  for (const char *p = s; *p; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '\xc2' && p[1] == '\xa0')
        {
          g_string_append (out, "&nbsp;");
          p++;
        }
      else if (attribute && *p == '"')
        g_string_append (out, "&quot;");
      else if (!attribute && *p == '<')
        g_string_append (out, "&lt;");
      else if (!attribute && *p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
}

static gboolean
is_void (GumboTag tag)
{
  switch (tag)
    {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BR: case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_HR: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_LINK: case GUMBO_TAG_META: case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_raw_text_parent (const GumboNode *node)
{
  if (node == NULL || node->type != GUMBO_NODE_ELEMENT)
    return FALSE;
  switch (node->v.element.tag)
    {
    case GUMBO_TAG_STYLE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_NOSCRIPT:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A node to open, or (closing set) an element to close, on the walk's stack. */
typedef struct {
  const GumboNode *node;
  gboolean closing;
} SerialItem;

/**
 * bh_dom_serialize:
 * @outer: include @node itself (outerHTML), or only its children (innerHTML)
 *
 * HTML's fragment serialisation algorithm, for HTML elements.
 *
 * Returns: (transfer full): UTF-8 markup.
 */
char *
bh_dom_serialize (const GumboNode *node, gboolean outer)
{
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (SerialItem));
  GString *out = g_string_new (NULL);

  if (outer)
    g_array_append_val (stack, ((SerialItem) { node, FALSE }));
  else
    {
      GumboVector *children = bh_dom_get_children ((GumboNode *) node);
      for (guint i = children != NULL ? children->length : 0; i > 0; i--)
        g_array_append_val (stack, ((SerialItem) { children->data[i - 1], FALSE }));
    }
  while (stack->len > 0)
    {
      SerialItem item = g_array_index (stack, SerialItem, stack->len - 1);
      const GumboNode *n = item.node;

      g_array_set_size (stack, stack->len - 1);
      if (item.closing)
        {
          g_string_append_printf (out, "</%s>", bh_dom_get_local_name (n));
          continue;
        }
      switch (n->type)
        {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
          if (is_raw_text_parent (n->parent))
            g_string_append (out, n->v.text.text);
          else
            append_escaped (out, n->v.text.text, FALSE);
          break;
        case GUMBO_NODE_COMMENT:
          g_string_append_printf (out, "<!--%s-->", n->v.text.text);
          break;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
          {
            const GumboVector *attrs = &n->v.element.attributes;
            const GumboVector *children = &n->v.element.children;

            g_string_append_printf (out, "<%s", bh_dom_get_local_name (n));
            for (guint i = 0; i < attrs->length; i++)
              {
                const GumboAttribute *attr = attrs->data[i];
                g_string_append_printf (out, " %s=\"", attr->name);
                append_escaped (out, attr->value, TRUE);
                g_string_append_c (out, '"');
              }
            g_string_append_c (out, '>');
            if (is_void (n->v.element.tag))
              break;
            g_array_append_val (stack, ((SerialItem) { n, TRUE }));
            for (guint i = children->length; i > 0; i--)
              g_array_append_val (stack, ((SerialItem) { children->data[i - 1], FALSE }));
          }
          break;
        case GUMBO_NODE_DOCUMENT:
          for (guint i = n->v.document.children.length; i > 0; i--)
            g_array_append_val (stack, ((SerialItem) { n->v.document.children.data[i - 1], FALSE }));
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * bh_dom_set_inner_html:
 *
 * Replaces @node's children with @html parsed by HTML's fragment parsing
 * algorithm in @node's context (gumbo), as innerHTML's setter does.
 *
 * Returns: %BH_DOM_OK; %BH_DOM_HIERARCHY for a node without children;
 *   %BH_DOM_NO_MEMORY past the budget (the children are then untouched).
 */
BhDomStatus
bh_dom_set_inner_html (BhDocument *doc, GumboNode *node, const char *html)
{
  gsize len = strlen (html);
  GumboTag context = GUMBO_TAG_DIV;
  GumboOutput *out;
  GumboVector *from;
  char *source;

  if (node->type == GUMBO_NODE_DOCUMENT || bh_dom_get_children (node) == NULL)
    return BH_DOM_HIERARCHY;
  if (node->v.element.tag != GUMBO_TAG_UNKNOWN && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML)
    context = node->v.element.tag;
  /* Gumbo's nodes point into their source: it lives as long as the document. */
  source = dom_strdup (doc, html, len);
  if (source == NULL)
    return BH_DOM_NO_MEMORY;
  out = bh_document_parse_fragment (doc, source, len, context);
  if (out == NULL)
    return BH_DOM_NO_MEMORY;
  remove_all_children (doc, node);
  from = &out->root->v.element.children;
  while (from->length > 0)
    {
      GumboNode *child = from->data[0];
      BhDomStatus status = bh_dom_insert_before (doc, node, child, NULL);

      if (status != BH_DOM_OK)
        return status;
    }
  changed (doc, node);
  return BH_DOM_OK;
}

/* ---------------------------------------------------------------- selectors */

typedef struct {
  BhElement el;
  char **classes;
} ElementFrame;

static void
element_frame_fill (ElementFrame *f, const GumboNode *node, const BhElement *parent)
{
  const char *cls = bh_gumbo_get_attribute (node, "class");
  GumboTag tag = node->v.element.tag;

  f->classes = NULL;
  if (cls != NULL && *cls != '\0')
    {
      char **parts = g_strsplit_set (cls, " \t\n\r\f", -1);
      guint n = 0;

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          parts[n++] = parts[i];
        else
          g_free (parts[i]);
      parts[n] = NULL;
      f->classes = parts;
    }
  f->el = (BhElement) {
    .parent = parent,
    .tag = node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML ? tag : GUMBO_TAG_UNKNOWN,
    .tag_name = bh_dom_get_local_name (node),
    .id = bh_gumbo_get_attribute (node, "id"),
    .classes = f->classes,
    .is_link = (tag == GUMBO_TAG_A || tag == GUMBO_TAG_AREA) && bh_gumbo_get_attribute (node, "href") != NULL,
    /* attribute, structural and sibling selectors read gumbo's tree */
    .node = node,
  };
}

static gboolean
is_element (const GumboNode *node)
{
  return node != NULL && (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE);
}

/* Fills @frames (at most MAX_SELECTOR_ANCESTORS) with @node and its element
 * ancestors, innermost first, each linked to the next; returns how many. */
static guint
fill_chain (ElementFrame *frames, const GumboNode *node)
{
  const GumboNode *chain[MAX_SELECTOR_ANCESTORS];
  guint n = 0;

  for (const GumboNode *a = node; is_element (a) && n < MAX_SELECTOR_ANCESTORS; a = a->parent)
    chain[n++] = a;
  for (guint i = n; i > 0; i--)
    element_frame_fill (&frames[i - 1], chain[i - 1], i < n ? &frames[i].el : NULL);
  return n;
}

static void
free_chain (ElementFrame *frames, guint n)
{
  for (guint i = 0; i < n; i++)
    g_strfreev (frames[i].classes);
}

/**
 * bh_dom_matches:
 *
 * Whether @element matches @selectors, with the engine's own selector matching
 * (bh-css.c), as Element.matches() asks.
 */
gboolean
bh_dom_matches (const GumboNode *element, const BhSelectorList *selectors)
{
  ElementFrame *frames;
  guint n;
  gboolean result;

  if (!is_element (element))
    return FALSE;
  frames = g_new (ElementFrame, MAX_SELECTOR_ANCESTORS);
  n = fill_chain (frames, element);
  result = bh_selector_list_matches (selectors, &frames[0].el);
  free_chain (frames, n);
  g_free (frames);
  return result;
}

typedef struct {
  const GumboNode *node;
  guint next_child;
  ElementFrame frame;
  gboolean has_frame;
} WalkItem;

/**
 * bh_dom_query_selector_all:
 * @root: where the search starts (not itself a candidate)
 * @max_results: 1 for querySelector(), G_MAXUINT for querySelectorAll()
 *
 * Returns: (transfer container) (element-type GumboNode): the matching
 *   descendants in tree order.
 */
GPtrArray *
bh_dom_query_selector_all (GumboNode *root, const BhSelectorList *selectors, guint max_results)
{
  GPtrArray *found = g_ptr_array_new ();
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (WalkItem));
  ElementFrame *base = g_new (ElementFrame, MAX_SELECTOR_ANCESTORS);
  guint n_base = fill_chain (base, root);
  const BhElement *root_el = n_base > 0 ? &base[0].el : NULL;

  g_array_append_val (stack, ((WalkItem) { root, 0, { { 0 } }, FALSE }));
  while (stack->len > 0 && found->len < max_results)
    {
      WalkItem *top = &g_array_index (stack, WalkItem, stack->len - 1);
      GumboVector *children = bh_dom_get_children ((GumboNode *) top->node);
      GumboNode *child;
      WalkItem item = { 0 };

      if (children == NULL || top->next_child >= children->length)
        {
          if (top->has_frame)
            g_strfreev (top->frame.classes);
          g_array_set_size (stack, stack->len - 1);
          continue;
        }
      child = children->data[top->next_child++];
      if (!is_element (child))
        continue;
      item.node = child;
      item.has_frame = TRUE;
      /* The parent's frame: its own, or the chain above the root. Frames sit in
       * the array, which may move as it grows: the link is made after. */
      g_array_append_val (stack, item);
      {
        WalkItem *me = &g_array_index (stack, WalkItem, stack->len - 1);
        const BhElement *parent_el = root_el;

        if (stack->len >= 2)
          {
            WalkItem *parent = &g_array_index (stack, WalkItem, stack->len - 2);
            if (parent->has_frame)
              parent_el = &parent->frame.el;
          }
        /* Re-link the whole stack: a reallocation moved every frame. */
        element_frame_fill (&me->frame, child, parent_el);
        for (guint i = 1; i < stack->len; i++)
          {
            WalkItem *w = &g_array_index (stack, WalkItem, i);
            WalkItem *p = &g_array_index (stack, WalkItem, i - 1);
            if (w->has_frame)
              w->frame.el.parent = p->has_frame ? &p->frame.el : root_el;
          }
        if (bh_selector_list_matches (selectors, &me->frame.el))
          g_ptr_array_add (found, child);
      }
    }
  for (guint i = 0; i < stack->len; i++)
    {
      WalkItem *w = &g_array_index (stack, WalkItem, i);
      if (w->has_frame)
        g_strfreev (w->frame.classes);
    }
  free_chain (base, n_base);
  g_free (base);
  return found;
}

/**
 * bh_dom_get_element_by_id:
 *
 * Returns: (transfer none) (nullable): the first element in tree order whose
 *   id is @id.
 */
GumboNode *
bh_dom_get_element_by_id (BhDocument *doc, const char *id)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  GumboNode *document = bh_dom_get_document (doc);

  if (document == NULL || *id == '\0')
    return NULL;
  g_ptr_array_add (stack, document);
  while (stack->len > 0)
    {
      GumboNode *n = g_ptr_array_steal_index (stack, stack->len - 1);
      GumboVector *children = bh_dom_get_children (n);
      const char *value;

      if (is_element (n) && (value = bh_gumbo_get_attribute (n, "id")) != NULL && strcmp (value, id) == 0)
        return n;
      for (guint i = children != NULL ? children->length : 0; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }
  return NULL;
}

/* ---------------------------------------------------------------- geometry */

/**
 * bh_dom_node_at:
 *
 * Hit testing for events: the innermost element under the point.
 *
 * Returns: (transfer none) (nullable): the element, %NULL when the document
 *   is not laid out since its last change (lay it out first).
 */
GumboNode *
bh_dom_node_at (BhDocument *doc, double x_px, double doc_y_px)
{
  if (doc->root == NULL || doc->layout_width == 0 || doc->tree_dirty)
    return NULL;
  return (GumboNode *) bh_layout_node_at (doc, x_px, doc_y_px);
}

/**
 * bh_dom_get_rect:
 * @rect: (out caller-allocates): x, y, width, height of the border box
 *
 * Returns: %FALSE when @node has no box (display: none, detached, not laid out).
 */
gboolean
bh_dom_get_rect (BhDocument *doc, const GumboNode *node, double rect[4])
{
  if (doc->root == NULL || doc->layout_width == 0 || doc->tree_dirty)
    return FALSE;
  return bh_layout_node_rect (doc, node, rect);
}

/**
 * bh_document_dom_refresh_title: (skip)
 *
 * The first <title>'s text with white space collapsed, after a change under it.
 */
void
bh_document_dom_refresh_title (BhDocument *doc)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  GumboNode *document = bh_dom_get_document (doc);

  doc->title_dirty = FALSE;
  if (document == NULL)
    return;
  g_ptr_array_add (stack, document);
  while (stack->len > 0)
    {
      GumboNode *n = g_ptr_array_steal_index (stack, stack->len - 1);
      GumboVector *children = bh_dom_get_children (n);

      if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_TITLE)
        {
          g_autofree char *text = bh_dom_get_text_content (n);
          g_auto (GStrv) words = g_strsplit_set (text, " \t\n\r\f", -1);
          GString *title = g_string_new (NULL);

          for (guint i = 0; words[i] != NULL; i++)
            if (*words[i] != '\0')
              {
                if (title->len > 0)
                  g_string_append_c (title, ' ');
                g_string_append (title, words[i]);
              }
          g_free (doc->title);
          doc->title = g_string_free (title, FALSE);
          return;
        }
      for (guint i = children != NULL ? children->length : 0; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }
}
