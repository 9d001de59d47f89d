/* bh-layout-table.c: table layout
 *
 * Tables use the automatic table layout of CSS 2.1 section 17.5.2.2, simplified: column
 * minimum and maximum widths from the cells, the available width shared out between
 * the two.
 */
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  double min, max;
  double pct;    /* the largest percentage width asked for by a cell, 0 if none */
  double fixed;  /* the largest px width asked for by a cell, 0 if none */
  double width;  /* the used width */
  double x;      /* the left edge */
} Column;

#define BH_MAX_TABLE_COLUMNS 1000

/* Places every cell in the table grid (HTML section 4.9.12.1, "forming a table", reduced):
 * a cell takes the first column of its row not covered by a rowspan from above.
 * Stores the column in cell->col and returns the number of columns. */
static guint
table_grid (BhBox *table)
{
  g_autoptr(GArray) covered = g_array_new (FALSE, TRUE, sizeof (guint));  /* per column: covered up to row */
  guint n = 0, r = 0;

  for (BhBox *row = table->first_child; row != NULL; row = row->next)
    {
      guint col = 0;
      if (row->kind != BH_BOX_ROW)
        continue;
      for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
        {
          guint span;
          while (col < covered->len && g_array_index (covered, guint, col) > r)
            col++;
          if (col >= BH_MAX_TABLE_COLUMNS)
            col = BH_MAX_TABLE_COLUMNS - 1;
          span = MIN ((guint) cell->colspan, BH_MAX_TABLE_COLUMNS - col);
          cell->col = (guint16) col;
          if (covered->len < col + span)
            g_array_set_size (covered, col + span);
          for (guint i = col; i < col + span; i++)
            g_array_index (covered, guint, i) = r + MIN ((guint) cell->rowspan, 65535u);
          col += span;
          n = MAX (n, col);
        }
      r++;
    }
  return n;
}

static guint
cell_span (const BhBox *cell, guint n)
{
  return cell->col < n ? MIN ((guint) cell->colspan, n - cell->col) : 1;
}

/* Column minimum and maximum widths from the cells (CSS 2.1 section 17.5.2.2 steps 1-2):
 * single-column cells first, then spanning cells spread what they miss evenly. */
static void
table_columns (Layout *L, BhBox *table, GArray *cols, double avail)
{
  guint n = cols->len;

  for (int pass = 0; pass < 2; pass++)
    for (BhBox *row = table->first_child; row != NULL; row = row->next)
      {
        if (row->kind != BH_BOX_ROW)
          continue;
        for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
          {
            guint col = cell->col;
            guint span;
            double mn, mx;

            if (col >= n)
              continue;
            span = cell_span (cell, n);
            if ((span == 1) != (pass == 0))
              continue;
            bh_layout_intrinsic_widths (L, cell, &mn, &mx);
            if (span == 1)
              {
                Column *c = &g_array_index (cols, Column, col);
                c->min = MAX (c->min, mn);
                c->max = MAX (c->max, mx);
                if (cell->style->width.unit == BH_UNIT_PX)
                  c->fixed = MAX (c->fixed, cell->style->width.value * L->scale +
                                            (cell->style->border_box ? 0 : bh_layout_horizontal_frame (L, cell->style)));
                else if (cell->style->width.unit == BH_UNIT_PERCENT)
                  c->pct = MAX (c->pct, cell->style->width.value);
              }
            else
              {
                double have_min = 0, have_max = 0;
                for (guint i = col; i < col + span; i++)
                  {
                    have_min += g_array_index (cols, Column, i).min;
                    have_max += g_array_index (cols, Column, i).max;
                  }
                for (guint i = col; i < col + span; i++)
                  {
                    Column *c = &g_array_index (cols, Column, i);
                    if (mn > have_min)
                      c->min += (mn - have_min) / span;
                    if (mx > have_max)
                      c->max += (mx - have_max) / span;
                  }
              }
          }
      }

  for (guint i = 0; i < n; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      if (c->fixed > 0)
        c->max = MAX (c->min, c->fixed);
      else if (c->pct > 0 && avail > 0)
        c->max = MAX (c->min, avail * c->pct / 100.0);
      c->max = MAX (c->max, c->min);
    }
}

static double
table_spacing (const Layout *L, const BhBox *table)
{
  return table->style->border_collapse ? 0 : table->style->border_spacing * L->scale;
}

/* The table's minimum and maximum widths without its own frame: the columns' and
 * spacing, or a caption's if wider. */
