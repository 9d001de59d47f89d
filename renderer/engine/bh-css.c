/* bh-css.c: style sheets (rules, at-rules, the user-agent sheet) and the cascade that
 * computes a BhStyle per element. Declarations are parsed in bh-css-declarations.c
 * from the values of bh-css-values.c, selectors in bh-css-selector.c, the text is
 * scanned with bh-css-syntax.c.
 *
 * The parser follows the recovery rules of CSS 2.1 section 4.2: a declaration it does
 * not understand is dropped on its own, a rule whose selector it does not understand is
 * dropped whole, and at-rules are skipped to their end (";" or the matching "}"), except
 * @media blocks whose media list is plainly "screen" or "all".
 */
#include "bh-css-private.h"

#include <string.h>
#include <math.h>

/* Styles are compared and hashed as bytes (the renderer shares equal ones), so the
 * struct must have no implicit padding: every byte is a field. */
G_STATIC_ASSERT (sizeof (BhStyle) == 496);
G_STATIC_ASSERT (sizeof (BhLength) == 12);

typedef struct {
  const BhRule *rule;
  const char *base;         /* the sheet's URL, for url() values; the cascade's string */
  guint32 specificity;
  guint32 order;
  guint8 origin;
} BhIndexedRule;

struct _BhCascade {
  GHashTable *by_id;        /* char* -> GArray<BhIndexedRule> */
  GHashTable *by_class;
  GHashTable *by_tag;       /* GINT_TO_POINTER(tag + 1) -> GArray */
  GHashTable *by_tag_name;  /* unknown tag names */
  GArray *universal;
  GArray *pseudo_rules[4];  /* rules for ::before, ::after and ::marker, by PSEUDO_ELEMENT_* */
  const BhCounters *counters; /* nullable: the box tree builder's */
  GArray *matched;          /* scratch */
  guint32 next_order;
  GStringChunk *strings;    /* sheets' base URLs and the url() values computed from them */
  GPtrArray *state_compounds; /* const BhCompound* that test :hover or :focus, in the sheets */
  guint states_used;        /* BH_STATE_* of those */
  const char *base_url;     /* nullable: the document's, for style="" and hints */
  double viewport_width;    /* CSS px, for @media, vw and vh */
  double viewport_height;
};

/* ---------------------------------------------------------------- style sheets */

static void
media_free (gpointer data)
{
  BhMedia *media = data;
  g_free (media->query);
  g_free (media);
}

/* Whether @media and the blocks around it match the viewport. */
static gboolean
media_chain_matches (const BhMedia *media, double width, double height)
{
  for (; media != NULL; media = media->parent)
    if (!bh_media_query_matches (media->query, width, height))
      return FALSE;
  return TRUE;
}

/* The URL of an @import prelude: url(x), url("x") or "x"; the rest is the media list.
 * Returns: (transfer full) (nullable). */
static char *
import_url (const char *p, const char *end, const char **rest)
{
  p = bh_css_skip_space_and_comments (p, end);
  if (end - p >= 4 && g_ascii_strncasecmp (p, "url(", 4) == 0)
    {
      const char *close = memchr (p, ')', end - p);
      g_autofree char *inner = NULL;
      if (close == NULL)
        return NULL;
      inner = bh_css_strip_dup (p + 4, close);
      *rest = close + 1;
      if (inner[0] == '"' || inner[0] == '\'')
        {
          gsize n = strlen (inner);
          if (n < 2 || inner[n - 1] != inner[0])
            return NULL;
          return g_strndup (inner + 1, n - 2);
        }
      return g_steal_pointer (&inner);
    }
  if (p < end && (*p == '"' || *p == '\''))
    {
      const char *close = bh_css_skip_string (p, end);
      if (close <= p + 1 || close[-1] != *p)
        return NULL;
      *rest = close;
      return g_strndup (p + 1, close - p - 2);
    }
  return NULL;
}

/* Whether a declaration's computed value depends on the viewport: a vw or vh length
 * that the cascade turns into px (lengths of boxes keep vw and vh for layout), or a
 * custom property or var() whose text names them. */

static gboolean
depends_on_viewport (BhDeclarations *decls, const BhDecl *d)
{
  if (d->kind == DECL_RAW)
    {
      const char *value = decls->raw->pdata[d->ival + 1];
      return d->prop != PROP_CONTENT && (strstr (value, "vw") != NULL || strstr (value, "vh") != NULL ||
                                         strstr (value, "vmin") != NULL || strstr (value, "vmax") != NULL);
    }
  if (d->unit != BH_UNIT_VW && d->unit != BH_UNIT_VH)
    return FALSE;
  return !bh_css_keeps_viewport_units (d->prop);
}

static void
rule_free (gpointer data)
{
  BhRule *rule = data;
  bh_css_selector_free (rule->selector);
  g_free (rule);
}

static void
parse_rule (BhStyleSheet *sheet, const char *sel_start, const char *sel_end,
            const char *body, const char *body_end, const BhMedia *media)
{
  BhDeclarations *decls = NULL;
  const char *p = sel_start;

  while (p < sel_end)
    {
      const char *q = p;
      BhSelector *sel;

      while (q < sel_end && *q != ',')
        {
          if (*q == '"' || *q == '\'')
            q = bh_css_skip_string (q, sel_end);
          else if (*q == '\\' && q + 1 < sel_end)
            q += 2;
          else if (*q == '(')
            {
              while (q < sel_end && *q != ')')
                q++;
            }
          else
            q++;
        }
      sel = bh_css_parse_selector (p, q);
      if (sel != NULL)
        {
          BhRule *rule = g_new0 (BhRule, 1);
          if (decls == NULL)
            {
              decls = bh_declarations_parse (body, body_end - body);
              g_ptr_array_add (sheet->decl_blocks, decls);
              for (guint i = 0; i < decls->decls->len; i++)
                {
                  const BhDecl *d = &g_array_index (decls->decls, BhDecl, i);
                  if (depends_on_viewport (decls, d))
                    sheet->viewport_units = TRUE;
                }
            }
          rule->selector = sel;
          rule->decls = decls;
          rule->media = media;
          g_ptr_array_add (sheet->rules, rule);
        }
      p = q < sel_end ? q + 1 : q;
    }
}

