/* bh-css-selector.c: parsing selectors and matching them against elements. A rule
 * whose selector this engine does not understand is dropped whole (CSS 2.1 section 4.2). */
#include "bh-css-private.h"

#include <string.h>

/* ---------------------------------------------------------------- selectors */

static void
compound_clear (BhCompound *c)
{
  g_free (c->tag_name);
  g_free (c->id);
  g_strfreev (c->classes);
  for (guint i = 0; i < c->n_attrs; i++)
    {
      g_free (c->attrs[i].name);
      g_free (c->attrs[i].value);
    }
  g_free (c->attrs);
  for (guint i = 0; i < c->n_pseudos; i++)
    if (c->pseudos[i].list != NULL)
      g_ptr_array_unref (c->pseudos[i].list);
  g_free (c->pseudos);
  memset (c, 0, sizeof *c);
}

void
bh_css_selector_free (BhSelector *sel)
{
  if (sel == NULL)
    return;
  for (guint i = 0; i < sel->n_parts; i++)
    compound_clear (&sel->parts[i]);
  g_free (sel->parts);
  g_free (sel);
}

/* Parses one compound selector; returns FALSE on syntax this engine cannot read. */
static BhSelector *parse_selector_depth (const char *p, const char *end, int depth);

/* The inside of [...]: a name, maybe an operator and a value, maybe " i". */
static gboolean
parse_attr_test (const char *p, const char *end, BhAttrTest *test)
{
  static const struct { const char *op; guint8 kind; } ops[] = {
    { "~=", ATTR_INCLUDES }, { "|=", ATTR_DASH }, { "^=", ATTR_PREFIX }, { "$=", ATTR_SUFFIX },
    { "*=", ATTR_SUBSTRING }, { "=", ATTR_EQUALS },
  };
  g_autofree char *name = NULL;

  while (p < end && bh_css_is_space (*p))
    p++;
  name = bh_css_read_ident (&p, end);
  if (name == NULL)
    return FALSE;
  while (p < end && bh_css_is_space (*p))
    p++;
  test->op = ATTR_EXISTS;
  if (p < end)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (ops) && !found; i++)
        {
          gsize n = strlen (ops[i].op);
          if ((gsize) (end - p) >= n && memcmp (p, ops[i].op, n) == 0)
            {
              test->op = ops[i].kind;
              p += n;
              found = TRUE;
            }
        }
      if (!found)
        return FALSE;
      while (p < end && bh_css_is_space (*p))
        p++;
      if (p < end && (*p == '"' || *p == '\''))
        {
          const char *close = bh_css_skip_string (p, end);
          GString *s = g_string_new (NULL);
          for (const char *q = p + 1; q < close - 1;)
            {
              if (bh_css_starts_escape (q, close - 1))
                q = bh_css_consume_escape (q, close - 1, s);
              else
                g_string_append_c (s, *q++);
            }
          test->value = g_string_free (s, FALSE);
          p = close;
        }
      else
        {
          test->value = bh_css_read_ident (&p, end);
          if (test->value == NULL)
            return FALSE;
        }
      while (p < end && bh_css_is_space (*p))
        p++;
      if (p < end && (*p == 'i' || *p == 'I'))
        {
          test->icase = TRUE;
          p++;
        }
      else if (p < end && (*p == 's' || *p == 'S'))
        p++;
      while (p < end && bh_css_is_space (*p))
        p++;
      if (p != end)
        {
          g_free (test->value);
          return FALSE;
        }
    }
  test->name = g_ascii_strdown (name, -1);
  return TRUE;
}

