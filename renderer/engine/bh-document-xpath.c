/* bh-document-xpath.c: the XPath 1.0 subset automation's locators use
 * (BiDi's locateNodes {type: "xpath"}, WebDriver's "xpath" strategy), over
 * the document's gumbo tree. What selects elements only:
 *
 *   Expr      := Path ('|' Path)*
 *   Path      := ('/' | '//')? Step (('/' | '//') Step)*
 *   Step      := '.' | '..' | (('child' | 'descendant' | 'descendant-or-self' |
 *                 'self' | 'parent' | 'following-sibling' | 'preceding-sibling') '::')?
 *                NameTest Predicate*
 *   NameTest  := '*' | NAME (an HTML element's name, any case)
 *   Predicate := '[' Cond (('and' | 'or') Cond)* ']'
 *   Cond      := NUMBER | 'last()' | Value | Value ('=' | '!=') LITERAL |
 *                ('contains' | 'starts-with') '(' Value ',' LITERAL ')' |
 *                'not(' Cond ')'
 *   Value     := '@' NAME | 'text()' | '.' | 'normalize-space(' Value? ')' |
 *                'string(' Value? ')'
 *
 * ('and' and 'or' group left to right, without precedence.) A path relative
 * to nothing starts at the document. Anything else (attribute or text
 * results, functions beyond these, arithmetic) is not understood: the
 * caller answers "invalid selector". The result is a set; callers give it
 * in document order.
 */
#include "bh-document-private.h"

#include <stdlib.h>
#include <string.h>

/* Long expressions and deep nesting are a client's mistake, not a page's:
 * refused rather than walked. */
#define MAX_EXPRESSION_BYTES 4096
#define MAX_NOT_DEPTH 8

typedef enum { AXIS_CHILD, AXIS_DESCENDANT, AXIS_DESCENDANT_OR_SELF, AXIS_SELF, AXIS_PARENT,
               AXIS_FOLLOWING_SIBLING, AXIS_PRECEDING_SIBLING } Axis;

typedef struct {
  const char *p;
  gboolean failed;
} Parser;

static void
skip_space (Parser *P)
{
  while (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r')
    P->p++;
}

static gboolean
eat (Parser *P, const char *word)
{
  skip_space (P);
  if (strncmp (P->p, word, strlen (word)) != 0)
    return FALSE;
  P->p += strlen (word);
  return TRUE;
}

static char *
parse_name (Parser *P)
{
  const char *start;

  skip_space (P);
  start = P->p;
  while (g_ascii_isalnum (*P->p) || *P->p == '-' || *P->p == '_' || *P->p == ':' || *P->p == '.')
    P->p++;
  if (P->p == start)
    return NULL;
  return g_ascii_strdown (start, P->p - start);
}

static char *
parse_literal (Parser *P)
{
  char quote;
  const char *start;

  skip_space (P);
  quote = *P->p;
  if (quote != '\'' && quote != '"')
    return NULL;
  start = ++P->p;
  while (*P->p != '\0' && *P->p != quote)
    P->p++;
  if (*P->p != quote)
    return NULL;
  return g_strndup (start, P->p++ - start);
}

/* Values of an element, as XPath's string() of the node (or its text
 * children, or an attribute) would be. */

static void
append_text_content (GString *out, const GumboNode *node)
{
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA)
    g_string_append (out, node->v.text.text);
  else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    for (guint i = 0; i < node->v.element.children.length; i++)
      append_text_content (out, node->v.element.children.data[i]);
}

static char *
normalize_space (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
      }
  return g_string_free (out, FALSE);
}

typedef enum { VALUE_ATTRIBUTE, VALUE_TEXT, VALUE_SELF } ValueKind;

typedef struct {
  ValueKind kind;
  char *name;          /* VALUE_ATTRIBUTE */
  gboolean normalize;  /* normalize-space() of it */
} Value;

/* NULL when the element has no such attribute (or no text child, for
 * text()): a comparison with it is then false. */