static gboolean
supports_negated (const char *start, const char *end)
{
  start = bh_css_skip_space_and_comments (start, end);
  return end - start >= 3 && g_ascii_strncasecmp (start, "not", 3) == 0;
}

static void
parse_rules (BhStyleSheet *sheet, const char *p, const char *end, int nesting, const BhMedia *media)
{
  while (p < end)
    {
      p = bh_css_skip_space_and_comments (p, end);
      if (p >= end)
        break;

      if (*p == '@')
        {
          g_autofree char *keyword = NULL;
          const char *prelude;

          p++;
          keyword = bh_css_read_ident (&p, end);
          prelude = p;
          while (p < end && *p != ';' && *p != '{')
            {
              if (*p == '"' || *p == '\'')
                p = bh_css_skip_string (p, end);
              else if (*p == '\\' && p + 1 < end)
                p += 2;
              else
                p++;
            }
          if (p < end && *p == '{')
            {
              const char *body = p + 1;
              const char *body_end = bh_css_find_block_end (body, end);
              if (keyword != NULL && nesting < BH_MAX_CSS_NESTING)
                {
                  if (g_ascii_strcasecmp (keyword, "media") == 0)
                    {
                      /* kept with its rules, evaluated when the cascade is made */
                      BhMedia *m = g_new0 (BhMedia, 1);
                      m->query = bh_css_strip_dup (prelude, p);
                      m->parent = media;
                      g_ptr_array_add (sheet->media, m);
                      parse_rules (sheet, body, body_end, nesting + 1, m);
                    }
                  else if (g_ascii_strcasecmp (keyword, "layer") == 0 ||
                           (g_ascii_strcasecmp (keyword, "supports") == 0 && !supports_negated (prelude, p)))
                    /* Layers are taken as unlayered rules; @supports conditions as
                     * true unless negated: the features asked about are mostly ones
                     * whose rules degrade gracefully here. */
                    parse_rules (sheet, body, body_end, nesting + 1, media);
                }
              p = body_end < end ? body_end + 1 : end;
            }
          else if (p < end)
            {
              /* @import is valid before any rule only (CSS Cascade 4, section 2.1) */
              if (keyword != NULL && g_ascii_strcasecmp (keyword, "import") == 0 && nesting == 0 &&
                  sheet->rules->len == 0 && sheet->media->len == 0 && sheet->imports->len < BH_MAX_IMPORTS)
                {
                  const char *rest = p;
                  g_autofree char *url = import_url (prelude, p, &rest);
                  if (url != NULL && *url != '\0')
                    {
                      BhImport import = { g_steal_pointer (&url), NULL };
                      import.media = bh_css_strip_dup (rest, p);
                      /* layer(...) and supports(...) before the media list */
                      if (g_str_has_prefix (import.media, "layer") || g_str_has_prefix (import.media, "supports"))
                        {
                          char *close = strchr (import.media, ')');
                          char *after = g_strdup (close != NULL ? g_strstrip (close + 1) : "");
                          if (strcmp (import.media, "layer") == 0)
                            after[0] = '\0';
                          g_free (import.media);
                          import.media = after;
                        }
                      g_array_append_val (sheet->imports, import);
                    }
                }
              p++;
            }
          continue;
        }

      if (*p == '}')
        {
          p++;
          continue;
        }

      {
        const char *sel_start = p;
        const char *sel_end;
        const char *body_end;

        /* An escaped "{" is part of the selector (CSS Syntax 3, 4.3.8): "\\{}" is a
         * rule with no block. */
        while (p < end && *p != '{')
          {
            if (*p == '"' || *p == '\'')
              p = bh_css_skip_string (p, end);
            else if (*p == '\\' && p + 1 < end)
              p += 2;
            else if (p + 1 < end && p[0] == '/' && p[1] == '*')
              p = bh_css_skip_comment (p, end);
            else
              p++;
          }
        if (p >= end)
          break;
        sel_end = p;
        body_end = bh_css_find_block_end (p + 1, end);
        parse_rule (sheet, sel_start, sel_end, p + 1, body_end, media);
        p = body_end < end ? body_end + 1 : end;
      }
    }
}

/**
 * bh_style_sheet_parse:
 * @text: style sheet text in UTF-8, not necessarily NUL-terminated
 * @len: length of @text in bytes
 *
 * Parses the rules this engine understands; everything else is skipped.
 *
 * Returns: (transfer full): a style sheet, possibly with no rules.
 */
BhStyleSheet *
bh_style_sheet_parse (const char *text, gsize len)
{
  BhStyleSheet *sheet = g_new0 (BhStyleSheet, 1);

  sheet->rules = g_ptr_array_new_with_free_func (rule_free);
  sheet->decl_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_declarations_free);
  sheet->media = g_ptr_array_new_with_free_func (media_free);
  sheet->imports = g_array_new (FALSE, FALSE, sizeof (BhImport));
  parse_rules (sheet, text, text + len, 0, NULL);
  return sheet;
}

/**
 * bh_style_sheet_free:
 * @sheet: (nullable) (transfer full): a style sheet; no cascade may still use it
 */
void
bh_style_sheet_free (BhStyleSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_ptr_array_unref (sheet->rules);
  g_ptr_array_unref (sheet->decl_blocks);
  g_ptr_array_unref (sheet->media);
  for (guint i = 0; i < sheet->imports->len; i++)
    {
      BhImport *import = &g_array_index (sheet->imports, BhImport, i);
      g_free (import->url);
      g_free (import->media);
    }
  g_array_unref (sheet->imports);
  g_free (sheet);
}

/**
 * bh_style_sheet_get_n_imports:
 * @sheet: a style sheet
 *
 * Returns: how many @import rules it has (at most BH_MAX_IMPORTS), in order.
 */
