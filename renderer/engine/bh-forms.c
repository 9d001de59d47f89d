/* bh-forms.c: form controls and form submission (HTML's "forms" section).
 *
 * A control's state (its value, checkedness, caret) lives here, keyed by its
 * element (the document's gumbo node), not in the box tree: the tree is
 * rebuilt whenever a style sheet or image arrives, and a script engine will
 * want to reach the same state through the element later. bh-box.c gives
 * each <input> it lays out an object that points at its control; painting
 * draws the control from its state.
 *
 * What works: <input> of types text, search, email, url, number, password
 * (drawn masked), checkbox, radio (one checked per name in its form),
 * hidden, submit, reset, button; value, checked, disabled, placeholder,
 * maxlength; focus by click and Tab, typing, Backspace, Delete, Left, Right,
 * Home, End; Enter (implicit submission) and submit buttons; form data as the
 * standard's "constructing the entry list" says, encoded
 * application/x-www-form-urlencoded for GET (the query) and POST, or
 * multipart/form-data; action, method, enctype and the submitter's
 * formaction, formmethod and formenctype. Not yet: <textarea>, <select>,
 * <button> elements, <label for>, selection inside a field.
 */
#include "bh-dom.h"
#include "bh-layout-private.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

/* X keysyms, as GDK sends them. */
#define KEY_BackSpace 0xff08
#define KEY_Tab 0xff09
#define KEY_Return 0xff0d
#define KEY_KP_Enter 0xff8d
#define KEY_Home 0xff50
#define KEY_Left 0xff51
#define KEY_Right 0xff53
#define KEY_End 0xff57
#define KEY_Delete 0xffff
#define KEY_ISO_Left_Tab 0xfe20
#define KEY_space 0x020
#define MOD_SHIFT (1u << 0)
#define MOD_CONTROL (1u << 2)
#define MOD_ALT (1u << 3)

/* A field holds at most this much text: a page's maxlength may say less. */
#define MAX_VALUE_BYTES (64 * 1024)

typedef enum {
  CONTROL_TEXT,     /* text, search, email, url, number, tel and unknown types */
  CONTROL_PASSWORD,
  CONTROL_CHECKBOX,
  CONTROL_RADIO,
  CONTROL_HIDDEN,
  CONTROL_SUBMIT,
  CONTROL_RESET,
  CONTROL_BUTTON,
} ControlKind;

struct _BhFormControl {
  GumboNode *node;
  ControlKind kind;
  GString *value;
  char *default_value;
  guint caret;          /* byte offset into value */
  gboolean checked;
  gboolean default_checked;
  gboolean disabled;
  int maxlength;        /* characters, -1 for none */
  BhObject *object;     /* its object in the current box tree; NULL without one */
};

static void
control_free (BhFormControl *control)
{
  g_string_free (control->value, TRUE);
  g_free (control->default_value);
  g_free (control);
}

/**
 * bh_form_submission_free:
 * @submission: (nullable): what bh_document_take_form_submission() gave
 */
void
bh_form_submission_free (BhFormSubmission *submission)
{
  if (submission == NULL)
    return;
  g_free (submission->url);
  g_free (submission->method);
  g_free (submission->content_type);
  g_clear_pointer (&submission->body, g_bytes_unref);
  g_free (submission);
}

static const char *
attr (GumboNode *node, const char *name)
{
  return bh_gumbo_get_attribute (node, name);
}

static ControlKind
kind_of (GumboNode *node)
{
  const char *type = attr (node, "type");

  if (type == NULL)
    return CONTROL_TEXT;
  if (g_ascii_strcasecmp (type, "password") == 0)
    return CONTROL_PASSWORD;
  if (g_ascii_strcasecmp (type, "checkbox") == 0)
    return CONTROL_CHECKBOX;
  if (g_ascii_strcasecmp (type, "radio") == 0)
    return CONTROL_RADIO;
  if (g_ascii_strcasecmp (type, "hidden") == 0)
    return CONTROL_HIDDEN;
  if (g_ascii_strcasecmp (type, "submit") == 0 || g_ascii_strcasecmp (type, "image") == 0)
    return CONTROL_SUBMIT;
  if (g_ascii_strcasecmp (type, "reset") == 0)
    return CONTROL_RESET;
  if (g_ascii_strcasecmp (type, "button") == 0)
    return CONTROL_BUTTON;
  return CONTROL_TEXT;
}

