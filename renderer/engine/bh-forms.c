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
 * hidden, submit, reset, button; <textarea> (several lines: Enter breaks the
 * line, Up and Down move between lines, the text wraps and scrolls);
 * <select> (a drop-down whose options the browser shows, bh_document_take_form_popup(),
 * Up and Down choose in place); <button> (submit, reset, button, labelled by
 * its content); <label> (for=, or the control inside it: a click on the
 * label is a click on the control); <fieldset disabled> (everything in it
 * but its first <legend>); value, checked, selected, disabled, placeholder,
 * maxlength, rows, cols, size; focus by click and Tab, typing, Backspace,
 * Delete, Left, Right, Home, End; Enter (implicit submission) and submit
 * buttons; form data as the standard's "constructing the entry list" says,
 * encoded application/x-www-form-urlencoded for GET (the query) and POST, or
 * multipart/form-data; action, method, enctype and the submitter's
 * formaction, formmethod and formenctype. Painting is bh-forms-paint.c.
 * Not yet: <select multiple> and list boxes (size > 1, shown as a drop-down),
 * selection inside a field.
 */
#include "bh-forms-private.h"

#include "bh-dom.h"

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
#define KEY_Up 0xff52
#define KEY_Right 0xff53
#define KEY_Down 0xff54
#define KEY_End 0xff57
#define KEY_Delete 0xffff
#define KEY_ISO_Left_Tab 0xfe20
#define KEY_space 0x020
#define MOD_SHIFT (1u << 0)
#define MOD_CONTROL (1u << 2)
#define MOD_ALT (1u << 3)

#define MAX_VALUE_BYTES BH_FORMS_MAX_VALUE_BYTES

static void
control_free (BhFormControl *control)
{
  g_string_free (control->value, TRUE);
  g_free (control->default_value);
  g_free (control->label);
  g_clear_pointer (&control->options, g_ptr_array_unref);
  g_clear_pointer (&control->option_labels, g_ptr_array_unref);
  g_free (control);
}

/**
 * bh_form_popup_free:
 * @popup: (nullable): what bh_document_take_form_popup() gave
 */
void
bh_form_popup_free (BhFormPopup *popup)
{
  if (popup == NULL)
    return;
  g_clear_pointer (&popup->labels, g_ptr_array_unref);
  g_clear_pointer (&popup->enabled, g_array_unref);
  g_free (popup);
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
attr (const GumboNode *node, const char *name)
{
  return bh_gumbo_get_attribute (node, name);
}

static gboolean
is_tag (const GumboNode *node, GumboTag tag)
{
  return node != NULL && node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == tag;
}

/* The elements bh-forms.c keeps a control for (HTML's "listed" elements that
 * take part in the entry list, fieldset and output aside). */
static gboolean
is_control_element (const GumboNode *node)
{
  return is_tag (node, GUMBO_TAG_INPUT) || is_tag (node, GUMBO_TAG_TEXTAREA) || is_tag (node, GUMBO_TAG_SELECT) ||
         is_tag (node, GUMBO_TAG_BUTTON);
}

static ControlKind
kind_of (GumboNode *node)
{
  const char *type = attr (node, "type");

  if (is_tag (node, GUMBO_TAG_TEXTAREA))
    return CONTROL_TEXTAREA;
  if (is_tag (node, GUMBO_TAG_SELECT))
    return CONTROL_SELECT;
  if (is_tag (node, GUMBO_TAG_BUTTON))
    {
      /* HTML 4.10.6: a button's type is submit unless it says reset or button. */
      if (type != NULL && g_ascii_strcasecmp (type, "reset") == 0)
        return CONTROL_RESET;
      if (type != NULL && g_ascii_strcasecmp (type, "button") == 0)
        return CONTROL_BUTTON;
      return CONTROL_SUBMIT;
    }
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
  return control->kind == CONTROL_TEXT || control->kind == CONTROL_PASSWORD || control->kind == CONTROL_TEXTAREA;
}

/* Single-line fields drop newlines from their value (HTML's value
 * sanitization); a <textarea> keeps them, CRLF and CR made LF (its API value). */
static void
set_value (BhFormControl *control, const char *value)
{
  g_string_truncate (control->value, 0);
  for (const char *p = value; *p != '\0' && control->value->len < MAX_VALUE_BYTES; p++)
    {
      if (control->kind == CONTROL_TEXTAREA && *p == '\r')
        {
          if (p[1] != '\n')
            g_string_append_c (control->value, '\n');
          continue;
        }
      if (!is_text_field (control) || control->kind == CONTROL_TEXTAREA || (*p != '\n' && *p != '\r'))
        g_string_append_c (control->value, *p);
    }
  /* A cut in the middle of a character would leave invalid UTF-8. */
  while (!g_utf8_validate_len (control->value->str, control->value->len, NULL) && control->value->len > 0)
    g_string_truncate (control->value, control->value->len - 1);
  control->caret = (guint) control->value->len;
}

/* The text of @node's descendants, in tree order, into @out (at most
 * MAX_VALUE_BYTES). The walk keeps its own stack. */
static void
append_text_content (GString *out, GumboNode *node)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, node);
  while (stack->len > 0 && out->len < MAX_VALUE_BYTES)
    {
      GumboNode *n = g_ptr_array_steal_index (stack, stack->len - 1);

      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA)
        g_string_append (out, n->v.text.text);
      else if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
        for (guint i = n->v.element.children.length; i > 0; i--)
          g_ptr_array_add (stack, n->v.element.children.data[i - 1]);
    }
}

