/* bh-error-page.h: the HTML the browser shows when a page cannot be shown. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_error_page_render:
 * @url: the URL that failed, shown on the page
 * @error: (nullable): why the fetch failed (%BH_NET_ERROR, or any other
 *   domain, shown with its message); %NULL when @http_status says it
 * @http_status: the HTTP status when the server answered with an error
 *   (400-599) and @error is %NULL; ignored when @error is set
 *
 * Renders data/errors/error.html (from the GResource) with a title, the
 * error's message, a hint and a code ("ERR_NAME_NOT_RESOLVED", "HTTP ERROR
 * 404"), every value escaped with g_markup_escape_text(). The renderer
 * shows it like any other text/html page in UTF-8.
 *
 * Chromium shows the server's own body for a 4xx/5xx response when there is
 * one and its error page only when the body is empty; callers should do the
 * same.
 *
 * Returns: (transfer full): the page's HTML, UTF-8.
 */
GBytes *bh_error_page_render (const char   *url,
                              const GError *error,
                              guint         http_status);

/**
 * bh_template_expand:
 * @template_text: text with `{{name}}` placeholders
 * @...: pairs of a placeholder name and its value (UTF-8; escaped with
 *   g_markup_escape_text() here), ended by %NULL
 *
 * Replaces every `{{name}}` with its escaped value; placeholders with no
 * value become empty. The about: pages use it too.
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
