/* renderer/engine/: the renderer's document engine.
 *
 * Owns: HTML decoding and parsing (bh-document.c, gumbo), the CSS subset
 * (bh-css.c), the box tree (bh-box.c), layout, paint and hit testing
 * (bh-layout.c), and the document's URLs and resources (bh-document-urls.c).
 * bh-document.h is the engine's whole API; bh-document-private.h is what its
 * files share.
 *
 * May use: nothing else of Bulkhead: no IPC, no channel, no file or network
 * I/O, so tests and tools drive it directly (tests/test-document.c,
 * tests/render-page.c). renderer/main.c, the conversation with the browser,
 * uses it. Inside, calls go one way: document -> box tree -> layout, all of
 * them -> URLs/resources and CSS. tools/check-includes keeps the rule.
 */
/* bh-document.h: the renderer's document engine: bytes of a page in, pixels out
 *
 * A BhDocument parses HTML with gumbo (or shows text/plain as preformatted text),
 * computes styles from a user-agent sheet plus the page's CSS subset, lays the boxes
 * out with Pango and paints them with cairo. It does no I/O: subresources (images and
 * style sheets) are listed for the caller, who fetches them through the browser and
 * hands the bytes back with bh_document_set_resource().
 *
 * Units: every x, y, width and height of this API is in CSS pixels ("document px"),
 * y growing downward from the top of the document, not of the viewport. The caller
 * maps them to the screen: it lays out for viewport_width_device / scale and paints
 * through a cairo_t scaled by `scale`; the engine uses `scale` only to snap thin
 * lines to whole device pixels.
 *
 * Not thread-safe: use one document from one thread (Pango's font map is per thread).
 */
#pragma once

#include <glib.h>
#include <gumbo.h>
#include <cairo.h>

G_BEGIN_DECLS

typedef struct _BhDocument BhDocument;

void        bh_document_warm_up            (void);

BhDocument *bh_document_new                (const char  *url,
                                            const char  *content_type,
                                            const char  *charset,
                                            GBytes      *body);
BhDocument *bh_document_new_continued      (BhDocument  *previous,
                                            const char  *url,
                                            const char  *content_type,
                                            const char  *charset,
                                            GBytes      *body);
void        bh_document_free               (BhDocument  *doc);

const char *bh_document_get_title          (BhDocument  *doc);
/* The first <link rel=icon href>, resolved, when it is http(s); NULL for none. */
const char *bh_document_get_favicon_url    (BhDocument  *doc);
/* Decodes a favicon (PNG, JPEG, GIF or ICO, sniffed) and scales it to fit
 * @side_px x @side_px: BGRA premultiplied, *@out_width * 4 bytes a row.
 * Returns NULL when it is no image or too large to decode. */
GBytes     *bh_document_decode_favicon     (GBytes      *data,
                                            guint        side_px,
                                            guint       *out_width,
                                            guint       *out_height);
const char *bh_document_get_url            (BhDocument  *doc);

guint       bh_document_get_n_resources    (BhDocument  *doc);
/**
 * bh_document_has_pending_stylesheets:
 * @doc: a document
 *
 * Whether a <link rel=stylesheet> is still waiting for bh_document_set_resource().
 * Browsers hold the first paint until then (render-blocking style sheets,
 * HTML's "script-blocking" and "render-blocking" rules), so that a page is not
 * laid out twice, once unstyled.
 *
 * Returns: %TRUE while a style sheet is pending.
 */
gboolean bh_document_has_pending_stylesheets (BhDocument *doc);

const char *bh_document_get_resource_url   (BhDocument  *doc,
                                            guint        index);
gboolean    bh_document_resource_is_pending (BhDocument *doc,
                                            guint        index);
gboolean    bh_document_set_resource       (BhDocument  *doc,
                                            const char  *url,
                                            const char  *content_type,
                                            GBytes      *data);

void        bh_document_layout             (BhDocument  *doc,
                                            int          viewport_width_px,
                                            double       scale);
int         bh_document_get_height_px      (BhDocument  *doc);
/* How wide a document may scroll: wider content is cut off there. */
#define BH_MAX_DOCUMENT_WIDTH_PX 100000
int         bh_document_get_width_px       (BhDocument  *doc);
void        bh_document_get_background     (BhDocument  *doc,
                                            double       rgba[4]);