guint
bh_style_sheet_get_n_imports (BhStyleSheet *sheet)
{
  return sheet->imports->len;
}

/**
 * bh_style_sheet_get_import:
 * @sheet: a style sheet
 * @index: below bh_style_sheet_get_n_imports()
 * @media: (out) (optional) (transfer none): the media query list it is imported for,
 *   "" for all
 *
 * Returns: (transfer none): the imported sheet's URL as written, relative to @sheet's.
 */
const char *
bh_style_sheet_get_import (BhStyleSheet *sheet, guint index, const char **media)
{
  const BhImport *import = &g_array_index (sheet->imports, BhImport, index);

  if (media != NULL)
    *media = import->media;
  return import->url;
}

/**
 * bh_style_sheet_append_viewport_state:
 * @sheet: a style sheet
 * @width: viewport width, CSS px
 * @height: viewport height, CSS px
 * @out: where to append
 *
 * Appends what of the sheet depends on the viewport: one character per @media block
 * ('1' matches, '0' not) and, when values use vw or vh (or var(), which may), the
 * size itself. Two viewports with the same string give the same cascade, so a resize
 * restyles only when the string changes.
 */
void
bh_style_sheet_append_viewport_state (BhStyleSheet *sheet, double width, double height, GString *out)
{
  for (guint i = 0; i < sheet->media->len; i++)
    {
      const BhMedia *m = sheet->media->pdata[i];
      g_string_append_c (out, bh_media_query_matches (m->query, width, height) ? '1' : '0');
    }
  if (sheet->viewport_units)
    g_string_append_printf (out, "[%.0fx%.0f]", width, height);
}

/**
 * bh_style_sheet_get_n_rules:
 * @sheet: a style sheet
 *
 * Returns: how many rules it has, one per selector of each comma list understood.
 */
guint
bh_style_sheet_get_n_rules (BhStyleSheet *sheet)
{
  return sheet->rules->len;
}

/* The user-agent style sheet: the rendering section of the HTML standard (section 15,
 * "Rendering") reduced to what this engine draws. */
static const char user_agent_css[] =
  "html, address, blockquote, body, dd, div, dl, dt, fieldset, form, frame, frameset,"
  " h1, h2, h3, h4, h5, h6, noframes, ol, p, ul, center, dir, hr, menu, pre, article,"
  " aside, footer, header, hgroup, main, nav, section, figure, figcaption, details,"
  " summary, legend, listing, plaintext, xmp, search, optgroup { display: block }\n"
  "head, script, style, template, noscript, title, meta, link, base, datalist, param,"
  " area, map, math, option, audio, video, canvas, col, colgroup, source,"
  " track, rp, dialog { display: none }\n"
  "li { display: list-item }\n"
  "table { display: table; border-spacing: 2px; border-collapse: separate }\n"
  "caption { display: table-caption; text-align: center }\n"
  "thead, tbody, tfoot { display: table-row-group }\n"
  "tr { display: table-row }\n"
  "td, th { display: table-cell; padding: 1px; vertical-align: middle }\n"
  "th { font-weight: bold; text-align: center }\n"
  "body { margin: 8px }\n"
  "p, dl { margin: 1em 0 }\n"
  "dd { margin-left: 40px }\n"
  "blockquote, figure { margin: 1em 40px }\n"
  "address, cite, em, i, var, dfn { font-style: italic }\n"
  "h1 { font-size: 2em; margin: 0.67em 0; font-weight: bold }\n"
  "h2 { font-size: 1.5em; margin: 0.83em 0; font-weight: bold }\n"
  "h3 { font-size: 1.17em; margin: 1em 0; font-weight: bold }\n"
  "h4 { margin: 1.33em 0; font-weight: bold }\n"
  "h5 { font-size: 0.83em; margin: 1.67em 0; font-weight: bold }\n"
  "h6 { font-size: 0.67em; margin: 2.33em 0; font-weight: bold }\n"
  "pre, listing, xmp, plaintext { white-space: pre; margin: 1em 0 }\n"
  "pre, listing, xmp, plaintext, code, kbd, samp, tt { font-family: monospace; font-size: 0.875em }\n"
  "pre code, pre kbd, pre samp, pre tt { font-size: 1em }\n"
  "b, strong { font-weight: bold }\n"
  "big { font-size: larger }\n"
  "small { font-size: smaller }\n"
  "sub { vertical-align: sub; font-size: smaller }\n"
  "sup { vertical-align: super; font-size: smaller }\n"
  "u, ins { text-decoration: underline }\n"
  "s, strike, del { text-decoration: line-through }\n"
  "ul, menu, dir { list-style-type: disc; margin: 1em 0; padding-left: 40px }\n"
  "ol { list-style-type: decimal; margin: 1em 0; padding-left: 40px }\n"
  /* HTML section 15.3.8: lists nested in lists, definition lists included, have no
   * vertical margins */
  "ul ul, ul ol, ol ul, ol ol, li ul, li ol, dd ul, dd ol, ul dl, ol dl, dl dl, dl ul, dl ol,"
  " menu dl, dir dl, dl menu, dl dir { margin-top: 0; margin-bottom: 0 }\n"
  "ol ul, ul ul, menu ul, dir ul { list-style-type: circle }\n"
  "ol ol ul, ol ul ul, ul ol ul, ul ul ul { list-style-type: square }\n"
  "center { text-align: center }\n"
  "hr { border: 1px inset gray; margin: 0.5em 0 }\n"
  "a:link { color: #1a0dab; text-decoration: underline }\n"
  "mark { background-color: yellow; color: black }\n"
  "nobr { white-space: nowrap }\n"
  "fieldset { margin: 0 2px; padding: 0.35em 0.75em 0.625em; border: 2px groove #c0c0c0 }\n"
  "legend { padding: 0 2px }\n"
  "figcaption { text-align: center }\n";

/**
 * bh_style_sheet_get_user_agent_text:
 *
 * Returns: (transfer none): the user-agent style sheet as CSS text.
 */