static gboolean
is_text_field (const BhFormControl *control)
{
  return control->kind == CONTROL_TEXT || control->kind == CONTROL_PASSWORD;
}

/* Text fields drop newlines from their value (HTML's value sanitization). */
static void
set_value (BhFormControl *control, const char *value)
{
  g_string_truncate (control->value, 0);
  for (const char *p = value; *p != '\0' && control->value->len < MAX_VALUE_BYTES; p++)
    if (!is_text_field (control) || (*p != '\n' && *p != '\r'))
      g_string_append_c (control->value, *p);
  control->caret = (guint) control->value->len;
}

/**
 * bh_form_control_for_node: (skip)
 * @doc: a document
 * @node: an <input> element of its tree
 *
 * Returns: (transfer none): the control's state, made from its attributes
 *   the first time.
 */
BhFormControl *
bh_form_control_for_node (BhDocument *doc, GumboNode *node)
{
  BhFormControl *control;
  const char *v;
  int n;

  if (doc->controls == NULL)
    doc->controls = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) control_free);
  if ((control = g_hash_table_lookup (doc->controls, node)) != NULL)
    return control;
  control = g_new0 (BhFormControl, 1);
  control->node = node;
  control->kind = kind_of (node);
  control->value = g_string_new ("");
  v = attr (node, "value");
  if (v == NULL && (control->kind == CONTROL_CHECKBOX || control->kind == CONTROL_RADIO))
    v = "on";
  control->default_value = g_strdup (v != NULL && g_utf8_validate (v, -1, NULL) ? v : "");
  set_value (control, control->default_value);
  control->checked = control->default_checked = attr (node, "checked") != NULL;
  control->disabled = attr (node, "disabled") != NULL;
  control->maxlength = -1;
  if ((v = attr (node, "maxlength")) != NULL && (n = atoi (v)) >= 0)
    control->maxlength = n;
  g_hash_table_insert (doc->controls, node, control);
  return control;
}

/**
 * bh_form_control_attach: (skip)
 *
 * @object is @control's in the box tree being built.
 */
void
bh_form_control_attach (BhDocument *doc, BhFormControl *control, BhObject *object)
{
  object->control = control;
  control->object = object;
  g_clear_pointer (&doc->control_order, g_ptr_array_unref);
}

/**
 * bh_form_control_label: (skip)
 *
 * Returns: (transfer none): what a button shows: its value, or the
 *   standard's default label.
 */
const char *
bh_form_control_label (BhFormControl *control)
{
  if (attr (control->node, "value") != NULL)
    return control->value->str;
  return control->kind == CONTROL_RESET ? "Reset" : control->kind == CONTROL_SUBMIT ? "Submit" : "";
}

/**
 * bh_forms_tree_cleared: (skip)
 *
 * The box tree is going: no control has an object until the next one.
 */
void
bh_forms_tree_cleared (BhDocument *doc)
{
  GHashTableIter iter;
  gpointer value;

  if (doc->controls != NULL)
    {
      g_hash_table_iter_init (&iter, doc->controls);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((BhFormControl *) value)->object = NULL;
    }
  g_clear_pointer (&doc->control_order, g_ptr_array_unref);
}

/**
 * bh_forms_free: (skip)
 */
void
bh_forms_free (BhDocument *doc)
{
  doc->focused = NULL;
  g_clear_pointer (&doc->control_order, g_ptr_array_unref);
  g_clear_pointer (&doc->controls, g_hash_table_unref);
  g_clear_pointer (&doc->submission, bh_form_submission_free);
}

/* ---------------------------------------------------------------- the tree */

/* Controls with an object, in tree order: the order Tab moves in. */
static GPtrArray *
control_order (BhDocument *doc)
{
  if (doc->control_order == NULL)
    {
      doc->control_order = g_ptr_array_new ();
      if (doc->objects != NULL)
        for (guint i = 0; i < doc->objects->len; i++)
          {
            BhObject *obj = doc->objects->pdata[i];
            if (obj->control != NULL)
              g_ptr_array_add (doc->control_order, obj->control);
          }
    }
  return doc->control_order;
}

