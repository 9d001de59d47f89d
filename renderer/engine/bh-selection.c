/* bh-selection.c: what a person does with a page's text: fragments, the
 * selection and find in page.
 *
 * Everything works on the paragraphs of the box tree, in tree order (the
 * order of the text in the document): a place in the text is a paragraph
 * index and a byte offset into its text (BhTextPoint), so it survives a
 * relayout. PangoLayouts, borrowed from bh-layout.c, turn places into
 * coordinates and back. Highlights are painted behind the text, as browsers
 * do: the selection in a translucent blue, find matches in Chromium's yellow
 * and the active one in its orange.
 */
#include "bh-layout-private.h"

#include <string.h>

#define OBJECT_REPLACEMENT 0xfffc

typedef struct {
  BhBox *block;     /* the element's own block box, or NULL */
  BhBox *para_box;  /* the paragraph it starts in, or NULL */
  guint offset;     /* ... at this byte */
  BhBox *container; /* the block it sits in */
} BhAnchor;

/* The paragraph's PangoLayout at its laid-out width, for hit testing and
 * measuring: positions in it are relative to (box->x + para->align_offset,
 * box->y). Given back with return_paragraph_layout(): on a big document,
 * a layout no paint keeps is dropped again, as hit testing does. */
static PangoLayout *
borrow_paragraph_layout (BhDocument *doc, BhBox *box)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };

  g_assert (box->para != NULL);
  L.keep_layouts = bh_layout_keep_all_layouts (doc);
  return bh_layout_ensure_layout (&L, box, box->w);
}

static void
return_paragraph_layout (BhDocument *doc, BhBox *box)
{
  if (!bh_layout_keep_all_layouts (doc) && !box->para->cached)
    bh_paragraph_drop_layout (box->para);
}

/* ---------------------------------------------------------------- the tree */

/**
 * bh_anchor_record: (skip)
 * @doc: the document whose box tree is being built
 * @name: an element's id, or an <a>'s name
 * @block: (nullable): the element's own block box
 * @para_box: (nullable): the open paragraph an inline element starts in
 * @offset: the byte of @para_box's text where it starts
 * @container: the block it is in
 *
 * Remembers where a fragment scrolls to. The first element of a name wins
 * (HTML's "find a potential indicated element": the first in tree order).
 */
void
bh_anchor_record (BhDocument *doc, const char *name, BhBox *block, BhBox *para_box, guint offset,
                  BhBox *container)
{
  BhAnchor *anchor;

  if (doc->anchors == NULL)
    doc->anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (g_hash_table_contains (doc->anchors, name))
    return;
  anchor = g_new0 (BhAnchor, 1);
  anchor->block = block;
  anchor->para_box = para_box;
  anchor->offset = offset;
  anchor->container = container;
  g_hash_table_insert (doc->anchors, g_strdup (name), anchor);
}

/**
 * bh_selection_tree_cleared: (skip)
 *
 * The box tree is going: forget what points into it. The selection and the
 * matches are places in the text and stay.
 */
void
bh_selection_tree_cleared (BhDocument *doc)
{
  g_clear_pointer (&doc->anchors, g_hash_table_unref);
  g_clear_pointer (&doc->paragraphs, g_ptr_array_unref);
  g_clear_pointer (&doc->paragraph_index, g_hash_table_unref);
}

/**
 * bh_selection_free: (skip)
 *
 * Frees what the document holds of the selection and find.
 */
void
bh_selection_free (BhDocument *doc)
{
  bh_selection_tree_cleared (doc);
  g_clear_pointer (&doc->find_matches, g_array_unref);
}

static void
collect_paragraphs (GPtrArray *out, BhBox *box)
{
  /* The tree is at most BH_MAX_BOX_DEPTH deep: recursion is bounded. */
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      if (child->kind == BH_BOX_PARAGRAPH)
        g_ptr_array_add (out, child);
      else
        collect_paragraphs (out, child);
    }
}

static GPtrArray *
paragraphs (BhDocument *doc)
{
  if (doc->paragraphs == NULL)
    {
      doc->paragraphs = g_ptr_array_new ();
      doc->paragraph_index = g_hash_table_new (NULL, NULL);
      if (doc->root != NULL)
        collect_paragraphs (doc->paragraphs, doc->root);
      for (guint i = 0; i < doc->paragraphs->len; i++)
        g_hash_table_insert (doc->paragraph_index, doc->paragraphs->pdata[i], GUINT_TO_POINTER (i + 1));
    }
  return doc->paragraphs;
}

