/* bh-css-private.h: what the CSS engine's files share (bh-css.c, bh-css-syntax.c,
 * bh-css-values.c, bh-css-declarations.c, bh-css-selector.c, bh-css-media.c); nothing
 * outside them includes it. */
#pragma once

#include "bh-css.h"

G_BEGIN_DECLS

/* Bounds that keep hostile values from reaching Pango or the layout arithmetic. */
#define BH_MAX_FONT_PX    512.0f
#define BH_MIN_FONT_PX    1.0f
#define BH_MAX_LENGTH_PX  100000.0f
#define BH_MAX_CSS_NESTING 8
/* @import rules read per style sheet */
#define BH_MAX_IMPORTS 32
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
  PROP_FLOAT,
  PROP_CLEAR,
  PROP_POSITION,
  PROP_OVERFLOW,
  PROP_FLEX_DIRECTION,
  PROP_FLEX_WRAP,
  PROP_JUSTIFY_CONTENT,
  PROP_ALIGN_ITEMS,
  PROP_ALIGN_SELF,
  PROP_Z_INDEX,
  PROP_ORDER,
  PROP_FLEX_GROW,
  PROP_FLEX_SHRINK,
  PROP_FLEX_BASIS,
  PROP_ROW_GAP,
  PROP_COLUMN_GAP,
  PROP_TOP, PROP_RIGHT, PROP_BOTTOM, PROP_LEFT,
  PROP_MIN_WIDTH,
  PROP_MIN_HEIGHT,
  PROP_MAX_HEIGHT,
  PROP_BORDER_RADIUS,
  PROP_SHADOW_COLOR,
  PROP_SHADOW_X, PROP_SHADOW_Y, PROP_SHADOW_BLUR, PROP_SHADOW_SPREAD,
  PROP_GRADIENT_FROM,
  PROP_GRADIENT_TO,
  PROP_GRADIENT_ANGLE,
  PROP_GRADIENT_RADIAL,
  PROP_OVERFLOW_WRAP,
  PROP_VISIBILITY,
  PROP_OPACITY,
  PROP_TEXT_TRANSFORM,
  PROP_LETTER_SPACING,
  PROP_TEXT_OVERFLOW,
  PROP_BACKGROUND_IMAGE,   /* DECL_RAW: the url() of the first layer; DECL_KEYWORD: none */
  PROP_BACKGROUND_REPEAT,
  PROP_BACKGROUND_POSITION_X, PROP_BACKGROUND_POSITION_Y,
  PROP_BACKGROUND_SIZE_KIND,
  PROP_BACKGROUND_SIZE_W, PROP_BACKGROUND_SIZE_H,
  PROP_COUNTER_RESET,      /* DECL_RAW, or DECL_KEYWORD for none */
  PROP_COUNTER_SET,
  PROP_COUNTER_INCREMENT,
  PROP_GRID_TEMPLATE_COLUMNS, /* DECL_RAW, or DECL_KEYWORD for none */
  PROP_GRID_COLUMN_START, PROP_GRID_COLUMN_END, PROP_GRID_COLUMN_SPAN,
  PROP_CONTENT,        /* DECL_RAW: the value, evaluated for ::before and ::after */
  PROP_CUSTOM,         /* a custom property (--name), DECL_RAW */
  PROP_WITH_VAR,       /* a declaration whose value uses var(), DECL_RAW */
} BhProp;

typedef enum {
  DECL_KEYWORD,        /* ival holds the property's enum value */
  DECL_LENGTH,         /* number + unit */
  DECL_COLOR,          /* ival holds 0xAARRGGBB */
  DECL_CURRENT_COLOR,
  DECL_INHERIT,
  DECL_INITIAL,
  DECL_RAW,            /* ival indexes the block's raw (name, value) strings */
} BhDeclKind;