static char *
value_of (const Value *v, const GumboNode *node)
{
  g_autofree char *raw = NULL;

  if (v->kind == VALUE_ATTRIBUTE)
    {
      const char *attr = bh_gumbo_get_attribute (node, v->name);

      if (attr == NULL)
        return NULL;
      raw = g_strdup (attr);
    }
  else if (v->kind == VALUE_TEXT)
    {
      /* The first text child, as a comparison of text() takes each in turn
       * and the common pages have one. */
      for (guint i = 0; i < node->v.element.children.length && raw == NULL; i++)
        {
          const GumboNode *child = node->v.element.children.data[i];

          if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE)
            raw = g_strdup (child->v.text.text);
        }
      if (raw == NULL)
        return NULL;
    }
  else
    {
      GString *text = g_string_new (NULL);

      append_text_content (text, node);
      raw = g_string_free (text, FALSE);
    }
  return v->normalize ? normalize_space (raw) : g_steal_pointer (&raw);
}

static gboolean
parse_value (Parser *P, Value *out)
{
  memset (out, 0, sizeof *out);
  gboolean normalize = FALSE;

  if ((normalize = eat (P, "normalize-space(")) || eat (P, "string("))
    {
      skip_space (P);
      if (*P->p == ')')
        out->kind = VALUE_SELF;
      else if (!parse_value (P, out))
        return FALSE;
      out->normalize |= normalize;
      return eat (P, ")");
    }
  if (eat (P, "@"))
    {
      out->kind = VALUE_ATTRIBUTE;
      out->name = parse_name (P);
      return out->name != NULL;
    }
  if (eat (P, "text()"))
    {
      out->kind = VALUE_TEXT;
      return TRUE;
    }
  if (eat (P, "."))
    {
      out->kind = VALUE_SELF;
      return TRUE;
    }
  return FALSE;
}

/* Conditions are parsed and evaluated at once for each candidate: the
 * parser rewinds to the predicate's start for the next one. */
static gboolean eval_condition (Parser *P, const GumboNode *node, guint position, guint size, int depth);

static gboolean
eval_conditions (Parser *P, const GumboNode *node, guint position, guint size, int depth)
{
  gboolean result = eval_condition (P, node, position, size, depth);

  while (!P->failed)
    {
      if (eat (P, "and"))
        result = eval_condition (P, node, position, size, depth) && result;
      else if (eat (P, "or"))
        result = eval_condition (P, node, position, size, depth) || result;
      else
        break;
    }
  return result;
}

static gboolean
eval_condition (Parser *P, const GumboNode *node, guint position, guint size, int depth)
{
  Value v;
  g_autofree char *literal = NULL;
  g_autofree char *value = NULL;

  skip_space (P);
  if (g_ascii_isdigit (*P->p))
    {
      guint64 n = g_ascii_strtoull (P->p, (char **) &P->p, 10);

      return n == position;
    }
  if (eat (P, "last()"))
    return position == size;
  if (eat (P, "not("))
    {
      gboolean result;

      if (depth >= MAX_NOT_DEPTH)
        {
          P->failed = TRUE;
          return FALSE;
        }
      result = !eval_conditions (P, node, position, size, depth + 1);
      if (!eat (P, ")"))
        P->failed = TRUE;
      return result;
    }
  gboolean starts = FALSE;

  if (eat (P, "contains(") || (starts = eat (P, "starts-with(")))
    {
      gboolean result;

      if (!parse_value (P, &v) || !eat (P, ",") || (literal = parse_literal (P)) == NULL || !eat (P, ")"))
        {
          g_free (v.name);
          P->failed = TRUE;
          return FALSE;
        }
      value = value_of (&v, node);
      g_free (v.name);
      result = value != NULL && (starts ? g_str_has_prefix (value, literal) : strstr (value, literal) != NULL);
      return result;
    }
  if (!parse_value (P, &v))
    {
      P->failed = TRUE;
      return FALSE;
    }
  value = value_of (&v, node);
  g_free (v.name);
  if (eat (P, "!="))
    {
      if ((literal = parse_literal (P)) == NULL)
        P->failed = TRUE;
      return value != NULL && literal != NULL && !g_str_equal (value, literal);
    }
  if (eat (P, "="))
    {
      if ((literal = parse_literal (P)) == NULL)
        P->failed = TRUE;
      return value != NULL && literal != NULL && g_str_equal (value, literal);
    }
  /* A bare value: true when it exists (an attribute) or is not empty. */
  return value != NULL && (v.kind == VALUE_ATTRIBUTE || *value != '\0');
}