/* An+B (Selectors 4 section 14.2, CSS Syntax 3 section 6): odd, even, 3, 2n+1, -n+3. */
static gboolean
parse_nth (const char *p, const char *end, int *a, int *b)
{
  g_autofree char *text = g_ascii_strdown (p, end - p);
  char *s = g_strstrip (text), *n, *rest;
  char *of = strstr (s, " of ");

  if (of != NULL)
    return FALSE;  /* :nth-child(An+B of S) is not read */
  if (strcmp (s, "odd") == 0)
    return *a = 2, *b = 1, TRUE;
  if (strcmp (s, "even") == 0)
    return *a = 2, *b = 0, TRUE;
  n = strchr (s, 'n');
  if (n == NULL)
    {
      gint64 v = g_ascii_strtoll (s, &rest, 10);
      if (rest == s || *g_strstrip (rest) != '\0')
        return FALSE;
      *a = 0;
      *b = (int) CLAMP (v, -100000, 100000);
      return TRUE;
    }
  *n = '\0';
  if (*s == '\0' || strcmp (s, "+") == 0)
    *a = 1;
  else if (strcmp (s, "-") == 0)
    *a = -1;
  else
    {
      gint64 v = g_ascii_strtoll (s, &rest, 10);
      if (rest == s || *rest != '\0')
        return FALSE;
      *a = (int) CLAMP (v, -100000, 100000);
    }
  s = n + 1;
  while (*s == ' ')
    s++;
  if (*s == '\0')
    {
      *b = 0;
      return TRUE;
    }
  {
    int sign = 1;
    gint64 v;
    if (*s == '+' || *s == '-')
      sign = *s++ == '-' ? -1 : 1;
    while (*s == ' ')
      s++;
    v = g_ascii_strtoll (s, &rest, 10);
    if (rest == s || *g_strstrip (rest) != '\0' || v < 0)
      return FALSE;
    *b = sign * (int) CLAMP (v, 0, 100000);
  }
  return TRUE;
}

static void
add_pseudo (BhCompound *c, BhPseudo pseudo)
{
  c->pseudos = g_renew (BhPseudo, c->pseudos, c->n_pseudos + 1);
  c->pseudos[c->n_pseudos++] = pseudo;
}

static void
add_attr_exists (BhCompound *c, const char *name)
{
  BhAttrTest test = { g_strdup (name), NULL, ATTR_EXISTS, FALSE };
  c->attrs = g_renew (BhAttrTest, c->attrs, c->n_attrs + 1);
  c->attrs[c->n_attrs++] = test;
}

/* A selector list inside :not(), :is(), :where(); NULL when any part is not read
 * (:is() and :where() forgive that in Selectors 4; here the rule is dropped). */
static GPtrArray *
parse_list (const char *p, const char *end, int depth, guint32 *max_specificity)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_css_selector_free);

  *max_specificity = 0;
  while (p < end)
    {
      const char *q = p;
      int nesting = 0;
      BhSelector *sel;
      while (q < end && (nesting > 0 || *q != ','))
        {
          if (*q == '(')
            nesting++;
          else if (*q == ')')
            nesting--;
          q++;
        }
      sel = parse_selector_depth (p, q, depth + 1);
      if (sel == NULL || sel->parts[sel->n_parts - 1].pseudo_element != PSEUDO_ELEMENT_NONE)
        {
          bh_css_selector_free (sel);
          g_ptr_array_unref (list);
          return NULL;
        }
      *max_specificity = MAX (*max_specificity, sel->specificity);
      g_ptr_array_add (list, sel);
      p = q < end ? q + 1 : q;
    }
  if (list->len == 0)
    {
      g_ptr_array_unref (list);
      return NULL;
    }
  return list;
}