void        bh_document_paint              (BhDocument  *doc,
                                            cairo_t     *cr,
                                            int          scroll_y_px,
                                            int          viewport_width_px,
                                            int          viewport_height_px);
/**
 * bh_document_set_print_backgrounds:
 * @print_backgrounds: %FALSE paints the canvas white and no box's background colour
 *   or gradient, as Chromium prints without "Background graphics"
 *   (printBackground: false); %TRUE (the default) paints them as on screen
 */
void        bh_document_set_print_backgrounds (BhDocument *doc,
                                            gboolean     print_backgrounds);
const char *bh_document_link_at            (BhDocument  *doc,
                                            double       x_px,
                                            double       doc_y_px);

guint       bh_document_get_n_plugin_boxes (BhDocument  *doc);
void        bh_document_get_plugin_box     (BhDocument  *doc,
                                            guint        index,
                                            const char **url,
                                            const char **mime_type,
                                            int         *x,
                                            int         *y,
                                            int         *width,
                                            int         *height);

/* Fragments, the selection and find in page (bh-selection.c). Places are in
 * document px, like everything here; text is UTF-8. */
typedef enum {
  BH_SELECT_CARET,     /* a single click: an empty selection there */
  BH_SELECT_WORD,      /* a double click */
  BH_SELECT_PARAGRAPH, /* a triple click */
} BhSelectUnit;

gboolean    bh_document_get_fragment_y     (BhDocument  *doc,
                                            const char  *fragment,
                                            int         *y_px);
void        bh_document_select_at          (BhDocument  *doc,
                                            double       x_px,
                                            double       y_px,
                                            BhSelectUnit unit,
                                            gboolean     extend);
void        bh_document_select_all         (BhDocument  *doc);
void        bh_document_clear_selection    (BhDocument  *doc);
gboolean    bh_document_has_selection      (BhDocument  *doc);
char       *bh_document_get_selected_text  (BhDocument  *doc,
                                            gsize        max_bytes);
guint       bh_document_find               (BhDocument  *doc,
                                            const char  *query,
                                            guint        max_matches);
gboolean    bh_document_is_finding         (BhDocument  *doc);
guint       bh_document_get_find_match_count (BhDocument *doc);
guint       bh_document_find_step          (BhDocument  *doc,
                                            gboolean     forward,
                                            int          from_y_px);
gboolean    bh_document_get_find_active_rect (BhDocument *doc,
                                            int         *y_px,
                                            int         *height_px);
void        bh_document_stop_finding       (BhDocument  *doc);
/* Finding and reading elements, for automation (bh-document-query.c). Elements are
 * numbered from 1 in document order; a number names one element for the document's
 * life. Rectangles are in document px. */
typedef struct {
  guint node;
  double x, y, width, height;
} BhNodeRect;

/**
 * bh_document_locate_nodes:
 * @selectors: a CSS selector list, in the subset the cascade understands (bh-css.h)
 * @max_nodes: at most this many
 *
 * Returns: (transfer full) (nullable): the matching elements in document order, as a
 *   GArray of #BhNodeRect (an element with no box has an empty rectangle); %NULL when
 *   a selector is outside the subset.
 */
GArray     *bh_document_locate_nodes       (BhDocument  *doc,
                                            const char  *selectors,
                                            guint        max_nodes);
/**
 * bh_document_locate_nodes_by_xpath:
 * @expression: XPath 1.0 in the subset bh-document-xpath.c describes
 *
 * Returns: (transfer full) (nullable): as bh_document_locate_nodes(), the elements
 *   the expression selects in document order; %NULL when it is outside the subset.
 */
GArray     *bh_document_locate_nodes_by_xpath (BhDocument *doc,
                                            const char  *expression,
                                            guint        max_nodes);
/**
 * bh_document_locate_nodes_by_text:
 * @text: what to find in the elements' rendered text (innerText, white space
 *   collapsed; the head, scripts and styles are not rendered)
 * @partial: the text contains @text, rather than is it
 * @max_depth: how many levels below the document element the search goes, 0 for
 *   no limit
 *
 * WebDriver BiDi's "locate nodes using inner text": the deepest elements whose text
 * matches (an element is returned when none of its children matches), in
 * document order.
 *
 * Returns: (transfer full): as bh_document_locate_nodes()
 */
