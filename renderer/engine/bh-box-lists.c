/* bh-box-lists.c: list items' markers (CSS Lists 3), for the box tree builder */
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