static GumboNode *
form_of (GumboNode *node)
{
  for (GumboNode *n = node->parent; n != NULL; n = n->parent)
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_FORM)
      return n;
  return NULL;
}

/* Calls @func on every <input> of @form (or of the document without a form
 * when @form is NULL), in tree order. The walk keeps its own stack. */
static void
foreach_input (BhDocument *doc, GumboNode *root, GumboNode *form, void (*func) (BhFormControl *, gpointer),
               gpointer data)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      GumboNode *node = g_ptr_array_steal_index (stack, stack->len - 1);
      GumboVector *children;

      if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_INPUT && form_of (node) == form)
        func (bh_form_control_for_node (doc, node), data);
      if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT && node->type != GUMBO_NODE_TEMPLATE)
        continue;
      children = node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children : &node->v.element.children;
      for (guint i = children->length; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }
}

typedef struct {
  BhFormControl *checked;
  const char *name;
} RadioGroup;

static void
uncheck_group_cb (BhFormControl *control, gpointer data)
{
  RadioGroup *group = data;

  if (control != group->checked && control->kind == CONTROL_RADIO &&
      g_strcmp0 (attr (control->node, "name"), group->name) == 0)
    control->checked = FALSE;
}

static void
check_radio (BhDocument *doc, BhFormControl *control)
{
  RadioGroup group = { control, attr (control->node, "name") };
  GumboNode *form = form_of (control->node);

  control->checked = TRUE;
  if (group.name == NULL || *group.name == '\0')
    return;
  foreach_input (doc, form != NULL ? form : doc->gumbo->document, form, uncheck_group_cb, &group);
}

static void
reset_cb (BhFormControl *control, gpointer data)
{
  set_value (control, control->default_value);
  control->checked = control->default_checked;
}

/* ---------------------------------------------------------------- submission */

typedef struct {
  GPtrArray *names;  /* char* */
  GPtrArray *values; /* char* */
  BhFormControl *submitter;
} EntryList;

/* HTML's "constructing the entry list": enabled controls with a name; only
 * checked checkboxes and radios; only the submitter among the buttons. */