void
bh_layout_table_intrinsic (Layout *L, BhBox *box, double *min_w, double *max_w)
{
  double mn = 0, mx = 0;
guint n = table_grid (box);
  g_autoptr(GArray) cols = g_array_sized_new (FALSE, TRUE, sizeof (Column), n);
  double spacing = table_spacing (L, box);

  g_array_set_size (cols, n);
  table_columns (L, box, cols, 0);
  for (guint i = 0; i < n; i++)
    {
      mn += g_array_index (cols, Column, i).min;
      mx += g_array_index (cols, Column, i).max;
    }
  if (n > 0)
    {
      mn += spacing * (n + 1);
      mx += spacing * (n + 1);
    }
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    if (child->kind != BH_BOX_ROW)
      {
        double cmn, cmx;
        bh_layout_intrinsic_widths (L, child, &cmn, &cmx);
        mn = MAX (mn, cmn);
        mx = MAX (mx, cmx);
      }
  *min_w = mn;
  *max_w = mx;
}

static double
layout_cell (Layout *L, BhBox *cell)
{
  Edges e;
  Cursor c;
  double content_top;

  bh_layout_compute_edges (L, cell->style, cell->w, &e);
  content_top = cell->y + e.bt + e.pt;
  bh_layout_cursor_init (L, &c, content_top);
  bh_layout_children (L, cell, cell->x + e.bl + e.pl, MAX (0, cell->w - e.bl - e.br - e.pl - e.pr), &c);
  bh_layout_margin_resolve (L, &c);
  if (cell->style->height.unit == BH_UNIT_PX)
    c.y = MAX (c.y, content_top + cell->style->height.value * L->scale);
  return c.y - cell->y + e.pb + e.bb;
}

/* Grows the columns of one kind towards their maximum, all by the same fraction of
 * what they lack, within @remaining; returns what is left. */
static double
grow_columns (GArray *cols, int kind, double remaining)
{
  double need = 0;

  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      int k = c->pct > 0 ? 0 : c->fixed > 0 ? 1 : 2;
      if (k == kind)
        need += MAX (0, c->max - c->width);
    }
  if (need <= 0 || remaining <= 0)
    return remaining;
  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      int k = c->pct > 0 ? 0 : c->fixed > 0 ? 1 : 2;
      if (k == kind)
        c->width += MAX (0, c->max - c->width) * MIN (1.0, remaining / need);
    }
  return MAX (0, remaining - need);
}

/* Column widths for a table @target wide (CSS 2.1 section 17.5.2.2, the way browsers
 * read it): every column gets its minimum; then percentage columns grow to their
 * percentage, fixed-width columns to their width, auto columns to their maximum, in
 * that order; a table with a set width gives what is still left to its auto columns
 * (to all columns if it has none). */
static void
distribute_columns (GArray *cols, double target, gboolean fill)
{
  double remaining = target;
  double auto_max = 0, all = 0;
  guint n_auto = 0;

  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      c->width = c->min;
      remaining -= c->min;
    }
  for (int kind = 0; kind < 3; kind++)
    remaining = grow_columns (cols, kind, remaining);
  if (!fill || remaining <= 0 || cols->len == 0)
    return;

  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      all += c->width;
      if (c->pct <= 0 && c->fixed <= 0)
        {
          n_auto++;
          auto_max += c->max;
        }
    }
  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      if (n_auto > 0)
        {
          if (c->pct <= 0 && c->fixed <= 0)
            c->width += auto_max > 0 ? remaining * c->max / auto_max : remaining / n_auto;
        }
      else
        c->width += all > 0 ? remaining * c->width / all : remaining / cols->len;
    }
}

