/* bh-layout-grid.c: grid containers, the basics documentation generators use
 *
 * CSS Grid Layout 1, reduced: columns from grid-template-columns (px, %, fr, auto,
 * min-/max-content, minmax(), repeat() with a count, auto-fill and auto-fit), rows
 * as tall as their tallest item, row-gap and column-gap, items placed in tree order
 * row by row (auto placement, section 8.5, sparse), an item's grid-column as a start
 * line, an end line or a span. Items stretch to their row's height (align-items:
 * normal). Track sizing (section 11) is simplified: an auto or content track is as
 * wide as the widest max-content of its one-column items, clamped to what is left;
 * fr tracks share what remains, none narrower than its items' min-content.
 */
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>

#define BH_MAX_GRID_COLUMNS 100
#define BH_MAX_GRID_ITEMS 10000

typedef enum { TRACK_PX, TRACK_PCT, TRACK_FR, TRACK_AUTO, TRACK_MIN, TRACK_MAX } TrackKind;

typedef struct {
  guint8 min_kind, max_kind;  /* TrackKind of minmax()'s two sides; equal for a size */
  double min_v, max_v;
  double base;                /* the used width, px */
  double limit;               /* how wide it may grow before fr tracks share */
} Track;

typedef struct {
  BhBox *box;
  int col, span, row;
} Item;

static gboolean
parse_size (const char *s, guint8 *kind, double *v)
{
  char *end;

  *v = 0;
  if (strcmp (s, "auto") == 0)
    *kind = TRACK_AUTO;
  else if (strcmp (s, "min") == 0)
    *kind = TRACK_MIN;
  else if (strcmp (s, "max") == 0)
    *kind = TRACK_MAX;
  else
    {
      *v = g_ascii_strtod (s, &end);
      if (end == s || !isfinite (*v))
        return FALSE;
      if (strcmp (end, "px") == 0)
        *kind = TRACK_PX;
      else if (strcmp (end, "%") == 0)
        *kind = TRACK_PCT;
      else if (strcmp (end, "fr") == 0)
        *kind = TRACK_FR;
      else
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_track (const char *s, Track *t)
{
  memset (t, 0, sizeof *t);
  if (g_str_has_prefix (s, "minmax(") && g_str_has_suffix (s, ")"))
    {
      g_autofree char *inner = g_strndup (s + 7, strlen (s) - 8);
      char *comma = strchr (inner, ',');
      if (comma == NULL)
        return FALSE;
      *comma = '\0';
      if (!parse_size (inner, &t->min_kind, &t->min_v) || !parse_size (comma + 1, &t->max_kind, &t->max_v))
        return FALSE;
      /* a flexible minimum is invalid (section 7.2.3); read it as auto */
      if (t->min_kind == TRACK_FR)
        t->min_kind = TRACK_AUTO;
      return TRUE;
    }
  if (!parse_size (s, &t->min_kind, &t->min_v))
    return FALSE;
  t->max_kind = t->min_kind;
  t->max_v = t->min_v;
  if (t->min_kind == TRACK_FR)
    t->min_kind = TRACK_AUTO;
  return TRUE;
}

static double
fixed_px (guint8 kind, double v, double width)
{
  return kind == TRACK_PX ? v : kind == TRACK_PCT ? v * width / 100 : -1;
}

/* The columns of @box for @width px of content: its tracks, or one auto column. */
static GArray *
columns (Layout *L, BhBox *box, double width, double gap)
{
  GArray *tracks = g_array_new (FALSE, TRUE, sizeof (Track));
  const char *list = box->style->grid_columns;
  g_auto(GStrv) words = list != NULL ? g_strsplit (list, " ", BH_MAX_GRID_COLUMNS + 1) : NULL;

  for (guint i = 0; words != NULL && words[i] != NULL && tracks->len < BH_MAX_GRID_COLUMNS; i++)
    {
      Track t;
      if (g_str_has_prefix (words[i], "fill(") && g_str_has_suffix (words[i], ")"))
        {
          /* as many as fit at their fixed size (section 7.2.3.2), at least one */
          g_autofree char *inner = g_strndup (words[i] + 5, strlen (words[i]) - 6);
          double size;
          int n = 1;
          if (!parse_track (inner, &t))
            continue;
          size = fixed_px (t.min_kind, t.min_v, width);
          if (size < 0)
            size = fixed_px (t.max_kind, t.max_v, width);
          if (size > 0)
            n = (int) CLAMP (floor ((width + gap) / (size + gap)), 1, BH_MAX_GRID_COLUMNS);
          for (int k = 0; k < n && tracks->len < BH_MAX_GRID_COLUMNS; k++)
            g_array_append_val (tracks, t);
          continue;
        }
      if (parse_track (words[i], &t))
        g_array_append_val (tracks, t);
    }
  if (tracks->len == 0)
    {
      Track t = { TRACK_AUTO, TRACK_AUTO, 0, 0, 0, 0 };
      g_array_append_val (tracks, t);
    }
  return tracks;
}

static gboolean
is_item (const BhBox *child)
{
  const BhStyle *s = child->style;
  return child->kind == BH_BOX_PARAGRAPH || child->anonymous ||
         (s->position != BH_POSITION_ABSOLUTE && s->position != BH_POSITION_FIXED);
}

/* Auto placement, row by row (section 8.5, "sparse"): an item with a start line goes
 * to that column, on this row if the cursor has not passed it, else the next. */
static GArray *
place_items (BhBox *box, int n_cols, int *n_rows)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (Item));
  int row = 0, col = 0;

  for (BhBox *child = box->first_child; child != NULL && items->len < BH_MAX_GRID_ITEMS; child = child->next)
    {
      const BhStyle *s = child->style;
      Item it = { child, 0, 1, 0 };
      int start = -1, span = 1;

      if (!is_item (child))
        continue;
      if (child->kind != BH_BOX_PARAGRAPH && !child->anonymous)
        {
          int a = s->grid_column_start, b = s->grid_column_end;
          /* lines count from 1, or from the end (-1 is the last line) */
          int la = a > 0 ? a - 1 : a < 0 ? n_cols + 1 + a : -1;
          int lb = b > 0 ? b - 1 : b < 0 ? n_cols + 1 + b : -1;
          span = s->grid_column_span;
          if (la >= 0 && lb >= 0)
            {
              start = MIN (la, lb);
              span = MAX (1, ABS (lb - la));
            }
          else if (la >= 0)
            start = la;
          else if (lb >= 0)
            start = MAX (0, lb - span);
        }
      span = CLAMP (span, 1, n_cols);
      if (start >= 0)
        {
          start = MIN (start, n_cols - 1);
          span = MIN (span, n_cols - start);
          if (start < col)
            row++;
          col = start;
        }
      else if (col + span > n_cols)
        {
          row++;
          col = 0;
        }
      it.col = col;
      it.span = span;
      it.row = row;
      g_array_append_val (items, it);
      col += span;
      if (col >= n_cols)
        {
          row++;
          col = 0;
        }
    }
  *n_rows = col == 0 ? row : row + 1;
  return items;
}