static void
entry_cb (BhFormControl *control, gpointer data)
{
  EntryList *list = data;
  const char *name = attr (control->node, "name");

  if (control->disabled || name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    return;
  if ((control->kind == CONTROL_CHECKBOX || control->kind == CONTROL_RADIO) && !control->checked)
    return;
  if ((control->kind == CONTROL_SUBMIT || control->kind == CONTROL_RESET || control->kind == CONTROL_BUTTON) &&
      control != list->submitter)
    return;
  if (control->kind == CONTROL_RESET || control->kind == CONTROL_BUTTON)
    return;
  g_ptr_array_add (list->names, g_strdup (name));
  g_ptr_array_add (list->values, g_strdup (control->value->str));
}

/* The application/x-www-form-urlencoded byte serializer (URL Standard): ASCII
 * alphanumerics and *-._ as they are, space as +, the rest percent-encoded. */
static void
urlencode (GString *out, const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (out, (char) *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

static GString *
urlencoded (const EntryList *list)
{
  GString *out = g_string_new ("");

  for (guint i = 0; i < list->names->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '&');
      urlencode (out, list->names->pdata[i]);
      g_string_append_c (out, '=');
      urlencode (out, list->values->pdata[i]);
    }
  return out;
}

/* multipart/form-data (RFC 7578, HTML's encoding algorithm): names escape
 * CR, LF and '"' as %0D, %0A and %22; values have newlines normalised to CRLF. */
static GString *
multipart (const EntryList *list, const char *boundary)
{
  GString *out = g_string_new ("");

  for (guint i = 0; i < list->names->len; i++)
    {
      g_string_append_printf (out, "--%s\r\nContent-Disposition: form-data; name=\"", boundary);
      for (const char *p = list->names->pdata[i]; *p != '\0'; p++)
        {
          if (*p == '\r')
            g_string_append (out, "%0D");
          else if (*p == '\n')
            g_string_append (out, "%0A");
          else if (*p == '"')
            g_string_append (out, "%22");
          else
            g_string_append_c (out, *p);
        }
      g_string_append (out, "\"\r\n\r\n");
      for (const char *p = list->values->pdata[i]; *p != '\0'; p++)
        {
          if (*p == '\r' && p[1] == '\n')
            continue;
          if (*p == '\n' || *p == '\r')
            g_string_append (out, "\r\n");
          else
            g_string_append_c (out, *p);
        }
      g_string_append (out, "\r\n");
    }
  g_string_append_printf (out, "--%s--\r\n", boundary);
  return out;
}

/* HTML's "submit" for @form, by @submitter (a submit button) or implicitly
 * (NULL): the entry list, the action resolved against the document, the
 * method and encoding, and the request to ask for. */
static void
submit (BhDocument *doc, GumboNode *form, BhFormControl *submitter)
{
  EntryList list = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free), submitter };
  const char *action = NULL, *method = NULL, *enctype = NULL;
  g_autofree char *url = NULL;
  BhFormSubmission *s;

  if (submitter != NULL)
    {
      action = attr (submitter->node, "formaction");
      method = attr (submitter->node, "formmethod");
      enctype = attr (submitter->node, "formenctype");
    }
  if (action == NULL && form != NULL)
    action = attr (form, "action");
  if (method == NULL && form != NULL)
    method = attr (form, "method");
  if (enctype == NULL && form != NULL)
    enctype = attr (form, "enctype");
  url = bh_document_resolve_url (doc, action != NULL && *action != '\0' ? action : doc->url);
  foreach_input (doc, form != NULL ? form : doc->gumbo->document, form, entry_cb, &list);
  if (url != NULL && (g_str_has_prefix (url, "http:") || g_str_has_prefix (url, "https:")))
    {
      s = g_new0 (BhFormSubmission, 1);
      if (method != NULL && g_ascii_strcasecmp (method, "post") == 0)
        {
          GString *body;

          s->method = g_strdup ("POST");
          if (enctype != NULL && g_ascii_strcasecmp (enctype, "multipart/form-data") == 0)
            {
              g_autofree char *boundary = g_strdup_printf ("----BulkheadFormBoundary%08x%08x", g_random_int (),
                                                           g_random_int ());
              body = multipart (&list, boundary);
              s->content_type = g_strdup_printf ("multipart/form-data; boundary=%s", boundary);
            }
          else
            {
              body = urlencoded (&list);
              s->content_type = g_strdup ("application/x-www-form-urlencoded");
            }
          s->body = g_string_free_to_bytes (body);
          s->url = g_steal_pointer (&url);
        }
      else
        {
          /* GET: the query replaced by the form data, the fragment kept out. */
          g_autoptr (GString) query = urlencoded (&list);
          char *cut = strpbrk (url, "?#");

          if (cut != NULL)
            *cut = '\0';
          s->method = g_strdup ("GET");
          s->content_type = g_strdup ("");
          s->body = g_bytes_new (NULL, 0);
          s->url = g_strdup_printf ("%s?%s", url, query->str);
        }
      s->form = form;
      g_clear_pointer (&doc->submission, bh_form_submission_free);
      doc->submission = s;
    }
  g_ptr_array_unref (list.names);
  g_ptr_array_unref (list.values);
}

/**
 * bh_document_take_form_submission:
 *
 * Returns: (transfer full) (nullable): the form submitted by the last click
 *   or key, for the caller to ask the browser for; %NULL when none was.
 */
BhFormSubmission *
bh_document_take_form_submission (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return g_steal_pointer (&doc->submission);
}

/* ---------------------------------------------------------------- input */

static gboolean
object_rect (const BhObject *obj, double *x, double *y)
{
  if (obj == NULL || obj->para_box == NULL)
    return FALSE;
  *x = obj->para_box->x + obj->para_box->para->align_offset + obj->rel_x;
  *y = obj->para_box->y + obj->rel_y;
  return TRUE;
}

