/* bh-box.c: from gumbo's element tree to the renderer's box tree
 *
 * One pass over the DOM with an explicit stack (no recursion, so nesting depth cannot
 * exhaust the C stack). Each element gets its computed style; block-level elements open
 * block boxes, inline content collects into paragraphs: a text buffer plus runs that
 * point at the style and link of each piece, later turned into one PangoLayout.
 * Whitespace handling follows CSS 2.1 section 16.6 ("white-space processing model").
 */
#include "bh-box-private.h"

#include <string.h>


/**
 * bh_gumbo_get_attribute: (skip)
 * @node: a gumbo node
 * @name: an attribute name in lower case
 *
 * Returns: (transfer none) (nullable): the attribute's value, %NULL if the node is no
 *   element or has no such attribute.
 */
const char *
bh_gumbo_get_attribute (const GumboNode *node, const char *name)
{
  const GumboAttribute *attr;

  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
    return NULL;
  attr = gumbo_get_attribute (&node->v.element.attributes, name);
  return attr != NULL ? attr->value : NULL;
}

static BhBox *
new_box (Builder *b, BhBoxKind kind, const BhStyle *style, BhBox *parent)
{
  BhBox *box = g_new0 (BhBox, 1);

  box->kind = kind;
  box->style = style;
  box->colspan = 1;
  box->rowspan = 1;
  g_ptr_array_add (b->doc->boxes, box);
  if (parent != NULL)
    {
      box->parent = parent;
      box->depth = parent->depth + 1;
      if (parent->last_child != NULL)
        parent->last_child->next = box;
      else
        parent->first_child = box;
      parent->last_child = box;
    }
  return box;
}

static void
unlink_last_child (BhBox *parent, BhBox *box)
{
  BhBox *prev = NULL;

  g_assert (parent->last_child == box);
  for (BhBox *c = parent->first_child; c != box; c = c->next)
    prev = c;
  if (prev != NULL)
    prev->next = NULL;
  else
    parent->first_child = NULL;
  parent->last_child = prev;
  box->parent = NULL;
}

static BhBox *
anonymous_box (Builder *b, BhBox *parent, BhBoxKind kind)
{
  BhStyle style;
  BhBox *box;

  if (parent->last_child != NULL && parent->last_child->anonymous && parent->last_child->kind == kind)
    return parent->last_child;
  bh_style_init_anonymous (&style, parent->style,
                           kind == BH_BOX_ROW ? BH_DISPLAY_TABLE_ROW : BH_DISPLAY_TABLE_CELL);
  box = new_box (b, kind, bh_box_intern_style (b, &style), parent);
  box->anonymous = TRUE;
  return box;
}

/* ---------------------------------------------------------------- paragraphs */

static void
ensure_paragraph (Builder *b)
{
  BhBox *parent = b->container;
  BhBox *box;

  if (b->para_box != NULL)
    return;
  if (parent->kind == BH_BOX_ROW)
    parent = anonymous_box (b, parent, BH_BOX_CELL);
  box = new_box (b, BH_BOX_PARAGRAPH, parent->style, parent);
  box->para = g_new0 (BhParagraph, 1);
  box->para->text = g_string_sized_new (64);
  box->para->runs = g_array_new (FALSE, FALSE, sizeof (BhRun));
  box->para->no_wrap = parent->style->white_space == BH_WS_NOWRAP;
  box->para->measured_width = -1;
  box->para->estimated_width = -1;
  box->para->layout_width = -1;
  b->para_box = box;
  b->last_space = TRUE;
}

/* The element whose content is being added. */
static const GumboNode *
current_node (Builder *b)
{
  return b->frames != NULL && b->frames->len > 0
           ? ((Frame *) g_ptr_array_index (b->frames, b->frames->len - 1))->node
           : NULL;
}

static void
add_run (Builder *b, BhParagraph *para, guint start, guint end, const BhStyle *style, const char *href,
         BhObject *object)
{
  BhRun run = { start, end, style, href, object, current_node (b) };

  if (end <= start)
    return;
  if (object == NULL && para->runs->len > 0)
    {
      BhRun *last = &g_array_index (para->runs, BhRun, para->runs->len - 1);
      if (last->end == start && last->style == style && last->href == href && last->object == NULL &&
          last->node == run.node)
        {
          last->end = end;
          return;
        }
    }
  g_array_append_val (para->runs, run);
}

static void
trim_last_byte (BhParagraph *para)
{
  g_string_truncate (para->text, para->text->len - 1);
  if (para->runs->len > 0)
    {
      BhRun *last = &g_array_index (para->runs, BhRun, para->runs->len - 1);
      if (last->end > para->text->len)
        last->end = para->text->len;
      if (last->end <= last->start)
        g_array_set_size (para->runs, para->runs->len - 1);
    }
}