/* One :pseudo-class or ::pseudo-element with its arguments (nullable). */
static gboolean
parse_pseudo (BhCompound *c, const char *ident, gboolean element, const char *args, const char *args_end,
              guint32 *specificity, int depth)
{
  g_autofree char *name = g_ascii_strdown (ident, -1);

  if ((element || args == NULL) && (strcmp (name, "before") == 0 || strcmp (name, "after") == 0))
    {
      c->pseudo_element = name[0] == 'b' ? PSEUDO_ELEMENT_BEFORE : PSEUDO_ELEMENT_AFTER;
      *specificity += 1;
      return TRUE;
    }
  if (element && args == NULL && strcmp (name, "marker") == 0)
    {
      c->pseudo_element = PSEUDO_ELEMENT_MARKER;
      *specificity += 1;
      return TRUE;
    }
  if (element)
    {
      c->never = TRUE;  /* ::selection, ::placeholder... */
      *specificity += 1;
      return TRUE;
    }
  if (args == NULL)
    {
      static const struct { const char *name; guint8 kind; int a, b; } structural[] = {
        { "first-child", PSEUDO_NTH_CHILD, 0, 1 }, { "last-child", PSEUDO_NTH_LAST_CHILD, 0, 1 },
        { "first-of-type", PSEUDO_NTH_OF_TYPE, 0, 1 }, { "last-of-type", PSEUDO_NTH_LAST_OF_TYPE, 0, 1 },
      };
      *specificity += 100;
      for (guint i = 0; i < G_N_ELEMENTS (structural); i++)
        if (strcmp (name, structural[i].name) == 0)
          {
            add_pseudo (c, (BhPseudo) { structural[i].kind, structural[i].a, structural[i].b, NULL });
            return TRUE;
          }
      if (strcmp (name, "only-child") == 0 || strcmp (name, "only-of-type") == 0)
        {
          gboolean type = name[5] == 'o';
          add_pseudo (c, (BhPseudo) { type ? PSEUDO_NTH_OF_TYPE : PSEUDO_NTH_CHILD, 0, 1, NULL });
          add_pseudo (c, (BhPseudo) { type ? PSEUDO_NTH_LAST_OF_TYPE : PSEUDO_NTH_LAST_CHILD, 0, 1, NULL });
        }
      else if (strcmp (name, "empty") == 0)
        add_pseudo (c, (BhPseudo) { PSEUDO_EMPTY, 0, 0, NULL });
      else if (strcmp (name, "link") == 0 || strcmp (name, "any-link") == 0)
        c->need_link = TRUE;
      else if (strcmp (name, "root") == 0)
        {
          if (c->tag != GUMBO_TAG_LAST && c->tag != GUMBO_TAG_HTML)
            c->never = TRUE;
          c->tag = GUMBO_TAG_HTML;
        }
      else if (strcmp (name, "hover") == 0)
        {
          add_pseudo (c, (BhPseudo) { PSEUDO_HOVER, 0, 0, NULL });
          c->states |= BH_STATE_HOVER;
        }
      else if (strcmp (name, "focus") == 0 || strcmp (name, "focus-visible") == 0 ||
               strcmp (name, "focus-within") == 0)
        {
          add_pseudo (c, (BhPseudo) { strcmp (name, "focus-within") == 0 ? PSEUDO_FOCUS_WITHIN : PSEUDO_FOCUS, 0, 0, NULL });
          c->states |= BH_STATE_FOCUS;
        }
      else if (strcmp (name, "target") == 0)
        {
          add_pseudo (c, (BhPseudo) { PSEUDO_TARGET, 0, 0, NULL });
          c->states |= BH_STATE_TARGET;
        }
      else if (strcmp (name, "checked") == 0)
        add_attr_exists (c, "checked");
      else if (strcmp (name, "disabled") == 0)
        add_attr_exists (c, "disabled");
      else
        c->never = TRUE;  /* :visited, :active...: not matched */
      return TRUE;
    }
  if (strcmp (name, "nth-child") == 0 || strcmp (name, "nth-last-child") == 0 ||
      strcmp (name, "nth-of-type") == 0 || strcmp (name, "nth-last-of-type") == 0)
    {
      BhPseudo pseudo = { 0 };
      gboolean last = strstr (name, "last") != NULL, type = strstr (name, "type") != NULL;
      if (!parse_nth (args, args_end, &pseudo.a, &pseudo.b))
        return FALSE;
      pseudo.kind = type ? (last ? PSEUDO_NTH_LAST_OF_TYPE : PSEUDO_NTH_OF_TYPE)
                         : (last ? PSEUDO_NTH_LAST_CHILD : PSEUDO_NTH_CHILD);
      add_pseudo (c, pseudo);
      *specificity += 100;
      return TRUE;
    }
  if (strcmp (name, "not") == 0 || strcmp (name, "is") == 0 || strcmp (name, "where") == 0 ||
      strcmp (name, "matches") == 0 || strcmp (name, "-webkit-any") == 0)
    {
      guint32 inner = 0;
      GPtrArray *list;
      if (depth >= 4)
        return FALSE;
      list = parse_list (args, args_end, depth, &inner);
      if (list == NULL)
        return FALSE;
      add_pseudo (c, (BhPseudo) { name[0] == 'n' ? PSEUDO_NOT : PSEUDO_IS, 0, 0, list });
      for (guint i = 0; i < list->len; i++)
        c->states |= bh_css_selector_states (list->pdata[i]);
      /* :where() adds nothing; :not() and :is() their most specific argument */
      if (name[0] != 'w')
        *specificity += inner;
      return TRUE;
    }
  /* :lang(), :dir(), :has()...: never */
  c->never = TRUE;
  *specificity += 100;
  return TRUE;
}

