/* bh-dom.h: the document's tree as the DOM changes it (bh-document-dom.c)
 *
 * The DOM's nodes are gumbo's nodes: what the parser built, and what a script
 * makes or moves, in one tree that the box tree is rebuilt from. Nodes live in
 * the document's gumbo arena and its budget (a document that grows past it gets
 * %NULL/%FALSE from the calls that would allocate), and are freed with the
 * document, detached ones included: a GumboNode pointer stays valid as long as
 * its document.
 *
 * Every call that changes the tree marks the document for a restyle and a
 * relayout (the next bh_document_layout() rebuilds its boxes) and keeps the
 * title in step with <title>. Styles from a <style> or <link> a script adds are
 * not applied: the style sheets are the parser's.
 *
 * Units: document px, as in bh-document.h.
 */
#pragma once

#include <gumbo.h>

#include "bh-css.h"
#include "bh-document.h"

G_BEGIN_DECLS

/* Why a change was refused (DOM Standard exception names in the comments). */
typedef enum {
  BH_DOM_OK,
  BH_DOM_HIERARCHY,    /* HierarchyRequestError: a node into itself, its descendant, a text */
  BH_DOM_NOT_FOUND,    /* NotFoundError: the reference node is not a child of the parent */
  BH_DOM_NO_MEMORY,    /* the document's budget is spent */
} BhDomStatus;

GumboNode   *bh_dom_get_document      (BhDocument      *doc);
GumboVector *bh_dom_get_children      (GumboNode       *node);
const char  *bh_dom_get_local_name    (const GumboNode *node);

GumboNode   *bh_dom_create_element    (BhDocument      *doc,
                                       const char      *local_name);
GumboNode   *bh_dom_create_fragment   (BhDocument      *doc);
gboolean     bh_dom_is_fragment       (const GumboNode *node);
GumboNode   *bh_dom_create_character_data (BhDocument  *doc,
                                       GumboNodeType    type,
                                       const char      *data);

BhDomStatus  bh_dom_insert_before     (BhDocument      *doc,
                                       GumboNode       *parent,
                                       GumboNode       *child,
                                       GumboNode       *reference);
void         bh_dom_remove            (BhDocument      *doc,
                                       GumboNode       *node);

const char  *bh_dom_get_attribute     (const GumboNode *node,
                                       const char      *name);
gboolean     bh_dom_set_attribute     (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char      *name,
                                       const char      *value);
void         bh_dom_remove_attribute  (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char      *name);

gboolean     bh_dom_set_data          (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char      *data);
char        *bh_dom_get_text_content  (const GumboNode *node);
gboolean     bh_dom_set_text_content  (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char      *text);
char        *bh_dom_serialize         (const GumboNode *node,
                                       gboolean         outer);
BhDomStatus  bh_dom_set_inner_html    (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char      *html);

gboolean     bh_dom_matches           (const GumboNode      *element,
                                       const BhSelectorList *selectors);
GPtrArray   *bh_dom_query_selector_all (GumboNode           *root,
                                       const BhSelectorList *selectors,
                                       guint                 max_results);
GumboNode   *bh_dom_get_element_by_id (BhDocument      *doc,
                                       const char      *id);

char        *bh_dom_resolve_url       (BhDocument      *doc,
                                       const char      *ref);
char        *bh_dom_resolve_url_against (const char    *base,
                                         const char    *ref);

GumboNode   *bh_dom_node_at           (BhDocument      *doc,
                                       double           x_px,
                                       double           doc_y_px);
gboolean     bh_dom_get_rect          (BhDocument      *doc,
                                       const GumboNode *node,
                                       double           rect[4]);
char        *bh_dom_get_computed_value (BhDocument     *doc,
                                        const GumboNode *node,
                                        const char     *property);

/* Form fields' live state (bh-forms.c): what the user typed and checked. */
GumboNode   *bh_dom_get_focused_control (BhDocument    *doc);
gboolean     bh_dom_focus_control     (BhDocument      *doc,
                                       GumboNode       *node);
gboolean     bh_dom_get_control_state (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char     **value,
                                       gboolean        *checked);
void         bh_dom_set_control_value (BhDocument      *doc,
                                       GumboNode       *node,
                                       const char      *value);
void         bh_dom_set_control_checked (BhDocument    *doc,
                                         GumboNode     *node,
                                         gboolean       checked);
void         bh_dom_submit_form       (BhDocument      *doc,
                                       GumboNode       *form);

G_END_DECLS
