/* test-forms.c: form controls in the document engine (renderer/engine/bh-forms.c),
 * without a renderer: a <textarea> edited over several lines, a <select>'s
 * drop-down and its keys, <label>s, <fieldset disabled>, <button>s, the selection
 * inside a field (its bounds, what replaces it, what Copy and Cut take), and what each
 * puts in the submission the browser would be asked for. Presses land where the
 * engine laid each control out (bh_document_locate_nodes()), as a click would.
 */
#include <string.h>

#include "bh-document.h"
#include "bh-dom.h"

/* X keysyms, as GDK sends them. */
#define KEY_BackSpace 0xff08
#define KEY_Delete 0xffff
#define KEY_Return 0xff0d
#define KEY_Home 0xff50
#define KEY_Left 0xff51
#define KEY_Up 0xff52
#define KEY_Right 0xff53
#define KEY_Down 0xff54
#define KEY_End 0xff57
#define KEY_Tab 0xff09
#define KEY_space 0x20
#define MOD_SHIFT (1u << 0)
#define MOD_CONTROL (1u << 2)

#define PAGE \
  "<html><head><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 10px }</style></head><body>" \
  "<form action='/go' method=get>" \
  "<p><textarea id=t name=t rows=3 cols=20 maxlength=30>\nab\r\ncd</textarea></p>" \
  "<p><select id=s name=s><option value=a>Apple<optgroup label=G><option selected> Banana \n split " \
  "<option disabled>Cherry</optgroup><option value=d label='Date palm'>Date</select></p>" \
  "<p><label id=l1 for=c>Check</label> <input type=checkbox id=c name=c> " \
  "<label id=l2>Radio <input type=radio name=r value=x></label></p>" \
  "<fieldset disabled><legend><input id=kept name=kept value=k></legend><input id=off name=off value=no>" \
  "</fieldset>" \
  "<p><button id=b name=b value=v>Go <b>now</b></button> <button id=reset type=reset>Reset</button> " \
  "<button id=plain type=button name=p value=q>Plain</button></p>" \
  "</form></body></html>"

static BhDocument *
page (void)
{
  g_autoptr (GBytes) body = g_bytes_new_static (PAGE, strlen (PAGE));
  BhDocument *doc = bh_document_new ("http://a.test/form", "text/html", "utf-8", body);

  bh_document_layout (doc, 800, 1.0);
  return doc;
}

/* Where the element @selector matches is laid out: (@dx, @dy) into its box. */
static void
at (BhDocument *doc, const char *selector, double dx, double dy, double *x, double *y)
{
  g_autoptr (GArray) nodes = bh_document_locate_nodes (doc, selector, 1);
  const BhNodeRect *rect;

  g_assert_nonnull (nodes);
  g_assert_cmpuint (nodes->len, ==, 1);
  rect = &g_array_index (nodes, BhNodeRect, 0);
  g_assert_cmpfloat (rect->width, >, 0);
  *x = rect->x + (dx >= 0 ? dx : rect->width / 2);
  *y = rect->y + (dy >= 0 ? dy : rect->height / 2);
}

/* A press on the element's centre (or (@dx, @dy) into it). */
static gboolean
press (BhDocument *doc, const char *selector, double dx, double dy)
{
  double x, y;

  at (doc, selector, dx, dy, &x, &y);
  return bh_document_form_click (doc, x, y);
}

static void
type (BhDocument *doc, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_assert_true (bh_document_form_key (doc, (guchar) *p, 0));
}

static void
key (BhDocument *doc, guint keyval)
{
  g_assert_true (bh_document_form_key (doc, keyval, 0));
}

/* The URL the form's submission asks for, or NULL when none was made. */
static char *
submitted (BhDocument *doc)
{
  g_autoptr (BhFormSubmission) s = bh_document_take_form_submission (doc);

  if (s == NULL)
    return NULL;
  g_assert_cmpstr (s->method, ==, "GET");
  return g_strdup (s->url);
}

