/* bh-document-private.h: what bh-document.c, bh-document-urls.c, bh-box.c and bh-layout.c share.
 *
 * Calls go one way: bh-document.c builds the box tree (bh-box.c) and lays it
 * out (bh-layout.c); the box tree uses the document's URLs and resources
 * (bh-document-urls.c) and drops layouts it replaces; none calls up. */
#pragma once

#include <gumbo.h>
#include <pango/pango.h>

#include "bh-css.h"
#include "bh-document.h"

G_BEGIN_DECLS

/* Boxes nest at most this deep; deeper blocks are laid out as siblings at this depth,
 * so that layout and painting may recurse over the box tree without risking the stack
 * (10,000 nested <div>s are flattened, not followed). */
#define BH_MAX_BOX_DEPTH 192

/* A paragraph holds at most about this many bytes of text; longer runs of inline
 * content continue in a new paragraph, so that no single PangoLayout gets huge. */
#define BH_MAX_PARAGRAPH_BYTES (48 * 1024)

typedef struct _BhBox BhBox;
typedef struct _BhParagraph BhParagraph;
typedef struct _BhObject BhObject;
typedef struct _BhResource BhResource;
typedef struct _BhFormControl BhFormControl;

typedef struct {
  double x, y;             /* the offset, document px */
  double max_x, max_y;     /* the scrollable overflow past the padding box */
} BhScrollState;

typedef enum {
  BH_BOX_BLOCK,
  BH_BOX_PARAGRAPH,   /* an anonymous block holding one inline formatting context */
  BH_BOX_TABLE,
  BH_BOX_ROW,
  BH_BOX_CELL,
} BhBoxKind;

struct _BhBox {
  guint8 kind;             /* BhBoxKind */
  guint8 anonymous : 1;
  guint8 is_canvas : 1;    /* its background is the canvas background, painted once */
  guint16 depth;
  guint16 colspan;         /* cells */
  guint16 rowspan;         /* cells */
  guint16 col;             /* cells: first grid column, set by table layout */
  BhBox *parent;
  BhBox *first_child;
  BhBox *last_child;
  BhBox *next;
  const BhStyle *style;
  char *marker;            /* list item marker text, nullable */
  const BhStyle *marker_style; /* its ::marker style, nullable: the box's own */
  BhParagraph *para;       /* BH_BOX_PARAGRAPH only */

  /* the element it was made for, NULL when anonymous (bh-document-query.c) */
  const GumboNode *node;
  /* layout results: the border box in document px */
  double x, y, w, h;
  /* intrinsic widths for tables, in document px, valid while intrinsic_gen matches */
  double min_w, max_w;
  guint intrinsic_gen;
  /* scroll containers (overflow: auto or scroll, bh-layout-scroll.c): how far the
   * content is scrolled and can be, document px; NULL for other boxes */
  BhScrollState *scroll;
};

typedef struct {
  guint start;             /* byte offsets into the paragraph text */
  guint end;
  const BhStyle *style;
  const char *href;        /* absolute link target, interned in the document; nullable */
  BhObject *object;        /* the U+FFFC standing for an image or plugin; nullable */
  const GumboNode *node;   /* the innermost element the text is in (bh-document-query.c) */
} BhRun;

struct _BhParagraph {
  GString *text;
  GArray *runs;            /* BhRun, in text order */
  guint n_objects;
  guint8 no_wrap;
  PangoLayout *layout;     /* cache; dropped on big documents, rebuilt on demand */
  double layout_width;     /* the width the cached layout and heights were made for */
  double first_baseline;   /* from the paragraph top, document px */
  double align_offset;     /* x shift of an unwrapped line for text-align */
  guint paint_gen;         /* the paint that last used the layout */
  guint8 cached;           /* listed in the document's cached_layouts */
  guint8 unwrapped;        /* the layout was made without a width: one line per forced break */
  double natural_w;        /* width of the unwrapped layout */
  double measured_width;   /* the width measured_h holds for; < 0: never measured */
  double measured_h;       /* height from Pango at measured_width */
  double estimated_width;  /* the width estimated_h holds for */
  double estimated_h;
  double min_w, max_w;     /* intrinsic widths, valid while intrinsic_gen matches */
  guint intrinsic_gen;
};

typedef enum {
  BH_OBJECT_IMAGE,
  BH_OBJECT_PLUGIN,
  BH_OBJECT_FRAME,         /* <iframe>: a box the browser does not fill yet */
  BH_OBJECT_CONTROL,       /* a form field, drawn as an empty field */
  BH_OBJECT_SPACER,        /* horizontal padding, border and margin of an inline element */
  BH_OBJECT_BLOCK,         /* an inline-block or inline-flex: a box laid out in the line */
} BhObjectKind;