static gboolean
parse_compound (const char **pp, const char *end, BhCompound *c, guint32 *specificity, int depth)
{
  const char *p = *pp;
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  gboolean any = FALSE;

  c->tag = GUMBO_TAG_LAST;
  if (p < end && *p == '*')
    {
      p++;
      any = TRUE;
    }
  else if (p < end && (bh_css_is_ident_char (*p) || bh_css_starts_escape (p, end)))
    {
      /* A backslash that is not an escape ("\\{}", "\\" before a newline) starts no
       * name, and a selector without one is dropped. */
      g_autofree char *name = bh_css_read_ident (&p, end);
      g_autofree char *lower = NULL;

      if (name == NULL)
        goto fail;
      lower = g_ascii_strdown (name, -1);
      c->tag = gumbo_tag_enum (lower);
      if (c->tag == GUMBO_TAG_UNKNOWN)
        c->tag_name = g_steal_pointer (&lower);
      *specificity += 1;
      any = TRUE;
    }

  while (p < end)
    {
      if (*p == '#' || *p == '.')
        {
          char kind = *p++;
          char *ident = bh_css_read_ident (&p, end);
          if (ident == NULL)
            goto fail;
          if (kind == '#')
            {
              g_free (c->id);
              c->id = ident;
              *specificity += 10000;
            }
          else
            {
              g_ptr_array_add (classes, ident);
              *specificity += 100;
            }
          any = TRUE;
        }
      else if (*p == ':')
        {
          gboolean element = p + 1 < end && p[1] == ':';
          g_autofree char *ident = NULL;
          const char *args = NULL, *args_end = NULL;

          p += element ? 2 : 1;
          ident = bh_css_read_ident (&p, end);
          if (ident == NULL)
            goto fail;
          if (p < end && *p == '(')
            {
              int depth = 0;
              args = p + 1;
              while (p < end)
                {
                  if (*p == '(')
                    depth++;
                  else if (*p == ')' && --depth == 0)
                    break;
                  p++;
                }
              if (p >= end)
                goto fail;
              args_end = p++;
            }
          if (!parse_pseudo (c, ident, element, args, args_end, specificity, depth))
            goto fail;
          any = TRUE;
        }
      else if (*p == '[')
        {
          BhAttrTest test = { 0 };
          const char *close = p + 1;
          while (close < end && *close != ']')
            {
              if (*close == '"' || *close == '\'')
                close = bh_css_skip_string (close, end);
              else
                close++;
            }
          if (close >= end || !parse_attr_test (p + 1, close, &test))
            goto fail;
          c->attrs = g_renew (BhAttrTest, c->attrs, c->n_attrs + 1);
          c->attrs[c->n_attrs++] = test;
          p = close + 1;
          *specificity += 100;
          any = TRUE;
        }
      else
        break;
    }

  if (!any)
    goto fail;
  if (classes->len > 0)
    {
      g_ptr_array_add (classes, NULL);
      c->classes = (char **) g_ptr_array_free (g_steal_pointer (&classes), FALSE);
    }
  *pp = p;
  return TRUE;

fail:
  g_ptr_array_set_free_func (classes, g_free);
  return FALSE;
}

/* A selector has at most this many compound selectors. */
#define BH_MAX_COMPOUNDS 32

