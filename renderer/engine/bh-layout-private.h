/* bh-layout-private.h: what the layout and paint files share (bh-layout.c,
 * bh-layout-inline.c, bh-layout-table.c, bh-paint.c); nothing else includes it.
 * Lengths are document px (CSS px at scale 1). */
#pragma once

#include "bh-document-private.h"

G_BEGIN_DECLS

/* Below this layout weight every paragraph keeps its PangoLayout; above it, layouts are
 * made to measure, dropped, and made again for the paragraphs being painted. The weight
 * is in bytes of text: a kept layout costs about 24 bytes of memory per byte of text
 * (glyphs, clusters, log attributes) plus about 1 KB per paragraph (the PangoLayout,
 * its line, runs, items and attribute list), which counts as BH_PARAGRAPH_WEIGHT bytes.
 * So the kept layouts stay near 24 MB, whether the text is in few long paragraphs or,
 * as in tag soup, in a hundred thousand paragraphs of a few words (issue #3). */
#define BH_KEEP_ALL_LAYOUTS_BYTES (1024 * 1024)
#define BH_PARAGRAPH_WEIGHT       48

/* A layout pass measures this much text with Pango (about 1 us a character, each
 * paragraph counting BH_PARAGRAPH_WEIGHT more for making its layout); further
 * paragraphs get an estimated height until they are painted, which measures them and
 * moves what follows. Pages up to this size are laid out exactly. */
#define BH_PRECISE_TEXT_BYTES (512 * 1024)

typedef struct {
  BhDocument *doc;
  /* CSS px to layout units. Layout units are CSS px ("document px"); the factor stays
   * so that the arithmetic names its unit, and is 1. */
  double scale;
  double device_scale;  /* device px per CSS px, for snapping borders to pixels */
  GPtrArray *pending;   /* boxes whose top waits for the collapsed margin above them */
  gboolean keep_layouts;
  gssize precise_budget; /* bytes of text this pass may still measure with Pango */
  GArray *floats;       /* BhFloatRect of the block formatting contexts being laid out */
  guint float_base;     /* where the innermost block formatting context's floats start */
  GArray *absolutes;    /* BhAbsolute: positioned boxes waiting for their containing block */
  double viewport_w, viewport_h;  /* the initial containing block, CSS px */
  gboolean in_pass;     /* inside bh_layout_document(), not painting or hit testing */
} Layout;

/* A float's margin box, document px (CSS 2.1 section 9.5). */
typedef struct {
  double x, y, w, h;
  guint8 side;          /* BH_FLOAT_LEFT or BH_FLOAT_RIGHT */
} BhFloatRect;

/* An absolutely positioned box and its static position (CSS 2.1 section 10.3.7). */
typedef struct {
  BhBox *box;
  double static_x, static_y;
} BhAbsolute;

typedef struct {
  double y;
  double margin_pos;    /* the collapsing margin: largest positive... */
  double margin_neg;    /* ...plus most negative (CSS 2.1 section 8.3.1) */
  guint pending_base;
} Cursor;

typedef struct {
  double mt, mr, mb, ml;
  double bt, br, bb, bl;
  double pt, pr, pb, pl;
  gboolean ml_auto, mr_auto;
} Edges;

/* bh-layout.c */
void        bh_layout_init             (Layout *L, BhDocument *doc);
void        bh_layout_clear            (Layout *L);
const char *bh_layout_family_name      (guint8 family);
/* @len in px, @ref_width for percentages; auto is 0 */
double      bh_layout_length_px        (const Layout *L, const BhLength *len, double ref_width);
/* a border's used width, snapped to device pixels; 0 when it has no style */
double      bh_layout_border_px        (const Layout *L, const BhStyle *s, int side);
/* margins, borders and padding of a box in a containing block @cb_w wide */
void        bh_layout_compute_edges    (const Layout *L, const BhStyle *s, double cb_w, Edges *e);
void        bh_layout_margin_add       (Cursor *cur, double m);
void        bh_layout_margin_resolve   (Layout *L, Cursor *cur);
void        bh_layout_cursor_init      (Layout *L, Cursor *cur, double y);
/* left and right borders, padding and non-auto margins, percentages as 0 */
double      bh_layout_horizontal_frame (const Layout *L, const BhStyle *s);
/* min-content and max-content widths of @box's margin box, cached per intrinsic_gen */
void        bh_layout_intrinsic_widths (Layout *L, BhBox *box, double *min_w, double *max_w);
/* lays out @box's children in normal flow in [x, x + width), advancing @cur */
void        bh_layout_children         (Layout *L, BhBox *box, double x, double width, Cursor *cur);
void        bh_layout_block            (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur);
/* bh_layout_block() with the border box @border_w wide when >= 0 (a flex item, an
 * inline-block, a float: their width is decided by their container) */