static void
flush_paragraph (Builder *b)
{
  BhBox *box = b->para_box;
  BhParagraph *para;
  gboolean had_break;

  if (box == NULL)
    return;
  para = box->para;
  b->para_box = NULL;
  b->last_space = TRUE;

  if (para->text->len > 0 && para->text->str[para->text->len - 1] == ' ')
    {
      const BhRun *last = para->runs->len ? &g_array_index (para->runs, BhRun, para->runs->len - 1) : NULL;
      if (last == NULL || last->style->white_space == BH_WS_NORMAL || last->style->white_space == BH_WS_PRE_LINE)
        trim_last_byte (para);
    }
  /* A line break at the very end of a block adds no empty line (HTML's "br" and the
   * newline before </pre> are both swallowed by browsers). */
  had_break = para->text->len > 0 && para->text->str[para->text->len - 1] == '\n';
  if (had_break)
    trim_last_byte (para);

  if (para->text->len == 0 && !had_break)
    {
      unlink_last_child (box->parent, box);
      /* it is almost always the box made last */
      if (b->doc->boxes->pdata[b->doc->boxes->len - 1] == box)
        g_ptr_array_steal_index (b->doc->boxes, b->doc->boxes->len - 1);
      else
        g_ptr_array_remove_fast (b->doc->boxes, box);
      g_string_free (para->text, TRUE);
      g_array_unref (para->runs);
      g_free (para);
      g_free (box);
      return;
    }
  /* The text is final now. GString never holds less than 128 bytes, and tag soup
   * makes a hundred thousand paragraphs of a few words each: give the rest back. */
  if (para->text->allocated_len > para->text->len + 1)
    {
      para->text->str = g_realloc (para->text->str, para->text->len + 1);
      para->text->allocated_len = para->text->len + 1;
    }
  b->doc->text_bytes += para->text->len;
  b->doc->n_paragraphs++;
}

static gboolean
is_collapsible_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

typedef struct {
  Builder *b;
  const BhStyle *style;
  const char *href;
  guint run_start;
  gboolean open;
} Emitter;

static void
emit_end (Emitter *em)
{
  if (em->open && em->b->para_box != NULL)
    add_run (em->b, em->b->para_box->para, em->run_start, em->b->para_box->para->text->len, em->style, em->href, NULL);
  em->open = FALSE;
}

static void
emit (Emitter *em, const char *bytes, gsize len)
{
  Builder *b = em->b;
  GString *text;

  if (!em->open)
    {
      ensure_paragraph (b);
      em->run_start = b->para_box->para->text->len;
      em->open = TRUE;
    }
  text = b->para_box->para->text;
  g_string_append_len (text, bytes, len);

  /* Keep paragraphs bounded; break at a space when we can, anywhere when we must. */
  if (text->len > BH_MAX_PARAGRAPH_BYTES && (bytes[0] == ' ' || bytes[0] == '\n' ||
                                             text->len > BH_MAX_PARAGRAPH_BYTES + 4096))
    {
      emit_end (em);
      flush_paragraph (b);
    }
}

/* (transfer full): @text as text-transform says (CSS Text 3 section 2.1), with the
 * Unicode default case mappings; capitalize takes a letter after anything that is not
 * a letter or digit as a word's first, and the text's first when @word_start. */
static char *
transform_text (const char *text, BhTextTransform transform, gboolean word_start)
{
  GString *out;

  if (transform == BH_TRANSFORM_UPPERCASE)
    return g_utf8_strup (text, -1);
  if (transform == BH_TRANSFORM_LOWERCASE)
    return g_utf8_strdown (text, -1);
  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (word_start && g_unichar_isalpha (c))
        c = g_unichar_totitle (c);
      g_string_append_unichar (out, c);
      word_start = !g_unichar_isalnum (c) && c != '\'' && c != 0x2019;
    }
  return g_string_free (out, FALSE);
}

static void
append_text (Builder *b, const char *text, const BhStyle *style, const char *href)
{
  g_autofree char *valid = NULL;
  g_autofree char *transformed = NULL;
  BhWhiteSpace ws = style->white_space;
  gboolean collapse = ws == BH_WS_NORMAL || ws == BH_WS_NOWRAP || ws == BH_WS_PRE_LINE;
  Emitter em = { b, style, href, 0, FALSE };

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  if (style->text_transform != BH_TRANSFORM_NONE)
    {
      const GString *so_far = b->para_box != NULL ? b->para_box->para->text : NULL;
      gboolean word_start = so_far == NULL || so_far->len == 0 || b->last_space ||
                            !g_unichar_isalnum (g_utf8_get_char (g_utf8_find_prev_char (so_far->str, so_far->str + so_far->len)));
      text = transformed = transform_text (text, style->text_transform, word_start);
    }

  for (const char *p = text; *p;)
    {
      const char *next = g_utf8_next_char (p);
      gunichar c = (guchar) *p < 0x80 ? (gunichar) *p : g_utf8_get_char (p);

      if (collapse && is_collapsible_space (c))
        {
          if (ws == BH_WS_PRE_LINE && c == '\n')
            {
              emit (&em, "\n", 1);
              b->last_space = TRUE;
            }
          else if (!b->last_space && b->para_box != NULL)
            {
              /* a no-break space keeps nowrap text on one line inside a wrapping paragraph */
              if (ws == BH_WS_NOWRAP)
                emit (&em, "\xc2\xa0", 2);
              else
                emit (&em, " ", 1);
              b->last_space = TRUE;
            }
        }
      else if (!collapse && c == '\r')
        {
          if (*next != '\n')
            emit (&em, "\n", 1);
          b->last_space = TRUE;
        }
      else if (c == '\f' && !collapse)
        emit (&em, " ", 1);
      else
        {
          /* A stretch of characters that are not white space goes in with one append,
           * as long as it keeps the paragraph within the bound emit() checks after
           * each piece (which then can only act on a space or past the bound). */
          const char *stop = next;
          gsize have = b->para_box != NULL ? b->para_box->para->text->len : 0;
          if (c != ' ' && c != '\n' && c != '\t')
            {
              while (*stop != '\0' && *stop != ' ' && *stop != '\t' && *stop != '\n' &&
                     *stop != '\r' && *stop != '\f')
                stop++;
              if (have + (gsize) (stop - p) > BH_MAX_PARAGRAPH_BYTES)
                stop = next;
            }
          emit (&em, p, stop - p);
          b->last_space = !collapse && (c == ' ' || c == '\n' || c == '\t');
          next = stop;
        }
      p = next;
    }
  emit_end (&em);
}