typedef struct {
  guint8 prop;
  guint8 kind;
  guint8 unit;
  guint8 important;
  float number;
  guint32 ival;
  float pct;           /* calc() with unit BH_UNIT_CALC: number px plus pct percent */
} BhDecl;

struct _BhDeclarations {
  GArray *decls;   /* BhDecl */
  GPtrArray *raw;  /* nullable: names and values of DECL_RAW declarations, in pairs */
};

/* bh-css-declarations.c: parses one declaration ("width", "50%") into @decls; a value
 * this engine cannot read is dropped. */
void          bh_css_add_declaration         (BhDeclarations *decls, const char *name,
                                              const char *value, gboolean important);
/* bh-css-properties.c: the properties of that file. bh_css_add_property() returns
 * FALSE when @name is none of them; bh_css_property_group() gives the BhDecl entries
 * inherit and initial set for @name. */
gboolean      bh_css_add_property            (BhDeclarations *decls, const char *name,
                                              const char *value, gboolean important);
gboolean      bh_css_property_group          (const char *name, BhProp *first, int *n);
void          bh_css_add_background_layer    (BhDeclarations *decls, const char *value, gboolean important);
/* (transfer full) (nullable): a grid-template-columns value as the layout reads it:
 * tracks separated by spaces, each "Npx", "N%", "Nfr", "auto", "min", "max" or
 * "minmax(A,B)" of those, repeat(N, ...) expanded and repeat(auto-fill/auto-fit, T)
 * as "fill(T)"; lengths in px at font size @em_px and @vw/@vh px per vw/vh; NULL
 * when not understood */
char         *bh_css_grid_tracks             (const char *value, double em_px, double vw, double vh);
/* bh-css-values.c: a CSS number at the start of @s ("12.5px" -> 12.5); @rest is set to
 * what follows it (the unit, "" if none). FALSE if @s does not start with a finite
 * number. */
gboolean      bh_css_parse_number            (const char *s, double *out, const char **rest);
/* bh-css-values.c: a whole length value ("12px", "50%", "calc(100% - 2em)", "0", "auto"
 * when @allow_auto) into @out, clamped to BH_MAX_LENGTH_PX. A negative value is
 * invalid unless @allow_negative (calc() results are clamped to 0 instead, CSS Values 4
 * section 10.12). FALSE on an unknown unit or a unitless non-zero number. */
gboolean      bh_css_parse_length            (const char *s, gboolean allow_auto,
                                              gboolean allow_negative, BhLength *out);
/* (transfer full) (nullable): @value with every var() replaced from @vars (name ->
 * value), NULL when a var() has neither a value nor a fallback (the declaration is
 * then invalid at computed-value time, CSS Variables 1 section 3). @vars nullable. */
char         *bh_css_substitute_vars         (const char *value, GHashTable *vars);

enum { COMB_NONE, COMB_DESCENDANT, COMB_CHILD, COMB_ADJACENT, COMB_SIBLING };

/* Attribute selectors (Selectors 4 section 6): [a], [a=v], [a~=v], [a|=v], [a^=v],
 * [a$=v], [a*=v], with the i flag. */
enum { ATTR_EXISTS, ATTR_EQUALS, ATTR_INCLUDES, ATTR_DASH, ATTR_PREFIX, ATTR_SUFFIX, ATTR_SUBSTRING };

typedef struct {
  char *name;          /* lower case */
  char *value;         /* nullable for ATTR_EXISTS */
  guint8 op;
  guint8 icase;
} BhAttrTest;

/* Structural and logical pseudo-classes. */
enum {
  PSEUDO_NTH_CHILD, PSEUDO_NTH_LAST_CHILD, PSEUDO_NTH_OF_TYPE, PSEUDO_NTH_LAST_OF_TYPE,
  PSEUDO_EMPTY, PSEUDO_NOT, PSEUDO_IS,
  PSEUDO_HOVER, PSEUDO_FOCUS, PSEUDO_FOCUS_WITHIN,   /* the user's states, BhElementStates */
  PSEUDO_TARGET,
};