void        bh_layout_block_sized      (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur,
                                        double border_w);
/* lays @box out as the root of a block formatting context with its margin box's top
 * left at (x, y); returns the margin box height. Floats inside stay inside. */
double      bh_layout_bfc_at           (Layout *L, BhBox *box, double x, double y, double cb_w,
                                        double border_w);
/* the border-box width @box shrinks to in @avail px (CSS 2.1 section 10.3.5) */
double      bh_layout_shrink_to_fit    (Layout *L, BhBox *box, double avail);
void        bh_layout_shift_subtree    (BhBox *box, double dy);
void        bh_layout_shift_subtree_xy (BhBox *box, double dx, double dy);
/* establishes a new block formatting context (CSS 2.1 section 9.4.1) */
gboolean    bh_layout_is_bfc_root      (const BhStyle *s);
gboolean    bh_layout_is_out_of_flow   (const BhBox *box);

/* bh-layout-flex.c */
/* lays a flex container's items out in its content box; returns the content height */
double      bh_layout_flex             (Layout *L, BhBox *box, double x, double y, double width,
                                        double definite_h);
void        bh_layout_flex_intrinsic   (Layout *L, BhBox *box, double *min_w, double *max_w);
/* sizes and lays out an inline-block's box, for the paragraph's Pango layout */
void        bh_layout_inline_block     (Layout *L, BhObject *obj, double avail_w, double *w, double *h);

/* bh-layout-position.c */
void        bh_layout_float            (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur);
/* the free band at y for @h px of content between [x, x + w): narrows *x and *w */
void        bh_layout_float_band       (Layout *L, double y, double h, double *x, double *w);
/* where content @need px wide fits beside the floats at or below y */
double      bh_layout_below_floats     (Layout *L, double y, double h, double x, double w, double need);
double      bh_layout_clearance        (Layout *L, guint8 clear);
double      bh_layout_floats_bottom    (Layout *L, guint base);
void        bh_layout_relative_offset  (Layout *L, BhBox *box, double cb_w);
/* lays out the absolutes recorded from @base on in a containing block */
void        bh_layout_absolutes        (Layout *L, guint base, double cb_x, double cb_y, double cb_w,
                                        double cb_h, gboolean fixed_too);

/* bh-layout-inline.c */
gboolean    bh_layout_keep_all_layouts (const BhDocument *doc);
double      bh_layout_line_height_px   (const Layout *L, const BhStyle *s);
void        bh_layout_paragraph        (Layout *L, BhBox *box, double x, double width, Cursor *cur);
void        bh_layout_paragraph_intrinsic (Layout *L, BhBox *box, double *min_w, double *max_w);
/* (transfer none): the paragraph's PangoLayout at @width, made if needed */
PangoLayout *bh_layout_ensure_layout   (Layout *L, BhBox *box, double width);

/* bh-layout-grid.c */
/* lays a grid container's items out in its content box; returns the content height */
double      bh_layout_grid             (Layout *L, BhBox *box, double x, double y, double width);
void        bh_layout_grid_intrinsic   (Layout *L, BhBox *box, double *min_w, double *max_w);

/* bh-layout-scroll.c */
/* after a layout pass: scroll containers' extents, their offsets clamped to them */
void        bh_layout_scroll_boxes     (BhDocument *doc);
gboolean    bh_layout_is_scroll_box    (const BhBox *box);
/* how far down a position: sticky box is painted from its place, for a viewport
 * scrolled to @scroll_y (CSS Positioned Layout 3 section 3.4) */
double      bh_layout_sticky_shift     (const Layout *L, const BhBox *box, double scroll_y);

/* bh-layout-table.c */
void        bh_layout_table            (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur);
void        bh_layout_table_intrinsic  (Layout *L, BhBox *box, double *min_w, double *max_w);

G_END_DECLS