static void
append_break (Builder *b, const BhStyle *style, const char *href)
{
  BhParagraph *para;
  guint start;

  ensure_paragraph (b);
  para = b->para_box->para;
  if (para->text->len > 0 && para->text->str[para->text->len - 1] == ' ' &&
      style->white_space == BH_WS_NORMAL)
    trim_last_byte (para);
  start = para->text->len;
  g_string_append_c (para->text, '\n');
  add_run (b, para, start, para->text->len, style, href, NULL);
  b->last_space = TRUE;
}

static BhObject *
add_object (Builder *b, BhObjectKind kind, const BhStyle *style, const char *href)
{
  BhObject *obj = g_new0 (BhObject, 1);
  BhParagraph *para;
  guint start;

  obj->kind = kind;
  obj->style = style;
  obj->css_width = -1;
  obj->css_height = -1;
  g_ptr_array_add (b->doc->objects, obj);

  ensure_paragraph (b);
  para = b->para_box->para;
  start = para->text->len;
  /* A spacer is a no-break space, so it stays on the line of the text it pads; other
   * objects are U+FFFC, which lines may break around like around an image. */
  g_string_append (para->text, kind == BH_OBJECT_SPACER ? "\xc2\xa0" : OBJECT_REPLACEMENT);
  add_run (b, para, start, para->text->len, style, href, obj);
  para->n_objects++;
  obj->para_box = b->para_box;
  if (kind != BH_OBJECT_SPACER)
    b->last_space = FALSE;
  return obj;
}

/* The px an inline element adds on one side: margin, border and padding (CSS 2.1
 * section 10.3.1; vertical ones do not move lines and are ignored). */
static float
inline_side_px (const BhStyle *style, int side)
{
  float px = 0;

  if (style->margin[side].unit == BH_UNIT_PX)
    px += style->margin[side].value;
  if (style->padding[side].unit == BH_UNIT_PX)
    px += style->padding[side].value;
  if (style->border_style[side] != BH_BORDER_NONE)
    px += style->border_width[side];
  return CLAMP (px, 0.0f, 1000.0f);
}

static void
add_spacer (Builder *b, const BhStyle *style, const char *href, float px)
{
  BhObject *obj = add_object (b, BH_OBJECT_SPACER, style, href);
  obj->css_width = px;
  obj->css_height = 0;
}

/* ---------------------------------------------------------------- blocks */

static void
open_block (Builder *b, Frame *f, BhBoxKind kind)
{
  BhBox *parent;

  flush_paragraph (b);
  f->block_like = TRUE;
  f->saved_container = b->container;
  parent = b->container;

  /* Too deep: lay the content out as if this element were not there, a block boundary
   * still, but no new box. Leaves room for an anonymous row and cell. */
  if (parent->depth + 3 >= BH_MAX_BOX_DEPTH)
    return;

  switch (kind)
    {
    case BH_BOX_CELL:
      if (parent->kind == BH_BOX_TABLE)
        parent = anonymous_box (b, parent, BH_BOX_ROW);
      else if (parent->kind != BH_BOX_ROW)
        kind = BH_BOX_BLOCK;
      break;
    case BH_BOX_ROW:
      if (parent->kind != BH_BOX_TABLE)
        kind = BH_BOX_BLOCK;
      break;
    default:
      break;
    }
  if (kind != BH_BOX_CELL && parent->kind == BH_BOX_ROW)
    parent = anonymous_box (b, parent, BH_BOX_CELL);

  b->container = new_box (b, kind, f->style, parent);
  b->container->node = f->node;
  f->opened = TRUE;
}

/* An inline-block (or inline-flex): an object in the open paragraph whose box holds
 * the element's content, laid out as a block of its own (CSS 2.1 section 9.2.2: an
 * atomic inline-level box). */
static void
open_inline_block (Builder *b, Frame *f)
{
  BhObject *obj;

  if (b->container->depth + 4 >= BH_MAX_BOX_DEPTH)
    return;  /* too deep: its content stays inline */
  obj = add_object (b, BH_OBJECT_BLOCK, f->style, f->href);
  f->saved_container = b->container;
  f->saved_para = b->para_box;
  f->inline_block = TRUE;
  f->opened = TRUE;
  obj->block = new_box (b, BH_BOX_BLOCK, f->style, b->para_box);
  b->container = obj->block;
  b->para_box = NULL;
  b->last_space = TRUE;
}

