/* browser/pages/: the pages the browser generates itself.
 *
 * Owns: the template mechanism (bh-page-template.c), error pages
 * (bh-error-page.c) and about:sandbox (bh-sandbox-page.c); their templates
 * are in data/ (errors/, templates/, pages/ for the about: pages, which the
 * fetcher serves) and reach the build through the GResource.
 *
 * May use: common/ only (bh-sandbox.h, to read a process's confinement from
 * /proc). A page takes plain values: an error page Chromium's error name
 * and message, about:sandbox one row per process. Whoever knows the facts
 * (the tab, the process manager, the fetcher) passes them, so pages/ calls
 * nothing above it. tools/check-includes keeps the rule.
 */
/* bh-page-template.h: the one template mechanism of the generated pages.
 *
 * Templates live in the GResource (data/pages, data/errors, data/templates);
 * values are plain strings, escaped here unless the caller built the markup
 * from escaped parts.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_template_expand:
 * @template_text: text with `{{name}}` placeholders
 * @...: pairs of a placeholder name and its value (UTF-8; escaped with
 *   g_markup_escape_text() here), ended by %NULL
 *
 * Replaces every `{{name}}` with its escaped value; placeholders with no
 * value become empty. The about: pages, error pages and about:sandbox use it.
 *
 * Returns: (transfer full): the expanded text.
 */
char *bh_template_expand (const char *template_text,
                          ...) G_GNUC_NULL_TERMINATED;

/**
 * bh_template_expand_table:
 * @template_text: text with `{{name}}` placeholders
 * @values: (element-type utf8 utf8): name -> value (escaped here)
 * @raw_values: (nullable) (element-type utf8 utf8): name -> HTML inserted
 *   as it is, for markup the caller built from escaped parts
 *
 * As bh_template_expand(), from hash tables.
 *
 * Returns: (transfer full): the expanded text.
 */
char *bh_template_expand_table (const char *template_text,
                                GHashTable *values,
                                GHashTable *raw_values);

G_END_DECLS
