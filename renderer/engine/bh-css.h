/* bh-css.h: the small CSS subset the renderer understands (internal to renderer/)
 *
 * Style sheets are parsed into rules whose selectors are lists of compound selectors
 * (type, universal, #id, .class, [attribute], :link, structural and logical
 * pseudo-classes, ::before/::after) joined by descendant, child and sibling combinators,
 * with their @media conditions and @import URLs. A cascade (user-agent sheet,
 * presentational hints, author sheets, style="") computes a BhStyle for each element,
 * for a viewport (media queries, vw, vh), with custom properties and var(). Anything outside the subset is skipped silently, as CSS 2.1
 * section 4.2 ("Rules for handling parsing errors") asks of a user agent.
 */
#pragma once

#include <glib.h>
#include <gumbo.h>

G_BEGIN_DECLS

typedef enum {
  BH_UNIT_PX,
  BH_UNIT_PERCENT,
  BH_UNIT_AUTO,
  /* only inside parsed declarations; computed styles hold px, % or auto */
  BH_UNIT_EM,
  BH_UNIT_REM,
  BH_UNIT_NUMBER,
  BH_UNIT_VW,
  BH_UNIT_VH,
  /* calc(): value px plus pct percent of the reference length */
  BH_UNIT_CALC,
} BhUnit;

typedef struct {
  float value;
  guint32 unit;  /* BhUnit; 32 bits so that styles have no padding and compare bytewise */
  float pct;     /* BH_UNIT_CALC only, else 0 */
} BhLength;

typedef enum {
  BH_DISPLAY_INLINE,
  BH_DISPLAY_BLOCK,
  BH_DISPLAY_LIST_ITEM,
  BH_DISPLAY_TABLE,
  BH_DISPLAY_TABLE_ROW_GROUP,
  BH_DISPLAY_TABLE_ROW,
  BH_DISPLAY_TABLE_CELL,
  BH_DISPLAY_TABLE_CAPTION,
  BH_DISPLAY_NONE,
  BH_DISPLAY_INLINE_BLOCK,
  BH_DISPLAY_FLEX,
  BH_DISPLAY_INLINE_FLEX,
  BH_DISPLAY_FLOW_ROOT,
  BH_DISPLAY_GRID,
} BhDisplay;

typedef enum { BH_FLOAT_NONE, BH_FLOAT_LEFT, BH_FLOAT_RIGHT } BhFloat;
typedef enum { BH_CLEAR_NONE = 0, BH_CLEAR_LEFT = 1, BH_CLEAR_RIGHT = 2, BH_CLEAR_BOTH = 3 } BhClear;
typedef enum { BH_POSITION_STATIC, BH_POSITION_RELATIVE, BH_POSITION_ABSOLUTE, BH_POSITION_FIXED, BH_POSITION_STICKY } BhPosition;
typedef enum { BH_FLEX_ROW, BH_FLEX_ROW_REVERSE, BH_FLEX_COLUMN, BH_FLEX_COLUMN_REVERSE } BhFlexDirection;
/* justify-content and align-items/align-self share these; BH_FLEX_AUTO is align-self's initial value */
typedef enum {
  BH_FLEX_AUTO, BH_FLEX_START, BH_FLEX_END, BH_FLEX_CENTER, BH_FLEX_SPACE_BETWEEN,
  BH_FLEX_SPACE_AROUND, BH_FLEX_SPACE_EVENLY, BH_FLEX_STRETCH, BH_FLEX_BASELINE,
} BhFlexAlign;
typedef enum { BH_OVERFLOW_VISIBLE, BH_OVERFLOW_HIDDEN, BH_OVERFLOW_SCROLL, BH_OVERFLOW_AUTO } BhOverflow;

/* visibility (CSS 2.1 section 11.2): collapse is hidden here, also in tables */
typedef enum { BH_VISIBILITY_VISIBLE, BH_VISIBILITY_HIDDEN } BhVisibility;
typedef enum { BH_TRANSFORM_NONE, BH_TRANSFORM_UPPERCASE, BH_TRANSFORM_LOWERCASE, BH_TRANSFORM_CAPITALIZE } BhTextTransform;
typedef enum { BH_TEXT_OVERFLOW_CLIP, BH_TEXT_OVERFLOW_ELLIPSIS } BhTextOverflow;

typedef enum { BH_BG_REPEAT, BH_BG_REPEAT_X, BH_BG_REPEAT_Y, BH_BG_NO_REPEAT } BhBackgroundRepeat;
typedef enum { BH_BG_SIZE_LENGTH, BH_BG_SIZE_COVER, BH_BG_SIZE_CONTAIN } BhBackgroundSize;