const char *
bh_style_sheet_get_user_agent_text (void)
{
  return user_agent_css;
}

/* ---------------------------------------------------------------- cascade */

static void
indexed_array_free (gpointer data)
{
  g_array_unref (data);
}

/**
 * bh_cascade_new:
 *
 * Returns: (transfer full): an empty cascade; add sheets in order of precedence.
 */
BhCascade *
bh_cascade_new (void)
{
  BhCascade *cascade = g_new0 (BhCascade, 1);

  cascade->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, indexed_array_free);
  cascade->by_class = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, indexed_array_free);
  cascade->by_tag = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, indexed_array_free);
  cascade->by_tag_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, indexed_array_free);
  cascade->universal = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  cascade->pseudo_rules[PSEUDO_ELEMENT_BEFORE] = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  cascade->pseudo_rules[PSEUDO_ELEMENT_AFTER] = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  cascade->pseudo_rules[PSEUDO_ELEMENT_MARKER] = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  cascade->matched = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  cascade->strings = g_string_chunk_new (1024);
  cascade->state_compounds = g_ptr_array_new ();
  cascade->viewport_width = 1280;
  cascade->viewport_height = 900;
  return cascade;
}

/**
 * bh_cascade_set_viewport:
 * @cascade: a cascade, before its sheets are added
 * @width: the viewport width in CSS px
 * @height: the viewport height in CSS px
 *
 * Sets the viewport that @media rules are evaluated against when sheets are added and
 * that vw and vh refer to. A new cascade has 1280x900.
 */
void
bh_cascade_set_viewport (BhCascade *cascade, double width, double height)
{
  cascade->viewport_width = CLAMP (width, 1, 65536);
  cascade->viewport_height = CLAMP (height, 1, 65536);
}

/**
 * bh_cascade_free:
 * @cascade: (nullable) (transfer full): a cascade; its sheets are not freed
 */
void
bh_cascade_free (BhCascade *cascade)
{
  if (cascade == NULL)
    return;
  g_hash_table_unref (cascade->by_id);
  g_hash_table_unref (cascade->by_class);
  g_hash_table_unref (cascade->by_tag);
  g_hash_table_unref (cascade->by_tag_name);
  g_array_unref (cascade->universal);
  g_array_unref (cascade->pseudo_rules[PSEUDO_ELEMENT_BEFORE]);
  g_array_unref (cascade->pseudo_rules[PSEUDO_ELEMENT_AFTER]);
  g_array_unref (cascade->pseudo_rules[PSEUDO_ELEMENT_MARKER]);
  g_array_unref (cascade->matched);
  g_string_chunk_free (cascade->strings);
  g_ptr_array_unref (cascade->state_compounds);
  g_free (cascade);
}

static void
index_into (GHashTable *table, gpointer key, const BhIndexedRule *entry)
{
  GArray *bucket = g_hash_table_lookup (table, key);

  if (bucket == NULL)
    {
      bucket = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
      g_hash_table_insert (table, key, bucket);
    }
  g_array_append_val (bucket, *entry);
}

/**
 * bh_cascade_add_sheet:
 * @cascade: a cascade
 * @sheet: (transfer none): a style sheet that outlives the cascade
 * @origin: where it comes from; later sheets of one origin win over earlier ones
 *
 * Indexes the sheet's rules by the id, first class or type of their rightmost compound
 * selector, so an element is only tested against rules that could match it.
 */
void
bh_cascade_add_sheet (BhCascade *cascade, BhStyleSheet *sheet, BhOrigin origin)
{
  bh_cascade_add_sheet_with_base (cascade, sheet, origin, NULL);
}

/**
 * bh_cascade_get_states_used:
 * @cascade: a cascade
 *
 * Returns: the BH_STATE_* flags of the states (:hover, :focus) the selectors of its
 *   rules test; 0 when the styles cannot change with them.
 */
guint
bh_cascade_get_states_used (BhCascade *cascade)
{
  return cascade->states_used;
}

/**
 * bh_cascade_state_matters:
 * @cascade: a cascade
 * @node: an element whose states (hovered, focused) change
 * @states: the BH_STATE_* flags that change
 *
 * Whether a rule could match differently: some compound of a selector testing one of
 * @states matches @node when the states hold (its ancestors and siblings are not
 * looked at, so this may say TRUE where the styles stay; never FALSE where they do
 * not). Past 4096 such compounds, any change matters.
 *
 * Returns: %FALSE when no computed style can change.
 */
gboolean
bh_cascade_state_matters (BhCascade *cascade, const GumboNode *node, guint states)
{
  if ((cascade->states_used & states) == 0)
    return FALSE;
  if (cascade->state_compounds->len >= 4096)
    return TRUE;
  for (guint i = 0; i < cascade->state_compounds->len; i++)
    {
      const BhCompound *c = cascade->state_compounds->pdata[i];
      if ((c->states & states) != 0 && bh_css_compound_matches_in_state (c, node))
        return TRUE;
    }
  return FALSE;
}

/**
 * bh_cascade_set_base_url:
 * @cascade: a cascade
 * @base_url: (nullable): an absolute URL, copied
 *
 * Sets the URL that url() values of style="" attributes (and sheets added without a
 * base) resolve against: the document's base URL.
 */
void
bh_cascade_set_base_url (BhCascade *cascade, const char *base_url)
{
  cascade->base_url = base_url != NULL ? g_string_chunk_insert_const (cascade->strings, base_url) : NULL;
}

/**
 * bh_cascade_add_sheet_with_base:
 * @cascade: a cascade
 * @sheet: a style sheet, borrowed: it must outlive the cascade
 * @origin: where it comes from
 * @base_url: (nullable): the sheet's URL (CSS Values 4 section 4.5.1: a relative
 *   url() resolves against the sheet's), copied; %NULL for the document's
 *
 * Adds @sheet's rules whose @media blocks match the viewport; later sheets win over
 * earlier ones of the same origin.
 */