typedef struct _BhSelector BhSelector;

typedef struct {
  guint8 kind;
  int a, b;            /* nth: An+B */
  GPtrArray *list;     /* NOT and IS: BhSelector* */
} BhPseudo;

/* ::before and ::after (also :before, :after) */
enum { PSEUDO_ELEMENT_NONE, PSEUDO_ELEMENT_BEFORE, PSEUDO_ELEMENT_AFTER, PSEUDO_ELEMENT_MARKER };
G_STATIC_ASSERT (PSEUDO_ELEMENT_MARKER == BH_PSEUDO_MARKER);

typedef struct {
  GumboTag tag;        /* GUMBO_TAG_LAST: any element */
  char *tag_name;      /* for tags gumbo does not know */
  char *id;
  char **classes;      /* NULL-terminated or NULL */
  guint8 need_link;
  guint8 never;        /* a pseudo-class this engine never satisfies (:hover, :visited...) */
  guint8 combinator;   /* relation to the compound on its left */
  guint8 pseudo_element;
  guint8 states;       /* BH_STATE_* this compound (or a selector list in it) tests */
  BhAttrTest *attrs;
  guint n_attrs;
  BhPseudo *pseudos;
  guint n_pseudos;
} BhCompound;

struct _BhSelector {
  BhCompound *parts;
  guint n_parts;
  guint32 specificity;
};

/* The condition of an @media block, nested in its parent's. */
typedef struct _BhMedia BhMedia;
struct _BhMedia {
  char *query;             /* the media query list */
  const BhMedia *parent;   /* nullable: the enclosing @media */
};

typedef struct {
  BhSelector *selector;
  BhDeclarations *decls;  /* owned by the sheet */
  const BhMedia *media;   /* nullable: the @media the rule is in, owned by the sheet */
} BhRule;

typedef struct {
  char *url;               /* as written, relative to the sheet */
  char *media;             /* the media list after it, "" for none */
} BhImport;

struct _BhStyleSheet {
  GPtrArray *rules;        /* BhRule* */
  GPtrArray *decl_blocks;  /* BhDeclarations* */
  GPtrArray *media;        /* BhMedia*, in order */
  GArray *imports;         /* BhImport */
  gboolean viewport_units; /* some value uses vw or vh */
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
/* whether @sel matches @el, or its ::before/::after when @pseudo_element is one */
gboolean      bh_css_selector_matches        (const BhSelector *sel, const BhElement *el,
                                              guint8 pseudo_element);
guint         bh_css_selector_states         (const BhSelector *sel);
gboolean      bh_css_compound_matches_in_state (const BhCompound *c, const GumboNode *node);

/* bh-css-computed.c: applying declarations to a computed style */
typedef struct {
  BhStyle *style;
  const BhStyle *parent;
  gboolean current_color[4];  /* border colours still following `color` */
  GHashTable *vars;           /* nullable: the element's custom properties */
  double vw, vh;              /* px per vw and vh */
  gboolean font_size_pass;
  char *content;              /* the `content` declared last, owned; nullable */
  const char *base;           /* nullable: what url() values of the block resolve against */
  GStringChunk *strings;      /* the cascade's: holds computed url() values */
} ApplyState;

/* non-inherited properties back to their initial values (CSS 2.1 property index) */
void          bh_css_reset_non_inherited     (BhStyle *style);
/* whether @prop's vw and vh lengths stay so in the computed style (layout resolves
 * them), so a resize need not restyle */
gboolean      bh_css_keeps_viewport_units    (guint8 prop);
/* font-size first: em lengths of the other properties resolve against it */
void          bh_css_apply_font_size         (ApplyState *st, const BhDecl *d);
/* sets @d's property in st->style; font-size is left to bh_css_apply_font_size() */
void          bh_css_apply_decl              (ApplyState *st, const BhDecl *d);

G_END_DECLS
