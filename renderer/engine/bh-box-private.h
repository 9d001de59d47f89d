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
/* an HTML integer attribute (leading white space, a sign, digits), clamped to
 * +-1000000; FALSE when @value is NULL or holds no number */
gboolean       bh_box_parse_int_attr      (const char *value, int *out);

/* bh-box-lists.c */
/* (transfer full) (nullable): marker text for list item number @n */
char          *bh_box_make_marker         (BhListStyle type, int n);

G_END_DECLS