/* ---------------------------------------------------------------- replaced content */

static float
css_size (const BhLength *len, const char *attr)
{
  char *end;
  double v;

  if (len->unit == BH_UNIT_PX)
    return len->value;
  if (attr == NULL)
    return -1;
  while (g_ascii_isspace (*attr))
    attr++;
  v = g_ascii_strtod (attr, &end);
  if (end == attr || *end == '%' || v < 0)
    return -1;
  return (float) MIN (v, 100000.0);
}

/* An image, plugin or control stands for its own element, not the one around it. */
static void
set_last_run_node (Builder *b, const GumboNode *node)
{
  BhParagraph *para = b->para_box != NULL ? b->para_box->para : NULL;

  if (para != NULL && para->runs->len > 0)
    g_array_index (para->runs, BhRun, para->runs->len - 1).node = node;
}

static void
add_image (Builder *b, GumboNode *node, const BhStyle *style, const char *href)
{
  BhDocument *doc = b->doc;
  const char *src = bh_gumbo_get_attribute (node, "src");
  const char *alt = bh_gumbo_get_attribute (node, "alt");
  BhResource *res = NULL;
  float w = css_size (&style->width, bh_gumbo_get_attribute (node, "width"));
  float h = css_size (&style->height, bh_gumbo_get_attribute (node, "height"));
  BhObject *obj;

  if (src != NULL && *src != '\0')
    {
      g_autofree char *url = bh_document_resolve_url (doc, src);
      if (url != NULL)
        res = bh_document_find_resource (doc, url);
    }

  if (res == NULL || res->state == BH_RESOURCE_FAILED)
    {
      /* HTML 15.4.1: an image that is not available renders as its alt text. */
      if (alt != NULL && *alt != '\0')
        {
          append_text (b, alt, style, href);
          return;
        }
      if (w <= 0 || h <= 0)
        return;
    }

  obj = add_object (b, BH_OBJECT_IMAGE, style, href);
  set_last_run_node (b, node);
  obj->resource = res;
  obj->css_width = w;
  obj->css_height = h;
}

static void pop_frame (Builder *b);

/* An inline <svg> (bh-box-svg.c): an image of its subtree, in the line or, when its
 * display says so, in a block of its own. */
static void
add_inline_svg (Builder *b, GumboNode *node, Frame *parent)
{
  Frame *f = bh_box_frame_new (b, node, parent);
  const BhStyle *style;
  BhResource *res;
  BhObject *obj;
  gboolean block;

  if (f == NULL)
    return;
  style = f->style;
  f->href = parent->href;
  res = bh_box_inline_svg (b, node, style);
  if (res == NULL)
    {
      bh_box_frame_free (f);
      return;
    }
  block = style->display != BH_DISPLAY_INLINE && style->display != BH_DISPLAY_INLINE_BLOCK &&
          style->display != BH_DISPLAY_INLINE_FLEX;
  if (block)
    open_block (b, f, BH_BOX_BLOCK);
  obj = add_object (b, BH_OBJECT_IMAGE, style, f->href);
  set_last_run_node (b, node);
  obj->resource = res;
  obj->css_width = css_size (&style->width, bh_gumbo_get_attribute (node, "width"));
  obj->css_height = css_size (&style->height, bh_gumbo_get_attribute (node, "height"));
  if (block)
    {
      g_ptr_array_add (b->frames, f);
      pop_frame (b);
    }
  else
    bh_box_frame_free (f);
}

static void
add_plugin (Builder *b, GumboNode *node, const BhStyle *style, const char *href, const char *src_attr)
{
  const char *src = bh_gumbo_get_attribute (node, src_attr);
  const char *type = bh_gumbo_get_attribute (node, "type");
  BhObject *obj;
  float w, h;

  w = css_size (&style->width, bh_gumbo_get_attribute (node, "width"));
  h = css_size (&style->height, bh_gumbo_get_attribute (node, "height"));
  obj = add_object (b, BH_OBJECT_PLUGIN, style, href);
  set_last_run_node (b, node);
  /* The default object size of CSS 2.1 section 10.3.2 for replaced elements. */
  obj->css_width = w >= 0 ? w : 300;
  obj->css_height = h >= 0 ? h : 150;
  obj->url = src != NULL && *src != '\0' ? bh_document_resolve_url (b->doc, src) : NULL;
  if (obj->url == NULL)
    obj->url = g_strdup ("");
  obj->mime_type = g_strdup (type != NULL ? type : "");
  g_ptr_array_add (b->doc->plugins, obj);
}

static BhObject *
add_frame_box (Builder *b, GumboNode *node, const BhStyle *style, const char *href,
               BhObjectKind kind, float default_w, float default_h)
{
  BhObject *obj = add_object (b, kind, style, href);
  float w = css_size (&style->width, bh_gumbo_get_attribute (node, "width"));
  float h = css_size (&style->height, bh_gumbo_get_attribute (node, "height"));

  set_last_run_node (b, node);
  obj->css_width = w >= 0 ? w : default_w;
  obj->css_height = h >= 0 ? h : default_h;
  return obj;
}