/* HTML's "strip and collapse ASCII whitespace" of @node's text content:
 * an <option>'s or a <button>'s label. (transfer full) */
static char *
collapsed_text (GumboNode *node)
{
  g_autoptr (GString) text = g_string_new ("");
  GString *out = g_string_new ("");
  gboolean space = FALSE;

  append_text_content (text, node);
  for (const char *p = text->str; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  if (!g_utf8_validate (out->str, -1, NULL))
    g_string_truncate (out, 0);
  return g_string_free (out, FALSE);
}

/* An option's value: its value attribute, else its text (HTML 4.10.10). */
static char *
option_value (GumboNode *option)
{
  const char *value = attr (option, "value");

  if (value != NULL && g_utf8_validate (value, -1, NULL))
    return g_strdup (value);
  return collapsed_text (option);
}

static gboolean
option_disabled (GumboNode *option)
{
  return attr (option, "disabled") != NULL ||
         (is_tag (option->parent, GUMBO_TAG_OPTGROUP) && attr (option->parent, "disabled") != NULL);
}

/* A <select>'s list of options: its <option> children and those of its
 * <optgroup> children, in tree order (HTML's "list of options"). */
static GPtrArray *
list_of_options (GumboNode *select)
{
  GPtrArray *options = g_ptr_array_new ();
  GumboVector *children = &select->v.element.children;

  for (guint i = 0; i < children->length && options->len < BH_FORMS_MAX_OPTIONS; i++)
    {
      GumboNode *child = children->data[i];

      if (is_tag (child, GUMBO_TAG_OPTION))
        g_ptr_array_add (options, child);
      else if (is_tag (child, GUMBO_TAG_OPTGROUP))
        for (guint j = 0; j < child->v.element.children.length && options->len < BH_FORMS_MAX_OPTIONS; j++)
          if (is_tag (child->v.element.children.data[j], GUMBO_TAG_OPTION))
            g_ptr_array_add (options, child->v.element.children.data[j]);
    }
  return options;
}

/* A <select>'s value follows its selected option. */
static void
select_option (BhFormControl *control, int index)
{
  g_autofree char *value = NULL;

  control->selected = index;
  g_string_truncate (control->value, 0);
  if (index < 0)
    return;
  value = option_value (control->options->pdata[index]);
  g_string_append (control->value, value);
}

/**
 * bh_form_control_is_disabled: (skip)
 *
 * HTML 4.10.18.5: a control is disabled by its own disabled attribute, or by
 * a <fieldset disabled> it is in, unless it is in that fieldset's first
 * <legend>. Read from the attributes each time, so a script that changes them
 * is seen.
 */
gboolean
bh_form_control_is_disabled (const BhFormControl *control)
{
  const GumboNode *child = control->node;

  if (attr (control->node, "disabled") != NULL)
    return TRUE;
  for (GumboNode *n = control->node->parent; n != NULL; child = n, n = n->parent)
    if (is_tag (n, GUMBO_TAG_FIELDSET) && attr (n, "disabled") != NULL)
      {
        GumboNode *legend = NULL;

        for (guint i = 0; i < n->v.element.children.length && legend == NULL; i++)
          if (is_tag (n->v.element.children.data[i], GUMBO_TAG_LEGEND))
            legend = n->v.element.children.data[i];
        if (legend == NULL || child != legend)
          return TRUE;
      }
  return FALSE;
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
  control->selected = control->default_selected = -1;
  if (control->kind == CONTROL_TEXTAREA)
    {
      /* A <textarea>'s default value is its text (the parser already dropped
       * a newline right after the start tag). */
      GString *text = g_string_new ("");

      append_text_content (text, node);
      control->default_value = g_string_free (text, FALSE);
      if (!g_utf8_validate (control->default_value, -1, NULL))
        control->default_value[0] = '\0';
    }
  else
    {
      v = attr (node, "value");
      if (v == NULL && (control->kind == CONTROL_CHECKBOX || control->kind == CONTROL_RADIO))
        v = "on";
      control->default_value = g_strdup (v != NULL && g_utf8_validate (v, -1, NULL) ? v : "");
    }
  set_value (control, control->default_value);
  if (is_tag (node, GUMBO_TAG_BUTTON))
    control->label = collapsed_text (node);
  if (control->kind == CONTROL_SELECT)
    {
      /* HTML's selectedness setting algorithm, for a drop-down: the last
       * option marked selected, else the first that is not disabled. */
      control->options = list_of_options (node);
      control->option_labels = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < control->options->len; i++)
        {
          GumboNode *option = control->options->pdata[i];
          const char *label = attr (option, "label");

          g_ptr_array_add (control->option_labels, label != NULL && *label != '\0' && g_utf8_validate (label, -1, NULL)
                                                     ? g_strdup (label) : collapsed_text (option));
        }
      for (guint i = 0; i < control->options->len; i++)
        if (attr (control->options->pdata[i], "selected") != NULL)
          control->default_selected = (int) i;
      for (guint i = 0; i < control->options->len && control->default_selected < 0; i++)
        if (!option_disabled (control->options->pdata[i]))
          control->default_selected = (int) i;
      select_option (control, control->default_selected);
    }
  control->checked = control->default_checked = attr (node, "checked") != NULL;
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
  if (control->label != NULL)
    return control->label;
  if (control->kind == CONTROL_SELECT)
    return control->selected >= 0 ? control->option_labels->pdata[control->selected] : "";
  if (attr (control->node, "value") != NULL)
    return control->value->str;
  return control->kind == CONTROL_RESET ? "Reset" : control->kind == CONTROL_SUBMIT ? "Submit" : "";
}

