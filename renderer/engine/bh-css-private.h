/* bh-css-private.h: what the CSS engine's files share (bh-css.c, bh-css-syntax.c,
 * bh-css-values.c, bh-css-selector.c); nothing outside them includes it. */
#pragma once

#include "bh-css.h"

G_BEGIN_DECLS

/* Bounds that keep hostile values from reaching Pango or the layout arithmetic. */
#define BH_MAX_FONT_PX    512.0f
#define BH_MIN_FONT_PX    1.0f
#define BH_MAX_LENGTH_PX  100000.0f
#define BH_MAX_CSS_NESTING 8
/* A descendant combinator looks this many ancestors up at most: on pathologically deep
 * documents an unbounded walk per element per rule is quadratic. */
#define BH_MAX_ANCESTOR_WALK 256

typedef enum {
  PROP_COLOR,
  PROP_BACKGROUND_COLOR,
  PROP_FONT_SIZE,
  PROP_FONT_WEIGHT,
  PROP_FONT_STYLE,
  PROP_FONT_FAMILY,
  PROP_LINE_HEIGHT,
  PROP_TEXT_ALIGN,
  PROP_WHITE_SPACE,
  PROP_DISPLAY,
  PROP_TEXT_DECORATION,
  PROP_VERTICAL_ALIGN,
  PROP_LIST_STYLE_TYPE,
  PROP_BORDER_COLLAPSE,
  PROP_BORDER_SPACING,
  PROP_MARGIN_TOP, PROP_MARGIN_RIGHT, PROP_MARGIN_BOTTOM, PROP_MARGIN_LEFT,
  PROP_PADDING_TOP, PROP_PADDING_RIGHT, PROP_PADDING_BOTTOM, PROP_PADDING_LEFT,
  PROP_BORDER_TOP_WIDTH, PROP_BORDER_RIGHT_WIDTH, PROP_BORDER_BOTTOM_WIDTH, PROP_BORDER_LEFT_WIDTH,
  PROP_BORDER_TOP_STYLE, PROP_BORDER_RIGHT_STYLE, PROP_BORDER_BOTTOM_STYLE, PROP_BORDER_LEFT_STYLE,
  PROP_BORDER_TOP_COLOR, PROP_BORDER_RIGHT_COLOR, PROP_BORDER_BOTTOM_COLOR, PROP_BORDER_LEFT_COLOR,
  PROP_WIDTH,
  PROP_MAX_WIDTH,
  PROP_HEIGHT,
  PROP_BOX_SIZING,
} BhProp;

typedef enum {
  DECL_KEYWORD,        /* ival holds the property's enum value */
  DECL_LENGTH,         /* number + unit */
  DECL_COLOR,          /* ival holds 0xAARRGGBB */
  DECL_CURRENT_COLOR,
  DECL_INHERIT,
  DECL_INITIAL,
} BhDeclKind;

typedef struct {
  guint8 prop;
  guint8 kind;
  guint8 unit;
  guint8 important;
  float number;
  guint32 ival;
} BhDecl;

struct _BhDeclarations {
  GArray *decls;  /* BhDecl */
};

enum { COMB_NONE, COMB_DESCENDANT, COMB_CHILD };

typedef struct {
  GumboTag tag;        /* GUMBO_TAG_LAST: any element */
  char *tag_name;      /* for tags gumbo does not know */
  char *id;
  char **classes;      /* NULL-terminated or NULL */
  guint8 need_link;
  guint8 never;        /* a pseudo-class or attribute test this engine never satisfies */
  guint8 combinator;   /* relation to the compound on its left */
} BhCompound;

typedef struct {
  BhCompound *parts;
  guint n_parts;
  guint32 specificity;
} BhSelector;

typedef struct {
  BhSelector *selector;
  BhDeclarations *decls;  /* owned by the sheet */
} BhRule;

struct _BhStyleSheet {
  GPtrArray *rules;        /* BhRule* */
  GPtrArray *decl_blocks;  /* BhDeclarations* */
};

/* font-weight: bolder and lighter, resolved against the parent in the cascade */
#define FONT_WEIGHT_BOLDER  1000
#define FONT_WEIGHT_LIGHTER 1001

/* bh-css-syntax.c: scanning. Each takes the text as [p, end) and returns the position
 * after what it skipped or read. */
gboolean      bh_css_is_space                (char c);
gboolean      bh_css_is_ident_char           (char c);
/* @p at a quote: after the string (or at an unescaped newline, or @end) */
const char   *bh_css_skip_string             (const char *p, const char *end);
/* @p at the opening slash-star: after the comment, or @end */
const char   *bh_css_skip_comment            (const char *p, const char *end);
const char   *bh_css_skip_space_and_comments (const char *p, const char *end);
/* @p just after a "{": the matching "}", or @end */
const char   *bh_css_find_block_end          (const char *p, const char *end);
/* (transfer full): [start, end) without surrounding white space */
char         *bh_css_strip_dup               (const char *start, const char *end);
/* (transfer full): @value split on white space outside parentheses and quotes */
GPtrArray    *bh_css_split_value             (const char *value);
gboolean      bh_css_starts_escape           (const char *p, const char *end);
const char   *bh_css_consume_escape          (const char *p, const char *end, GString *s);
/* (transfer full) (nullable): the identifier at *@pp, moving *@pp past it */
char         *bh_css_read_ident              (const char **pp, const char *end);

/* bh-css-selector.c */
/* (transfer full) (nullable): the selector in [p, end), NULL when not understood */
BhSelector   *bh_css_parse_selector          (const char *p, const char *end);
void          bh_css_selector_free           (BhSelector *sel);
gboolean      bh_css_selector_matches        (const BhSelector *sel, const BhElement *el);

G_END_DECLS