struct _BhObject {
  BhObjectKind kind;
  BhResource *resource;    /* images */
  const BhStyle *style;
  float css_width;         /* CSS px from width=/style, < 0 when not given */
  float css_height;
  char *url;               /* plugins: absolute URL */
  char *mime_type;         /* plugins: type=, may be "" */
  BhBox *para_box;         /* the paragraph it sits in */
  double rel_x, rel_y;     /* from the paragraph box origin, document px */
  double w, h;
  BhBox *block;            /* BH_OBJECT_BLOCK: its box, a child of para_box */
  double block_x, block_y; /* BH_OBJECT_BLOCK: where the box's margin edge is now */
  double baseline;         /* BH_OBJECT_BLOCK: from its top margin edge */
  BhFormControl *control;  /* form fields: their state, owned by the document (bh-forms.c) */
};

/* A place in the text: a paragraph (its index in tree order, bh-selection.c) and a
 * byte offset into its text. */
typedef struct {
  guint para;
  guint offset;
} BhTextPoint;

typedef struct {
  BhTextPoint start;
  BhTextPoint end;
} BhTextRange;

typedef enum { BH_RESOURCE_IMAGE, BH_RESOURCE_STYLESHEET } BhResourceKind;
typedef enum { BH_RESOURCE_PENDING, BH_RESOURCE_LOADED, BH_RESOURCE_FAILED } BhResourceState;

struct _BhResource {
  char *url;
  BhResourceKind kind;
  BhResourceState state;
  cairo_surface_t *surface;  /* raster images: premultiplied ARGB32 */
  GObject *svg;              /* SVG images: their RsvgHandle, drawn at the size painted */
  int width, height;         /* images: natural size in px */
  BhStyleSheet *sheet;       /* style sheets */
  guint8 import_depth;       /* style sheets: 0 linked from the page, n imported by depth n-1 */
};

typedef struct {
  BhStyleSheet *inline_sheet; /* <style> contents, owned */
  BhResource *resource;       /* <link rel=stylesheet>, borrowed */
  const char *media;          /* media="", nullable; points into the parse */
} BhStyleSlot;

/* @import: how deep imports are followed, and how many imported sheets one document
 * fetches at most (the cycle a.css -> b.css -> a.css ends at the resource table,
 * which holds each URL once). */
#define BH_MAX_IMPORT_DEPTH 4
#define BH_MAX_IMPORTED_SHEETS 64
/* background images one document fetches at most (and inline <svg> images it
 * draws): a sheet can name thousands */
#define BH_MAX_CSS_IMAGES 256

struct _BhDocument {
  char *url;
  char *base_url;
  char *favicon_url;          /* the first <link rel=icon href>, http(s), nullable */
  char *title;
  gboolean title_dirty;       /* the DOM changed <title>: computed again when asked */
  gboolean is_text;
  char *note;                 /* a notice shown at the end of the page, nullable */

  char *source;               /* UTF-8 text given to gumbo, which points into it */
  gsize source_len;
  GumboOutput *gumbo;
  GumboOptions gumbo_options;
  gpointer gumbo_arena;

  GPtrArray *resources;       /* BhResource*, in document order */
  GHashTable *resource_by_url;
  GArray *style_slots;        /* BhStyleSlot, in document order */
  BhStyleSheet *ua_sheet;
  GHashTable *strings;        /* interned link targets */
  gsize decoded_image_bytes;

  /* the box tree, rebuilt when styles or resources change */
  BhBox *root;
  GPtrArray *boxes;           /* owns every BhBox */
  GPtrArray *styles;          /* owns every BhStyle the boxes point at */
  GPtrArray *objects;         /* owns every BhObject */
  GPtrArray *plugins;         /* BhObject*, borrowed, in document order */
  gsize text_bytes;
  gsize n_paragraphs;         /* paragraph boxes in the tree */
  gboolean tree_dirty;
  gboolean layout_dirty;

  int layout_width;
  double layout_scale;
  double viewport_width;      /* CSS px: what @media, vw and vh see; set before the tree is built */
  double viewport_height;
  char *viewport_state;       /* what the last tree's cascade saw of the viewport, see
                               * bh_style_sheet_append_viewport_state() */
  guint n_imported_sheets;
  guint n_css_images;         /* resources added by bh_document_want_image() */
  double height;
  guint intrinsic_gen;
  guint layout_pass;          /* counts bh_layout_document() calls */
  double pango_scale;         /* the scale the paragraph layouts were made at */
  gboolean objects_dirty;     /* an image changed size: layouts holding objects are stale */
  gboolean positions_dirty;   /* a paragraph's estimated height was replaced by its real one */
  guint paint_gen;
  guint32 background;         /* 0xAARRGGBB */
  gboolean omit_backgrounds;  /* printing without backgrounds: white canvas, no box backgrounds */