/**
 * bh_form_control_widest_option: (skip)
 *
 * Returns: the characters of a <select>'s longest option label (0 for
 *   another control), for its width.
 */
glong
bh_form_control_widest_option (BhFormControl *control)
{
  glong widest = 0;

  if (control->option_labels != NULL)
    for (guint i = 0; i < control->option_labels->len; i++)
      widest = MAX (widest, g_utf8_strlen (control->option_labels->pdata[i], -1));
  return widest;
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
  doc->popup_control = NULL;
  g_clear_pointer (&doc->control_order, g_ptr_array_unref);
  g_clear_pointer (&doc->controls, g_hash_table_unref);
  g_clear_pointer (&doc->submission, bh_form_submission_free);
  g_clear_pointer (&doc->popup, bh_form_popup_free);
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

/* Calls @func on every control (<input>, <textarea>, <select>, <button>) of
 * @form (or of the document without a form when @form is NULL), in tree
 * order. The walk keeps its own stack. */
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

      if (is_control_element (node) && form_of (node) == form)
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
  if (control->kind == CONTROL_SELECT)
    select_option (control, control->default_selected);
  else
    set_value (control, control->default_value);
  control->checked = control->default_checked;
  control->scroll_y = 0;
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

  if (bh_form_control_is_disabled (control) || name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    return;
  if (control->kind == CONTROL_SELECT &&
      (control->selected < 0 || option_disabled (control->options->pdata[control->selected])))
    return;
  if ((control->kind == CONTROL_CHECKBOX || control->kind == CONTROL_RADIO) && !control->checked)
    return;
  if ((control->kind == CONTROL_SUBMIT || control->kind == CONTROL_RESET || control->kind == CONTROL_BUTTON) &&
      control != list->submitter)
    return;
  if (control->kind == CONTROL_RESET || control->kind == CONTROL_BUTTON)
    return;
  g_ptr_array_add (list->names, g_strdup (name));
  if (control->kind == CONTROL_TEXTAREA)
    {
      /* HTML's "converting an entry list to a list of name-value pairs":
       * newlines are sent as CRLF, whatever the encoding. */
      GString *value = g_string_new ("");

      for (const char *p = control->value->str; *p != '\0'; p++)
        {
          if (*p == '\n')
            g_string_append (value, "\r\n");
          else
            g_string_append_c (value, *p);
        }
      g_ptr_array_add (list->values, g_string_free (value, FALSE));
    }
  else
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

/* The control drawn at a point, document px, or NULL. */
static BhFormControl *
control_at (BhDocument *doc, double x_px, double y_px)
{
  GPtrArray *order = control_order (doc);

  for (guint i = 0; i < order->len; i++)
    {
      BhFormControl *control = order->pdata[i];
      double x, y;

      if (object_rect (control->object, &x, &y) && x_px >= x && x_px < x + control->object->w && y_px >= y &&
          y_px < y + control->object->h)
        return control;
    }
  return NULL;
}

/* HTML 4.10.4: a <label>'s labeled control is the element its for= names by
 * id, when that is a control, else the first control inside it. The label
 * is the innermost <label> around what is drawn at the point. */
static BhFormControl *
labeled_control_at (BhDocument *doc, double x_px, double y_px)
{
  const GumboNode *label = bh_layout_node_at (doc, x_px, y_px);
  GumboNode *target = NULL;
  const char *for_id;
  BhFormControl *control;

  while (label != NULL && !is_tag (label, GUMBO_TAG_LABEL))
    label = label->parent;
  if (label == NULL)
    return NULL;
  if ((for_id = attr (label, "for")) != NULL)
    target = bh_dom_get_element_by_id (doc, for_id);
  else
    {
      g_autoptr (GPtrArray) stack = g_ptr_array_new ();

      g_ptr_array_add (stack, (gpointer) label);
      while (stack->len > 0 && target == NULL)
        {
          GumboNode *n = g_ptr_array_steal_index (stack, stack->len - 1);

          if (n != label && is_control_element (n) &&
              !(is_tag (n, GUMBO_TAG_INPUT) && kind_of (n) == CONTROL_HIDDEN))
            target = n;
          else if (n->type == GUMBO_NODE_ELEMENT)
            for (guint i = n->v.element.children.length; i > 0; i--)
              g_ptr_array_add (stack, n->v.element.children.data[i - 1]);
        }
    }
  if (!is_control_element (target))
    return NULL;
  control = bh_form_control_for_node (doc, target);
  return control->object != NULL ? control : NULL;
}

/* A <select> asks for its drop-down: the caller takes it with
 * bh_document_take_form_popup() and the browser shows it. */
static void
request_popup (BhDocument *doc, BhFormControl *control)
{
  BhFormPopup *popup;
  double x, y;

  if (!object_rect (control->object, &x, &y) || control->options->len == 0)
    return;
  popup = g_new0 (BhFormPopup, 1);
  popup->id = ++doc->popup_serial;
  popup->x = x;
  popup->y = y;
  popup->width = control->object->w;
  popup->height = control->object->h;
  popup->selected = control->selected;
  popup->labels = g_ptr_array_new_with_free_func (g_free);
  popup->enabled = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint i = 0; i < control->options->len; i++)
    {
      gboolean enabled = !option_disabled (control->options->pdata[i]);

      g_ptr_array_add (popup->labels, g_strdup (control->option_labels->pdata[i]));
      g_array_append_val (popup->enabled, enabled);
    }
  g_clear_pointer (&doc->popup, bh_form_popup_free);
  doc->popup = popup;
  doc->popup_control = control;
}

/* A <textarea>'s text laid out as it is painted: wrapped inside its padding. */
static PangoLayout *
textarea_layout (BhDocument *doc, BhFormControl *control)
{
  return bh_forms_text_layout (doc, control->object->style, control->value->str, MAX (1.0, control->object->w - 8));
}

/* The caret where a press at (x, y), document px, falls in a <textarea>. */
static void
textarea_caret_at (BhDocument *doc, BhFormControl *control, double x_px, double y_px)
{
  g_autoptr (PangoLayout) layout = textarea_layout (doc, control);
  double x, y;
  int index, trailing;

  if (!object_rect (control->object, &x, &y))
    return;
  pango_layout_xy_to_index (layout, (int) ((x_px - x - 4) * PANGO_SCALE),
                            (int) ((y_px - y - 3 + control->scroll_y) * PANGO_SCALE), &index, &trailing);
  index = CLAMP (index, 0, (int) control->value->len);
  control->caret = (guint) (g_utf8_offset_to_pointer (control->value->str + index, trailing) - control->value->str);
  control->caret = MIN (control->caret, (guint) control->value->len);
}

/* What a primary press on @control does (or a press on its label:
 * @at_point is FALSE, and a <select> only takes the focus). */
static void
activate (BhDocument *doc, BhFormControl *control, gboolean at_point, double x_px, double y_px)
{
  GumboNode *form = form_of (control->node);

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
      /* HTML 4.10.6 and 4.10.22.3: a button with no form owner submits and
       * resets nothing (a <button> outside a form is a script's to handle). */
      if (form != NULL)
        submit (doc, form, control);
      break;
    case CONTROL_RESET:
      if (form != NULL)
        foreach_input (doc, form, form, reset_cb, NULL);
      break;
    case CONTROL_SELECT:
      if (at_point)
        request_popup (doc, control);
      break;
    case CONTROL_TEXTAREA:
      if (at_point)
        textarea_caret_at (doc, control, x_px, y_px);
      else
        control->caret = (guint) control->value->len;
      break;
    default:
      control->caret = (guint) control->value->len;
      break;
    }
}

