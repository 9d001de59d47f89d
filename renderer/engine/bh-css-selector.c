/* bh-css-selector.c: parsing selectors and matching them against elements. A rule
 * whose selector this engine does not understand is dropped whole (CSS 2.1 section 4.2). */
#include "bh-css-private.h"

#include <string.h>

/* ---------------------------------------------------------------- selectors */

void
bh_css_selector_free (BhSelector *sel)
{
  if (sel == NULL)
    return;
  for (guint i = 0; i < sel->n_parts; i++)
    {
      g_free (sel->parts[i].tag_name);
      g_free (sel->parts[i].id);
      g_strfreev (sel->parts[i].classes);
    }
  g_free (sel->parts);
  g_free (sel);
}

/* Parses one compound selector; returns FALSE on syntax this engine cannot read. */
static gboolean
parse_compound (const char **pp, const char *end, BhCompound *c, guint32 *specificity)
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

          p += element ? 2 : 1;
          ident = bh_css_read_ident (&p, end);
          if (ident == NULL)
            goto fail;
          if (p < end && *p == '(')
            {
              int depth = 0;
              while (p < end)
                {
                  if (*p == '(')
                    depth++;
                  else if (*p == ')' && --depth == 0)
                    {
                      p++;
                      break;
                    }
                  p++;
                }
            }
          if (!element && g_ascii_strcasecmp (ident, "link") == 0)
            c->need_link = TRUE;
          else if (!element && g_ascii_strcasecmp (ident, "root") == 0 && c->tag == GUMBO_TAG_LAST)
            c->tag = GUMBO_TAG_HTML;
          else if (!element && g_ascii_strcasecmp (ident, "any-link") == 0)
            c->need_link = TRUE;
          else
            c->never = TRUE;  /* :hover, :visited, ::before... never true of a static page */
          *specificity += element ? 1 : 100;
          any = TRUE;
        }
      else if (*p == '[')
        {
          while (p < end && *p != ']')
            {
              if (*p == '"' || *p == '\'')
                p = bh_css_skip_string (p, end);
              else
                p++;
            }
          if (p >= end)
            goto fail;
          p++;
          c->never = TRUE;
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

BhSelector *
bh_css_parse_selector (const char *p, const char *end)
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
      if (*p == '>')
        {
          comb = COMB_CHILD;
          p++;
          while (p < end && bh_css_is_space (*p))
            p++;
        }
      else if (*p == '+' || *p == '~')
        goto fail;
      else if (had_space && parts->len > 0)
        comb = COMB_DESCENDANT;
      if (parts->len > 0 && comb == COMB_NONE)
        goto fail;
      if (!parse_compound (&p, end, &c, &sel->specificity))
        {
          g_free (c.tag_name);
          g_free (c.id);
          g_strfreev (c.classes);
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
  return sel;

fail:
  sel->n_parts = parts->len;
  sel->parts = (BhCompound *) g_array_free (g_steal_pointer (&parts), FALSE);
  bh_css_selector_free (sel);
  return NULL;
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
  return TRUE;
}

/* Right to left, taking the nearest matching ancestor for a descendant combinator. That
 * greedy walk misses a few selectors that mix > and descendant combinators in unusual
 * ways, and ancestors more than BH_MAX_ANCESTOR_WALK levels up; it never matches one
 * that should not match. */
gboolean
bh_css_selector_matches (const BhSelector *sel, const BhElement *el)
{
  int i = (int) sel->n_parts - 1;
  const BhElement *cur = el;

  if (!compound_matches (&sel->parts[i], cur))
    return FALSE;
  while (i > 0)
    {
      guint8 comb = sel->parts[i].combinator;
      i--;
      if (comb == COMB_CHILD)
        {
          cur = cur->parent;
          if (cur == NULL || !compound_matches (&sel->parts[i], cur))
            return FALSE;
        }
      else
        {
          int steps = 0;
          do
            cur = cur->parent;
          while (cur != NULL && ++steps < BH_MAX_ANCESTOR_WALK && !compound_matches (&sel->parts[i], cur));
          if (cur == NULL || steps >= BH_MAX_ANCESTOR_WALK)
            return FALSE;
        }
    }
  return TRUE;
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
    if (bh_css_selector_matches (g_ptr_array_index (list->selectors, i), el))
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
