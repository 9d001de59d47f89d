/* bh-interaction.h: the renderer's side of using a page (issue 13): the
 * selection a mouse and keys make, Copy, find in page, fragments and the
 * scroll position a history step restores.
 *
 * One BhInteraction per view. renderer/main.c owns the view (its document,
 * scroll position and frames) and hands each input and message here; this
 * file decides what it means, talks to the browser about it
 * (SelectionChanged, ClipboardWrite, FindReply), and says what the view must
 * do: paint again, or scroll. Forms' drop-downs (ShowPopupMenu,
 * PopupMenuClosed), the context menu's question (ShowContextMenu,
 * ExecuteEditCommand) and title= tooltips (TooltipChanged) are here too.
 * The document engine keeps the state (bh-document.h); this file keeps only
 * what belongs to gestures.
 */
#pragma once

#include "bh-channel.h"
#include "bh-document.h"

G_BEGIN_DECLS

typedef struct _BhInteraction BhInteraction;

/* What the view must do after a call. */
typedef struct {
  gboolean repaint;   /* the highlights changed */
  gboolean scroll;    /* scroll to scroll_y */
  int scroll_y;       /* document px */
} BhInteractionResult;

BhInteraction *bh_interaction_new             (BhChannel     *channel,
                                               guint32        view_id);

/* Asked before a press or key submits @form (nullable): %FALSE keeps the form
 * from being sent (a submit event's preventDefault()). */
typedef gboolean (*BhSubmitFilter) (gpointer data, GumboNode *form);
void           bh_interaction_set_submit_filter (BhInteraction *ia,
                                                 BhSubmitFilter filter,
                                                 gpointer       data);
/* Sends the document's pending form submission (form.submit()), unfiltered. */
void           bh_interaction_send_submission (BhInteraction *ia,
                                               BhDocument    *doc);
void           bh_interaction_free            (BhInteraction *ia);
void           bh_interaction_set_viewport    (BhInteraction *ia,
                                               double         scroll_x_px,
                                               double         scroll_y_px,
                                               double         scale);

void           bh_interaction_did_commit      (BhInteraction *ia,
                                               guint64        navigation_id,
                                               const char    *url);
void           bh_interaction_restore_scroll  (BhInteraction *ia,
                                               guint64        navigation_id,
                                               int            y_px);
gboolean       bh_interaction_scroll_wanted   (BhInteraction *ia,
                                               BhDocument    *doc,
                                               int           *y_px);
void           bh_interaction_load_finished   (BhInteraction *ia);
void           bh_interaction_user_scrolled   (BhInteraction *ia);
void           bh_interaction_same_document   (BhInteraction *ia,
                                               BhDocument    *doc,
                                               const char    *url,
                                               int            y_px,
                                               BhInteractionResult *result);

gboolean       bh_interaction_mouse           (BhInteraction *ia,
                                               BhDocument    *doc,
                                               guint          kind,
                                               double         x_px,
                                               double         doc_y_px,
                                               guint          button,
                                               guint          modifiers,
                                               BhInteractionResult *result);
gboolean       bh_interaction_key             (BhInteraction *ia,
                                               BhDocument    *doc,
                                               guint          keyval,
                                               guint          modifiers,
                                               BhInteractionResult *result);

void           bh_interaction_find            (BhInteraction *ia,
                                               BhDocument    *doc,
                                               guint32        request_id,
                                               const char    *query,
                                               gboolean       forward,
                                               gboolean       find_next,
                                               int            scroll_y_px,
                                               int            viewport_height_px,
                                               BhInteractionResult *result);
void           bh_interaction_stop_finding    (BhInteraction *ia,
                                               BhDocument    *doc,
                                               BhInteractionResult *result);
void           bh_interaction_popup_closed    (BhInteraction *ia,
                                               BhDocument    *doc,
                                               guint32        popup_id,
                                               int            index,
                                               BhInteractionResult *result);
void           bh_interaction_insert_text     (BhInteraction *ia,
                                               BhDocument    *doc,
                                               const char    *text,
                                               BhInteractionResult *result);
void           bh_interaction_edit_command    (BhInteraction *ia,
                                               BhDocument    *doc,
                                               const char    *command,
                                               BhInteractionResult *result);

G_END_DECLS