GArray     *bh_document_locate_nodes_by_text (BhDocument *doc,
                                            const char  *text,
                                            gboolean     ignore_case,
                                            gboolean     partial,
                                            guint        max_depth,
                                            guint        max_nodes);
/* FALSE when there is no element @node. */
gboolean    bh_document_get_node_rect      (BhDocument  *doc,
                                            guint        node,
                                            BhNodeRect  *out);
/**
 * bh_document_query_node:
 * @what: "text" (its text, white space collapsed: innerText for the common case),
 *   "tag" (its lower-case name), "rect" ("X Y WIDTH HEIGHT" in document px, C locale), "attribute:NAME", "property:NAME" (value, id, name,
 *   type, title, className, href and src resolved, tagName, innerText, textContent; an
 *   <input>'s value is what was typed into it), or "clear" (an <input>'s value emptied,
 *   answering "": WebDriver's Element Clear), or "descendants" (how many elements it
 *   holds: they are the numbers right after its own, in document order)
 *
 * Returns: (transfer full) (nullable): the value; %NULL when there is no element
 *   @node, no such attribute, or a property the engine does not have.
 */
char       *bh_document_query_node         (BhDocument  *doc,
                                            guint        node,
                                            const char  *what);
/* Hit tests for the context menu and tooltips (bh-document-query.c), document px. */
char       *bh_document_image_at           (BhDocument  *doc,
                                            double       x_px,
                                            double       y_px);
const char *bh_document_title_at           (BhDocument  *doc,
                                            double       x_px,
                                            double       y_px);

/* Forms (bh-forms.c): controls are clicked and typed into here; a submission is
 * built as the HTML standard says and taken by the caller, who asks the browser
 * to navigate. */
typedef struct {
  char *url;           /* the action URL, absolute; for GET with the query */
  char *method;        /* "GET" or "POST" */
  char *content_type;  /* POST: application/x-www-form-urlencoded, or multipart/form-data; boundary=... */
  GBytes *body;        /* POST: the entity body; empty for GET */
  GumboNode *form;     /* (nullable): the <form> submitted (its submit event), not owned */
} BhFormSubmission;

/* A <select>'s drop-down, for the browser to show (ShowPopupMenu): the
 * options' labels and whether each may be chosen, the one selected, and the
 * control's box in document px, which the list opens below. */
typedef struct {
  guint id;            /* echoed with the choice; a later drop-down makes it stale */
  double x, y, width, height;
  int selected;        /* index into labels, -1 for none */
  GPtrArray *labels;   /* char*, UTF-8 */
  GArray *enabled;     /* gboolean, one per label */
} BhFormPopup;

void        bh_form_submission_free        (BhFormSubmission *submission);
void        bh_form_popup_free             (BhFormPopup *popup);
gboolean    bh_document_form_click         (BhDocument  *doc,
                                            double       x_px,
                                            double       y_px);
gboolean    bh_document_form_key           (BhDocument  *doc,
                                            guint        keyval,
                                            guint        modifiers);
gboolean    bh_document_has_focused_control (BhDocument *doc);
BhFormSubmission *bh_document_take_form_submission (BhDocument *doc);
BhFormPopup *bh_document_take_form_popup   (BhDocument  *doc);
gboolean    bh_document_form_popup_chosen  (BhDocument  *doc,
                                            guint        popup_id,
                                            int          index);
gboolean    bh_document_editable_at        (BhDocument  *doc,
                                            double       x_px,
                                            double       y_px);

/* Scroll containers (bh-layout-scroll.c). */
gboolean    bh_document_scroll_box_at    (BhDocument *doc,
                                          double      x_px,
                                          double      doc_y_px,
                                          double      dx_px,
                                          double      dy_px,
                                          double      damage[4]);
gboolean    bh_document_has_viewport_boxes (BhDocument *doc);

/* Live :hover and :focus (bh-document-states.c). */
void        bh_document_set_hover_point  (BhDocument *doc,
                                          double      x_px,
                                          double      doc_y_px);
gboolean    bh_document_restyle_states   (BhDocument *doc,
                                          double      damage[4]);
void        bh_document_set_target_url   (BhDocument *doc,
                                          const char *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhFormSubmission, bh_form_submission_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhFormPopup, bh_form_popup_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhDocument, bh_document_free)

G_END_DECLS
