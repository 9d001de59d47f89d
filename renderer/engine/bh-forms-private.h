/* bh-forms-private.h: what bh-forms.c (a control's state, input and the
 * form's submission) and bh-forms-paint.c (drawing a control) share. */
#pragma once

#include "bh-layout-private.h"

G_BEGIN_DECLS

/* A field holds at most this much text: a page's maxlength may say less. */
#define BH_FORMS_MAX_VALUE_BYTES (64 * 1024)

/* A <select> lists at most this many options; the rest are not offered (the
 * browser's popup refuses more, BH_MAX_POPUP_ITEMS). */
#define BH_FORMS_MAX_OPTIONS 1000

typedef enum {
  CONTROL_TEXT,     /* text, search, email, url, number, tel and unknown types */
  CONTROL_PASSWORD,
  CONTROL_CHECKBOX,
  CONTROL_RADIO,
  CONTROL_HIDDEN,
  CONTROL_SUBMIT,   /* <input type=submit|image>, <button> (type submit, the default) */
  CONTROL_RESET,
  CONTROL_BUTTON,
  CONTROL_TEXTAREA, /* multi-line: its value keeps newlines */
  CONTROL_SELECT,   /* a drop-down: the browser shows its options (ShowPopupMenu) */
} ControlKind;

struct _BhFormControl {
  GumboNode *node;
  ControlKind kind;
  GString *value;        /* text fields; a <select>'s is its selected option's */
  char *default_value;
  char *label;           /* <button>: its text content; NULL for the rest */
  guint caret;           /* byte offset into value */
  guint anchor;          /* the selection's other end, byte offset; == caret: none */
  gboolean checked;
  gboolean default_checked;
  int maxlength;         /* characters, -1 for none */
  GPtrArray *options;    /* <select>: its <option> elements (GumboNode*), tree order */
  GPtrArray *option_labels; /* <select>: what each shows (char*, owned): label=, else its text */
  int selected;          /* <select>: index into options, -1 for none */
  int default_selected;
  double scroll_y;       /* <textarea>: how far its text is scrolled up, px */
  BhObject *object;      /* its object in the current box tree; NULL without one */
};

/* bh-forms.c */
gboolean     bh_form_control_is_disabled (const BhFormControl *control);
gboolean     bh_form_option_disabled  (GumboNode *option);
/* the <form> @node is in, or NULL */
GumboNode   *bh_forms_form_of         (GumboNode *node);
/* @func on each control of @form under @root (of no form when @form is NULL), tree order */
void         bh_forms_foreach_control (BhDocument *doc,
                                       GumboNode  *root,
                                       GumboNode  *form,
                                       void      (*func) (BhFormControl *, gpointer),
                                       gpointer    data);

/* bh-forms-submit.c: HTML's "submit" of @form by @submitter (NULL: implicitly);
 * the submission waits in the document for bh_document_take_form_submission() */
void         bh_forms_submit          (BhDocument    *doc,
                                       GumboNode     *form,
                                       BhFormControl *submitter);

/* bh-forms-paint.c: a layout of @text in @style's font; @wrap_width_px > 0 wraps it
 * (a <textarea>'s lines) */
PangoLayout *bh_forms_text_layout     (BhDocument    *doc,
                                       const BhStyle *style,
                                       const char    *text,
                                       double         wrap_width_px);

/* bh-forms-paint.c: a one-line field's text as shown (a password's as bullets),
 * laid out, and how far it is scrolled left to keep the caret in view (px) */
PangoLayout *bh_forms_line_layout     (BhDocument          *doc,
                                       const BhFormControl *control,
                                       double              *scroll_px);
/* a byte offset into @control's value as one into its shown text, and back */
guint        bh_forms_to_shown        (const BhFormControl *control,
                                       guint                index);
guint        bh_forms_from_shown      (const BhFormControl *control,
                                       guint                shown_index);

/* bh-forms.c, for bh-forms-edit.c */
gboolean     bh_forms_is_text_field   (const BhFormControl *control);
gboolean     bh_forms_object_rect     (const BhObject *obj,
                                       double         *x,
                                       double         *y);
PangoLayout *bh_forms_textarea_layout (BhDocument    *doc,
                                       BhFormControl *control);

/* bh-forms-edit.c: the selection inside a field, [MIN (anchor, caret), MAX) */
void         bh_forms_selection_bounds (const BhFormControl *control,
                                        guint               *start,
                                        guint               *end);
/* removes the selected text, the caret where it was; FALSE when none was */
gboolean     bh_forms_delete_selection (BhFormControl *control);
/* the byte offset of @control's value drawn nearest (x, y), document px */
guint        bh_forms_index_at        (BhDocument    *doc,
                                       BhFormControl *control,
                                       double         x_px,
                                       double         y_px);

G_END_DECLS