void
bh_cascade_add_sheet_with_base (BhCascade *cascade, BhStyleSheet *sheet, BhOrigin origin, const char *base_url)
{
  const char *base = base_url != NULL ? g_string_chunk_insert_const (cascade->strings, base_url) : NULL;
  const BhMedia *last_media = NULL;
  gboolean last_matches = FALSE;

  for (guint i = 0; i < sheet->rules->len; i++)
    {
      const BhRule *rule = sheet->rules->pdata[i];
      const BhCompound *key = &rule->selector->parts[rule->selector->n_parts - 1];
      BhIndexedRule entry = {
        .rule = rule,
        .base = base,
        .specificity = rule->selector->specificity,
        .order = cascade->next_order++,
        .origin = origin,
      };

      if (key->never)
        continue;
      if (rule->media != NULL)
        {
          /* rules of one @media block come together: evaluate it once */
          if (rule->media != last_media)
            {
              last_media = rule->media;
              last_matches = media_chain_matches (rule->media, cascade->viewport_width, cascade->viewport_height);
            }
          if (!last_matches)
            continue;
        }
      for (guint k = 0; k < rule->selector->n_parts; k++)
        if (rule->selector->parts[k].states != 0 && cascade->state_compounds->len < 4096)
          {
            g_ptr_array_add (cascade->state_compounds, &rule->selector->parts[k]);
            cascade->states_used |= rule->selector->parts[k].states;
          }
      /* Keys point into the sheet, which outlives its place in the cascade. */
      if (key->pseudo_element != PSEUDO_ELEMENT_NONE)
        g_array_append_val (cascade->pseudo_rules[key->pseudo_element], entry);
      else if (key->id != NULL)
        index_into (cascade->by_id, key->id, &entry);
      else if (key->classes != NULL)
        index_into (cascade->by_class, key->classes[0], &entry);
      else if (key->tag == GUMBO_TAG_UNKNOWN)
        index_into (cascade->by_tag_name, key->tag_name, &entry);
      else if (key->tag != GUMBO_TAG_LAST)
        index_into (cascade->by_tag, GINT_TO_POINTER (key->tag + 1), &entry);
      else
        g_array_append_val (cascade->universal, entry);
    }
}

static void
collect_matches (BhCascade *cascade, GArray *bucket, const BhElement *el)
{
  if (bucket == NULL)
    return;
  for (guint i = 0; i < bucket->len; i++)
    {
      const BhIndexedRule *entry = &g_array_index (bucket, BhIndexedRule, i);
      if (bh_css_selector_matches (entry->rule->selector, el, PSEUDO_ELEMENT_NONE))
        g_array_append_val (cascade->matched, *entry);
    }
}