static gboolean
is_element (const GumboNode *node)
{
  return node != NULL && (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE);
}

static const GumboVector *
children_of (const GumboNode *node)
{
  if (node->type == GUMBO_NODE_DOCUMENT)
    return &node->v.document.children;
  if (is_element (node))
    return &node->v.element.children;
  return NULL;
}

static gboolean
name_matches (const GumboNode *node, const char *name)
{
  g_autofree char *local = NULL;

  if (!is_element (node))
    return FALSE;
  if (g_str_equal (name, "*"))
    return TRUE;
  if (node->v.element.tag != GUMBO_TAG_UNKNOWN)
    return g_ascii_strcasecmp (gumbo_normalized_tagname (node->v.element.tag), name) == 0;
  {
    GumboStringPiece piece = node->v.element.original_tag;

    gumbo_tag_from_original_text (&piece);
    local = g_ascii_strdown (piece.data, (gssize) piece.length);
  }
  return g_str_equal (local, name);
}

static void
add_descendants (const GumboNode *node, GPtrArray *out)
{
  const GumboVector *children = children_of (node);

  for (guint i = 0; children != NULL && i < children->length; i++)
    if (is_element (children->data[i]))
      {
        g_ptr_array_add (out, children->data[i]);
        add_descendants (children->data[i], out);
      }
}

/* The nodes @axis reaches from @node, in the axis's order. */
static GPtrArray *
axis_nodes (const GumboNode *node, Axis axis)
{
  GPtrArray *out = g_ptr_array_new ();
  const GumboVector *children;

  switch (axis)
    {
    case AXIS_CHILD:
      children = children_of (node);
      for (guint i = 0; children != NULL && i < children->length; i++)
        if (is_element (children->data[i]))
          g_ptr_array_add (out, children->data[i]);
      break;
    case AXIS_DESCENDANT_OR_SELF:
      g_ptr_array_add (out, (gpointer) node);
      /* fall through */
    case AXIS_DESCENDANT:
      add_descendants (node, out);
      break;
    case AXIS_SELF:
      g_ptr_array_add (out, (gpointer) node);
      break;
    case AXIS_PARENT:
      if (node->parent != NULL && is_element (node->parent))
        g_ptr_array_add (out, node->parent);
      break;
    case AXIS_FOLLOWING_SIBLING:
    case AXIS_PRECEDING_SIBLING:
      if (node->parent != NULL && (children = children_of (node->parent)) != NULL)
        {
          guint at = node->index_within_parent;

          if (axis == AXIS_FOLLOWING_SIBLING)
            for (guint i = at + 1; i < children->length; i++)
              {
                if (is_element (children->data[i]))
                  g_ptr_array_add (out, children->data[i]);
              }
          else
            for (guint i = at; i > 0; i--)
              if (is_element (children->data[i - 1]))
                g_ptr_array_add (out, children->data[i - 1]);
        }
      break;
    }
  return out;
}