/**
 * bh_document_form_click:
 * @doc: a laid-out document
 * @x_px: the press, document px
 * @y_px: the press, document px
 *
 * A press of the primary button: a text field under it takes the focus,
 * with the caret at its end; a checkbox toggles, a radio button is checked
 * (and the others of its group not); a submit button submits its form, a
 * reset button resets it. Anywhere else the focus leaves the controls.
 *
 * Returns: %TRUE when the press was on an enabled control (it changed what
 *   is painted; the selection should not start there).
 */
gboolean
bh_document_form_click (BhDocument *doc, double x_px, double y_px)
{
  GPtrArray *order;

  g_return_val_if_fail (doc != NULL, FALSE);

  if (doc->root == NULL)
    return FALSE;
  order = control_order (doc);
  for (guint i = 0; i < order->len; i++)
    {
      BhFormControl *control = order->pdata[i];
      double x, y;

      if (!object_rect (control->object, &x, &y) || x_px < x || x_px >= x + control->object->w || y_px < y ||
          y_px >= y + control->object->h)
        continue;
      if (control->disabled)
        return FALSE;
      doc->focused = control;
      switch (control->kind)
        {
        case CONTROL_CHECKBOX:
          control->checked = !control->checked;
          break;
        case CONTROL_RADIO:
          check_radio (doc, control);
          break;
        case CONTROL_SUBMIT:
          submit (doc, form_of (control->node), control);
          break;
        case CONTROL_RESET:
          {
            GumboNode *form = form_of (control->node);
            foreach_input (doc, form != NULL ? form : doc->gumbo->document, form, reset_cb, NULL);
          }
          break;
        default:
          control->caret = (guint) control->value->len;
          break;
        }
      return TRUE;
    }
  doc->focused = NULL;
  return FALSE;
}

/**
 * bh_document_has_focused_control:
 *
 * Returns: whether a form control has the keyboard focus.
 */
gboolean
bh_document_has_focused_control (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);
  return doc->focused != NULL && doc->focused->object != NULL;
}

static gunichar
keyval_to_unicode (guint keyval)
{
  /* X keysyms: Latin-1 maps to itself, and 0x01000000 + code point to it. */
  if ((keyval >= 0x20 && keyval <= 0x7e) || (keyval >= 0xa0 && keyval <= 0xff))
    return keyval;
  if ((keyval & 0xff000000u) == 0x01000000u)
    return keyval & 0x00ffffffu;
  return 0;
}

static void
focus_step (BhDocument *doc, gboolean forward)
{
  GPtrArray *order = control_order (doc);
  guint n = order->len, start = 0;

  if (n == 0)
    return;
  if (doc->focused != NULL)
    for (guint i = 0; i < n; i++)
      if (order->pdata[i] == doc->focused)
        start = i;
  for (guint step = 1; step <= n; step++)
    {
      guint i = forward ? (doc->focused == NULL ? step - 1 : (start + step) % n)
                        : (doc->focused == NULL ? n - step : (start + n - step) % n);
      BhFormControl *control = order->pdata[i];

      if (!control->disabled)
        {
          doc->focused = control;
          control->caret = (guint) control->value->len;
          return;
        }
    }
}

/**
 * bh_document_form_key:
 * @doc: a document
 * @keyval: an X keysym
 * @modifiers: GdkModifierType
 *
 * A key for the focused control: characters are typed at the caret (up to
 * maxlength), Backspace and Delete remove one, Left, Right, Home and End
 * move the caret; Space toggles a checkbox; Enter submits the form (HTML's
 * implicit submission, or the focused button's); Tab and Shift+Tab move the
 * focus between the controls, in tree order. Ctrl and Alt combinations are
 * not the field's.
 *
 * Returns: %TRUE when the key was the control's (it changed what is painted).
 */