static void
test_textarea (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autofree char *url = NULL;
  double x, y;

  /* Its default value drops the newline after the start tag, keeps the others
   * (CRLF read as LF); submitted, newlines are CRLF. */
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_cmpstr (url, ==, "http://a.test/go?t=ab%0D%0Acd&s=Banana+split&kept=k&b=v");
  g_clear_pointer (&url, g_free);

  /* A press at the start of its first line puts the caret there; Down keeps the
   * column on the next line; End, Enter and Up go by lines. */
  g_assert_true (press (doc, "#t", 4, 6));
  g_assert_true (bh_document_has_focused_control (doc));
  at (doc, "#t", 10, 10, &x, &y);
  g_assert_true (bh_document_editable_at (doc, x, y));
  type (doc, "X");
  key (doc, KEY_Down);
  type (doc, "Y");
  key (doc, KEY_End);
  key (doc, KEY_Return);
  type (doc, "Z");
  key (doc, KEY_Up);
  key (doc, KEY_Up);
  key (doc, KEY_Home);
  type (doc, "<");
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_cmpstr (url, ==, "http://a.test/go?t=%3CXab%0D%0AcYd%0D%0AZ&s=Banana+split&kept=k&b=v");
  g_clear_pointer (&url, g_free);

  /* maxlength counts characters: 30 at most (10 are there), the rest of the
   * typing dropped. */
  g_assert_true (press (doc, "#t", 4, 6));
  type (doc, "0123456789abcdefghijklmnopqrstuvwxyz");
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_nonnull (strstr (url, "?t=0123456789abcdefghij%3CXab%0D%0AcYd%0D%0AZ&"));
}

static void
test_select (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autoptr (BhFormPopup) popup = NULL;
  g_autofree char *url = NULL;
  guint id;

  /* A press asks for the drop-down: every option, with its label (label=, else
   * its text with white space collapsed), the disabled one marked. */
  g_assert_null (bh_document_take_form_popup (doc));
  g_assert_true (press (doc, "#s", -1, -1));
  popup = bh_document_take_form_popup (doc);
  g_assert_nonnull (popup);
  g_assert_cmpuint (popup->labels->len, ==, 4);
  g_assert_cmpstr (popup->labels->pdata[0], ==, "Apple");
  g_assert_cmpstr (popup->labels->pdata[1], ==, "Banana split");
  g_assert_cmpstr (popup->labels->pdata[3], ==, "Date palm");
  g_assert_true (g_array_index (popup->enabled, gboolean, 1));
  g_assert_false (g_array_index (popup->enabled, gboolean, 2));
  g_assert_cmpint (popup->selected, ==, 1);
  g_assert_cmpfloat (popup->width, >, 60);
  id = popup->id;

  /* The browser answers each popup once: a disabled option, an index past the
   * list, an older popup's id and a second answer change nothing; a choice does. */
  g_assert_false (bh_document_form_popup_chosen (doc, id, 2));
  g_assert_false (bh_document_form_popup_chosen (doc, id, 3));
  g_assert_true (press (doc, "#s", -1, -1));
  g_clear_pointer (&popup, bh_form_popup_free);
  popup = bh_document_take_form_popup (doc);
  g_assert_cmpuint (popup->id, !=, id);
  g_assert_false (bh_document_form_popup_chosen (doc, id, 3));
  g_assert_false (bh_document_form_popup_chosen (doc, popup->id, 9));
  g_assert_true (press (doc, "#s", -1, -1));
  g_clear_pointer (&popup, bh_form_popup_free);
  popup = bh_document_take_form_popup (doc);
  id = popup->id;
  g_assert_true (bh_document_form_popup_chosen (doc, id, 3));
  g_assert_false (bh_document_form_popup_chosen (doc, id, 0));
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_nonnull (strstr (url, "&s=d&"));
  g_clear_pointer (&url, g_free);

  /* Up skips the disabled option; Space asks for the list again; a reset button
   * goes back to the option marked selected. */
  g_assert_true (press (doc, "#s", -1, -1));
  g_clear_pointer (&popup, bh_form_popup_free);
  popup = bh_document_take_form_popup (doc);
  g_assert_true (bh_document_form_popup_chosen (doc, popup->id, -1) == FALSE);
  key (doc, KEY_Up);
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_nonnull (strstr (url, "&s=Banana+split&"));
  g_clear_pointer (&url, g_free);
  g_assert_true (press (doc, "#s", 5, 5));
  g_clear_pointer (&popup, bh_form_popup_free);
  popup = bh_document_take_form_popup (doc);
  key (doc, KEY_Up);
  key (doc, KEY_Up);
  key (doc, KEY_space);
  g_clear_pointer (&popup, bh_form_popup_free);
  popup = bh_document_take_form_popup (doc);
  g_assert_nonnull (popup);
  g_assert_cmpint (popup->selected, ==, 0);
  g_assert_true (press (doc, "#reset", -1, -1));
  g_assert_null (submitted (doc));
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_nonnull (strstr (url, "&s=Banana+split&"));
}

