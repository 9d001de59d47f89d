/* bh-error-page.h: the HTML the browser shows when a page cannot be shown. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_error_page_render:
 * @url: the URL that failed, shown on the page
 * @error_code: (nullable): why the fetch failed, as Chromium names net
 *   errors ("ERR_NAME_NOT_RESOLVED", "ERR_ABORTED"...: bh_net_error_code());
 *   a code the page does not know reads as a generic failure. %NULL when
 *   @http_status says it
 * @error_message: (nullable): the error's message, in plain words
 * @http_status: the HTTP status when the server answered with an error
 *   (400-599) and @error_code is %NULL; ignored when @error_code is set
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
GBytes *bh_error_page_render (const char *url,
                              const char *error_code,
                              const char *error_message,
                              guint       http_status);

G_END_DECLS