typedef enum { BH_FAMILY_SANS, BH_FAMILY_SERIF, BH_FAMILY_MONO } BhFamily;
typedef enum { BH_ALIGN_LEFT, BH_ALIGN_RIGHT, BH_ALIGN_CENTER, BH_ALIGN_JUSTIFY } BhTextAlign;
typedef enum { BH_WS_NORMAL, BH_WS_PRE, BH_WS_NOWRAP, BH_WS_PRE_WRAP, BH_WS_PRE_LINE } BhWhiteSpace;
typedef enum { BH_VALIGN_BASELINE, BH_VALIGN_SUB, BH_VALIGN_SUPER, BH_VALIGN_TOP, BH_VALIGN_MIDDLE, BH_VALIGN_BOTTOM } BhVerticalAlign;
typedef enum {
  BH_LIST_DISC, BH_LIST_CIRCLE, BH_LIST_SQUARE, BH_LIST_DECIMAL, BH_LIST_LOWER_ALPHA,
  BH_LIST_UPPER_ALPHA, BH_LIST_LOWER_ROMAN, BH_LIST_UPPER_ROMAN, BH_LIST_NONE,
} BhListStyle;
typedef enum { BH_LH_NORMAL, BH_LH_FACTOR, BH_LH_PX } BhLineHeightKind;
typedef enum { BH_BORDER_NONE, BH_BORDER_SOLID, BH_BORDER_DOTTED, BH_BORDER_DASHED, BH_BORDER_INSET, BH_BORDER_OUTSET } BhBorderStyle;

#define BH_DECORATION_UNDERLINE    (1 << 0)
#define BH_DECORATION_LINE_THROUGH (1 << 1)

/* Sides, in the order of the CSS shorthands. */
enum { BH_TOP, BH_RIGHT, BH_BOTTOM, BH_LEFT };

/* Colours are 0xAARRGGBB; alpha 0 is transparent. Lengths are CSS px at scale 1. */
typedef struct {
  guint32 color;
  guint32 background_color;
  float font_size_px;
  float line_height;          /* a factor or px, see line_height_kind */
  guint16 font_weight;        /* 100..900 */
  guint8 line_height_kind;    /* BhLineHeightKind */
  guint8 font_italic;
  guint8 font_family;         /* BhFamily */
  guint8 text_align;          /* BhTextAlign */
  guint8 white_space;         /* BhWhiteSpace */
  guint8 display;             /* BhDisplay */
  guint8 text_decoration;     /* BH_DECORATION_* flags */
  guint8 vertical_align;      /* BhVerticalAlign */
  guint8 list_style_type;     /* BhListStyle */
  guint8 border_collapse;
  guint8 border_box;          /* box-sizing: border-box */
  guint8 overflow_wrap;       /* overflow-wrap/word-wrap: break-word or anywhere (inherited) */
  guint8 visibility;          /* BhVisibility (inherited) */
  guint8 text_transform;      /* BhTextTransform (inherited) */
  guint8 border_style[4];     /* BhBorderStyle */
  float border_width[4];
  guint32 border_color[4];
  float border_spacing;
  BhLength margin[4];
  BhLength padding[4];
  BhLength width;
  BhLength max_width;
  BhLength height;
  /* CSS 2.1 visual formatting, flexbox (CSS Flexible Box Layout 1), sizing; all
   * non-inherited */
  guint8 float_;              /* BhFloat */
  guint8 clear;               /* BhClear flags */
  guint8 position;            /* BhPosition */
  guint8 overflow;            /* BhOverflow */
  guint8 flex_direction;      /* BhFlexDirection */
  guint8 flex_wrap;           /* 0 nowrap, 1 wrap, 2 wrap-reverse */
  guint8 justify_content;     /* BhFlexAlign */
  guint8 align_items;         /* BhFlexAlign */
  guint8 align_self;          /* BhFlexAlign, BH_FLEX_AUTO: the parent's align-items */
  guint8 z_auto;              /* z-index: auto */
  gint16 order;
  gint32 z_index;
  float flex_grow;
  float flex_shrink;
  BhLength flex_basis;        /* auto: the width or content */
  BhLength row_gap;
  BhLength column_gap;
  BhLength offset[4];         /* top, right, bottom, left; auto where not given */
  BhLength min_width;
  BhLength min_height;
  BhLength max_height;        /* auto is none */
  float border_radius;        /* px, one radius for the four corners */
  guint32 shadow_color;       /* box-shadow, the first one; alpha 0 is none */
  float shadow_x, shadow_y, shadow_blur, shadow_spread;
  guint32 gradient_from;      /* linear-gradient(): first and last colour stop; */
  guint32 gradient_to;        /* both 0 is no gradient */
  float gradient_angle;       /* degrees, CSS: 180 is "to bottom" */
  float letter_spacing;       /* px added after each character (inherited); 0 is normal */
  float opacity;              /* 0..1, the box and its content painted as one group */
  guint8 text_overflow;       /* BhTextOverflow: an unwrapped line cut by overflow */
  guint8 pad_[3];             /* zero: keeps the struct free of implicit padding */
  /* the first background layer's image (CSS Backgrounds 3 section 3) */
  guint8 bg_repeat;           /* BhBackgroundRepeat */
  guint8 bg_size_kind;        /* BhBackgroundSize; BH_BG_SIZE_LENGTH uses bg_size */
  guint8 gradient_radial;     /* 0 linear-gradient(), 1 radial ellipse, 2 radial circle */
  guint8 pad2_;
  BhLength bg_position[2];    /* x, y in the padding box: % of (box - image), px, calc() */
  BhLength bg_size[2];        /* width, height; auto keeps the image's ratio or size */
  const char *background_image; /* absolute URL, nullable; the cascade's string while it
                                 * computes, the document's after (bh-box-style.c) */
  /* counter-reset, counter-set, counter-increment (CSS Lists 3 section 4) as written,
   * nullable (none); the cascade's strings, which live as long as the box tree */
  const char *counter_reset;
  const char *counter_set;
  const char *counter_increment;
  /* CSS Grid 1, the basics: the columns (a normalised track list, bh_css_grid_tracks(),
   * the cascade's string; nullable: none) and an item's column lines */
  const char *grid_columns;
  gint16 grid_column_start;   /* line number from 1, negative from the end; 0 auto */
  gint16 grid_column_end;     /* the same; 0 auto */
  guint16 grid_column_span;   /* columns when the end is auto, >= 1 */
  guint16 pad3_;
} BhStyle;