static void
test_labels_and_fieldset (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autofree char *url = NULL;
  double x, y;

  /* A press on a label is a press on its control: for= names it; else the one inside. */
  g_assert_true (press (doc, "#l1", 5, -1));
  g_assert_true (press (doc, "#l2", 5, -1));
  /* The disabled fieldset's control takes no press, no focus, no key; the
   * one in its first legend does. */
  g_assert_false (press (doc, "#off", -1, -1));
  g_assert_false (bh_document_has_focused_control (doc));
  at (doc, "#off", -1, -1, &x, &y);
  g_assert_false (bh_document_editable_at (doc, x, y));
  g_assert_true (press (doc, "#kept", -1, -1));
  type (doc, "2");
  /* Tab from the kept field goes to the button, past the disabled one. */
  key (doc, KEY_Tab);
  key (doc, KEY_Return);
  url = submitted (doc);
  g_assert_cmpstr (url, ==, "http://a.test/go?t=ab%0D%0Acd&s=Banana+split&c=on&r=x&kept=k2&b=v");
}

/* Paste: at the caret of the focused field; a single-line one leaves line
 * breaks out, a <textarea> keeps them; maxlength holds; without a focused
 * field nothing happens. */
static void
test_paste (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autofree char *url = NULL;

  g_assert_false (bh_document_form_insert_text (doc, "nowhere"));
  g_assert_true (press (doc, "#kept", -1, -1));
  g_assert_true (bh_document_form_insert_text (doc, " one\r\ntwo\x01"));
  g_assert_true (press (doc, "#t", 4, 6));
  g_assert_true (bh_document_form_insert_text (doc, "A\r\nB\rC\n"));
  g_assert_true (bh_document_form_insert_text (doc, "0123456789012345678901234567890123456789"));
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_cmpstr (url, ==, "http://a.test/go?t=A%0D%0AB%0D%0AC%0D%0A0123456789012345678ab%0D%0Acd&s=Banana+split"
                            "&kept=k+onetwo&b=v");
}

/* A field's live value as script reads it (bh_dom_get_control_state), %NULL
 * for an element that is no field. */
static char *
control_value (BhDocument *doc, GumboNode *node)
{
  const char *value;
  gboolean checked;

  return bh_dom_get_control_state (doc, node, &value, &checked) ? g_strdup (value) : NULL;
}

/* What script reads and sets (textarea.value, select.value, focus()) is the
 * controls' state: what the user typed and chose. */
static void
test_script_values (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autofree char *typed = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *none = NULL;
  g_autofree char *url = NULL;
  GumboNode *textarea = bh_dom_get_element_by_id (doc, "t");
  GumboNode *select = bh_dom_get_element_by_id (doc, "s");

  g_assert_true (press (doc, "#t", 4, 6));
  type (doc, "Q");
  typed = control_value (doc, textarea);
  g_assert_cmpstr (typed, ==, "Qab\ncd");
  chosen = control_value (doc, select);
  g_assert_cmpstr (chosen, ==, "Banana split");
  g_assert_null (control_value (doc, bh_dom_get_element_by_id (doc, "l1")));

  /* select.value = "d" chooses Date; a value no option has chooses none. */
  bh_dom_set_control_value (doc, select, "d");
  bh_dom_set_control_value (doc, textarea, "set\r\nby script");
  g_assert_true (press (doc, "#b", -1, -1));
  url = submitted (doc);
  g_assert_cmpstr (url, ==, "http://a.test/go?t=set%0D%0Aby+script&s=d&kept=k&b=v");
  bh_dom_set_control_value (doc, select, "nothing");
  none = control_value (doc, select);
  g_assert_cmpstr (none, ==, "");

  /* focus() on the textarea: keys type into it. */
  g_assert_true (bh_dom_focus_control (doc, textarea));
  g_assert_true (bh_document_has_focused_control (doc));
  type (doc, "!");
  g_free (typed);
  typed = control_value (doc, textarea);
  g_assert_cmpstr (typed, ==, "set\nby script!");
}