  PangoContext *pango;
  GPtrArray *cached_layouts;  /* BhParagraph* whose layout is alive on a big document */

  /* bh-selection.c: fragments, the selection and find in page */
  GHashTable *anchors;        /* fragment name -> BhAnchor, made with the box tree */
  GPtrArray *paragraphs;      /* paragraph boxes in tree order, made on demand; NULL when stale */
  GHashTable *paragraph_index; /* paragraph box -> its index + 1 in paragraphs */
  BhTextPoint selection_anchor; /* where the selection started */
  BhTextPoint selection_focus;  /* where it ends now; equal to the anchor: nothing selected */
  GArray *find_matches;       /* BhTextRange, in document order; NULL when not finding */
  int find_active;            /* index into find_matches, -1 for none */

  /* bh-document-states.c: :hover and :focus */
  BhElementStates states;     /* the user's, now */
  BhElementStates styled_states; /* those the box tree's styles were computed for */
  gboolean target_set;        /* states.target was set from the URL */
  BhCascade *cascade;         /* the box tree's, nullable: which state changes matter */
  GHashTable *style_set;      /* the box tree's interned styles (bh-box-style.c) */

  /* bh-layout-scroll.c: scroll containers' offsets, by their element (they outlive box
   * trees); whether the tree has boxes painted where the viewport is (fixed, sticky) */
  GHashTable *scroll_offsets; /* GumboNode* -> double[2], nullable */
  gboolean has_viewport_boxes;

  /* bh-forms.c: form controls' state, by their element: it outlives box trees */
  GHashTable *controls;       /* GumboNode* -> BhFormControl */
  GPtrArray *control_order;   /* BhFormControl* with a box, in tree order; NULL when stale */
  BhFormControl *focused;     /* the control with the keyboard focus, or NULL */
  BhFormSubmission *submission; /* a form submitted and not yet taken */
  BhFormPopup *popup;         /* a <select>'s drop-down asked for and not yet taken */
  BhFormControl *popup_control; /* the <select> whose drop-down the browser shows, or NULL */
  guint popup_serial;         /* the id of the latest drop-down */
};

/* bh-document-urls.c: used by bh-document.c and bh-box.c */
const char *bh_document_intern       (BhDocument *doc,
                                      const char *str);
char       *bh_document_resolve_url  (BhDocument *doc,
                                      const char *ref);
char       *bh_document_resolve_url_against (const char *base,
                                      const char *ref);
BhResource *bh_document_find_resource (BhDocument *doc,
                                      const char *url);
/* bh-document.c: (transfer none) (nullable): the image resource for a CSS url(),
 * added (pending) if new; NULL past BH_MAX_CSS_IMAGES or when @url names a style sheet */
BhResource *bh_document_want_image   (BhDocument *doc,
                                      const char *url);

/* bh-box.c */
void        bh_box_tree_build        (BhDocument *doc);
/* bh-box-restyle.c: the states' elements whose state changed (GumboNode*) are
 * restyled with their subtrees; when only painting changes, the tree is patched and
 * @damage (document px: left, top, right, bottom) covers the boxes; returns
 * BH_RESTYLE_REBUILD when the tree must be built again */
typedef enum { BH_RESTYLE_NONE, BH_RESTYLE_PAINT, BH_RESTYLE_REBUILD } BhRestyle;
BhRestyle   bh_box_restyle_elements  (BhDocument *doc,
                                      GPtrArray  *changed,
                                      double      damage[4]);
/* (transfer full): what the document's style sheets would see of a viewport of this
 * size; a tree built for another string is stale */
char       *bh_box_viewport_state    (BhDocument *doc,
                                      double      width,
                                      double      height);
void        bh_box_tree_clear        (BhDocument *doc);
const char *bh_gumbo_get_attribute   (const GumboNode *node,
                                      const char      *name);

/* bh-layout.c */
void        bh_layout_document       (BhDocument *doc);
void        bh_paint_document        (BhDocument *doc,
                                      cairo_t    *cr,
                                      double      scroll_y,
                                      double      viewport_width,
                                      double      viewport_height);
const char *bh_layout_link_at        (BhDocument *doc,
                                      double      x,
                                      double      y);