static int
compare_indexed (gconstpointer a, gconstpointer b)
{
  const BhIndexedRule *x = a, *y = b;

  if (x->origin != y->origin)
    return x->origin < y->origin ? -1 : 1;
  if (x->specificity != y->specificity)
    return x->specificity < y->specificity ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* background-image: url(@ref), resolved against the base of the declaration's sheet;
 * a URL that does not resolve is no image. */
static void
set_background_image (ApplyState *st, const char *ref)
{
  g_autofree char *url = NULL;

  if (st->base != NULL)
    url = g_uri_resolve_relative (st->base, ref, G_URI_FLAGS_ENCODED, NULL);
  else if (g_uri_is_valid (ref, G_URI_FLAGS_ENCODED, NULL))
    url = g_strdup (ref);
  st->style->background_image = url != NULL && strlen (url) < 8192
                                  ? g_string_chunk_insert_const (st->strings, url) : NULL;
}

/* counter-reset, counter-set and counter-increment keep their text, read by the box
 * tree builder (bh-box-lists.c); grid-template-columns its tracks, normalised. */
static void
set_counter_property (ApplyState *st, guint8 prop, const char *value)
{
  const char **field = prop == PROP_COUNTER_RESET ? &st->style->counter_reset
                       : prop == PROP_COUNTER_SET ? &st->style->counter_set
                       : prop == PROP_COUNTER_INCREMENT ? &st->style->counter_increment : NULL;

  if (field != NULL)
    *field = strlen (value) < 1024 ? g_string_chunk_insert_const (st->strings, value) : NULL;
  else if (prop == PROP_GRID_TEMPLATE_COLUMNS)
    {
      g_autofree char *tracks = bh_css_grid_tracks (value, st->style->font_size_px, st->vw, st->vh);
      st->style->grid_columns = tracks != NULL ? g_string_chunk_insert_const (st->strings, tracks) : NULL;
    }
}

static void
apply_one (ApplyState *st, const BhDecl *d)
{
  if (st->font_size_pass)
    {
      if (d->prop == PROP_FONT_SIZE)
        bh_css_apply_font_size (st, d);
    }
  else
    bh_css_apply_decl (st, d);
}

/* A declaration that uses var(): substituted with the element's custom properties,
 * then parsed and applied like any; dropped when invalid at computed-value time. */
static void
apply_with_vars (ApplyState *st, BhDeclarations *decls, const BhDecl *d)
{
  const char *name = decls->raw->pdata[d->ival];
  const char *value = decls->raw->pdata[d->ival + 1];
  g_autofree char *substituted = bh_css_substitute_vars (value, st->vars);
  g_autoptr(BhDeclarations) parsed = NULL;

  if (substituted == NULL)
    return;
  parsed = bh_declarations_new ();
  bh_css_add_declaration (parsed, name, substituted, d->important);
  for (guint i = 0; i < parsed->decls->len; i++)
    {
      const BhDecl *p = &g_array_index (parsed->decls, BhDecl, i);
      if (p->kind != DECL_RAW)
        apply_one (st, p);
      else if (p->prop == PROP_CONTENT && !st->font_size_pass)
        {
          g_free (st->content);
          st->content = g_strdup (parsed->raw->pdata[p->ival + 1]);
        }
      else if (p->prop == PROP_BACKGROUND_IMAGE && !st->font_size_pass)
        set_background_image (st, parsed->raw->pdata[p->ival + 1]);
      else if (!st->font_size_pass)
        set_counter_property (st, p->prop, parsed->raw->pdata[p->ival + 1]);
    }
}

static void
apply_block (ApplyState *st, BhDeclarations *decls, gboolean important, gboolean font_size_pass)
{
  if (decls == NULL)
    return;
  st->font_size_pass = font_size_pass;
  for (guint i = 0; i < decls->decls->len; i++)
    {
      const BhDecl *d = &g_array_index (decls->decls, BhDecl, i);
      if ((gboolean) d->important != important)
        continue;
      if (d->kind == DECL_RAW)
        {
          if (d->prop == PROP_WITH_VAR)
            apply_with_vars (st, decls, d);
          else if (d->prop == PROP_CONTENT && !font_size_pass)
            {
              g_free (st->content);
              st->content = g_strdup (decls->raw->pdata[d->ival + 1]);
            }
          else if (d->prop == PROP_BACKGROUND_IMAGE && !font_size_pass)
            set_background_image (st, decls->raw->pdata[d->ival + 1]);
          else if (!font_size_pass)
            set_counter_property (st, d->prop, decls->raw->pdata[d->ival + 1]);
          continue;
        }
      apply_one (st, d);
    }
}

/* Most documents set custom properties on :root only, some on every element: a table
 * stops growing here. */
#define BH_MAX_CUSTOM_PROPERTIES 2048

/* Adds the custom properties @decls sets with this importance to *@vars, copying the
 * inherited table first (*@owned tells whether it is this element's already). */
static void
collect_custom (GHashTable **vars, gboolean *owned, BhDeclarations *decls, gboolean important)
{
  if (decls == NULL || decls->raw == NULL)
    return;
  for (guint i = 0; i < decls->decls->len; i++)
    {
      const BhDecl *d = &g_array_index (decls->decls, BhDecl, i);
      const char *name, *value, *inherited;
      g_autofree char *resolved = NULL;

      if (d->kind != DECL_RAW || d->prop != PROP_CUSTOM || (gboolean) d->important != important)
        continue;
      name = decls->raw->pdata[d->ival];
      value = decls->raw->pdata[d->ival + 1];
      resolved = strstr (value, "var(") != NULL ? bh_css_substitute_vars (value, *vars) : g_strdup (value);
      inherited = *vars != NULL ? g_hash_table_lookup (*vars, name) : NULL;
      if (resolved != NULL && inherited != NULL && strcmp (resolved, inherited) == 0)
        continue;  /* the same value as inherited: no copy of the table */
      if (resolved == NULL && inherited == NULL)
        continue;
      if (!*owned)
        {
          GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          if (*vars != NULL)
            {
              GHashTableIter iter;
              gpointer k, v;
              g_hash_table_iter_init (&iter, *vars);
              while (g_hash_table_iter_next (&iter, &k, &v))
                g_hash_table_insert (copy, g_strdup (k), g_strdup (v));
            }
          *vars = copy;
          *owned = TRUE;
        }
      if (resolved == NULL)
        g_hash_table_remove (*vars, name);
      else if (g_hash_table_size (*vars) < BH_MAX_CUSTOM_PROPERTIES || g_hash_table_contains (*vars, name))
        g_hash_table_insert (*vars, g_strdup (name), g_steal_pointer (&resolved));
    }
}

/**
 * bh_cascade_compute:
 * @cascade: the cascade with its sheets
 * @element: the element, linked to its ancestors
 * @parent: the parent element's computed style (bh_style_init_root() for the root)
 * @hints: (nullable): presentational hints of the element
 * @style_attr: (nullable): declarations of its style="" attribute
 * @out: (out caller-allocates): the computed style
 *
 * Computes the element's style: inherited properties start from @parent, the others
 * from their initial values; then declarations apply in cascade order (CSS 2.1 section
 * 6.4.1: origin and importance, then specificity, then order of appearance). Font size
 * is resolved first so that em lengths refer to the element's own font size.
 */
void
bh_cascade_compute (BhCascade *cascade, const BhElement *element, const BhStyle *parent,
                    BhDeclarations *hints, BhDeclarations *style_attr, BhStyle *out)
{
  bh_cascade_compute_with_vars (cascade, element, parent, NULL, hints, style_attr, out, NULL);
}

/**
 * bh_cascade_compute_with_vars:
 * @cascade: the cascade with its sheets
 * @element: the element, linked to its ancestors
 * @parent: the parent element's computed style
 * @parent_vars: (nullable): the parent's custom properties (name -> value), as this
 *   function returned them for the parent
 * @hints: (nullable): presentational hints of the element
 * @style_attr: (nullable): declarations of its style="" attribute
 * @out: (out caller-allocates): the computed style
 * @out_vars: (out) (optional) (transfer full) (nullable): the element's custom
 *   properties, the parent's table (a new reference) when it sets none; unref it
 *
 * bh_cascade_compute() with custom properties (CSS Custom Properties 1): they inherit,
 * and var() in other declarations is replaced from them before those are parsed.
 */
void
bh_cascade_compute_with_vars (BhCascade *cascade, const BhElement *element, const BhStyle *parent,
                              GHashTable *parent_vars, BhDeclarations *hints, BhDeclarations *style_attr,
                              BhStyle *out, GHashTable **out_vars)
{
  ApplyState st = { .style = out, .parent = parent, .current_color = { TRUE, TRUE, TRUE, TRUE },
                    .vw = cascade->viewport_width / 100.0, .vh = cascade->viewport_height / 100.0,
                    .strings = cascade->strings };
  GArray *matched = cascade->matched;
  GHashTable *vars = parent_vars;
  gboolean owned = FALSE;

  g_array_set_size (matched, 0);
  if (element->id != NULL)
    collect_matches (cascade, g_hash_table_lookup (cascade->by_id, element->id), element);
  if (element->classes != NULL)
    for (char **c = element->classes; *c; c++)
      {
        gboolean seen = FALSE;
        /* a class listed twice must not match its rules twice */
        for (char **d = element->classes; d < c; d++)
          if (strcmp (*c, *d) == 0)
            seen = TRUE;
        if (!seen)
          collect_matches (cascade, g_hash_table_lookup (cascade->by_class, *c), element);
      }
  if (element->tag == GUMBO_TAG_UNKNOWN)
    {
      if (element->tag_name != NULL)
        collect_matches (cascade, g_hash_table_lookup (cascade->by_tag_name, element->tag_name), element);
    }
  else
    collect_matches (cascade, g_hash_table_lookup (cascade->by_tag, GINT_TO_POINTER (element->tag + 1)), element);
  collect_matches (cascade, cascade->universal, element);
  if (matched->len > 1)
    g_array_sort (matched, compare_indexed);

  for (int important = 0; important < 2; important++)
    {
      for (guint i = 0; i < matched->len; i++)
        collect_custom (&vars, &owned, g_array_index (matched, BhIndexedRule, i).rule->decls, important);
      collect_custom (&vars, &owned, style_attr, important);
    }
  st.vars = vars;

  *out = *parent;
  bh_css_reset_non_inherited (out);

  for (int pass = 0; pass < 2; pass++)
    {
      gboolean font_size_pass = pass == 0;
      for (int important = 0; important < 2; important++)
        {
          gboolean hints_done = FALSE;
          for (guint i = 0; i < matched->len; i++)
            {
              const BhIndexedRule *entry = &g_array_index (matched, BhIndexedRule, i);
              if (!hints_done && entry->origin > BH_ORIGIN_USER_AGENT)
                {
                  st.base = cascade->base_url;
                  apply_block (&st, hints, important, font_size_pass);
                  hints_done = TRUE;
                }
              st.base = entry->base != NULL ? entry->base : cascade->base_url;
              apply_block (&st, entry->rule->decls, important, font_size_pass);
            }
          st.base = cascade->base_url;
          if (!hints_done)
            apply_block (&st, hints, important, font_size_pass);
          apply_block (&st, style_attr, important, font_size_pass);
        }
    }

  for (int side = 0; side < 4; side++)
    {
      if (st.current_color[side])
        out->border_color[side] = out->color;
      if (out->border_style[side] == BH_BORDER_NONE)
        out->border_width[side] = 0;
    }

  /* CSS 2.1 section 9.7: a float or an absolutely positioned box is block-level;
   * CSS Flexbox 1 section 4: so is a flex item */
  if (out->position == BH_POSITION_ABSOLUTE || out->position == BH_POSITION_FIXED)
    out->float_ = BH_FLOAT_NONE;
  if (out->float_ != BH_FLOAT_NONE || out->position == BH_POSITION_ABSOLUTE || out->position == BH_POSITION_FIXED ||
      parent->display == BH_DISPLAY_FLEX || parent->display == BH_DISPLAY_INLINE_FLEX ||
      parent->display == BH_DISPLAY_GRID)
    {
      if (out->display == BH_DISPLAY_INLINE || out->display == BH_DISPLAY_INLINE_BLOCK ||
          out->display == BH_DISPLAY_TABLE_ROW_GROUP || out->display == BH_DISPLAY_TABLE_ROW ||
          out->display == BH_DISPLAY_TABLE_CELL || out->display == BH_DISPLAY_TABLE_CAPTION)
        out->display = BH_DISPLAY_BLOCK;
      else if (out->display == BH_DISPLAY_INLINE_FLEX)
        out->display = BH_DISPLAY_FLEX;
    }

  g_free (st.content);
  if (out_vars != NULL)
    *out_vars = vars == NULL ? NULL : owned ? vars : g_hash_table_ref (vars);
  else if (owned)
    g_hash_table_unref (vars);
}

/* The text of a `content` value (CSS 2.1 section 12.2): strings, attr(), quotes;
 * counters and images are left out. NULL for none and normal. */
/* counter(name[, style]) or counters(name, "separator"[, style]) (CSS Lists 3
 * section 4.5), from the box tree builder's counters */
static void
append_counter (const BhCounters *counters, gboolean nested, const char *args, GString *out)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) separator = g_string_new (NULL);
  BhListStyle style = BH_LIST_DECIMAL;
  const char *p = args;

  if (counters == NULL)
    return;
  while (*p != '\0' && *p != ',' && !bh_css_is_space (*p))
    g_string_append_c (name, *p++);
  while (bh_css_is_space (*p))
    p++;
  if (nested)
    {
      if (*p != ',')
        return;
      p++;
      while (bh_css_is_space (*p))
        p++;
      if (*p == '"' || *p == '\'')
        {
          const char *end = p + strlen (p);
          const char *close = bh_css_skip_string (p, end);
          const char *stop = close > p + 1 && close[-1] == *p ? close - 1 : close;
          for (const char *q = p + 1; q < stop;)
            {
              if (bh_css_starts_escape (q, stop))
                q = bh_css_consume_escape (q, stop, separator);
              else
                g_string_append_c (separator, *q++);
            }
          p = close;
        }
      while (bh_css_is_space (*p))
        p++;
    }
  if (*p == ',')
    {
      static const struct { const char *name; BhListStyle style; } styles[] = {
        { "decimal", BH_LIST_DECIMAL }, { "lower-alpha", BH_LIST_LOWER_ALPHA }, { "lower-latin", BH_LIST_LOWER_ALPHA },
        { "upper-alpha", BH_LIST_UPPER_ALPHA }, { "upper-latin", BH_LIST_UPPER_ALPHA },
        { "lower-roman", BH_LIST_LOWER_ROMAN }, { "upper-roman", BH_LIST_UPPER_ROMAN },
        { "disc", BH_LIST_DISC }, { "circle", BH_LIST_CIRCLE }, { "square", BH_LIST_SQUARE }, { "none", BH_LIST_NONE },
      };
      g_autofree char *word = g_strstrip (g_strdup (p + 1));
      for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
        if (g_ascii_strcasecmp (word, styles[i].name) == 0)
          style = styles[i].style;
    }
  if (name->len > 0)
    counters->format (counters->data, name->str, nested ? separator->str : NULL, style, out);
}

