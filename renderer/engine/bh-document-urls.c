/* bh-document-urls.c: a document's URLs, interned strings and resource table.
 *
 * The leaf both bh-document.c and the box tree builder (bh-box.c) use, so
 * that the box tree never calls back into the document that builds it.
 */
#include "bh-document-private.h"

#include <string.h>

/**
 * bh_document_intern: (skip)
 * @doc: a document
 * @str: a string
 *
 * Returns: (transfer none): a copy of @str owned by @doc, the same pointer for equal
 *   strings, so runs can share and compare link targets by pointer.
 */
const char *
bh_document_intern (BhDocument *doc, const char *str)
{
  char *interned = g_hash_table_lookup (doc->strings, str);

  if (interned == NULL)
    {
      interned = g_strdup (str);
      g_hash_table_add (doc->strings, interned);
    }
  return interned;
}

/**
 * bh_document_resolve_url: (skip)
 * @doc: a document
 * @ref: a URL reference from the page (href, src...)
 *
 * Resolves @ref against the document's base URL (<base href> if any, else its URL),
 * after stripping the white space HTML allows around URLs.
 *
 * Returns: (transfer full) (nullable): an absolute URL, or %NULL if @ref cannot be
 * resolved.
 */
char *
bh_document_resolve_url (BhDocument *doc, const char *ref)
{
  const char *base;

  base = doc->base_url != NULL ? doc->base_url : doc->url;
  return bh_document_resolve_url_against (base, ref);
}

/**
 * bh_document_resolve_url_against: (skip)
 * @base: an absolute URL, such as a style sheet's
 * @ref: a URL reference as written in it
 *
 * bh_document_resolve_url() against another base than the document's.
 *
 * Returns: (transfer full) (nullable): the absolute URL, %NULL when either does not parse.
 */
char *
bh_document_resolve_url_against (const char *base, const char *ref)
{
  const GUriFlags flags = G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED;
  g_autoptr(GString) clean = NULL;
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (ref == NULL || base == NULL)
    return NULL;
  clean = g_string_new (NULL);
  for (const char *p = ref; *p; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (clean, *p);
  g_strstrip (clean->str);
  clean->len = strlen (clean->str);
  /* spaces are not allowed in URIs; browsers percent-encode them */
  for (gsize i = 0; i < clean->len; i++)
    if (clean->str[i] == ' ')
      {
        g_string_erase (clean, i, 1);
        g_string_insert (clean, i, "%20");
        i += 2;
      }
  base_uri = g_uri_parse (base, flags, NULL);
  if (base_uri == NULL)
    return NULL;
  uri = g_uri_parse_relative (base_uri, clean->str, flags, NULL);
  if (uri == NULL)
    return NULL;
  /* GLib 2.74's relaxed parser reads "http://a;x" as host "a" and path ";x", a URI
   * g_uri_to_string() refuses with a critical (found by tests/fuzz/fuzz-document.c):
   * such a reference resolves to nothing, as one that does not parse. */
  path = g_uri_get_path (uri);
  if (g_uri_get_host (uri) != NULL && path[0] != '\0' && path[0] != '/')
    return NULL;
  return g_uri_to_string (uri);
}

/**
 * bh_document_find_resource: (skip)
 * @doc: a document
 * @url: an absolute URL
 *
 * Returns: (transfer none) (nullable): the subresource with that URL, if the document
 *   wants one.
 */
BhResource *
bh_document_find_resource (BhDocument *doc, const char *url)
{
  return g_hash_table_lookup (doc->resource_by_url, url);
}