/**
 * bh_document_form_click:
 * @doc: a laid-out document
 * @x_px: the press, document px
 * @y_px: the press, document px
 *
 * A press of the primary button: a text field under it takes the focus,
 * with the caret at its end (in a <textarea>, where the press is); a
 * checkbox toggles, a radio button is checked (and the others of its group
 * not); a submit button submits its form, a reset button resets it; a
 * <select> asks for its drop-down (bh_document_take_form_popup()). A press
 * on a <label> does that to its control (a <select> only takes the focus),
 * as Chromium's label activation does. Anywhere else the focus leaves the
 * controls.
 *
 * Returns: %TRUE when the press was on an enabled control or its label (it
 *   changed what is painted; the selection should not start there).
 */
gboolean
bh_document_form_click (BhDocument *doc, double x_px, double y_px)
{
  BhFormControl *control;
  gboolean at_point = TRUE;

  g_return_val_if_fail (doc != NULL, FALSE);

  if (doc->root == NULL)
    return FALSE;
  if ((control = control_at (doc, x_px, y_px)) == NULL && (control = labeled_control_at (doc, x_px, y_px)) != NULL)
    at_point = FALSE;
  if (control == NULL || bh_form_control_is_disabled (control))
    {
      doc->focused = NULL;
      return FALSE;
    }
  activate (doc, control, at_point, x_px, y_px);
  return TRUE;
}

