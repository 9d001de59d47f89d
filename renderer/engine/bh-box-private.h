/* bh-box-private.h: what the box tree builder's files share (bh-box.c, the walk over
 * the DOM and the boxes it makes; bh-box-style.c, each element's computed style and
 * the cascade's sheets; bh-box-lists.c, list markers); nothing else includes it. */
#pragma once

#include "bh-document-private.h"

G_BEGIN_DECLS

#define OBJECT_REPLACEMENT "\xef\xbf\xbc"  /* U+FFFC, stands for an image in the text */

/* One open element of the walk: its selector view, style and what it opened. */
typedef struct {
  GumboNode *node;
  guint next_child;
  BhElement el;
  char *tag_name;          /* owned, unknown tags only */
  char **classes;          /* owned */
  const BhStyle *style;
  BhBox *saved_container;
  gboolean block_like;     /* its start and end break the paragraph */
  gboolean opened;         /* it made a box that is the container for its children */
  const char *href;        /* the link its content belongs to, nullable */
  int list_counter;
  gboolean list_owner;
  int table_border;        /* <table border=N> */
  int table_cellpadding;   /* <table cellpadding=N>, -1 if absent */
  float spacer_right;      /* inline elements: px of padding, border and margin on the right */
  GHashTable *vars;        /* custom properties, nullable, a reference */
  gboolean inline_block;   /* its box is an object in the enclosing paragraph */
  BhBox *saved_para;       /* inline_block: the paragraph it sits in */
} Frame;

typedef struct {
  BhDocument *doc;
  BhCascade *cascade;
  GPtrArray *frames;
  BhBox *container;
  BhBox *para_box;         /* the open paragraph, nullable */
  gboolean last_space;     /* the paragraph ends in collapsible white space (or is empty) */
  BhStyle root_style;
  BhBox *html_box;
  BhBox *body_box;
  GHashTable *style_set;   /* interned styles: equal computed styles are shared */
  GArray *counters;        /* BhCounter, innermost last (bh-box-lists.c) */
  BhCounters counter_access; /* what the cascade's content: counter() reads */
  int list_item;           /* the number of the latest list item: counter(list-item) */
  const BhElementStates *states; /* nullable: the document's states now */
} Builder;

/* bh-box-style.c */
/* a set of interned styles, for Builder.style_set */
GHashTable    *bh_box_style_set_new       (void);
/* (transfer none): the tree's shared copy of @style (pages have few distinct styles
 * and many elements), owned by the document's styles */
const BhStyle *bh_box_intern_style        (Builder *b, const BhStyle *style);
/* (transfer full): a cascade of the user-agent sheet and every author sheet that
 * applies to a viewport @width x @height CSS px, imports in cascade order */
BhCascade     *bh_box_cascade_new         (BhDocument *doc, double width, double height);
/* (transfer full) (nullable): a frame for element @node, its style computed under
 * @parent; NULL when it has display: none (no box, no content) */
Frame         *bh_box_frame_new           (Builder *b, GumboNode *node, Frame *parent);
void           bh_box_frame_free          (Frame *f);
/* elements the walk does not go into (head, script, style, template...) */
gboolean       bh_box_is_skipped_tag      (GumboTag tag);
/* an HTML integer attribute (leading white space, a sign, digits), clamped to
 * +-1000000; FALSE when @value is NULL or holds no number */
gboolean       bh_box_parse_int_attr      (const char *value, int *out);

/* bh-box-svg.c */
BhResource    *bh_box_inline_svg          (Builder *b, GumboNode *node, const BhStyle *style);

/* bh-box-lists.c */
/* (transfer full) (nullable): marker text for list item number @n */
char          *bh_box_make_marker         (BhListStyle type, int n);
/* CSS counters (CSS Lists 3 section 4; CSS 2.1 section 12.4) */
void           bh_box_counters_init       (Builder *b);
void           bh_box_counters_free       (Builder *b);
/* an element's counter-reset, counter-set, then counter-increment; its counters' scope
 * is its parent's content, the frame at @scope */
void           bh_box_counters_apply      (Builder *b, const BhStyle *style, guint scope);
/* the frame at @scope ended: its counters go */
void           bh_box_counters_pop        (Builder *b, guint scope);
/* (transfer full) (nullable): a list item's marker from its ::marker rules (a content
 * string, or the list-style-type one), its style in *@marker_style */
char          *bh_box_marker_for          (Builder *b, Frame *f, int n, const BhStyle **marker_style);

G_END_DECLS
