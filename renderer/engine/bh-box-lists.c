/* bh-box-lists.c: list items' markers and CSS counters (CSS Lists 3), for the box
 * tree builder
 *
 * Counters live on a stack beside the builder's frames: counter-reset on an element
 * makes an instance whose scope is its parent's content (the element, its following
 * siblings and their descendants, CSS 2.1 section 12.4.1), dropped when that parent
 * ends; a reset on a sibling replaces its sibling's instance. counter-increment and
 * counter-set use the innermost instance of the name, and make one at the element when
 * there is none. counters() joins every instance in scope, outermost first.
 */
#include "bh-box-private.h"

#include <string.h>

static char *
roman (int n, gboolean upper)
{
  static const struct { int value; const char *digits; } table[] = {
    { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
    { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
  };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    while (n >= table[i].value)
      {
        g_string_append (s, table[i].digits);
        n -= table[i].value;
      }
  if (upper)
    for (gsize i = 0; i < s->len; i++)
      s->str[i] = g_ascii_toupper (s->str[i]);
  g_string_append_c (s, '.');
  return g_string_free (s, FALSE);
}

/* Marker text for list item number @n (CSS Lists 3, section 3 "Markers"). */
char *
bh_box_make_marker (BhListStyle type, int n)
{
  switch (type)
    {
    case BH_LIST_DISC: return g_strdup ("\xe2\x80\xa2");       /* U+2022 BULLET */
    case BH_LIST_CIRCLE: return g_strdup ("\xe2\x97\xa6");     /* U+25E6 WHITE BULLET */
    case BH_LIST_SQUARE: return g_strdup ("\xe2\x96\xaa");     /* U+25AA BLACK SMALL SQUARE */
    case BH_LIST_NONE: return NULL;
    case BH_LIST_LOWER_ROMAN:
    case BH_LIST_UPPER_ROMAN:
      if (n > 0 && n < 4000)
        return roman (n, type == BH_LIST_UPPER_ROMAN);
      break;
    case BH_LIST_LOWER_ALPHA:
    case BH_LIST_UPPER_ALPHA:
      if (n > 0)
        {
          char buf[16];
          int i = (int) sizeof buf - 1;
          buf[i] = '\0';
          buf[--i] = '.';
          while (n > 0 && i > 0)
            {
              n--;
              buf[--i] = (char) ((type == BH_LIST_UPPER_ALPHA ? 'A' : 'a') + n % 26);
              n /= 26;
            }
          return g_strdup (buf + i);
        }
      break;
    default:
      break;
    }
  return g_strdup_printf ("%d.", n);
}

/* At most this many counter instances at once, and counters one property names. */
#define BH_MAX_COUNTERS 1024
#define BH_MAX_COUNTERS_PER_PROPERTY 32

typedef struct {
  char *name;
  int value;
  guint scope;             /* the frame whose content it is scoped to */
} BhCounter;

static BhCounter *
innermost (Builder *b, const char *name)
{
  for (guint i = b->counters->len; i > 0; i--)
    {
      BhCounter *c = &g_array_index (b->counters, BhCounter, i - 1);
      if (strcmp (c->name, name) == 0)
        return c;
    }
  return NULL;
}

static BhCounter *
instantiate (Builder *b, const char *name, guint scope, int value)
{
  BhCounter c = { NULL, value, scope };

  /* a reset by a sibling in the same scope is replaced, not nested */
  for (guint i = b->counters->len; i > 0; i--)
    {
      BhCounter *have = &g_array_index (b->counters, BhCounter, i - 1);
      if (have->scope < scope)
        break;
      if (have->scope == scope && strcmp (have->name, name) == 0)
        {
          have->value = value;
          return have;
        }
    }
  if (b->counters->len >= BH_MAX_COUNTERS)
    return NULL;
  c.name = g_strdup (name);
  g_array_append_val (b->counters, c);
  return &g_array_index (b->counters, BhCounter, b->counters->len - 1);
}

typedef enum { COUNTER_RESET, COUNTER_SET, COUNTER_INCREMENT } CounterOp;

/* "name [integer] name [integer]...": each name with its number, or @fallback */
static void
apply_list (Builder *b, const char *list, CounterOp op, guint scope)
{
  g_auto(GStrv) words = NULL;
  int n = 0;

  if (list == NULL)
    return;
  words = g_strsplit_set (list, " \t\n\r\f", -1);
  for (int i = 0; words[i] != NULL && n < BH_MAX_COUNTERS_PER_PROPERTY; i++)
    {
      const char *name = words[i];
      int value = op == COUNTER_INCREMENT ? 1 : 0;
      BhCounter *c;

      if (*name == '\0' || g_ascii_isdigit (*name) || *name == '-' || *name == '+' ||
          g_ascii_strcasecmp (name, "none") == 0)
        continue;
      n++;
      while (words[i + 1] != NULL && *words[i + 1] == '\0')
        i++;
      if (words[i + 1] != NULL && bh_box_parse_int_attr (words[i + 1], &value))
        i++;
      if (op == COUNTER_RESET)
        {
          instantiate (b, name, scope, value);
          continue;
        }
      c = innermost (b, name);
      if (c == NULL)
        c = instantiate (b, name, scope, 0);
      if (c == NULL)
        continue;
      if (op == COUNTER_SET)
        c->value = value;
      else
        c->value = (int) CLAMP ((gint64) c->value + value, -1000000000, 1000000000);
    }
}

void
bh_box_counters_apply (Builder *b, const BhStyle *style, guint scope)
{
  if (b->counters == NULL)
    return;
  apply_list (b, style->counter_reset, COUNTER_RESET, scope);
  apply_list (b, style->counter_set, COUNTER_SET, scope);
  apply_list (b, style->counter_increment, COUNTER_INCREMENT, scope);
}

void
bh_box_counters_pop (Builder *b, guint scope)
{
  if (b->counters == NULL)
    return;
  while (b->counters->len > 0)
    {
      BhCounter *c = &g_array_index (b->counters, BhCounter, b->counters->len - 1);
      if (c->scope < scope)
        break;
      g_free (c->name);
      g_array_set_size (b->counters, b->counters->len - 1);
    }
}

/* A counter's value in a list style, without the marker's full stop. */
static void
format_value (BhListStyle style, int value, GString *out)
{
  g_autofree char *marker = NULL;

  if (style == BH_LIST_NONE)
    return;
  if (style == BH_LIST_DECIMAL || value <= 0)
    {
      g_string_append_printf (out, "%d", value);
      return;
    }
  marker = bh_box_make_marker (style, value);
  if (marker == NULL)
    return;
  if (style != BH_LIST_DISC && style != BH_LIST_CIRCLE && style != BH_LIST_SQUARE && g_str_has_suffix (marker, "."))
    marker[strlen (marker) - 1] = '\0';
  g_string_append (out, marker);
}

static void
format_cb (gpointer data, const char *name, const char *separator, BhListStyle style, GString *out)
{
  Builder *b = data;
  gboolean first = TRUE;
  BhCounter *c;

  if (separator == NULL)
    {
      if ((c = innermost (b, name)) != NULL)
        format_value (style, c->value, out);
      else if (strcmp (name, "list-item") == 0)
        format_value (style, b->list_item, out);
      else
        format_value (style, 0, out);
      return;
    }
  for (guint i = 0; i < b->counters->len && out->len < 1024; i++)
    {
      c = &g_array_index (b->counters, BhCounter, i);
      if (strcmp (c->name, name) != 0)
        continue;
      if (!first)
        g_string_append (out, separator);
      format_value (style, c->value, out);
      first = FALSE;
    }
  if (first)
    format_value (style, 0, out);
}

static void
apply_cb (gpointer data, const BhStyle *style)
{
  Builder *b = data;

  /* a pseudo-element's counters are scoped to its element's content */
  bh_box_counters_apply (b, style, b->frames->len - 1);
}

void
bh_box_counters_init (Builder *b)
{
  b->counters = g_array_new (FALSE, FALSE, sizeof (BhCounter));
  b->counter_access = (BhCounters) { format_cb, apply_cb, b };
  bh_cascade_set_counters (b->cascade, &b->counter_access);
}

void
bh_box_counters_free (Builder *b)
{
  if (b->counters == NULL)
    return;
  bh_box_counters_pop (b, 0);
  g_clear_pointer (&b->counters, g_array_unref);
  if (b->cascade != NULL)
    bh_cascade_set_counters (b->cascade, NULL);
}

/**
 * bh_box_marker_for: (skip)
 * @b: the builder
 * @f: a list item's frame, its style computed
 * @n: its number in its list
 * @marker_style: (out): the ::marker style, interned; NULL without ::marker rules
 *
 * A list item's marker (CSS Lists 3 section 3): ::marker's content when it gives a
 * string, else the list-style-type marker for @n; ::marker's colour and font are
 * the marker's.
 *
 * Returns: (transfer full) (nullable): the marker text, NULL for none.
 */
char *
bh_box_marker_for (Builder *b, Frame *f, int n, const BhStyle **marker_style)
{
  BhStyle computed;
  g_autofree char *content = NULL;

  b->list_item = n;
  *marker_style = NULL;
  if (b->cascade != NULL && f->el.node != NULL)
    content = bh_cascade_compute_pseudo (b->cascade, &f->el, BH_PSEUDO_MARKER, f->style, f->vars, &computed);
  if (content != NULL)
    {
      *marker_style = bh_box_intern_style (b, &computed);
      if (*content != '\0')
        return g_steal_pointer (&content);
    }
  return bh_box_make_marker (f->style->list_style_type, n);
}