gboolean
bh_document_form_key (BhDocument *doc, guint keyval, guint modifiers)
{
  BhFormControl *control;
  GString *value;
  gunichar c;

  g_return_val_if_fail (doc != NULL, FALSE);

  if (modifiers & (MOD_CONTROL | MOD_ALT))
    return FALSE;
  /* Tab from the page itself goes to its first (or last) control. */
  if (!bh_document_has_focused_control (doc))
    {
      doc->focused = NULL;
      if ((keyval != KEY_Tab && keyval != KEY_ISO_Left_Tab) || doc->root == NULL || control_order (doc)->len == 0)
        return FALSE;
      focus_step (doc, keyval == KEY_Tab && !(modifiers & MOD_SHIFT));
      return TRUE;
    }
  control = doc->focused;
  value = control->value;
  switch (keyval)
    {
    case KEY_Tab:
    case KEY_ISO_Left_Tab:
      focus_step (doc, keyval == KEY_Tab && !(modifiers & MOD_SHIFT));
      return TRUE;
    case KEY_Return:
    case KEY_KP_Enter:
      if (control->kind == CONTROL_RESET || control->kind == CONTROL_BUTTON)
        return TRUE;
      submit (doc, form_of (control->node), control->kind == CONTROL_SUBMIT ? control : NULL);
      return TRUE;
    default:
      break;
    }
  if (control->kind == CONTROL_CHECKBOX || control->kind == CONTROL_RADIO)
    {
      if (keyval != KEY_space)
        return FALSE;
      if (control->kind == CONTROL_CHECKBOX)
        control->checked = !control->checked;
      else
        check_radio (doc, control);
      return TRUE;
    }
  if (!is_text_field (control))
    return FALSE;
  switch (keyval)
    {
    case KEY_BackSpace:
      if (control->caret > 0)
        {
          const char *prev = g_utf8_prev_char (value->str + control->caret);
          guint at = (guint) (prev - value->str);
          g_string_erase (value, at, control->caret - at);
          control->caret = at;
        }
      return TRUE;
    case KEY_Delete:
      if (control->caret < value->len)
        {
          const char *next = g_utf8_next_char (value->str + control->caret);
          g_string_erase (value, control->caret, (gssize) (next - (value->str + control->caret)));
        }
      return TRUE;
    case KEY_Left:
      if (control->caret > 0)
        control->caret = (guint) (g_utf8_prev_char (value->str + control->caret) - value->str);
      return TRUE;
    case KEY_Right:
      if (control->caret < value->len)
        control->caret = (guint) (g_utf8_next_char (value->str + control->caret) - value->str);
      return TRUE;
    case KEY_Home:
      control->caret = 0;
      return TRUE;
    case KEY_End:
      control->caret = (guint) value->len;
      return TRUE;
    default:
      break;
    }
  c = keyval_to_unicode (keyval);
  if (c == 0 || !g_unichar_validate (c) || g_unichar_iscntrl (c))
    return FALSE;
  if ((control->maxlength < 0 || g_utf8_strlen (value->str, -1) < control->maxlength) &&
      value->len + 6 <= MAX_VALUE_BYTES)
    {
      char buf[6];
      int len = g_unichar_to_utf8 (c, buf);

      g_string_insert_len (value, control->caret, buf, len);
      control->caret += (guint) len;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- painting */

static PangoLayout *
text_layout (BhDocument *doc, const BhStyle *style, const char *text)
{
  PangoLayout *layout = pango_layout_new (doc->pango);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family_static (desc, bh_layout_family_name (style->font_family));
  pango_font_description_set_absolute_size (desc, style->font_size_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* What a field shows: its value, a password's as bullets (one per character). */
static char *
shown_text (const BhFormControl *control, guint *caret)
{
  GString *out;

  if (control->kind != CONTROL_PASSWORD)
    {
      *caret = control->caret;
      return g_strdup (control->value->str);
    }
  out = g_string_new ("");
  for (const char *p = control->value->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      if ((guint) (p - control->value->str) == control->caret)
        *caret = (guint) out->len;
      g_string_append (out, "\xe2\x80\xa2");
    }
  if (control->caret >= control->value->len)
    *caret = (guint) out->len;
  return g_string_free (out, FALSE);
}

/**
 * bh_forms_paint_control: (skip)
 * @obj: an object with a control
 *
 * Paints the control at (@x, @y) from its state.
 *
 * Returns: %FALSE when @obj has no control (the caller paints an empty field).
 */
gboolean
bh_forms_paint_control (BhDocument *doc, cairo_t *cr, BhObject *obj, double x, double y)
{
  BhFormControl *control = obj->control;
  gboolean focused = control != NULL && control == doc->focused;
  double w = obj->w, h = obj->h;

  if (control == NULL)
    return FALSE;
  cairo_save (cr);
  switch (control->kind)
    {
    case CONTROL_CHECKBOX:
    case CONTROL_RADIO:
      cairo_set_source_rgb (cr, 1, 1, 1);
      if (control->kind == CONTROL_RADIO)
        cairo_arc (cr, x + w / 2, y + h / 2, MIN (w, h) / 2 - 0.5, 0, 2 * G_PI);
      else
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
      cairo_fill_preserve (cr);
      if (focused)
        cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      else
        cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      if (control->checked)
        {
          cairo_set_source_rgb (cr, control->disabled ? 0.6 : 0.1, control->disabled ? 0.6 : 0.1,
                                control->disabled ? 0.6 : 0.1);
          if (control->kind == CONTROL_RADIO)
            {
              cairo_arc (cr, x + w / 2, y + h / 2, MIN (w, h) / 4, 0, 2 * G_PI);
              cairo_fill (cr);
            }
          else
            {
              cairo_set_line_width (cr, 2);
              cairo_move_to (cr, x + w * 0.2, y + h * 0.5);
              cairo_line_to (cr, x + w * 0.42, y + h * 0.75);
              cairo_line_to (cr, x + w * 0.8, y + h * 0.25);
              cairo_stroke (cr);
            }
        }
      break;
    case CONTROL_SUBMIT:
    case CONTROL_RESET:
    case CONTROL_BUTTON:
      {
        g_autoptr (PangoLayout) layout = text_layout (doc, obj->style, bh_form_control_label (control));
        PangoRectangle logical;

        cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
        cairo_fill_preserve (cr);
        cairo_set_source_rgb (cr, focused ? 0.21 : 0.55, focused ? 0.52 : 0.55, focused ? 0.89 : 0.55);
        cairo_set_line_width (cr, 1);
        cairo_stroke (cr);
        pango_layout_get_pixel_extents (layout, NULL, &logical);
        cairo_set_source_rgb (cr, control->disabled ? 0.55 : 0.1, control->disabled ? 0.55 : 0.1,
                              control->disabled ? 0.55 : 0.1);
        cairo_move_to (cr, x + (w - logical.width) / 2, y + (h - logical.height) / 2);
        pango_cairo_show_layout (cr, layout);
      }
      break;
    case CONTROL_TEXT:
    case CONTROL_PASSWORD:
    default:
      {
        const char *placeholder = attr (control->node, "placeholder");
        gboolean empty = control->value->len == 0;
        guint caret = 0;
        g_autofree char *text = shown_text (control, &caret);
        g_autoptr (PangoLayout) layout =
          text_layout (doc, obj->style, empty && placeholder != NULL && g_utf8_validate (placeholder, -1, NULL)
                                          ? placeholder : text);
        PangoRectangle logical, pos;
        double tx = x + 4, ty;
        double scroll = 0;

        cairo_set_source_rgb (cr, control->disabled ? 0.94 : 1, control->disabled ? 0.94 : 1,
                              control->disabled ? 0.94 : 1);
        cairo_rectangle (cr, x, y, w, h);
        cairo_fill (cr);
        cairo_set_source_rgb (cr, focused ? 0.21 : 0.55, focused ? 0.52 : 0.55, focused ? 0.89 : 0.55);
        cairo_set_line_width (cr, focused ? 2 : 1);
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
        cairo_stroke (cr);
        pango_layout_get_pixel_extents (layout, NULL, &logical);
        ty = y + (h - logical.height) / 2;
        pango_layout_index_to_pos (layout, empty ? 0 : (int) caret, &pos);
        /* A caret past the right edge scrolls the text left, as fields do. */
        if ((double) pos.x / PANGO_SCALE > w - 10)
          scroll = (double) pos.x / PANGO_SCALE - (w - 10);
        cairo_rectangle (cr, x + 2, y + 2, MAX (0, w - 4), MAX (0, h - 4));
        cairo_clip (cr);
        if (empty && placeholder != NULL)
          cairo_set_source_rgb (cr, 0.46, 0.46, 0.46);
        else
          cairo_set_source_rgb (cr, control->disabled ? 0.5 : 0.1, control->disabled ? 0.5 : 0.1,
                                control->disabled ? 0.5 : 0.1);
        cairo_move_to (cr, tx - scroll, ty);
        pango_cairo_show_layout (cr, layout);
        if (focused)
          {
            cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_rectangle (cr, tx - scroll + (double) pos.x / PANGO_SCALE, ty, 1, logical.height);
            cairo_fill (cr);
          }
      }
      break;
    }
  cairo_restore (cr);
  return TRUE;
}

/* ---------------------------------------------------------------- script (bh-dom.h) */

static gboolean
is_input (const GumboNode *node)
{
  return node != NULL && node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_INPUT &&
         node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

/**
 * bh_dom_get_focused_control:
 *
 * Returns: (transfer none) (nullable): the <input> with the keyboard focus.
 */
GumboNode *
bh_dom_get_focused_control (BhDocument *doc)
{
  return doc->focused != NULL ? doc->focused->node : NULL;
}

/**
 * bh_dom_focus_control:
 * @node: (nullable): an <input> of the document, %NULL to leave the controls
 *
 * HTMLElement.focus()/blur() on a field: the caret goes to its end.
 *
 * Returns: %FALSE when @node is no enabled <input> (the focus is unchanged).
 */
gboolean
bh_dom_focus_control (BhDocument *doc, GumboNode *node)
{
  BhFormControl *control;

  if (node == NULL)
    {
      doc->focused = NULL;
      return TRUE;
    }
  if (!is_input (node))
    return FALSE;
  control = bh_form_control_for_node (doc, node);
  if (control->disabled || control->kind == CONTROL_HIDDEN)
    return FALSE;
  doc->focused = control;
  control->caret = (guint) control->value->len;
  return TRUE;
}

/**
 * bh_dom_get_control_state:
 * @value: (out) (transfer none): the field's value as the user left it
 * @checked: (out): its checkedness (checkboxes, radio buttons)
 *
 * Returns: %FALSE when @node is no <input>.
 */
gboolean
bh_dom_get_control_state (BhDocument *doc, GumboNode *node, const char **value, gboolean *checked)
{
  BhFormControl *control;

  if (!is_input (node))
    return FALSE;
  control = bh_form_control_for_node (doc, node);
  *value = control->value->str;
  *checked = control->checked;
  return TRUE;
}

/**
 * bh_dom_set_control_value:
 *
 * HTMLInputElement.value = @value (sanitised: no newlines in a text field);
 * the caret goes to the end. Nothing for another element than an <input>.
 */
void
bh_dom_set_control_value (BhDocument *doc, GumboNode *node, const char *value)
{
  if (is_input (node) && g_utf8_validate (value, -1, NULL))
    set_value (bh_form_control_for_node (doc, node), value);
}

/**
 * bh_dom_set_control_checked:
 *
 * HTMLInputElement.checked = @checked; checking a radio button unchecks the
 * others of its group.
 */
void
bh_dom_set_control_checked (BhDocument *doc, GumboNode *node, gboolean checked)
{
  BhFormControl *control;

  if (!is_input (node))
    return;
  control = bh_form_control_for_node (doc, node);
  if (checked && control->kind == CONTROL_RADIO)
    check_radio (doc, control);
  else
    control->checked = checked;
}

/**
 * bh_dom_submit_form:
 * @form: a <form> of the document
 *
 * HTMLFormElement.submit(): the form's submission, built as a submit button's
 * would be without a submitter (no submit event, no validation), for
 * bh_document_take_form_submission().
 */
void
bh_dom_submit_form (BhDocument *doc, GumboNode *form)
{
  if (form != NULL && form->type == GUMBO_NODE_ELEMENT && form->v.element.tag == GUMBO_TAG_FORM)
    submit (doc, form, NULL);
}