static BhSelector *
parse_selector_depth (const char *p, const char *end, int depth)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (BhCompound));
  BhSelector *sel = g_new0 (BhSelector, 1);
  guint8 comb = COMB_NONE;

  while (p < end)
    {
      BhCompound c = { 0 };
      gboolean had_space = FALSE;

      while (p < end && bh_css_is_space (*p))
        {
          p++;
          had_space = TRUE;
        }
      if (p >= end)
        break;
      if (*p == '>' || *p == '+' || *p == '~')
        {
          if (comb != COMB_NONE && comb != COMB_DESCENDANT)
            goto fail;
          comb = *p == '>' ? COMB_CHILD : *p == '+' ? COMB_ADJACENT : COMB_SIBLING;
          p++;
          while (p < end && bh_css_is_space (*p))
            p++;
        }
      else if (had_space && parts->len > 0)
        comb = COMB_DESCENDANT;
      if (parts->len > 0 && comb == COMB_NONE)
        goto fail;
      if (parts->len >= BH_MAX_COMPOUNDS || !parse_compound (&p, end, &c, &sel->specificity, depth))
        {
          compound_clear (&c);
          goto fail;
        }
      c.combinator = parts->len > 0 ? comb : COMB_NONE;
      g_array_append_val (parts, c);
      comb = COMB_NONE;
    }
  if (parts->len == 0 || comb != COMB_NONE)
    goto fail;
  sel->n_parts = parts->len;
  sel->parts = (BhCompound *) g_array_free (g_steal_pointer (&parts), FALSE);
  /* a pseudo-element only at the end */
  for (guint i = 0; i + 1 < sel->n_parts; i++)
    if (sel->parts[i].pseudo_element != PSEUDO_ELEMENT_NONE)
      {
        bh_css_selector_free (sel);
        return NULL;
      }
  return sel;

fail:
  sel->n_parts = parts->len;
  sel->parts = (BhCompound *) g_array_free (g_steal_pointer (&parts), FALSE);
  bh_css_selector_free (sel);
  return NULL;
}

BhSelector *
bh_css_parse_selector (const char *p, const char *end)
{
  return parse_selector_depth (p, end, 0);
}

/* ---------------------------------------------------------------- matching */

static const char *
node_attribute (const GumboNode *node, const char *name)
{
  const GumboVector *attrs;

  if (node == NULL || node->type != GUMBO_NODE_ELEMENT)
    return NULL;
  attrs = &node->v.element.attributes;
  for (guint i = 0; i < attrs->length; i++)
    {
      const GumboAttribute *a = attrs->data[i];
      if (g_ascii_strcasecmp (a->name, name) == 0)
        return a->value;
    }
  return NULL;
}

static gboolean
str_equal (const char *a, const char *b, gsize n, gboolean icase)
{
  return icase ? g_ascii_strncasecmp (a, b, n) == 0 : strncmp (a, b, n) == 0;
}

static gboolean
attr_matches (const BhAttrTest *test, const GumboNode *node)
{
  const char *have = node_attribute (node, test->name);
  gsize hn, wn;

  if (have == NULL)
    return FALSE;
  if (test->op == ATTR_EXISTS)
    return TRUE;
  hn = strlen (have);
  wn = strlen (test->value);
  switch (test->op)
    {
    case ATTR_EQUALS:
      return hn == wn && str_equal (have, test->value, wn, test->icase);
    case ATTR_INCLUDES:
      if (wn == 0 || strpbrk (test->value, " \t\n\r\f") != NULL)
        return FALSE;
      for (const char *p = have; *p;)
        {
          gsize n;
          while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
          n = strcspn (p, " \t\n\r\f");
          if (n == wn && str_equal (p, test->value, n, test->icase))
            return TRUE;
          p += n;
        }
      return FALSE;
    case ATTR_DASH:
      return hn >= wn && str_equal (have, test->value, wn, test->icase) && (have[wn] == '\0' || have[wn] == '-');
    case ATTR_PREFIX:
      return wn > 0 && hn >= wn && str_equal (have, test->value, wn, test->icase);
    case ATTR_SUFFIX:
      return wn > 0 && hn >= wn && str_equal (have + hn - wn, test->value, wn, test->icase);
    case ATTR_SUBSTRING:
      if (wn == 0)
        return FALSE;
      for (gsize i = 0; i + wn <= hn; i++)
        if (str_equal (have + i, test->value, wn, test->icase))
          return TRUE;
      return FALSE;
    default:
      return FALSE;
    }
}