void        bh_paragraph_drop_layout (BhParagraph *para);
const GumboNode *bh_layout_node_at   (BhDocument *doc,
                                      double      x,
                                      double      y);
gboolean    bh_document_inline_block_rect (BhDocument *doc,
                                           const GumboNode *node,
                                           double rect[4]);
gboolean    bh_layout_node_rect      (BhDocument      *doc,
                                      const GumboNode *node,
                                      double           rect[4]);

/* bh-document-dom.c */
void        bh_document_dom_refresh_title (BhDocument *doc);

/* bh-document-decode.c */
/* (transfer full): @data as valid UTF-8, NUL-terminated, its length in @out_len;
 * @charset_arg (nullable) is the transport's, <meta> is looked for when @is_html */
char       *bh_document_decode_text  (const guchar *data,
                                      gsize         len,
                                      const char   *charset_arg,
                                      gboolean      is_html,
                                      gsize        *out_len);
/* (transfer full) (nullable): @src without the start tags (and their end tags) nested
 * deeper than @max_depth as a tokenizer sees it; NULL when nothing had to go */
char       *bh_document_limit_nesting (const char *src,
                                      gsize       len,
                                      int         max_depth,
                                      gsize      *out_len);

/* bh-document-images.c */
gboolean    bh_document_decode_image (BhDocument *doc,
                                      BhResource *res,
                                      GBytes     *data);
/* an SVG document from markup (an inline <svg>), its currentColor @color (0xAARRGGBB) */
gboolean    bh_document_decode_svg   (BhDocument *doc,
                                      BhResource *res,
                                      GBytes     *data,
                                      guint32     color);
/* whether @res holds a decoded image to paint */
gboolean    bh_image_is_ready        (const BhResource *res);
/* paints @res scaled into the rectangle (document px) */
void        bh_image_paint           (const BhResource *res,
                                      cairo_t          *cr,
                                      double            x,
                                      double            y,
                                      double            w,
                                      double            h);
/* (transfer full) (nullable): a pattern of @res scaled to one @tile_w x @tile_h px
 * tile at the user-space origin, rendered for @device_scale device px per px */
cairo_pattern_t *bh_image_pattern    (const BhResource *res,
                                      double            tile_w,
                                      double            tile_h,
                                      double            device_scale);

/* bh-document.c: memory for the DOM (bh-document-dom.c), from the document's gumbo
 * budget. bh_document_dom_alloc() returns NULL past the budget. */
void       *bh_document_dom_alloc    (BhDocument *doc,
                                      gsize       size);
void        bh_document_dom_free     (BhDocument *doc,
                                      void       *ptr);
GumboOutput *bh_document_parse_fragment (BhDocument *doc,
                                         const char *html,
                                         gsize       len,
                                         GumboTag    context);

/* bh-selection.c: used by bh-box.c (anchors), bh-layout.c (highlights) and
 * bh-document.c */
void        bh_anchor_record         (BhDocument *doc,
                                      const char *name,
                                      BhBox      *block,
                                      BhBox      *para_box,
                                      guint       offset,
                                      BhBox      *container);
void        bh_selection_tree_cleared (BhDocument *doc);

/* bh-forms.c: used by bh-box.c (controls), bh-paint.c (drawing them), bh-document.c,
 * bh-document-states.c (the focused control's element) */
const GumboNode *bh_forms_focused_node (BhDocument *doc);
BhFormControl *bh_form_control_for_node (BhDocument *doc,
                                      GumboNode  *node);
void        bh_form_control_attach   (BhDocument    *doc,
                                      BhFormControl *control,
                                      BhObject      *object);
const char *bh_form_control_label    (BhFormControl *control);
glong       bh_form_control_widest_option (BhFormControl *control);
gboolean    bh_forms_paint_control   (BhDocument *doc,
                                      cairo_t    *cr,
                                      BhObject   *obj,
                                      double      x,
                                      double      y);
void        bh_forms_tree_cleared    (BhDocument *doc);
void        bh_forms_free            (BhDocument *doc);
void        bh_selection_free        (BhDocument *doc);
void        bh_highlight_paint_paragraph (BhDocument  *doc,
                                      cairo_t     *cr,
                                      BhBox       *box,
                                      PangoLayout *layout,
                                      double       x,
                                      double       y);

/* bh-document-xpath.c: the elements an XPath expression of the subset there
 * selects, a set of GumboNode * (no order); %NULL when the expression is
 * outside the subset. */
GHashTable *bh_document_xpath_evaluate (BhDocument *doc, const char *expression);

G_END_DECLS