void
bh_layout_table (Layout *L, BhBox *table, double cb_x, double cb_w, Cursor *cur)
{
  const BhStyle *s = table->style;
  guint n = table_grid (table);
  g_autoptr(GArray) cols = g_array_sized_new (FALSE, TRUE, sizeof (Column), MAX (n, 1));
  double spacing = table_spacing (L, table);
  double frame_w, avail, target, used = 0, y, content_x, content_w;
  gboolean specified = s->width.unit != BH_UNIT_AUTO;
  gboolean any_row = FALSE;
  Edges e;

  bh_layout_compute_edges (L, s, cb_w, &e);
  bh_layout_margin_add (cur, e.mt);
  bh_layout_margin_resolve (L, cur);
  table->y = cur->y;

  frame_w = e.bl + e.br + e.pl + e.pr;
  avail = cb_w - (e.ml_auto ? 0 : e.ml) - (e.mr_auto ? 0 : e.mr);
  if (specified)
    avail = MAX (bh_layout_length_px (L, &s->width, cb_w), 0);
  avail -= frame_w + (n > 0 ? spacing * (n + 1) : 0);
  avail = MAX (0, avail);

  g_array_set_size (cols, n);
  table_columns (L, table, cols, avail);
  {
    double sum_min = 0, sum_max = 0;
    for (guint i = 0; i < n; i++)
      {
        sum_min += g_array_index (cols, Column, i).min;
        sum_max += g_array_index (cols, Column, i).max;
      }
    target = specified ? MAX (avail, sum_min) : MAX (sum_min, MIN (avail, sum_max));
  }
  distribute_columns (cols, target, specified);
  for (guint i = 0; i < n; i++)
    used += g_array_index (cols, Column, i).width;

  content_w = used + (n > 0 ? spacing * (n + 1) : 0);
  /* captions and stray blocks need some room even in a table without columns */
  if (n == 0)
    content_w = MAX (0, cb_w - frame_w - (e.ml_auto ? 0 : e.ml) - (e.mr_auto ? 0 : e.mr));
  table->w = content_w + frame_w;
  if (e.ml_auto && e.mr_auto)
    table->x = cb_x + MAX (0, (cb_w - table->w) / 2);
  else if (e.ml_auto)
    table->x = cb_x + MAX (0, cb_w - table->w - e.mr);
  else
    table->x = cb_x + e.ml;

  content_x = table->x + e.bl + e.pl;
  y = table->y + e.bt + e.pt;

  /* column edges */
  {
    double x = content_x + spacing;
    for (guint i = 0; i < n; i++)
      {
        Column *c = &g_array_index (cols, Column, i);
        c->x = x;
        x += c->width + spacing;
      }
  }

  for (BhBox *child = table->first_child; child != NULL;)
    {
      if (child->kind == BH_BOX_ROW)
        {
          /* a run of consecutive rows: rowspans cannot reach past it */
          g_autoptr(GPtrArray) rows = g_ptr_array_new ();
          g_autoptr(GArray) heights = g_array_new (FALSE, TRUE, sizeof (double));
          guint r;

          for (; child != NULL && child->kind == BH_BOX_ROW; child = child->next)
            g_ptr_array_add (rows, child);
          g_array_set_size (heights, rows->len);

          /* cells laid out at y = 0, moved into place once the row heights are known */
          for (r = 0; r < rows->len; r++)
            {
              BhBox *row = rows->pdata[r];
              double *row_h = &g_array_index (heights, double, r);
              for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
                {
                  guint span = cell_span (cell, n);
                  Column *first = &g_array_index (cols, Column, MIN (cell->col, n ? n - 1 : 0));
                  double w = 0;
                  for (guint i = cell->col; i < cell->col + span && i < n; i++)
                    w += g_array_index (cols, Column, i).width;
                  w += spacing * (span - 1);
                  cell->x = n > 0 ? first->x : content_x + spacing;
                  cell->y = 0;
                  cell->w = w;
                  cell->h = layout_cell (L, cell);
                  cell->rowspan = (guint16) MAX (1u, MIN ((guint) cell->rowspan, rows->len - r));
                  if (cell->rowspan == 1)
                    *row_h = MAX (*row_h, cell->h);
                }
              if (row->style->height.unit == BH_UNIT_PX)
                *row_h = MAX (*row_h, row->style->height.value * L->scale);
            }
          /* a spanning cell taller than its rows makes the last of them taller */
          for (r = 0; r < rows->len; r++)
            for (BhBox *cell = ((BhBox *) rows->pdata[r])->first_child; cell != NULL; cell = cell->next)
              if (cell->rowspan > 1)
                {
                  double have = spacing * (cell->rowspan - 1);
                  for (guint i = r; i < r + cell->rowspan; i++)
                    have += g_array_index (heights, double, i);
                  if (cell->h > have)
                    g_array_index (heights, double, r + cell->rowspan - 1) += cell->h - have;
                }

          if (!any_row)
            y += spacing;
          any_row = TRUE;
          for (r = 0; r < rows->len; r++)
            {
              BhBox *row = rows->pdata[r];
              double row_h = g_array_index (heights, double, r);
              row->x = content_x + spacing;
              row->y = y;
              row->w = MAX (0, content_w - 2 * spacing);
              row->h = row_h;
              for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
                {
                  double h = spacing * (cell->rowspan - 1), extra, dy;
                  BhVerticalAlign valign = cell->style->vertical_align;
                  for (guint i = r; i < r + cell->rowspan; i++)
                    h += g_array_index (heights, double, i);
                  extra = h - cell->h;
                  dy = valign == BH_VALIGN_MIDDLE ? floor (extra / 2) : valign == BH_VALIGN_BOTTOM ? floor (extra) : 0;
                  cell->y = y;
                  bh_layout_shift_subtree (cell, y + MAX (0, dy));
                  cell->h = h;
                }
              y += row_h + spacing;
            }
        }
      else
        {
          /* a caption or content that is not in a row: a full-width block in order */
          Cursor c;
          bh_layout_cursor_init (L, &c, y);
          if (child->kind == BH_BOX_PARAGRAPH)
            bh_layout_paragraph (L, child, content_x, content_w, &c);
          else if (child->kind == BH_BOX_TABLE)
            bh_layout_table (L, child, content_x, content_w, &c);
          else
            bh_layout_block (L, child, content_x, content_w, &c);
          bh_layout_margin_resolve (L, &c);
          y = c.y;
          child = child->next;
        }
    }

  table->h = y + e.pb + e.bb - table->y;
  if (s->height.unit == BH_UNIT_PX)
    table->h = MAX (table->h, s->height.value * L->scale);
  cur->y = table->y + table->h;
  bh_layout_margin_add (cur, e.mb);
}
