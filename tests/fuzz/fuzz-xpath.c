/* fuzz-xpath: libFuzzer target for automation's locators in the renderer
 * (docs/fuzzing.md): XPath expressions (renderer/engine/bh-document-xpath.c) and
 * innerText searches (bh-document-query.c), as a client of --remote-debugging-port
 * may send them through LocateNodesBy.
 *
 * The input, made valid UTF-8 (the catalogue's strings are), is the expression;
 * it is evaluated against a fixed document with nesting, attributes, text and
 * unknown elements, then used as the text of an innerText search, exact and
 * partial, with and without case, at depths 0 and 2. Nothing may crash, leak or
 * overflow; every element found must be a real one, in document order.
 */
#include <string.h>

#include "bh-document.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char page[] =
  "<!DOCTYPE html><html lang=en><head><title>Fuzz</title><style>p{}</style></head><body>"
  "<h1 id=top class='a b'>Head <b>line</b></h1><ul><li>one</li><li class=x>two</li><li>three</li></ul>"
  "<div><p>deep <a href='a.html' id=l>link</a></p><p lang=de>zwei</p><x-widget>custom</x-widget></div>"
  "<table><tr><td>1</td><td>2</td></tr></table><form><input name=q value=v></form>"
  "<script>var s = '<p>';</script></body></html>";

static void
check_found (GArray *found)
{
  guint previous = 0;

  if (found == NULL)
    return;
  for (guint i = 0; i < found->len; i++)
    {
      const BhNodeRect *r = &g_array_index (found, BhNodeRect, i);

      g_assert (r->node > previous);
      previous = r->node;
    }
  g_array_unref (found);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static BhDocument *doc = NULL;
  g_autofree char *text = g_utf8_make_valid ((const char *) data, (gssize) size);

  if (doc == NULL)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (page, sizeof page - 1);

      doc = bh_document_new ("http://fuzz.test/", "text/html", "utf-8", body);
      bh_document_layout (doc, 800, 1.0);
    }
  /* A NUL cuts a catalogue string: what comes after it never arrives. */
  check_found (bh_document_locate_nodes_by_xpath (doc, text, 1000));
  check_found (bh_document_locate_nodes_by_xpath (doc, text, 1));
  for (int i = 0; i < 8; i++)
    check_found (bh_document_locate_nodes_by_text (doc, text, i & 1, (i >> 1) & 1, (i >> 2) ? 2 : 0, 1000));
  return 0;
}