static gboolean
is_box_of (BhDocument *doc, BhBox *box)
{
  if (box == NULL || doc->boxes == NULL)
    return FALSE;
  for (guint i = 0; i < doc->boxes->len; i++)
    if (doc->boxes->pdata[i] == box)
      return TRUE;
  return FALSE;
}

/* The top of the line holding byte @offset of @box's text, in document px. */
static double
line_top (BhDocument *doc, BhBox *box, guint offset)
{
  PangoLayout *layout = borrow_paragraph_layout (doc, box);
  PangoRectangle pos;

  pango_layout_index_to_pos (layout, (int) MIN (offset, box->para->text->len), &pos);
  return_paragraph_layout (doc, box);
  return box->y + (double) pos.y / PANGO_SCALE;
}

static int
clamp_px (double y)
{
  return (int) CLAMP (y, 0, G_MAXINT / 2);
}

/**
 * bh_document_get_fragment_y:
 * @doc: a laid-out document
 * @fragment: a URL's fragment, percent-decoded, without the '#'
 * @y_px: (out): where the target starts, document px
 *
 * HTML's "find a potential indicated element": the first element whose id
 * is @fragment, else the first <a> whose name is; "" and "top" (ASCII case
 * insensitive) mean the top of the document.
 *
 * Returns: %TRUE when there is such a place; @y_px is untouched otherwise.
 */