static void
test_buttons (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autofree char *url = NULL;

  /* type=button submits nothing, by press or by key. */
  g_assert_true (press (doc, "#plain", -1, -1));
  g_assert_null (submitted (doc));
  key (doc, KEY_space);
  key (doc, KEY_Return);
  g_assert_null (submitted (doc));
  /* Space on a submit button presses it. */
  key (doc, 0xfe20 /* ISO_Left_Tab */);
  key (doc, 0xfe20);
  key (doc, KEY_space);
  url = submitted (doc);
  g_assert_cmpstr (url, ==, "http://a.test/go?t=ab%0D%0Acd&s=Banana+split&kept=k&b=v");
}

#define FIELDS_PAGE \
  "<html><head><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 10px }</style></head><body>" \
  "<p><input id=q size=40 value='hello brave world'></p>" \
  "<p><input id=pw type=password value=secret></p>" \
  "<p><textarea id=ta rows=4 cols=30>one two\nthree</textarea></p></body></html>"

static BhDocument *
fields_page (void)
{
  g_autoptr (GBytes) body = g_bytes_new_static (FIELDS_PAGE, strlen (FIELDS_PAGE));
  BhDocument *doc = bh_document_new ("http://a.test/fields", "text/html", "utf-8", body);

  bh_document_layout (doc, 800, 1.0);
  return doc;
}

static void
shift_key (BhDocument *doc, guint keyval)
{
  g_assert_true (bh_document_form_key (doc, keyval, MOD_SHIFT));
}

/* What Copy (or Cut) would put on the clipboard, %NULL for nothing. */
static char *
copied (BhDocument *doc, gboolean cut)
{
  char *text = NULL;

  g_assert_true (bh_document_form_copy (doc, cut, &text, 1024));
  return text;
}