/* The user's states of a document's elements, for :hover and :focus (Selectors 4
 * section 9): the innermost element under the mouse (its ancestors are hovered too)
 * and the element with the keyboard focus; nullable both. */
typedef struct {
  const GumboNode *hover;
  const GumboNode *focus;
  const GumboNode *target;   /* the element the URL's fragment names (:target) */
} BhElementStates;

/* Which states a style sheet's selectors test (bh_cascade_get_states_used()). */
#define BH_STATE_HOVER (1u << 0)
#define BH_STATE_FOCUS (1u << 1)
#define BH_STATE_TARGET (1u << 2)

/* What selectors see of an element. The renderer keeps one per open element, linked
 * to its parent, so descendant and child combinators can walk up. */
typedef struct _BhElement BhElement;
struct _BhElement {
  const BhElement *parent;
  GumboTag tag;
  const char *tag_name;      /* lower case; set for GUMBO_TAG_UNKNOWN, may be NULL otherwise */
  const char *id;            /* nullable */
  char **classes;            /* nullable, NULL-terminated */
  gboolean is_link;          /* <a href> or <area href>: matches :link */
  /* nullable: the element in gumbo's tree, for attribute, structural (:nth-child) and
   * sibling (+, ~) selectors, which do not match without it */
  const GumboNode *node;
  /* nullable: the document's states; without them :hover and :focus do not match */
  const BhElementStates *states;
};

typedef struct _BhDeclarations BhDeclarations;
typedef struct _BhStyleSheet BhStyleSheet;
typedef struct _BhCascade BhCascade;

typedef enum {
  BH_ORIGIN_USER_AGENT,
  BH_ORIGIN_HINT,            /* presentational attributes: align=, bgcolor=, width=... */
  BH_ORIGIN_AUTHOR,
  BH_ORIGIN_STYLE_ATTR,
} BhOrigin;

BhStyleSheet   *bh_style_sheet_parse            (const char           *text,
                                                 gsize                 len);
void            bh_style_sheet_free             (BhStyleSheet         *sheet);
guint           bh_style_sheet_get_n_rules      (BhStyleSheet         *sheet);
const char     *bh_style_sheet_get_user_agent_text (void);
guint           bh_style_sheet_get_n_imports    (BhStyleSheet         *sheet);
const char     *bh_style_sheet_get_import       (BhStyleSheet         *sheet,
                                                 guint                 index,
                                                 const char          **media);
void            bh_style_sheet_append_viewport_state (BhStyleSheet    *sheet,
                                                 double                width,
                                                 double                height,
                                                 GString              *out);