/* Column widths for @width px (section 11, simplified as the file's comment says). */
static void
size_columns (Layout *L, GArray *tracks, GArray *items, double width, double gap)
{
  Track *t = (Track *) tracks->data;
  guint n = tracks->len;
  double used = gap * (n - 1), fr_sum = 0, free;
  g_autofree double *min_content = g_new0 (double, n);
  g_autofree double *max_content = g_new0 (double, n);

  for (guint i = 0; i < items->len; i++)
    {
      const Item *it = &g_array_index (items, Item, i);
      double mn, mx;
      if (it->span != 1)
        continue;
      bh_layout_intrinsic_widths (L, it->box, &mn, &mx);
      min_content[it->col] = MAX (min_content[it->col], mn);
      max_content[it->col] = MAX (max_content[it->col], mx);
    }
  for (guint i = 0; i < n; i++)
    {
      double fixed_min = fixed_px (t[i].min_kind, t[i].min_v, width);
      double fixed_max = fixed_px (t[i].max_kind, t[i].max_v, width);
      t[i].base = fixed_min >= 0 ? fixed_min : t[i].min_kind == TRACK_MAX ? max_content[i] : min_content[i];
      if (t[i].max_kind == TRACK_FR)
        {
          fr_sum += t[i].max_v;
          t[i].limit = t[i].base;
        }
      else
        t[i].limit = MAX (t[i].base, fixed_max >= 0 ? fixed_max : t[i].max_kind == TRACK_MIN ? min_content[i] : max_content[i]);
      used += t[i].base;
    }
  /* non-flexible tracks grow toward their limits, sharing what is free */
  free = width - used;
  for (int round = 0; round < 8 && free > 0.01; round++)
    {
      int growing = 0;
      for (guint i = 0; i < n; i++)
        if (t[i].max_kind != TRACK_FR && t[i].base < t[i].limit)
          growing++;
      if (growing == 0)
        break;
      {
        double share = free / growing;
        for (guint i = 0; i < n; i++)
          if (t[i].max_kind != TRACK_FR && t[i].base < t[i].limit)
            {
              double grow = MIN (share, t[i].limit - t[i].base);
              t[i].base += grow;
              free -= grow;
            }
      }
    }
  if (fr_sum > 0)
    {
      /* fr tracks share what is left; one whose base is more keeps its base and the
       * rest share again (section 11.7.1) */
      gboolean *frozen = g_newa (gboolean, n);
      double left = width - gap * (n - 1);
      memset (frozen, 0, n * sizeof (gboolean));
      for (guint i = 0; i < n; i++)
        if (t[i].max_kind != TRACK_FR)
          left -= t[i].base;
      for (int round = 0; round < 8; round++)
        {
          double sum = 0, space = left, unit;
          gboolean again = FALSE;
          for (guint i = 0; i < n; i++)
            if (t[i].max_kind == TRACK_FR && !frozen[i])
              sum += t[i].max_v;
            else if (t[i].max_kind == TRACK_FR)
              space -= t[i].base;
          /* fractions summing to less than 1 take that fraction of the space */
          unit = sum > 0 ? MAX (0, space) / MAX (sum, 1.0) : 0;
          for (guint i = 0; i < n; i++)
            if (t[i].max_kind == TRACK_FR && !frozen[i] && t[i].base > unit * t[i].max_v)
              {
                frozen[i] = TRUE;
                again = TRUE;
              }
          if (!again)
            {
              for (guint i = 0; i < n; i++)
                if (t[i].max_kind == TRACK_FR && !frozen[i])
                  t[i].base = unit * t[i].max_v;
              break;
            }
        }
    }
  else if (free > 0.01)
    {
      /* justify-content: normal stretches auto tracks (section 11.8) */
      int autos = 0;
      for (guint i = 0; i < n; i++)
        if (t[i].max_kind == TRACK_AUTO)
          autos++;
      for (guint i = 0; i < n && autos > 0; i++)
        if (t[i].max_kind == TRACK_AUTO)
          t[i].base += free / autos;
    }
}