static gboolean
same_type (const GumboNode *a, const GumboNode *b)
{
  if (a->v.element.tag != b->v.element.tag)
    return FALSE;
  if (a->v.element.tag != GUMBO_TAG_UNKNOWN)
    return TRUE;
  return a->v.element.original_tag.length == b->v.element.original_tag.length &&
         g_ascii_strncasecmp (a->v.element.original_tag.data, b->v.element.original_tag.data,
                              a->v.element.original_tag.length) == 0;
}

/* Siblings looked at for one structural test: long lists stop counting here. */
#define BH_MAX_SIBLING_WALK 10000

/* The element's 1-based position among its element siblings (of its type), from the
 * start or the end. */
static int
element_position (const GumboNode *node, gboolean from_end, gboolean of_type)
{
  const GumboNode *parent = node->parent;
  const GumboVector *children;
  int pos = 1, steps = 0;

  if (parent == NULL || (parent->type != GUMBO_NODE_ELEMENT && parent->type != GUMBO_NODE_TEMPLATE &&
                         parent->type != GUMBO_NODE_DOCUMENT))
    return 1;
  children = parent->type == GUMBO_NODE_DOCUMENT ? &parent->v.document.children : &parent->v.element.children;
  if (!from_end)
    {
      for (gsize i = node->index_within_parent; i > 0 && steps < BH_MAX_SIBLING_WALK; i--, steps++)
        {
          const GumboNode *sib = children->data[i - 1];
          if (sib->type == GUMBO_NODE_ELEMENT && (!of_type || same_type (sib, node)))
            pos++;
        }
    }
  else
    {
      for (gsize i = node->index_within_parent + 1; i < children->length && steps < BH_MAX_SIBLING_WALK; i++, steps++)
        {
          const GumboNode *sib = children->data[i];
          if (sib->type == GUMBO_NODE_ELEMENT && (!of_type || same_type (sib, node)))
            pos++;
        }
    }
  return pos;
}

static gboolean
nth_matches (int a, int b, int pos)
{
  if (a == 0)
    return pos == b;
  /* pos = a*n + b for some n >= 0 */
  return (pos - b) % a == 0 && (pos - b) / a >= 0;
}

static gboolean compound_matches (const BhCompound *c, const BhElement *el);

/* Whether @node is @inner or one of its ancestors (the hover chain, Selectors 4
 * section 9.2: an element is hovered when one of its descendants is). */
static gboolean
is_inclusive_ancestor (const GumboNode *node, const GumboNode *inner)
{
  int steps = 0;

  for (const GumboNode *n = inner; n != NULL && steps < 4 * BH_MAX_ANCESTOR_WALK; n = n->parent, steps++)
    if (n == node)
      return TRUE;
  return FALSE;
}

static gboolean
pseudo_matches (const BhPseudo *ps, const BhElement *el)
{
  const GumboNode *node = el->node;

  switch (ps->kind)
    {
    case PSEUDO_HOVER:
      return node != NULL && el->states != NULL && is_inclusive_ancestor (node, el->states->hover);
    case PSEUDO_FOCUS:
      return node != NULL && el->states != NULL && el->states->focus == node;
    case PSEUDO_FOCUS_WITHIN:
      return node != NULL && el->states != NULL && is_inclusive_ancestor (node, el->states->focus);
    case PSEUDO_TARGET:
      return node != NULL && el->states != NULL && el->states->target == node;
    case PSEUDO_NOT:
    case PSEUDO_IS:
      for (guint i = 0; i < ps->list->len; i++)
        if (bh_css_selector_matches (ps->list->pdata[i], el, PSEUDO_ELEMENT_NONE))
          return ps->kind == PSEUDO_IS;
      return ps->kind == PSEUDO_NOT;
    case PSEUDO_EMPTY:
      if (node == NULL)
        return FALSE;
      for (guint i = 0; i < node->v.element.children.length; i++)
        {
          const GumboNode *child = node->v.element.children.data[i];
          if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEXT ||
              child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_CDATA)
            return FALSE;
        }
      return TRUE;
    default:
      if (node == NULL)
        return FALSE;
      return nth_matches (ps->a, ps->b,
                          element_position (node, ps->kind == PSEUDO_NTH_LAST_CHILD || ps->kind == PSEUDO_NTH_LAST_OF_TYPE,
                                            ps->kind == PSEUDO_NTH_OF_TYPE || ps->kind == PSEUDO_NTH_LAST_OF_TYPE));
    }
}