static char *
evaluate_content (const char *value, const BhElement *el, const BhCounters *counters)
{
  GString *out = g_string_new (NULL);
  const char *p = value, *end = value + strlen (value);

  if (g_ascii_strcasecmp (value, "none") == 0 || g_ascii_strcasecmp (value, "normal") == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  while (p < end && out->len < 4096)
    {
      if (bh_css_is_space (*p))
        p++;
      else if (*p == '"' || *p == '\'')
        {
          const char *close = bh_css_skip_string (p, end);
          const char *stop = close > p + 1 && close[-1] == *p ? close - 1 : close;
          for (const char *q = p + 1; q < stop;)
            {
              if (bh_css_starts_escape (q, stop))
                q = bh_css_consume_escape (q, stop, out);
              else
                g_string_append_c (out, *q++);
            }
          p = close;
        }
      else
        {
          g_autofree char *ident = bh_css_read_ident (&p, end);
          if (ident == NULL)
            {
              p++;
              continue;
            }
          if (p < end && *p == '(')
            {
              const char *close = memchr (p, ')', end - p);
              g_autofree char *arg = bh_css_strip_dup (p + 1, close != NULL ? close : end);
              if (g_ascii_strcasecmp (ident, "counter") == 0 || g_ascii_strcasecmp (ident, "counters") == 0)
                append_counter (counters, ident[7] != '\0', arg, out);
              else if (g_ascii_strcasecmp (ident, "attr") == 0 && el->node != NULL &&
                  el->node->type == GUMBO_NODE_ELEMENT)
                {
                  const GumboVector *attrs = &el->node->v.element.attributes;
                  for (guint i = 0; i < attrs->length; i++)
                    {
                      const GumboAttribute *a = attrs->data[i];
                      if (g_ascii_strcasecmp (a->name, arg) == 0)
                        g_string_append (out, a->value);
                    }
                }
              p = close != NULL ? close + 1 : end;
            }
          else if (g_ascii_strcasecmp (ident, "open-quote") == 0)
            g_string_append (out, "\u201c");
          else if (g_ascii_strcasecmp (ident, "close-quote") == 0)
            g_string_append (out, "\u201d");
        }
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/**
 * bh_cascade_set_counters:
 * @cascade: a cascade
 * @counters: (nullable): what counter() and counters() read, borrowed
 */
void
bh_cascade_set_counters (BhCascade *cascade, const BhCounters *counters)
{
  cascade->counters = counters;
}

/**
 * bh_cascade_compute_pseudo:
 * @cascade: the cascade
 * @element: the element
 * @pseudo_element: 1 for ::before, 2 for ::after, BH_PSEUDO_MARKER for ::marker
 * @element_style: the element's computed style, which the pseudo-element inherits
 * @vars: (nullable): the element's custom properties
 * @out: (out caller-allocates): the pseudo-element's style
 *
 * The ::before or ::after of an element (CSS 2.1 section 12.1): its style, and the
 * text its `content` makes (strings, attr(), quotes).
 *
 * Returns: (transfer full) (nullable): the text, %NULL when the element has no such
 *   pseudo-element (no rule, content none or normal, display: none); for ::marker
 *   "" when its rules give no content (the marker keeps its text, takes the style).
 */
char *
bh_cascade_compute_pseudo (BhCascade *cascade, const BhElement *element, guint pseudo_element,
                           const BhStyle *element_style, GHashTable *vars, BhStyle *out)
{
  ApplyState st = { .style = out, .parent = element_style, .current_color = { TRUE, TRUE, TRUE, TRUE },
                    .vw = cascade->viewport_width / 100.0, .vh = cascade->viewport_height / 100.0,
                    .vars = vars, .strings = cascade->strings, .base = cascade->base_url };
  GArray *matched = cascade->matched;
  GArray *rules;
  char *text = NULL;

  if (pseudo_element != PSEUDO_ELEMENT_BEFORE && pseudo_element != PSEUDO_ELEMENT_AFTER &&
      pseudo_element != PSEUDO_ELEMENT_MARKER)
    return NULL;
  rules = cascade->pseudo_rules[pseudo_element];
  if (rules->len == 0)
    return NULL;
  g_array_set_size (matched, 0);
  for (guint i = 0; i < rules->len; i++)
    {
      const BhIndexedRule *entry = &g_array_index (rules, BhIndexedRule, i);
      if (bh_css_selector_matches (entry->rule->selector, element, (guint8) pseudo_element))
        g_array_append_val (matched, *entry);
    }
  if (matched->len == 0)
    return NULL;
  if (matched->len > 1)
    g_array_sort (matched, compare_indexed);

  *out = *element_style;
  bh_css_reset_non_inherited (out);
  for (int pass = 0; pass < 2; pass++)
    for (int important = 0; important < 2; important++)
      for (guint i = 0; i < matched->len; i++)
        apply_block (&st, g_array_index (matched, BhIndexedRule, i).rule->decls, important, pass == 0);
  for (int side = 0; side < 4; side++)
    {
      if (st.current_color[side])
        out->border_color[side] = out->color;
      if (out->border_style[side] == BH_BORDER_NONE)
        out->border_width[side] = 0;
    }
  /* a pseudo-element's own counters change before its content reads them */
  if (cascade->counters != NULL && out->display != BH_DISPLAY_NONE &&
      (out->counter_reset != NULL || out->counter_set != NULL || out->counter_increment != NULL))
    cascade->counters->apply (cascade->counters->data, out);
  if (st.content != NULL && out->display != BH_DISPLAY_NONE)
    text = evaluate_content (st.content, element, cascade->counters);
  else if (pseudo_element == PSEUDO_ELEMENT_MARKER && out->display != BH_DISPLAY_NONE)
    text = g_strdup ("");  /* the marker's style, the list item's own text */
  g_free (st.content);
  return text;
}
