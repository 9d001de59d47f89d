/* bh-forms-submit.c: a form's submission (HTML 4.10.21, "form submission"):
 * the entry list of its controls (bh-forms.c keeps their state), the action,
 * method and encoding, and the request the browser is asked to make. */
#include "bh-forms-private.h"

#include <string.h>

static const char *
attr (const GumboNode *node, const char *name)
{
  return bh_gumbo_get_attribute (node, name);
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
      (control->selected < 0 || bh_form_option_disabled (control->options->pdata[control->selected])))
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
void
bh_forms_submit (BhDocument *doc, GumboNode *form, BhFormControl *submitter)
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
  bh_forms_foreach_control (doc, form != NULL ? form : doc->gumbo->document, form, entry_cb, &list);
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