/* One step from every node of @context: a new set, in no particular order. */
static GHashTable *
apply_step (Parser *P, GHashTable *context, gboolean descendants)
{
  GHashTable *result = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key;
  Axis axis = AXIS_CHILD;
  g_autofree char *name = NULL;
  const char *predicates;

  skip_space (P);
  if (eat (P, ".."))
    {
      axis = AXIS_PARENT;
      name = g_strdup ("*");
    }
  else if (*P->p == '.' && P->p[1] != '.')
    {
      P->p++;
      axis = AXIS_SELF;
      name = g_strdup ("*");
    }
  else
    {
      static const struct { const char *word; Axis axis; } axes[] = {
        { "descendant-or-self::", AXIS_DESCENDANT_OR_SELF }, { "descendant::", AXIS_DESCENDANT },
        { "child::", AXIS_CHILD }, { "self::", AXIS_SELF }, { "parent::", AXIS_PARENT },
        { "following-sibling::", AXIS_FOLLOWING_SIBLING }, { "preceding-sibling::", AXIS_PRECEDING_SIBLING },
      };

      for (gsize i = 0; i < G_N_ELEMENTS (axes); i++)
        if (eat (P, axes[i].word))
          {
            axis = axes[i].axis;
            break;
          }
      skip_space (P);
      if (*P->p == '*')
        {
          P->p++;
          name = g_strdup ("*");
        }
      else
        name = parse_name (P);
      /* text(), node(), @attr...: results that are not elements. */
      skip_space (P);
      if (name == NULL || *P->p == '(')
        {
          P->failed = TRUE;
          return result;
        }
    }
  predicates = P->p;

  g_hash_table_iter_init (&iter, context);
  while (g_hash_table_iter_next (&iter, &key, NULL) && !P->failed)
    {
      g_autoptr (GPtrArray) starts = descendants ? axis_nodes (key, AXIS_DESCENDANT_OR_SELF) : NULL;

      if (starts == NULL)
        {
          starts = g_ptr_array_new ();
          g_ptr_array_add (starts, key);
        }
      for (guint s = 0; s < starts->len && !P->failed; s++)
        {
          g_autoptr (GPtrArray) candidates = axis_nodes (starts->pdata[s], axis);
          g_autoptr (GPtrArray) matched = g_ptr_array_new ();

          for (guint i = 0; i < candidates->len; i++)
            if (name_matches (candidates->pdata[i], name))
              g_ptr_array_add (matched, candidates->pdata[i]);
          /* Each predicate filters what the one before it kept, positions
           * counted afresh (XPath 1.0, section 2.4). */
          P->p = predicates;
          while (eat (P, "[") && !P->failed)
            {
              const char *start = P->p;
              g_autoptr (GPtrArray) kept = g_ptr_array_new ();

              for (guint i = 0; i < matched->len && !P->failed; i++)
                {
                  P->p = start;
                  if (eval_conditions (P, matched->pdata[i], i + 1, matched->len, 0))
                    g_ptr_array_add (kept, matched->pdata[i]);
                }
              if (matched->len == 0)
                {
                  /* Nothing to test: skip the predicate's text. */
                  int nesting = 1;

                  P->p = start;
                  while (*P->p != '\0' && nesting > 0)
                    {
                      if (*P->p == '[')
                        nesting++;
                      else if (*P->p == ']')
                        nesting--;
                      if (nesting > 0)
                        P->p++;
                    }
                }
              if (!eat (P, "]"))
                P->failed = TRUE;
              g_ptr_array_unref (matched);
              matched = g_steal_pointer (&kept);
            }
          for (guint i = 0; i < matched->len; i++)
            g_hash_table_add (result, matched->pdata[i]);
        }
    }
  /* Past the predicates, whatever the last candidate list was. */
  if (g_hash_table_size (context) == 0 && !P->failed)
    {
      int nesting = 0;

      while (*P->p != '\0' && (nesting > 0 || *P->p == '[' || *P->p == ' '))
        {
          if (*P->p == '[')
            nesting++;
          else if (*P->p == ']')
            nesting--;
          P->p++;
        }
    }
  return result;
}

static GHashTable *
eval_path (Parser *P, const GumboNode *document)
{
  GHashTable *context = g_hash_table_new (NULL, NULL);
  gboolean descendants = FALSE;

  g_hash_table_add (context, (gpointer) document);
  skip_space (P);
  if (eat (P, "//"))
    descendants = TRUE;
  else
    eat (P, "/");
  while (!P->failed)
    {
      GHashTable *next = apply_step (P, context, descendants);

      g_hash_table_unref (context);
      context = next;
      skip_space (P);
      if (eat (P, "//"))
        descendants = TRUE;
      else if (eat (P, "/"))
        descendants = FALSE;
      else
        break;
    }
  return context;
}

GHashTable *
bh_document_xpath_evaluate (BhDocument *doc, const char *expression)
{
  Parser P = { expression, FALSE };
  GHashTable *result;

  if (doc->gumbo == NULL || strlen (expression) > MAX_EXPRESSION_BYTES)
    return NULL;
  result = eval_path (&P, doc->gumbo->document);
  while (!P.failed && eat (&P, "|"))
    {
      g_autoptr (GHashTable) more = eval_path (&P, doc->gumbo->document);
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, more);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (result, key);
    }
  skip_space (&P);
  if (P.failed || *P.p != '\0')
    {
      g_hash_table_unref (result);
      return NULL;
    }
  /* The document node itself is not an element. */
  g_hash_table_remove (result, doc->gumbo->document);
  return result;
}