static void
add_input (Builder *b, GumboNode *node, const BhStyle *style, const char *href)
{
  const char *type = bh_gumbo_get_attribute (node, "type");
  /* Its state (value, checkedness) is the document's, by element (bh-forms.c). */
  BhFormControl *control = bh_form_control_for_node (b->doc, node);
  int size = 20;

  if (type == NULL)
    type = "text";
  if (g_ascii_strcasecmp (type, "hidden") == 0)
    return;
  if (g_ascii_strcasecmp (type, "checkbox") == 0 || g_ascii_strcasecmp (type, "radio") == 0)
    {
      bh_form_control_attach (b->doc, control, add_frame_box (b, node, style, href, BH_OBJECT_CONTROL, 13, 13));
      return;
    }
  if (g_ascii_strcasecmp (type, "submit") == 0 || g_ascii_strcasecmp (type, "button") == 0 ||
      g_ascii_strcasecmp (type, "reset") == 0 || g_ascii_strcasecmp (type, "image") == 0)
    {
      /* A button as wide as its label (an estimate: the engine measures text at layout). */
      glong chars = g_utf8_strlen (bh_form_control_label (control), -1);

      bh_form_control_attach (b->doc, control,
                              add_frame_box (b, node, style, href, BH_OBJECT_CONTROL,
                                             (float) MIN (chars, 200) * style->font_size_px * 0.6f + 16,
                                             style->font_size_px * 1.25f + 8));
      return;
    }
  if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "size"), &size))
    size = CLAMP (size, 1, 200);
  bh_form_control_attach (b->doc, control,
                          add_frame_box (b, node, style, href, BH_OBJECT_CONTROL,
                                         size * style->font_size_px * 0.5f + 8, style->font_size_px * 1.25f + 4));
}

/* A <textarea>, <select> or <button>: a control drawn from its state, whose
 * content is the control's (its text, options, label), not laid out. Sizes are
 * Chromium's defaults: a textarea of cols 20 and rows 2, a drop-down as wide
 * as its longest option, a button as its label. */
static void
add_element_control (Builder *b, GumboNode *node, const BhStyle *style, const char *href)
{
  BhFormControl *control = bh_form_control_for_node (b->doc, node);
  float em = style->font_size_px;
  int cols = 20, rows = 2;

  switch (node->v.element.tag)
    {
    case GUMBO_TAG_TEXTAREA:
      if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "cols"), &cols))
        cols = CLAMP (cols, 1, 500);
      if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "rows"), &rows))
        rows = CLAMP (rows, 1, 500);
      bh_form_control_attach (b->doc, control,
                              add_frame_box (b, node, style, href, BH_OBJECT_CONTROL, cols * em * 0.55f + 8,
                                             rows * em * 1.2f + 6));
      break;
    case GUMBO_TAG_SELECT:
      {
        glong chars = bh_form_control_widest_option (control);

        bh_form_control_attach (b->doc, control,
                                add_frame_box (b, node, style, href, BH_OBJECT_CONTROL,
                                               (float) MIN (chars, 200) * em * 0.6f + 28, em * 1.25f + 6));
      }
      break;
    default:
      {
        glong chars = g_utf8_strlen (bh_form_control_label (control), -1);

        bh_form_control_attach (b->doc, control,
                                add_frame_box (b, node, style, href, BH_OBJECT_CONTROL,
                                               (float) MIN (chars, 200) * em * 0.6f + 16, em * 1.25f + 8));
      }
      break;
    }
}

/* ---------------------------------------------------------------- traversal */

