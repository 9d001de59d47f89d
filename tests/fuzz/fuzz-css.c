/* fuzz-css: libFuzzer target for the renderer's CSS parser and cascade (docs/fuzzing.md).
 *
 * The input is a style sheet from a page (author origin) and, the same bytes, a style=""
 * attribute. The sheet joins the user-agent sheet in a cascade that computes the style of
 * a small element tree (html > body > div#main.a.b > p.x > a:link, and an element
 * gumbo does not know), so selector matching and every declaration's computation run
 * on what the parser made of the input. Nothing may crash, leak or overflow; every
 * computed style must stay within the engine's bounds.
 */
#include <math.h>
#include <string.h>

#include "bh-css.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_style (const BhStyle *s)
{
  g_assert (s->font_size_px >= 1.0f && s->font_size_px <= 512.0f);
  g_assert (s->display <= BH_DISPLAY_GRID);
  g_assert (s->visibility <= BH_VISIBILITY_HIDDEN && s->text_transform <= BH_TRANSFORM_CAPITALIZE);
  g_assert (s->opacity >= 0.0f && s->opacity <= 1.0f && isfinite (s->letter_spacing));
  g_assert (s->bg_repeat <= BH_BG_NO_REPEAT && s->bg_size_kind <= BH_BG_SIZE_CONTAIN);
  g_assert (isfinite (s->bg_position[0].value) && isfinite (s->bg_size[1].value));
  g_assert (s->grid_column_span >= 1);
  g_assert (s->float_ <= BH_FLOAT_RIGHT && s->position <= BH_POSITION_STICKY);
  g_assert (isfinite (s->flex_grow) && s->flex_grow >= 0 && isfinite (s->flex_shrink) && s->flex_shrink >= 0);
  g_assert (isfinite (s->border_radius) && isfinite (s->shadow_blur) && isfinite (s->gradient_angle));
  g_assert (isfinite (s->min_width.value) && isfinite (s->max_height.value) && isfinite (s->flex_basis.value));
  g_assert (s->font_weight >= 100 && s->font_weight <= 900);
  for (int i = 0; i < 4; i++)
    {
      g_assert (isfinite (s->margin[i].value));
      g_assert (isfinite (s->padding[i].value));
      g_assert (isfinite (s->border_width[i]) && s->border_width[i] >= 0);
    }
  g_assert (isfinite (s->width.value) && isfinite (s->height.value) && isfinite (s->max_width.value));
  g_assert (isfinite (s->width.pct) && isfinite (s->offset[0].value) && isfinite (s->row_gap.value));
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static BhStyleSheet *user_agent = NULL;
  g_autoptr (BhStyleSheet) sheet = bh_style_sheet_parse ((const char *) data, size);
  g_autoptr (BhDeclarations) attr = bh_declarations_parse ((const char *) data, size);
  g_autoptr (BhCascade) cascade = bh_cascade_new ();
  char *classes_ab[] = { "a", "b", NULL };
  char *classes_x[] = { "x", "x", NULL };
  BhElement html = { NULL, GUMBO_TAG_HTML, "html", NULL, NULL, FALSE };
  BhElement body = { &html, GUMBO_TAG_BODY, "body", NULL, NULL, FALSE };
  BhElement div = { &body, GUMBO_TAG_DIV, "div", "main", classes_ab, FALSE };
  BhElement p = { &div, GUMBO_TAG_P, "p", NULL, classes_x, FALSE };
  BhElement a = { &p, GUMBO_TAG_A, "a", "x", NULL, TRUE };
  BhElement unknown = { &div, GUMBO_TAG_UNKNOWN, "my-element", NULL, NULL, FALSE };
  const BhElement *chain[] = { &html, &body, &div, &p, &a };
  BhStyle styles[G_N_ELEMENTS (chain)], root, other;

  if (user_agent == NULL)
    {
      const char *ua = bh_style_sheet_get_user_agent_text ();
      user_agent = bh_style_sheet_parse (ua, strlen (ua));
    }
  bh_cascade_set_viewport (cascade, 600, 400);
  bh_cascade_add_sheet (cascade, user_agent, BH_ORIGIN_USER_AGENT);
  bh_cascade_add_sheet (cascade, sheet, BH_ORIGIN_AUTHOR);

  /* @import URLs and media lists as the document would see them, and the
   * viewport state a resize compares */
  for (guint i = 0; i < bh_style_sheet_get_n_imports (sheet); i++)
    {
      const char *media = NULL;
      g_assert (bh_style_sheet_get_import (sheet, i, &media) != NULL && media != NULL);
      (void) bh_media_query_matches (media, 800, 600);
    }
  {
    g_autoptr (GString) state = g_string_new (NULL);
    bh_style_sheet_append_viewport_state (sheet, 400, 300, state);
  }

  bh_style_init_root (&root);
  bh_cascade_set_viewport (cascade, 600, 400);
  {
    GHashTable *vars = NULL;
    for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
      {
        GHashTable *child_vars = NULL;
        bh_cascade_compute_with_vars (cascade, chain[i], i == 0 ? &root : &styles[i - 1], vars, NULL,
                                      i == G_N_ELEMENTS (chain) - 1 ? attr : NULL, &styles[i], &child_vars);
        check_style (&styles[i]);
        if (vars != NULL)
          g_hash_table_unref (vars);
        vars = child_vars;
      }
    if (vars != NULL)
      g_hash_table_unref (vars);
  }
  bh_cascade_compute (cascade, &unknown, &styles[2], attr, NULL, &other);
  check_style (&other);
  bh_style_init_anonymous (&other, &styles[3], BH_DISPLAY_BLOCK);
  check_style (&other);
  return 0;
}