static void
assert_value (BhDocument *doc, const char *id, const char *expected)
{
  g_autofree char *value = control_value (doc, bh_dom_get_element_by_id (doc, id));

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_selection (BhDocument *doc, guint start, guint end)
{
  guint s = 99, e = 99;

  g_assert_true (bh_document_form_get_selection (doc, &s, &e));
  g_assert_cmpuint (s, ==, start);
  g_assert_cmpuint (e, ==, end);
}

/* The selection inside a field, as Chromium's: Shift with the arrows, Home
 * and End, a drag, a double-click's word, Ctrl+A; typing, Backspace, Delete
 * and Paste replace it; Copy and Cut take it (nothing from a password). */
static void
test_field_selection (void)
{
  g_autoptr (BhDocument) doc = fields_page ();
  g_autofree char *text = NULL;
  double x0, x1, y;
  guint start, end;

  /* Nothing focused: Ctrl+A and Ctrl+C are the page's. */
  g_assert_false (bh_document_form_select_all (doc));
  g_assert_false (bh_document_form_copy (doc, FALSE, &text, 1024));
  g_assert_false (bh_document_form_get_selection (doc, &start, &end));

  /* A press at the field's left edge puts the caret before the text (not at
   * its end); Shift+End selects all of it. */
  g_assert_true (press (doc, "#q", 5, -1));
  assert_selection (doc, 0, 0);
  g_assert_null (copied (doc, FALSE));
  shift_key (doc, KEY_End);
  assert_selection (doc, 0, 17);
  text = copied (doc, FALSE);
  g_assert_cmpstr (text, ==, "hello brave world");
  g_clear_pointer (&text, g_free);

  /* Shift+Left from the end takes back characters: the anchor stays at 0.
   * Left without Shift collapses the selection to its start. */
  key (doc, KEY_End);
  shift_key (doc, KEY_Home);
  for (int i = 0; i < 12; i++)
    shift_key (doc, KEY_Right);
  text = copied (doc, FALSE);
  g_assert_cmpstr (text, ==, "world");
  g_clear_pointer (&text, g_free);
  assert_selection (doc, 12, 17);
  key (doc, KEY_Left);
  assert_selection (doc, 12, 12);

  /* Typing replaces the selection; Cut removes it and gives its text. */
  shift_key (doc, KEY_End);
  type (doc, "W");
  assert_value (doc, "q", "hello brave W");
  for (int i = 0; i < 7; i++)
    shift_key (doc, KEY_Left);
  text = copied (doc, TRUE);
  g_assert_cmpstr (text, ==, "brave W");
  g_clear_pointer (&text, g_free);
  assert_value (doc, "q", "hello ");
  assert_selection (doc, 6, 6);

  /* A double-click in "hello" selects the word; Backspace removes it. */
  at (doc, "#q", 8, -1, &x0, &y);
  g_assert_true (bh_document_form_select_word (doc, x0, y));
  text = copied (doc, FALSE);
  g_assert_cmpstr (text, ==, "hello");
  g_clear_pointer (&text, g_free);
  key (doc, KEY_BackSpace);
  assert_value (doc, "q", " ");

  /* Ctrl+A selects the field's text; Paste replaces it, Delete removes it. */
  g_assert_true (bh_document_form_select_all (doc));
  g_assert_true (bh_document_form_insert_text (doc, "pasted text"));
  assert_value (doc, "q", "pasted text");
  assert_selection (doc, 11, 11);
  g_assert_true (bh_document_form_select_all (doc));
  key (doc, KEY_Delete);
  assert_value (doc, "q", "");

  /* A drag from the left edge to past the text selects all of it. */
  bh_dom_set_control_value (doc, bh_dom_get_element_by_id (doc, "q"), "dragged over");
  g_assert_true (press (doc, "#q", 5, -1));
  at (doc, "#q", -1, -1, &x1, &y);
  g_assert_true (bh_document_form_drag_to (doc, x1 * 2, y));
  text = copied (doc, FALSE);
  g_assert_cmpstr (text, ==, "dragged over");
  g_clear_pointer (&text, g_free);

  /* A password's selection is drawn and typed over, never copied or cut. */
  g_assert_true (press (doc, "#pw", -1, -1));
  g_assert_true (bh_document_form_select_all (doc));
  assert_selection (doc, 0, 6);
  g_assert_null (copied (doc, FALSE));
  g_assert_null (copied (doc, TRUE));
  assert_value (doc, "pw", "secret");
  type (doc, "new");
  assert_value (doc, "pw", "new");

  /* A <textarea>: Shift+Down selects to the next line, Shift+End to its end. */
  g_assert_true (press (doc, "#ta", 4, 6));
  assert_selection (doc, 0, 0);
  shift_key (doc, KEY_Down);
  text = copied (doc, FALSE);
  g_assert_cmpstr (text, ==, "one two\n");
  g_clear_pointer (&text, g_free);
  shift_key (doc, KEY_End);
  text = copied (doc, TRUE);
  g_assert_cmpstr (text, ==, "one two\nthree");
  assert_value (doc, "ta", "");

  /* Ctrl+Home and Ctrl+End go to the text's ends, past its lines (with
   * Shift, selecting). */
  g_assert_true (bh_document_form_insert_text (doc, "a\nb\nc"));
  g_assert_true (bh_document_form_key (doc, KEY_Home, MOD_CONTROL));
  assert_selection (doc, 0, 0);
  g_assert_true (bh_document_form_key (doc, KEY_End, MOD_CONTROL | MOD_SHIFT));
  assert_selection (doc, 0, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bh_document_warm_up ();
  g_test_add_func ("/renderer/forms/textarea", test_textarea);
  g_test_add_func ("/renderer/forms/select", test_select);
  g_test_add_func ("/renderer/forms/labels-and-fieldset", test_labels_and_fieldset);
  g_test_add_func ("/renderer/forms/buttons", test_buttons);
  g_test_add_func ("/renderer/forms/paste", test_paste);
  g_test_add_func ("/renderer/forms/script-values", test_script_values);
  g_test_add_func ("/renderer/forms/field-selection", test_field_selection);
  return g_test_run ();
}