gboolean
bh_box_is_skipped_tag (GumboTag tag)
{
  switch (tag)
    {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TITLE:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ::before (1) or ::after (2) of the element of @f, as inline text at the start or end
 * of its content (CSS 2.1 section 12.1; a block or positioned one is inline here). */
static void
add_generated_content (Builder *b, Frame *f, guint which)
{
  BhStyle computed;
  g_autofree char *text = NULL;

  if (b->cascade == NULL || f->el.node == NULL)
    return;
  text = bh_cascade_compute_pseudo (b->cascade, &f->el, which, f->style, f->vars, &computed);
  if (text == NULL || *text == '\0')
    return;
  computed.display = BH_DISPLAY_INLINE;
  computed.float_ = BH_FLOAT_NONE;
  computed.position = BH_POSITION_STATIC;
  append_text (b, text, bh_box_intern_style (b, &computed), f->href);
}

static void
pop_frame (Builder *b)
{
  Frame *f = g_ptr_array_steal_index (b->frames, b->frames->len - 1);

  bh_box_counters_pop (b, b->frames->len);

  add_generated_content (b, f, 2);
  if (f->spacer_right > 0.5f)
    add_spacer (b, f->style, f->href, f->spacer_right);
  if (f->inline_block)
    {
      /* back to the line the inline-block sits in */
      flush_paragraph (b);
      b->container = f->saved_container;
      b->para_box = f->saved_para;
      b->last_space = FALSE;
    }
  else if (f->block_like)
    {
      flush_paragraph (b);
      if (f->opened)
        b->container = f->saved_container;
    }
  bh_box_frame_free (f);
}

static void
visit_element (Builder *b, GumboNode *node, Frame *parent)
{
  BhDocument *doc = b->doc;
  GumboElement *e = &node->v.element;
  const char *v;
  const BhStyle *style;
  Frame *f;

  if (node->type == GUMBO_NODE_ELEMENT && e->tag_namespace == GUMBO_NAMESPACE_SVG && e->tag == GUMBO_TAG_SVG)
    {
      add_inline_svg (b, node, parent);
      return;
    }
  if (node->type == GUMBO_NODE_TEMPLATE || e->tag_namespace != GUMBO_NAMESPACE_HTML ||
      bh_box_is_skipped_tag (e->tag))
    return;
  f = bh_box_frame_new (b, node, parent);
  if (f == NULL)
    return;
  style = f->style;
  bh_box_counters_apply (b, style, b->frames->len - 1);
  f->href = parent->href;
  if (f->el.is_link)
    {
      g_autofree char *url = bh_document_resolve_url (doc, bh_gumbo_get_attribute (node, "href"));
      if (url != NULL)
        f->href = bh_document_intern (doc, url);
    }
  f->list_counter = 1;
  f->list_owner = e->tag == GUMBO_TAG_OL || e->tag == GUMBO_TAG_UL || e->tag == GUMBO_TAG_MENU ||
                  e->tag == GUMBO_TAG_DIR;
  if (e->tag == GUMBO_TAG_OL)
    bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "start"), &f->list_counter);

  switch (e->tag)
    {
    case GUMBO_TAG_BR:
      append_break (b, style, f->href);
      bh_box_frame_free (f);
      return;
    case GUMBO_TAG_IMG:
      if (style->display != BH_DISPLAY_INLINE && style->display != BH_DISPLAY_INLINE_BLOCK &&
          style->display != BH_DISPLAY_INLINE_FLEX)
        {
          open_block (b, f, BH_BOX_BLOCK);
          add_image (b, node, style, f->href);
          g_ptr_array_add (b->frames, f);
          pop_frame (b);
          return;
        }
      add_image (b, node, style, f->href);
      bh_box_frame_free (f);
      return;
    case GUMBO_TAG_EMBED:
      add_plugin (b, node, style, f->href, "src");
      bh_box_frame_free (f);
      return;
    case GUMBO_TAG_OBJECT:
      if (bh_gumbo_get_attribute (node, "data") != NULL || bh_gumbo_get_attribute (node, "type") != NULL)
        {
          add_plugin (b, node, style, f->href, "data");
          bh_box_frame_free (f);
          return;
        }
      break;
    case GUMBO_TAG_IFRAME:
      add_frame_box (b, node, style, f->href, BH_OBJECT_FRAME, 300, 150);
      bh_box_frame_free (f);
      return;
    case GUMBO_TAG_INPUT:
      add_input (b, node, style, f->href);
      bh_box_frame_free (f);
      return;
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON:
      add_element_control (b, node, style, f->href);
      bh_box_frame_free (f);
      return;
    default:
      break;
    }

  switch (style->display)
    {
    case BH_DISPLAY_BLOCK:
    case BH_DISPLAY_TABLE_CAPTION:
    case BH_DISPLAY_FLEX:
    case BH_DISPLAY_GRID:
    case BH_DISPLAY_FLOW_ROOT:
      open_block (b, f, BH_BOX_BLOCK);
      break;
    case BH_DISPLAY_INLINE_BLOCK:
    case BH_DISPLAY_INLINE_FLEX:
      open_inline_block (b, f);
      break;
    case BH_DISPLAY_LIST_ITEM:
      open_block (b, f, BH_BOX_BLOCK);
      {
        Frame *owner = parent;
        int value;
        for (guint i = b->frames->len; i > 0; i--)
          {
            Frame *candidate = b->frames->pdata[i - 1];
            if (candidate->list_owner)
              {
                owner = candidate;
                break;
              }
          }
        if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "value"), &value))
          owner->list_counter = value;
        if (f->opened)
          b->container->marker = bh_box_marker_for (b, f, owner->list_counter, &b->container->marker_style);
        if (owner->list_counter < G_MAXINT)
          owner->list_counter++;
      }
      break;
    case BH_DISPLAY_TABLE:
      open_block (b, f, BH_BOX_TABLE);
      break;
    case BH_DISPLAY_TABLE_ROW:
      open_block (b, f, BH_BOX_ROW);
      break;
    case BH_DISPLAY_TABLE_CELL:
      open_block (b, f, BH_BOX_CELL);
      if (f->opened && b->container->kind == BH_BOX_CELL)
        {
          int span;
          if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "colspan"), &span))
            b->container->colspan = (guint16) CLAMP (span, 1, 1000);
          /* rowspan=0 means "to the end of the group": the table clamps it */
          if (bh_box_parse_int_attr (bh_gumbo_get_attribute (node, "rowspan"), &span))
            b->container->rowspan = (guint16) (span == 0 ? 65535 : CLAMP (span, 1, 65534));
        }
      break;
    case BH_DISPLAY_TABLE_ROW_GROUP:
      if (b->container->kind != BH_BOX_TABLE)
        open_block (b, f, BH_BOX_BLOCK);
      break;
    default:
      break;
    }

  if (f->opened && e->tag == GUMBO_TAG_HTML && b->html_box == NULL)
    b->html_box = b->container;
  if (f->opened && e->tag == GUMBO_TAG_BODY && b->body_box == NULL)
    b->body_box = b->container;

  if (style->display == BH_DISPLAY_INLINE && !f->block_like)
    {
      float left = inline_side_px (style, BH_LEFT);
      if (left > 0.5f)
        add_spacer (b, style, f->href, left);
      f->spacer_right = inline_side_px (style, BH_RIGHT);
    }

  /* Where a fragment (#id, or <a name>) scrolls to (bh-selection.c). */
  if (f->el.id != NULL && *f->el.id != '\0')
    bh_anchor_record (doc, f->el.id, f->opened ? b->container : NULL, b->para_box,
                      b->para_box != NULL ? (guint) b->para_box->para->text->len : 0, b->container);
  if (e->tag == GUMBO_TAG_A && (v = bh_gumbo_get_attribute (node, "name")) != NULL && *v != '\0')
    bh_anchor_record (doc, v, f->opened ? b->container : NULL, b->para_box,
                      b->para_box != NULL ? (guint) b->para_box->para->text->len : 0, b->container);

  if (e->tag == GUMBO_TAG_HR)
    {
      /* no content, but a block of its own */
      g_ptr_array_add (b->frames, f);
      pop_frame (b);
      return;
    }

  g_ptr_array_add (b->frames, f);
  add_generated_content (b, f, 1);
}