/* Lays an item out in its cell's columns with its margin box's top at @y. */
static double
place_item (Layout *L, const Item *it, double x, double y, double w)
{
  if (it->box->kind == BH_BOX_PARAGRAPH)
    {
      Cursor cur;
      bh_layout_cursor_init (L, &cur, y);
      bh_layout_paragraph (L, it->box, x, w, &cur);
      return cur.y - y;
    }
  return bh_layout_bfc_at (L, it->box, x, y, w, -1);
}

/**
 * bh_layout_grid: (skip)
 * @L: the layout pass
 * @box: a grid container
 * @x: its content box's left, document px
 * @y: its content box's top
 * @width: its content box's width
 *
 * Returns: the height of the rows and the gaps between them, px.
 */
double
bh_layout_grid (Layout *L, BhBox *box, double x, double y, double width)
{
  const BhStyle *s = box->style;
  double col_gap = MAX (0, bh_layout_length_px (L, &s->column_gap, width));
  double row_gap = MAX (0, bh_layout_length_px (L, &s->row_gap, width));
  g_autoptr(GArray) tracks = columns (L, box, width, col_gap);
  int n_rows;
  g_autoptr(GArray) items = place_items (box, (int) tracks->len, &n_rows);
  g_autofree double *left = g_new (double, tracks->len + 1);
  double top = y;

  size_columns (L, tracks, items, width, col_gap);
  left[0] = x;
  for (guint i = 0; i < tracks->len; i++)
    left[i + 1] = left[i] + g_array_index (tracks, Track, i).base + col_gap;

  for (guint i = 0; i < items->len;)
    {
      guint first = i;
      int row = g_array_index (items, Item, i).row;
      double row_h = 0;

      for (; i < items->len && g_array_index (items, Item, i).row == row; i++)
        {
          const Item *it = &g_array_index (items, Item, i);
          double w = left[it->col + it->span] - col_gap - left[it->col];
          row_h = MAX (row_h, place_item (L, it, left[it->col], top, MAX (0, w)));
        }
      /* align-items: normal stretches an item of auto height to its row */
      for (guint k = first; k < i; k++)
        {
          BhBox *item = g_array_index (items, Item, k).box;
          if (item->kind != BH_BOX_PARAGRAPH && item->style->height.unit == BH_UNIT_AUTO)
            {
              Edges e;
              bh_layout_compute_edges (L, item->style, width, &e);
              item->h = MAX (item->h, row_h - e.mt - e.mb);
            }
        }
      top += row_h + (i < items->len ? row_gap : 0);
    }
  return top - y;
}

/**
 * bh_layout_grid_intrinsic: (skip)
 *
 * A grid container's min-content and max-content widths, for its own container:
 * its columns at their items' sizes, side by side.
 */
void
bh_layout_grid_intrinsic (Layout *L, BhBox *box, double *min_w, double *max_w)
{
  double gap = MAX (0, bh_layout_length_px (L, &box->style->column_gap, 0));
  g_autoptr(GArray) tracks = columns (L, box, 0, gap);
  int n_rows;
  g_autoptr(GArray) items = place_items (box, (int) tracks->len, &n_rows);
  g_autofree double *mn = g_new0 (double, tracks->len);
  g_autofree double *mx = g_new0 (double, tracks->len);

  for (guint i = 0; i < items->len; i++)
    {
      const Item *it = &g_array_index (items, Item, i);
      double a, b;
      bh_layout_intrinsic_widths (L, it->box, &a, &b);
      mn[it->col] = MAX (mn[it->col], a / it->span);
      mx[it->col] = MAX (mx[it->col], b / it->span);
    }
  *min_w = *max_w = gap * (tracks->len - 1);
  for (guint i = 0; i < tracks->len; i++)
    {
      const Track *t = &g_array_index (tracks, Track, i);
      double fixed = fixed_px (t->min_kind, t->min_v, 0);
      *min_w += MAX (fixed, mn[i]);
      *max_w += MAX (fixed, mx[i]);
    }
}