static gboolean
compound_matches (const BhCompound *c, const BhElement *el)
{
  if (c->never)
    return FALSE;
  if (c->tag != GUMBO_TAG_LAST)
    {
      if (c->tag != el->tag)
        return FALSE;
      if (c->tag == GUMBO_TAG_UNKNOWN && (el->tag_name == NULL || strcmp (c->tag_name, el->tag_name) != 0))
        return FALSE;
    }
  if (c->need_link && !el->is_link)
    return FALSE;
  if (c->id != NULL && (el->id == NULL || strcmp (c->id, el->id) != 0))
    return FALSE;
  if (c->classes != NULL)
    {
      for (char **want = c->classes; *want; want++)
        {
          gboolean found = FALSE;
          if (el->classes != NULL)
            for (char **have = el->classes; *have; have++)
              if (strcmp (*want, *have) == 0)
                {
                  found = TRUE;
                  break;
                }
          if (!found)
            return FALSE;
        }
    }
  for (guint i = 0; i < c->n_attrs; i++)
    if (!attr_matches (&c->attrs[i], el->node))
      return FALSE;
  for (guint i = 0; i < c->n_pseudos; i++)
    if (!pseudo_matches (&c->pseudos[i], el))
      return FALSE;
  return TRUE;
}

/* A previous element sibling as a BhElement (its classes split into @classes, which
 * the caller frees); FALSE when there is none. */
static gboolean
previous_sibling (const BhElement *el, const GumboNode *from, BhElement *out, char ***classes)
{
  const GumboNode *parent;
  const GumboVector *children;

  if (from == NULL || (parent = from->parent) == NULL)
    return FALSE;
  children = parent->type == GUMBO_NODE_DOCUMENT ? &parent->v.document.children : &parent->v.element.children;
  for (gsize i = from->index_within_parent; i > 0; i--)
    {
      const GumboNode *sib = children->data[i - 1];
      const char *class_attr;
      if (sib->type != GUMBO_NODE_ELEMENT)
        continue;
      memset (out, 0, sizeof *out);
      out->parent = el->parent;
      out->tag = sib->v.element.tag;
      out->id = node_attribute (sib, "id");
      class_attr = node_attribute (sib, "class");
      *classes = class_attr != NULL ? g_strsplit_set (class_attr, " \t\n\r\f", -1) : NULL;
      out->classes = *classes;
      out->is_link = (out->tag == GUMBO_TAG_A || out->tag == GUMBO_TAG_AREA) && node_attribute (sib, "href") != NULL;
      out->node = sib;
      out->states = el->states;
      return TRUE;
    }
  return FALSE;
}

/* Whether compounds 0..i-1 match, compound i having matched @el: right to left, the
 * nearest ancestor for a descendant combinator (greedy: a few selectors mixing
 * combinators in unusual ways are missed, none matched wrongly), siblings from gumbo's
 * tree for + and ~. */
static gboolean
match_left (const BhSelector *sel, int i, const BhElement *el)
{
  guint8 comb;

  if (i == 0)
    return TRUE;
  comb = sel->parts[i].combinator;
  switch (comb)
    {
    case COMB_CHILD:
      return el->parent != NULL && compound_matches (&sel->parts[i - 1], el->parent) &&
             match_left (sel, i - 1, el->parent);
    case COMB_ADJACENT:
    case COMB_SIBLING:
      {
        const GumboNode *from = el->node;
        int steps = 0;
        while (steps++ < BH_MAX_SIBLING_WALK)
          {
            BhElement sib;
            char **classes = NULL;
            gboolean ok;
            if (!previous_sibling (el, from, &sib, &classes))
              return FALSE;
            ok = compound_matches (&sel->parts[i - 1], &sib) && match_left (sel, i - 1, &sib);
            g_strfreev (classes);
            if (ok)
              return TRUE;
            if (comb == COMB_ADJACENT)
              return FALSE;
            from = sib.node;
          }
        return FALSE;
      }
    default:
      {
        const BhElement *cur = el;
        int steps = 0;
        do
          cur = cur->parent;
        while (cur != NULL && ++steps < BH_MAX_ANCESTOR_WALK && !compound_matches (&sel->parts[i - 1], cur));
        if (cur == NULL || steps >= BH_MAX_ANCESTOR_WALK)
          return FALSE;
        return match_left (sel, i - 1, cur);
      }
    }
}