gboolean
bh_document_get_fragment_y (BhDocument *doc, const char *fragment, int *y_px)
{
  BhAnchor *anchor;

  g_return_val_if_fail (doc != NULL && fragment != NULL && y_px != NULL, FALSE);

  if (*fragment == '\0' || g_ascii_strcasecmp (fragment, "top") == 0)
    {
      *y_px = 0;
      return TRUE;
    }
  if (doc->root == NULL || doc->anchors == NULL ||
      (anchor = g_hash_table_lookup (doc->anchors, fragment)) == NULL)
    return FALSE;
  if (anchor->block != NULL && is_box_of (doc, anchor->block))
    *y_px = clamp_px (anchor->block->y);
  else if (anchor->para_box != NULL && is_box_of (doc, anchor->para_box))
    *y_px = clamp_px (line_top (doc, anchor->para_box, anchor->offset));
  else if (is_box_of (doc, anchor->container))
    *y_px = clamp_px (anchor->container->y);
  else
    return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------- places */

static int
point_compare (BhTextPoint a, BhTextPoint b)
{
  if (a.para != b.para)
    return a.para < b.para ? -1 : 1;
  return a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0;
}

/* A point clamped to the paragraphs there are (a rebuilt tree may be shorter). */
static BhTextPoint
point_clamp (BhDocument *doc, BhTextPoint p)
{
  GPtrArray *paras = paragraphs (doc);
  BhBox *box;

  if (paras->len == 0)
    return (BhTextPoint) { 0, 0 };
  if (p.para >= paras->len)
    {
      box = paras->pdata[paras->len - 1];
      return (BhTextPoint) { paras->len - 1, (guint) box->para->text->len };
    }
  box = paras->pdata[p.para];
  if (p.offset > box->para->text->len)
    p.offset = (guint) box->para->text->len;
  /* never inside a UTF-8 sequence */
  while (p.offset > 0 && (box->para->text->str[p.offset] & 0xc0) == 0x80)
    p.offset--;
  return p;
}

/* The place in the text nearest to (x, y), document px: in the paragraph
 * under the point, else the end of the last paragraph above it (or the start
 * of the first, above them all), as a drag into a margin selects to there. */
static BhTextPoint
point_at (BhDocument *doc, double x, double y)
{
  GPtrArray *paras = paragraphs (doc);
  BhBox *best = NULL;
  guint best_index = 0;
  double best_dx = G_MAXDOUBLE;
  gboolean above_all = TRUE;
  guint last_above = 0;

  for (guint i = 0; i < paras->len; i++)
    {
      BhBox *box = paras->pdata[i];

      if (y >= box->y && y < box->y + box->h)
        {
          double dx = x < box->x ? box->x - x : x >= box->x + box->w ? x - (box->x + box->w) : 0;

          if (dx < best_dx)
            {
              best = box;
              best_index = i;
              best_dx = dx;
            }
        }
      else if (box->y + box->h <= y)
        {
          above_all = FALSE;
          last_above = i;
        }
    }
  if (best != NULL)
    {
      PangoLayout *layout = borrow_paragraph_layout (doc, best);
      int index = 0, trailing = 0;
      double lx = x - best->x - best->para->align_offset;
      double ly = y - best->y;
      const char *text = best->para->text->str;

      pango_layout_xy_to_index (layout, (int) (lx * PANGO_SCALE), (int) (ly * PANGO_SCALE), &index, &trailing);
      return_paragraph_layout (doc, best);
      index = CLAMP (index, 0, (int) best->para->text->len);
      for (; trailing > 0 && (gsize) index < best->para->text->len; trailing--)
        index = (int) (g_utf8_next_char (text + index) - text);
      return (BhTextPoint) { best_index, (guint) index };
    }
  if (paras->len == 0 || above_all)
    return (BhTextPoint) { 0, 0 };
  return (BhTextPoint) { last_above, (guint) ((BhBox *) paras->pdata[last_above])->para->text->len };
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || c == '\'' || c == 0x2019 || g_unichar_ismark (c);
}

/* The word (or run of other characters of one kind) around @p. */
static BhTextRange
word_at (BhDocument *doc, BhTextPoint p)
{
  BhBox *box = paragraphs (doc)->pdata[p.para];
  const char *text = box->para->text->str;
  gsize len = box->para->text->len;
  const char *start = text + p.offset;
  const char *end = start;
  gboolean word;

  if ((gsize) p.offset >= len && p.offset > 0)
    start = end = g_utf8_prev_char (text + p.offset);
  if ((gsize) (start - text) >= len)
    return (BhTextRange) { p, p };
  word = is_word_char (g_utf8_get_char (start));
  if (!word && !g_unichar_isspace (g_utf8_get_char (start)))
    return (BhTextRange) { { p.para, (guint) (start - text) },
                           { p.para, (guint) (g_utf8_next_char (start) - text) } };
  while (start > text)
    {
      const char *prev = g_utf8_prev_char (start);
      gunichar c = g_utf8_get_char (prev);
      if (word ? !is_word_char (c) : !g_unichar_isspace (c))
        break;
      start = prev;
    }
  while ((gsize) (end - text) < len)
    {
      gunichar c = g_utf8_get_char (end);
      if (word ? !is_word_char (c) : !g_unichar_isspace (c))
        break;
      end = g_utf8_next_char (end);
    }
  return (BhTextRange) { { p.para, (guint) (start - text) }, { p.para, (guint) (end - text) } };
}

/* ---------------------------------------------------------------- selection */

/**
 * bh_document_select_at:
 * @doc: a laid-out document
 * @x_px: the pointer, document px
 * @y_px: the pointer, document px
 * @unit: what one click selects
 * @extend: move only the selection's focus there (Shift+click, a drag);
 *   otherwise the selection starts there
 *
 * The selection as a mouse makes it: a press puts a caret (%BH_SELECT_CARET),
 * a double click selects the word under the pointer, a triple click the
 * paragraph; a drag or Shift+click extends the selection to the pointer.
 */
void
bh_document_select_at (BhDocument *doc, double x_px, double y_px, BhSelectUnit unit, gboolean extend)
{
  BhTextPoint p;

  g_return_if_fail (doc != NULL);

  if (doc->root == NULL || paragraphs (doc)->len == 0)
    return;
  p = point_at (doc, x_px, y_px);
  if (extend)
    {
      doc->selection_anchor = point_clamp (doc, doc->selection_anchor);
      doc->selection_focus = p;
      return;
    }
  switch (unit)
    {
    case BH_SELECT_WORD:
      {
        BhTextRange word = word_at (doc, p);
        doc->selection_anchor = word.start;
        doc->selection_focus = word.end;
      }
      break;
    case BH_SELECT_PARAGRAPH:
      doc->selection_anchor = (BhTextPoint) { p.para, 0 };
      doc->selection_focus =
        (BhTextPoint) { p.para, (guint) ((BhBox *) paragraphs (doc)->pdata[p.para])->para->text->len };
      break;
    case BH_SELECT_CARET:
    default:
      doc->selection_anchor = doc->selection_focus = p;
      break;
    }
}

/**
 * bh_document_select_all:
 *
 * Selects the whole text of the document (Ctrl+A).
 */
void
bh_document_select_all (BhDocument *doc)
{
  GPtrArray *paras;

  g_return_if_fail (doc != NULL);

  if (doc->root == NULL)
    return;
  paras = paragraphs (doc);
  doc->selection_anchor = (BhTextPoint) { 0, 0 };
  doc->selection_focus = paras->len == 0 ? (BhTextPoint) { 0, 0 } : point_clamp (doc, (BhTextPoint) { G_MAXUINT, 0 });
}

/**
 * bh_document_clear_selection:
 *
 * Selects nothing.
 */
void
bh_document_clear_selection (BhDocument *doc)
{
  g_return_if_fail (doc != NULL);
  doc->selection_focus = doc->selection_anchor;
}

static BhTextRange
selection_range (BhDocument *doc)
{
  BhTextPoint a = point_clamp (doc, doc->selection_anchor);
  BhTextPoint f = point_clamp (doc, doc->selection_focus);

  return point_compare (a, f) <= 0 ? (BhTextRange) { a, f } : (BhTextRange) { f, a };
}

/**
 * bh_document_has_selection:
 *
 * Returns: whether any text is selected.
 */
gboolean
bh_document_has_selection (BhDocument *doc)
{
  BhTextRange r;

  g_return_val_if_fail (doc != NULL, FALSE);
  if (doc->root == NULL || paragraphs (doc)->len == 0)
    return FALSE;
  r = selection_range (doc);
  return point_compare (r.start, r.end) != 0;
}

/* Appends text[start, end) without the U+FFFC that stand for images. */
static void
append_text (GString *out, const char *text, guint start, guint end, gsize max_bytes)
{
  for (const char *p = text + start; p < text + end && out->len < max_bytes; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (c == OBJECT_REPLACEMENT)
        continue;
      if (out->len + (gsize) (next - p) > max_bytes)
        break;
      g_string_append_len (out, p, next - p);
    }
}

/**
 * bh_document_get_selected_text:
 * @doc: a document
 * @max_bytes: the most UTF-8 to return: a longer selection is cut at a
 *   character boundary
 *
 * The selection as plain text, as a copy gives it: one line per paragraph,
 * images left out.
 *
 * Returns: (transfer full): the text, "" when nothing is selected.
 */
char *
bh_document_get_selected_text (BhDocument *doc, gsize max_bytes)
{
  GString *out = g_string_new ("");
  GPtrArray *paras;
  BhTextRange r;

  g_return_val_if_fail (doc != NULL, g_string_free (out, FALSE));

  if (!bh_document_has_selection (doc))
    return g_string_free (out, FALSE);
  paras = paragraphs (doc);
  r = selection_range (doc);
  for (guint i = r.start.para; i <= r.end.para && out->len < max_bytes; i++)
    {
      BhParagraph *para = ((BhBox *) paras->pdata[i])->para;
      guint start = i == r.start.para ? r.start.offset : 0;
      guint end = i == r.end.para ? r.end.offset : (guint) para->text->len;

      if (i > r.start.para && out->len < max_bytes)
        g_string_append_c (out, '\n');
      append_text (out, para->text->str, start, end, max_bytes);
    }
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------- find */

/* Whether @query (case-folded, @query_len characters) matches at @p; sets the
 * end of the match. Case-insensitive per character, as Chromium's default. */
static gboolean
matches_at (const char *p, const char *end, const gunichar *query, glong query_len, const char **match_end)
{
  for (glong i = 0; i < query_len; i++)
    {
      if (p >= end)
        return FALSE;
      if (g_unichar_tolower (g_utf8_get_char (p)) != query[i])
        return FALSE;
      p = g_utf8_next_char (p);
    }
  *match_end = p;
  return TRUE;
}

/**
 * bh_document_find:
 * @doc: a laid-out document
 * @query: the text to find, UTF-8; "" finds nothing
 * @max_matches: the most matches to count
 *
 * Finds every occurrence of @query, ignoring case, and highlights them all;
 * no match is active until bh_document_find_step().
 *
 * Returns: how many there are, at most @max_matches.
 */
guint
bh_document_find (BhDocument *doc, const char *query, guint max_matches)
{
  g_autofree gunichar *folded = NULL;
  glong query_len = 0;
  GPtrArray *paras;

  g_return_val_if_fail (doc != NULL && query != NULL, 0);

  if (doc->find_matches == NULL)
    doc->find_matches = g_array_new (FALSE, FALSE, sizeof (BhTextRange));
  g_array_set_size (doc->find_matches, 0);
  doc->find_active = -1;
  if (doc->root == NULL || !g_utf8_validate (query, -1, NULL) || *query == '\0')
    return 0;
  folded = g_utf8_to_ucs4_fast (query, -1, &query_len);
  for (glong i = 0; i < query_len; i++)
    folded[i] = g_unichar_tolower (folded[i]);
  paras = paragraphs (doc);
  for (guint i = 0; i < paras->len && doc->find_matches->len < max_matches; i++)
    {
      GString *text = ((BhBox *) paras->pdata[i])->para->text;
      const char *end = text->str + text->len;

      for (const char *p = text->str; p < end && doc->find_matches->len < max_matches;)
        {
          const char *match_end;

          if (matches_at (p, end, folded, query_len, &match_end))
            {
              BhTextRange m = { { i, (guint) (p - text->str) }, { i, (guint) (match_end - text->str) } };
              g_array_append_val (doc->find_matches, m);
              p = match_end;
            }
          else
            p = g_utf8_next_char (p);
        }
    }
  return doc->find_matches->len;
}

/**
 * bh_document_is_finding:
 *
 * Returns: whether bh_document_find() ran since the document was made and
 *   bh_document_stop_finding() did not since.
 */
gboolean
bh_document_is_finding (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);
  return doc->find_matches != NULL;
}

/**
 * bh_document_get_find_match_count:
 *
 * Returns: the matches the last bh_document_find() counted, 0 when not finding.
 */
guint
bh_document_get_find_match_count (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->find_matches != NULL ? doc->find_matches->len : 0;
}

static void
match_rect (BhDocument *doc, const BhTextRange *m, double *y, double *h)
{
  BhBox *box = paragraphs (doc)->pdata[m->start.para];
  PangoLayout *layout = borrow_paragraph_layout (doc, box);
  PangoRectangle pos;

  pango_layout_index_to_pos (layout, (int) m->start.offset, &pos);
  return_paragraph_layout (doc, box);
  *y = box->y + (double) pos.y / PANGO_SCALE;
  *h = MAX (1.0, (double) pos.height / PANGO_SCALE);
}

/**
 * bh_document_find_step:
 * @doc: a document after bh_document_find()
 * @forward: to the next match, else the previous one (wrapping around)
 * @from_y_px: with no match active yet, the first match at or below this
 *   (the top of the viewport) becomes active, as Chromium starts from what
 *   is on screen
 *
 * Returns: the active match, 1 to the number of matches; 0 when there is none.
 */
guint
bh_document_find_step (BhDocument *doc, gboolean forward, int from_y_px)
{
  guint n;

  g_return_val_if_fail (doc != NULL, 0);

  if (doc->find_matches == NULL || (n = doc->find_matches->len) == 0)
    return 0;
  if (doc->find_active < 0 || (guint) doc->find_active >= n)
    {
      doc->find_active = forward ? 0 : (int) n - 1;
      for (guint i = 0; i < n; i++)
        {
          double y, h;
          match_rect (doc, &g_array_index (doc->find_matches, BhTextRange, i), &y, &h);
          if (y >= from_y_px)
            {
              doc->find_active = (int) i;
              break;
            }
        }
    }
  else if (forward)
    doc->find_active = (doc->find_active + 1) % (int) n;
  else
    doc->find_active = (doc->find_active + (int) n - 1) % (int) n;
  return (guint) doc->find_active + 1;
}

/**
 * bh_document_get_find_active_rect:
 * @y_px: (out): the top of the active match's line, document px
 * @height_px: (out): its height
 *
 * Returns: %FALSE, leaving the outputs alone, when no match is active.
 */
gboolean
bh_document_get_find_active_rect (BhDocument *doc, int *y_px, int *height_px)
{
  double y, h;

  g_return_val_if_fail (doc != NULL, FALSE);

  if (doc->find_matches == NULL || doc->find_active < 0 || (guint) doc->find_active >= doc->find_matches->len ||
      doc->root == NULL)
    return FALSE;
  match_rect (doc, &g_array_index (doc->find_matches, BhTextRange, doc->find_active), &y, &h);
  *y_px = clamp_px (y);
  *height_px = clamp_px (h);
  return TRUE;
}

/**
 * bh_document_stop_finding:
 *
 * Drops the find highlights; the active match, if any, becomes the
 * selection (as in Chromium, so that Ctrl+C copies it).
 */
void
bh_document_stop_finding (BhDocument *doc)
{
  g_return_if_fail (doc != NULL);

  if (doc->find_matches != NULL && doc->find_active >= 0 && (guint) doc->find_active < doc->find_matches->len)
    {
      BhTextRange m = g_array_index (doc->find_matches, BhTextRange, doc->find_active);
      doc->selection_anchor = m.start;
      doc->selection_focus = m.end;
    }
  g_clear_pointer (&doc->find_matches, g_array_unref);
  doc->find_active = -1;
}

/* ---------------------------------------------------------------- painting */

/* Fills the parts of the layout's lines that hold bytes [start, end). */
static void
fill_range (cairo_t *cr, PangoLayout *layout, double x, double y, int start, int end)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      int line_start = line->start_index;
      int line_end = line->start_index + line->length;
      int *ranges = NULL;
      int n_ranges = 0;
      int y0, y1;

      if (end <= line_start || start >= line_end)
        {
          /* an empty line inside the selection (a <br><br>) still shows */
          if (!(line->length == 0 && start <= line_start && end > line_start))
            continue;
        }
      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      pango_layout_line_get_x_ranges (line, MAX (start, line_start), MIN (end, line_end), &ranges, &n_ranges);
      for (int i = 0; i < n_ranges; i++)
        {
          double x0 = (double) ranges[2 * i] / PANGO_SCALE;
          double x1 = (double) ranges[2 * i + 1] / PANGO_SCALE;

          if (x1 - x0 < 1 && line->length == 0)
            x1 = x0 + 4; /* a selected empty line: a sliver, as browsers show it */
          cairo_rectangle (cr, x + x0, y + (double) y0 / PANGO_SCALE, x1 - x0, (double) (y1 - y0) / PANGO_SCALE);
        }
      g_free (ranges);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  cairo_fill (cr);
}

