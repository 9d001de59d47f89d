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

G_END_DECLS