static void
add_note (Builder *b, const char *note)
{
  BhBox *parent = b->body_box != NULL ? b->body_box : b->doc->root;
  BhStyle note_style;
  const BhStyle *style;
  BhBox *saved = b->container;

  flush_paragraph (b);
  bh_style_init_anonymous (&note_style, parent->style, BH_DISPLAY_BLOCK);
  note_style.color = 0xff800000u;
  note_style.font_italic = TRUE;
  note_style.font_weight = 700;
  note_style.background_color = 0xfffff3c0u;
  note_style.white_space = BH_WS_NORMAL;
  for (int side = 0; side < 4; side++)
    note_style.padding[side] = (BhLength) { 6, BH_UNIT_PX };
  note_style.margin[BH_TOP] = (BhLength) { 16, BH_UNIT_PX };
  style = bh_box_intern_style (b, &note_style);
  b->container = new_box (b, BH_BOX_BLOCK, style, parent->depth + 1 < BH_MAX_BOX_DEPTH ? parent : b->doc->root);
  append_text (b, note, style, NULL);
  flush_paragraph (b);
  b->container = saved;
}

static void
find_canvas (Builder *b)
{
  BhDocument *doc = b->doc;
  BhBox *canvas = NULL;

  if (b->html_box != NULL && (b->html_box->style->background_color >> 24) != 0)
    canvas = b->html_box;
  else if (b->body_box != NULL && (b->body_box->style->background_color >> 24) != 0)
    canvas = b->body_box;

  doc->background = 0xffffffffu;
  if (canvas != NULL)
    {
      guint32 c = canvas->style->background_color;
      guint a = c >> 24;
      guint32 out = 0xff000000u;
      /* the canvas is opaque: a translucent page colour is seen over white */
      for (int shift = 0; shift <= 16; shift += 8)
        {
          guint ch = (c >> shift) & 0xff;
          out |= ((ch * a + 255 * (255 - a)) / 255) << shift;
        }
      doc->background = out;
      canvas->is_canvas = TRUE;
    }
}

static void
build_plain_text (Builder *b)
{
  BhDocument *doc = b->doc;
  BhStyle text_style;
  const BhStyle *style;
  const char *p = doc->source;
  const char *end = doc->source + doc->source_len;
  BhBox *block;

  bh_style_init_anonymous (&text_style, &b->root_style, BH_DISPLAY_BLOCK);
  text_style.font_family = BH_FAMILY_MONO;
  text_style.font_size_px = 13;
  text_style.white_space = BH_WS_PRE_WRAP;
  for (int side = 0; side < 4; side++)
    text_style.margin[side] = (BhLength) { 8, BH_UNIT_PX };
  style = bh_box_intern_style (b, &text_style);
  block = new_box (b, BH_BOX_BLOCK, style, doc->root);
  b->container = block;

  /* Paragraphs end at line ends once they are big enough; a line longer than the limit
   * is cut where the limit falls, on a character boundary. */
  while (p < end)
    {
      const char *stop = p + MIN ((gsize) (end - p), (gsize) BH_MAX_PARAGRAPH_BYTES);
      const char *nl;
      BhParagraph *para;

      if (stop < end)
        {
          nl = memrchr (p, '\n', stop - p);
          if (nl != NULL && nl > p)
            stop = nl + 1;
          else
            while (stop > p + 1 && ((guchar) *stop & 0xc0) == 0x80)
              stop--;
        }
      ensure_paragraph (b);
      para = b->para_box->para;
      for (const char *q = p; q < stop; q++)
        {
          if (*q == '\r')
            {
              if (q + 1 >= stop || q[1] != '\n')
                g_string_append_c (para->text, '\n');
            }
          else if (*q != '\0')
            g_string_append_c (para->text, *q);
        }
      add_run (b, para, 0, para->text->len, style, NULL, NULL);
      flush_paragraph (b);
      p = stop;
    }
}