/**
 * bh_document_take_form_popup:
 *
 * Returns: (transfer full) (nullable): the drop-down a <select> asked for
 *   with the last click or key, for the caller to ask the browser to show;
 *   %NULL when none did.
 */
BhFormPopup *
bh_document_take_form_popup (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return g_steal_pointer (&doc->popup);
}

/**
 * bh_document_form_popup_chosen:
 * @popup_id: the #BhFormPopup's id
 * @index: the option chosen, or -1: the drop-down was dismissed
 *
 * The browser's answer to the latest drop-down: the <select> selects the
 * option (its value follows). An answer for an older drop-down, an index
 * past the options or a disabled option changes nothing.
 *
 * Returns: %TRUE when the selection changed (repaint).
 */
gboolean
bh_document_form_popup_chosen (BhDocument *doc, guint popup_id, int index)
{
  BhFormControl *control;

  g_return_val_if_fail (doc != NULL, FALSE);

  if (doc->popup_control == NULL || popup_id != doc->popup_serial)
    return FALSE;
  control = g_steal_pointer (&doc->popup_control);
  if (index < 0 || (guint) index >= control->options->len || option_disabled (control->options->pdata[index]) ||
      index == control->selected)
    return FALSE;
  select_option (control, index);
  return TRUE;
}