/**
 * bh_css_selector_states: (skip)
 * @sel: a selector
 *
 * Returns: the BH_STATE_* flags of the states any of its compounds tests.
 */
guint
bh_css_selector_states (const BhSelector *sel)
{
  guint states = 0;

  for (guint i = 0; i < sel->n_parts; i++)
    states |= sel->parts[i].states;
  return states;
}

/**
 * bh_css_compound_matches_in_state: (skip)
 * @c: a compound selector
 * @node: an element
 *
 * Whether @c would match @node were @node hovered and focused: what a change of
 * @node's states can change at most.
 */
gboolean
bh_css_compound_matches_in_state (const BhCompound *c, const GumboNode *node)
{
  BhElementStates states = { node, node, node };
  BhElement el = { 0 };
  g_auto(GStrv) classes = NULL;
  const char *class_attr;

  if (node == NULL || node->type != GUMBO_NODE_ELEMENT)
    return FALSE;
  el.tag = node->v.element.tag;
  el.id = node_attribute (node, "id");
  class_attr = node_attribute (node, "class");
  classes = class_attr != NULL ? g_strsplit_set (class_attr, " \t\n\r\f", -1) : NULL;
  el.classes = classes;
  el.is_link = (el.tag == GUMBO_TAG_A || el.tag == GUMBO_TAG_AREA) && node_attribute (node, "href") != NULL;
  el.node = node;
  el.states = &states;
  if (el.tag == GUMBO_TAG_UNKNOWN && c->tag == GUMBO_TAG_UNKNOWN)
    {
      /* the name of an unknown tag, as the box tree reads it */
      GumboStringPiece piece = node->v.element.original_tag;
      g_autofree char *name = NULL;
      if (piece.data != NULL && piece.length > 0)
        {
          gumbo_tag_from_original_text (&piece);
          name = g_ascii_strdown (piece.data, piece.length);
        }
      el.tag_name = name;
      return compound_matches (c, &el);
    }
  return compound_matches (c, &el);
}

/**
 * bh_css_selector_matches: (skip)
 * @sel: a selector
 * @el: an element, linked to its ancestors
 * @pseudo_element: PSEUDO_ELEMENT_NONE for the element, else its ::before or ::after
 *
 * Returns: whether @sel matches.
 */
gboolean
bh_css_selector_matches (const BhSelector *sel, const BhElement *el, guint8 pseudo_element)
{
  int i = (int) sel->n_parts - 1;

  if (sel->parts[i].pseudo_element != pseudo_element)
    return FALSE;
  return compound_matches (&sel->parts[i], el) && match_left (sel, i, el);
}

/* ---------------------------------------------------------------- selector lists */

struct _BhSelectorList {
  GPtrArray *selectors;      /* BhSelector */
};

BhSelectorList *
bh_selector_list_parse (const char *text)
{
  BhSelectorList *list;
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);

  list = g_new0 (BhSelectorList, 1);
  list->selectors = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_css_selector_free);
  /* The subset has no strings or parentheses, so every comma separates two selectors. */
  while (TRUE)
    {
      const char *comma = strchr (p, ',');
      const char *end = comma != NULL ? comma : p + strlen (p);
      BhSelector *sel = bh_css_parse_selector (p, end);

      if (sel == NULL)
        {
          bh_selector_list_free (list);
          return NULL;
        }
      g_ptr_array_add (list->selectors, sel);
      if (comma == NULL)
        break;
      p = comma + 1;
    }
  return list;
}

gboolean
bh_selector_list_matches (const BhSelectorList *list, const BhElement *el)
{
  for (guint i = 0; i < list->selectors->len; i++)
    if (bh_css_selector_matches (g_ptr_array_index (list->selectors, i), el, PSEUDO_ELEMENT_NONE))
      return TRUE;
  return FALSE;
}

void
bh_selector_list_free (BhSelectorList *list)
{
  if (list == NULL)
    return;
  g_ptr_array_unref (list->selectors);
  g_free (list);
}
