/* bh-site.h: the site model, Chromium's: which renderer a URL belongs to,
 * and what a renderer may read from other sites.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_site_for_url:
 * @url: an absolute URL
 *
 * Computes the site of @url, the unit of renderer isolation, as Chromium's
 * SiteInstance::GetSiteForURL does with site-per-process:
 *
 * - http, https and other URLs with a host: scheme + "://" + the registrable
 *   domain (eTLD+1) from the Public Suffix List (libpsl; the system's list,
 *   or libpsl's built-in copy). The port, user info, path, query and
 *   fragment are ignored; the host is lower-cased and IDN hosts are
 *   compared in their ASCII (punycode) form, so "http://a.alpha.test:8080/x"
 *   and "http://ALPHA.test/" are both "http://alpha.test". A name that is
 *   not under any listed suffix (".test", ".localhost") takes its last label
 *   as the suffix, per the PSL's implicit "*" rule: "alpha.test" and
 *   "beta.test" are two sites.
 * - IP literals (IPv4, and IPv6 kept in brackets), "localhost", and hosts
 *   that are themselves a public suffix ("co.uk") are their own site:
 *   scheme + "://" + host.
 * - every file: URL is the one site "file://";
 * - every about: URL is the one site "about:";
 * - every data: URL is the site "data:" (Chromium gives each data: URL an
 *   opaque origin; here they share one renderer, which has no way to reach
 *   other sites' data anyway).
 *
 * Returns: (transfer full) (nullable): the site, or %NULL when @url is not
 *   an absolute URL or has a scheme that needs a host but has none.
 */
char *bh_site_for_url (const char *url);

/**
 * bh_site_may_read:
 * @renderer_site: the site the asking renderer is locked to
 * @resource_url: the URL of the subresource it asked for
 * @content_type: (nullable): the resource's MIME type essence, lower case
 *   without parameters ("image/png", as bh_mime_extract() gives it); %NULL
 *   when unknown or in doubt (conflicting Content-Type headers). Anything
 *   that is not a clean essence counts as unknown.
 *
 * Decides whether a renderer may be handed a subresource, the way
 * Chromium's Cross-Origin Read Blocking (and its successor, Opaque Response
 * Blocking) protect other sites' documents from a compromised renderer:
 *
 * - a resource of the renderer's own site: always;
 * - a data: resource: always (its bytes came from the renderer's own page);
 * - a file: or about: resource for a renderer of another site: never, as
 *   Chromium refuses web pages local resources outright;
 * - from any other site, only the types a page embeds without reading them
 *   as data: image/x (including image/svg+xml) and text/css, plus
 *   application/pdf because the PDF plugin needs the bytes. HTML, XML, JSON,
 *   text/plain, scripts, unknown and missing types are refused. This is an
 *   allow-list where CORB is a block-list: Bulkhead's renderer runs no
 *   script and has no other use for cross-site bytes.
 *
 * Returns: %TRUE if the bytes may cross into that renderer.
 */
gboolean bh_site_may_read (const char *renderer_site,
                           const char *resource_url,
                           const char *content_type);

G_END_DECLS