/**
 * bh_box_tree_build:
 * @doc: a document whose source is parsed (HTML) or decoded (text)
 *
 * Builds the box tree from the DOM and the style sheets loaded so far, replacing any
 * previous one.
 */
void
bh_box_tree_build (BhDocument *doc)
{
  Builder b = { .doc = doc };
  Frame *root_frame;
  double viewport_w = doc->viewport_width > 0 ? doc->viewport_width : 1280;
  double viewport_h = doc->viewport_height > 0 ? doc->viewport_height : 900;

  bh_box_tree_clear (doc);
  doc->boxes = g_ptr_array_new_with_free_func (g_free);
  doc->styles = g_ptr_array_new_with_free_func (g_free);
  doc->objects = g_ptr_array_new ();
  doc->plugins = g_ptr_array_new ();
  doc->text_bytes = 0;
  doc->n_paragraphs = 0;

  b.style_set = bh_box_style_set_new ();
  bh_style_init_root (&b.root_style);
  doc->root = new_box (&b, BH_BOX_BLOCK, bh_box_intern_style (&b, &b.root_style), NULL);
  b.container = doc->root;
  b.last_space = TRUE;

  if (doc->is_text || doc->gumbo == NULL)
    {
      if (doc->source != NULL)
        build_plain_text (&b);
    }
  else
    {
      if (!doc->target_set)
        {
          /* :target from the document's own URL, once: a later fragment navigation
           * sets it (bh_document_set_target_url()) */
          bh_document_set_target_url (doc, doc->url);
          doc->target_set = TRUE;
        }
      b.cascade = bh_box_cascade_new (doc, viewport_w, viewport_h);
      bh_box_counters_init (&b);
      g_free (doc->viewport_state);
      doc->viewport_state = bh_box_viewport_state (doc, viewport_w, viewport_h);

      b.frames = g_ptr_array_new ();
      root_frame = g_new0 (Frame, 1);
      root_frame->node = doc->gumbo->document;
      root_frame->style = doc->root->style;
      root_frame->list_counter = 1;
      root_frame->table_cellpadding = -1;
      g_ptr_array_add (b.frames, root_frame);

      while (b.frames->len > 0)
        {
          Frame *f = b.frames->pdata[b.frames->len - 1];
          const GumboVector *children = f->node->type == GUMBO_NODE_DOCUMENT
                                          ? &f->node->v.document.children
                                          : &f->node->v.element.children;
          GumboNode *child;

          if (f->next_child >= children->length)
            {
              pop_frame (&b);
              continue;
            }
          child = children->data[f->next_child++];
          switch (child->type)
            {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_WHITESPACE:
            case GUMBO_NODE_CDATA:
              append_text (&b, child->v.text.text, f->style, f->href);
              break;
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE:
              visit_element (&b, child, f);
              break;
            default:
              break;
            }
        }
      g_ptr_array_unref (b.frames);
      bh_box_counters_free (&b);
      /* kept until the next build: it tells which state changes can restyle
       * (bh-document-states.c) */
      doc->cascade = b.cascade;
      doc->styled_states = doc->states;
    }

  flush_paragraph (&b);
  if (doc->note != NULL)
    add_note (&b, doc->note);
  find_canvas (&b);
  doc->style_set = b.style_set;  /* kept with the tree, for restyling it in place */
  doc->tree_dirty = FALSE;
  doc->layout_dirty = TRUE;
}

/**
 * bh_box_tree_clear:
 * @doc: a document
 *
 * Frees the box tree and everything hanging from it.
 */
void
bh_box_tree_clear (BhDocument *doc)
{
  if (doc->boxes != NULL)
    {
      for (guint i = 0; i < doc->boxes->len; i++)
        {
          BhBox *box = doc->boxes->pdata[i];
          g_free (box->marker);
          g_free (box->scroll);
          if (box->para != NULL)
            {
              bh_paragraph_drop_layout (box->para);
              g_string_free (box->para->text, TRUE);
              g_array_unref (box->para->runs);
              g_free (box->para);
            }
        }
    }
  if (doc->objects != NULL)
    for (guint i = 0; i < doc->objects->len; i++)
      {
        BhObject *obj = doc->objects->pdata[i];
        g_free (obj->url);
        g_free (obj->mime_type);
        g_free (obj);
      }
  if (doc->cached_layouts != NULL)
    g_ptr_array_set_size (doc->cached_layouts, 0);
  bh_selection_tree_cleared (doc);
  bh_forms_tree_cleared (doc);
  g_clear_pointer (&doc->cascade, bh_cascade_free);
  g_clear_pointer (&doc->style_set, g_hash_table_unref);
  g_clear_pointer (&doc->boxes, g_ptr_array_unref);
  g_clear_pointer (&doc->styles, g_ptr_array_unref);
  g_clear_pointer (&doc->objects, g_ptr_array_unref);
  g_clear_pointer (&doc->plugins, g_ptr_array_unref);
  doc->root = NULL;
}