/**
 * bh_forms_focused_node: (skip)
 *
 * Returns: (nullable): the element of the control with the keyboard focus.
 */
const GumboNode *
bh_forms_focused_node (BhDocument *doc)
{
  return doc->focused != NULL ? doc->focused->node : NULL;
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

/**
 * bh_document_editable_at:
 * @x_px: document px
 * @y_px: document px
 *
 * Returns: whether an enabled text field or <textarea> is drawn there (the
 *   context menu's "editable").
 */
gboolean
bh_document_editable_at (BhDocument *doc, double x_px, double y_px)
{
  BhFormControl *control;

  g_return_val_if_fail (doc != NULL, FALSE);
  if (doc->root == NULL || doc->tree_dirty)
    return FALSE;
  control = control_at (doc, x_px, y_px);
  return control != NULL && is_text_field (control) && !bh_form_control_is_disabled (control);
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

      if (!bh_form_control_is_disabled (control))
        {
          doc->focused = control;
          control->caret = (guint) control->value->len;
          return;
        }
    }
}

/* Up and Down in a <select>: the previous or next option that is enabled. */
static void
select_step (BhFormControl *control, int direction)
{
  for (int i = control->selected + direction; i >= 0 && i < (int) control->options->len; i += direction)
    if (!option_disabled (control->options->pdata[i]))
      {
        select_option (control, i);
        return;
      }
}

/* Up, Down, Home and End in a <textarea>: by the lines it shows. */
static void
textarea_move (BhDocument *doc, BhFormControl *control, guint keyval)
{
  g_autoptr (PangoLayout) layout = textarea_layout (doc, control);
  int line_no, x_pango, index, trailing;
  PangoLayoutLine *line;

  pango_layout_index_to_line_x (layout, (int) control->caret, FALSE, &line_no, &x_pango);
  if (keyval == KEY_Home || keyval == KEY_End)
    {
      guint end;

      line = pango_layout_get_line_readonly (layout, line_no);
      if (keyval == KEY_Home)
        {
          control->caret = (guint) line->start_index;
          return;
        }
      end = (guint) (line->start_index + line->length);
      end = MIN (end, (guint) control->value->len);
      /* Before the line's break, not after it. */
      if (end > (guint) line->start_index && control->value->str[end - 1] == '\n')
        end--;
      control->caret = end;
      return;
    }
  line_no += keyval == KEY_Up ? -1 : 1;
  if (line_no < 0)
    {
      control->caret = 0;
      return;
    }
  if (line_no >= pango_layout_get_line_count (layout))
    {
      control->caret = (guint) control->value->len;
      return;
    }
  line = pango_layout_get_line_readonly (layout, line_no);
  pango_layout_line_x_to_index (line, x_pango, &index, &trailing);
  index = CLAMP (index, 0, (int) control->value->len);
  control->caret = (guint) (g_utf8_offset_to_pointer (control->value->str + index, trailing) - control->value->str);
  control->caret = MIN (control->caret, (guint) control->value->len);
}