gboolean        bh_media_query_matches          (const char           *media,
                                                 double                width,
                                                 double                height);

BhDeclarations *bh_declarations_parse           (const char           *text,
                                                 gsize                 len);
/* Adds one declaration written as CSS ("width", "50%"); used for presentational hints. */
void            bh_declarations_add             (BhDeclarations       *decls,
                                                 const char           *property,
                                                 const char           *value);
BhDeclarations *bh_declarations_new             (void);
gboolean        bh_declarations_is_empty        (BhDeclarations       *decls);
void            bh_declarations_free            (BhDeclarations       *decls);

BhCascade      *bh_cascade_new                  (void);
/* The cascade borrows @sheet; later sheets win over earlier ones of the same origin. */
void            bh_cascade_add_sheet            (BhCascade            *cascade,
                                                 BhStyleSheet         *sheet,
                                                 BhOrigin              origin);
/* The same, for a sheet whose relative URLs (url() values) resolve against @base_url
 * (nullable: the document's, see bh_cascade_set_base_url()). */
void            bh_cascade_add_sheet_with_base  (BhCascade            *cascade,
                                                 BhStyleSheet         *sheet,
                                                 BhOrigin              origin,
                                                 const char           *base_url);
/* The URL style="" and presentational hints resolve url() values against. */
void            bh_cascade_set_base_url         (BhCascade            *cascade,
                                                 const char           *base_url);
void            bh_cascade_free                 (BhCascade            *cascade);
guint           bh_cascade_get_states_used      (BhCascade            *cascade);
gboolean        bh_cascade_state_matters        (BhCascade            *cascade,
                                                 const GumboNode      *node,
                                                 guint                 states);
void            bh_cascade_compute              (BhCascade            *cascade,
                                                 const BhElement      *element,
                                                 const BhStyle        *parent,
                                                 BhDeclarations       *hints,
                                                 BhDeclarations       *style_attr,
                                                 BhStyle              *out);
void            bh_cascade_compute_with_vars    (BhCascade            *cascade,
                                                 const BhElement      *element,
                                                 const BhStyle        *parent,
                                                 GHashTable           *parent_vars,
                                                 BhDeclarations       *hints,
                                                 BhDeclarations       *style_attr,
                                                 BhStyle              *out,
                                                 GHashTable          **out_vars);
/* What the box tree builder knows of CSS counters (bh-box-lists.c), for content:
 * counter() and counters(), and the counter properties of ::before and ::after. */
typedef struct {
  /* appends the value of the innermost counter @name (@separator NULL), or of all of
   * them joined by @separator, in @style */
  void (*format) (gpointer data, const char *name, const char *separator, BhListStyle style, GString *out);
  /* a pseudo-element's counter-reset, counter-set and counter-increment */
  void (*apply) (gpointer data, const BhStyle *style);
  gpointer data;
} BhCounters;

/* bh_cascade_compute_pseudo()'s pseudo-elements: 1 and 2 are ::before and ::after */
#define BH_PSEUDO_MARKER 3

/* @counters (nullable) is borrowed until the next call. */
void            bh_cascade_set_counters         (BhCascade            *cascade,
                                                 const BhCounters     *counters);
char           *bh_cascade_compute_pseudo       (BhCascade            *cascade,
                                                 const BhElement      *element,
                                                 guint                 pseudo_element,
                                                 const BhStyle        *element_style,
                                                 GHashTable           *vars,
                                                 BhStyle              *out);
void            bh_cascade_set_viewport         (BhCascade            *cascade,
                                                 double                width,
                                                 double                height);
void            bh_style_init_root              (BhStyle              *style);
void            bh_style_init_anonymous         (BhStyle              *style,
                                                 const BhStyle        *parent,
                                                 BhDisplay             display);

gboolean        bh_css_parse_color              (const char           *text,
                                                 guint32              *out_argb);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhStyleSheet, bh_style_sheet_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhDeclarations, bh_declarations_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhCascade, bh_cascade_free)

/* Selector lists for finding elements (automation's css locator, bh-document-query.c):
 * the same subset the cascade matches. bh_selector_list_parse() returns NULL when a
 * selector of the comma-separated list is outside the subset. */
typedef struct _BhSelectorList BhSelectorList;
BhSelectorList *bh_selector_list_parse          (const char           *text);
gboolean        bh_selector_list_matches        (const BhSelectorList *list,
                                                 const BhElement      *el);
void            bh_selector_list_free           (BhSelectorList       *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhSelectorList, bh_selector_list_free)

G_END_DECLS