/* The part of @r in paragraph @index, as byte offsets; FALSE when none. */
static gboolean
range_in_paragraph (const BhTextRange *r, guint index, guint len, int *start, int *end)
{
  if (index < r->start.para || index > r->end.para)
    return FALSE;
  *start = index == r->start.para ? (int) r->start.offset : 0;
  *end = index == r->end.para ? (int) r->end.offset : (int) len;
  return *end > *start || (index > r->start.para && index < r->end.para);
}

/**
 * bh_highlight_paint_paragraph: (skip)
 * @doc: the document being painted
 * @cr: its cairo context, in document px
 * @box: a paragraph box
 * @layout: its layout, drawn at (@x, @y)
 *
 * Paints the selection and the find matches in @box, behind its text.
 */
void
bh_highlight_paint_paragraph (BhDocument *doc, cairo_t *cr, BhBox *box, PangoLayout *layout, double x, double y)
{
  gboolean selecting = point_compare (doc->selection_anchor, doc->selection_focus) != 0;
  gboolean finding = doc->find_matches != NULL && doc->find_matches->len > 0;
  guint index;
  guint len = (guint) box->para->text->len;
  int start, end;

  if (!selecting && !finding)
    return;
  paragraphs (doc);
  index = GPOINTER_TO_UINT (g_hash_table_lookup (doc->paragraph_index, box));
  if (index-- == 0)
    return;
  cairo_save (cr);
  if (finding)
    for (guint i = 0; i < doc->find_matches->len; i++)
      {
        const BhTextRange *m = &g_array_index (doc->find_matches, BhTextRange, i);

        if (m->start.para > index)
          break;
        if (!range_in_paragraph (m, index, len, &start, &end))
          continue;
        /* Chromium's colours: yellow for every match, orange for the active one. */
        if ((int) i == doc->find_active)
          cairo_set_source_rgb (cr, 1.0, 0.588, 0.196);
        else
          cairo_set_source_rgb (cr, 1.0, 1.0, 0.0);
        fill_range (cr, layout, x, y, start, end);
      }
  if (selecting)
    {
      BhTextRange r = selection_range (doc);

      if (range_in_paragraph (&r, index, len, &start, &end))
        {
          cairo_set_source_rgba (cr, 0.208, 0.518, 0.894, 0.40);
          fill_range (cr, layout, x, y, start, end);
        }
    }
  cairo_restore (cr);
}