/* Types @c at the caret, within maxlength and the field's cap. */
static void
insert_char (BhFormControl *control, gunichar c)
{
  GString *value = control->value;

  if ((control->maxlength < 0 || g_utf8_strlen (value->str, -1) < control->maxlength) &&
      value->len + 6 <= MAX_VALUE_BYTES)
    {
      char buf[6];
      int len = g_unichar_to_utf8 (c, buf);

      g_string_insert_len (value, control->caret, buf, len);
      control->caret += (guint) len;
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
 * move the caret; in a <textarea> Enter breaks the line and Up, Down, Home
 * and End go by the lines shown; in a <select> Up and Down choose the
 * previous or next option, Space and Enter ask for its drop-down; Space
 * toggles a checkbox and presses a button; Enter submits the form (HTML's
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
  if (keyval == KEY_Tab || keyval == KEY_ISO_Left_Tab)
    {
      focus_step (doc, keyval == KEY_Tab && !(modifiers & MOD_SHIFT));
      return TRUE;
    }
  switch (control->kind)
    {
    case CONTROL_CHECKBOX:
    case CONTROL_RADIO:
      if (keyval == KEY_Return || keyval == KEY_KP_Enter)
        break;
      if (keyval != KEY_space)
        return FALSE;
      if (control->kind == CONTROL_CHECKBOX)
        control->checked = !control->checked;
      else
        check_radio (doc, control);
      return TRUE;
    case CONTROL_SUBMIT:
    case CONTROL_RESET:
    case CONTROL_BUTTON:
      if (keyval == KEY_space || keyval == KEY_Return || keyval == KEY_KP_Enter)
        {
          if (control->kind != CONTROL_BUTTON)
            activate (doc, control, FALSE, 0, 0);
          return TRUE;
        }
      return FALSE;
    case CONTROL_SELECT:
      if (keyval == KEY_Up || keyval == KEY_Down)
        select_step (control, keyval == KEY_Up ? -1 : 1);
      else if (keyval == KEY_space || keyval == KEY_Return || keyval == KEY_KP_Enter)
        request_popup (doc, control);
      else
        return FALSE;
      return TRUE;
    case CONTROL_TEXTAREA:
      if (keyval == KEY_Return || keyval == KEY_KP_Enter)
        {
          insert_char (control, '\n');
          return TRUE;
        }
      if (keyval == KEY_Up || keyval == KEY_Down || keyval == KEY_Home || keyval == KEY_End)
        {
          textarea_move (doc, control, keyval);
          return TRUE;
        }
      break;
    case CONTROL_HIDDEN:
      return FALSE;
    default:
      break;
    }
  if (keyval == KEY_Return || keyval == KEY_KP_Enter)
    {
      /* Implicit submission (HTML 4.10.21.2) is a form's: Enter in a field
       * with no form owner does nothing, as in Chromium. */
      if (form_of (control->node) != NULL)
        submit (doc, form_of (control->node), NULL);
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
  insert_char (control, c);
  return TRUE;
}

/* ---------------------------------------------------------------- script (bh-dom.h) */

/* <input>, <textarea> and <select>: the fields whose value is live state. */
static gboolean
is_field (const GumboNode *node)
{
  return node != NULL && node->type == GUMBO_NODE_ELEMENT && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML &&
         (node->v.element.tag == GUMBO_TAG_INPUT || node->v.element.tag == GUMBO_TAG_TEXTAREA ||
          node->v.element.tag == GUMBO_TAG_SELECT);
}

/**
 * bh_dom_get_focused_control:
 *
 * Returns: (transfer none) (nullable): the field (or button) with the keyboard focus.
 */
GumboNode *
bh_dom_get_focused_control (BhDocument *doc)
{
  return doc->focused != NULL ? doc->focused->node : NULL;
}

/**
 * bh_dom_focus_control:
 * @node: (nullable): an <input>, <textarea> or <select> of the document, %NULL
 *   to leave the controls
 *
 * HTMLElement.focus()/blur() on a field: the caret goes to its end.
 *
 * Returns: %FALSE when @node is no enabled field (the focus is unchanged).
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
  if (!is_field (node))
    return FALSE;
  control = bh_form_control_for_node (doc, node);
  if (bh_form_control_is_disabled (control) || control->kind == CONTROL_HIDDEN)
    return FALSE;
  doc->focused = control;
  control->caret = (guint) control->value->len;
  return TRUE;
}

/**
 * bh_dom_get_control_state:
 * @value: (out) (transfer none): the field's value as the user left it (a
 *   <select>'s: its selected option's)
 * @checked: (out): its checkedness (checkboxes, radio buttons)
 *
 * Returns: %FALSE when @node is no <input>, <textarea> or <select>.
 */
gboolean
bh_dom_get_control_state (BhDocument *doc, GumboNode *node, const char **value, gboolean *checked)
{
  BhFormControl *control;

  if (!is_field (node))
    return FALSE;
  control = bh_form_control_for_node (doc, node);
  *value = control->value->str;
  *checked = control->checked;
  return TRUE;
}

/**
 * bh_dom_set_control_value:
 *
 * HTMLInputElement.value and HTMLTextAreaElement.value = @value (sanitised:
 * no newlines in a one-line field); the caret goes to the end. Nothing for
 * another element.
 */
void
bh_dom_set_control_value (BhDocument *doc, GumboNode *node, const char *value)
{
  if (is_field (node) && node->v.element.tag != GUMBO_TAG_SELECT && g_utf8_validate (value, -1, NULL))
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

  if (!is_field (node) || node->v.element.tag != GUMBO_TAG_INPUT)
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
