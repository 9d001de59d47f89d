/* bh-script.cpp: SpiderMonkey 102 in the renderer (bh-script.h)
 *
 * One JSContext for the process; one realm per document, with a global of its
 * own in a new compartment and zone, so that nothing of one document is
 * reachable from the next. The DOM's interfaces (Node, Element, Document,
 * events, timers, console, location, the BiDi serialisation) are written in
 * JavaScript (bh-script-dom.js, run first in every realm) over a small set of
 * native functions here, each of which checks its arguments: a node argument
 * must be a node wrapper of this realm, anything else is a TypeError.
 *
 * The natives of the web platform beyond the tree (URL, bytes, fetch, Web
 * Storage, computed style, form fields, scrolling, animation frames) are in
 * bh-script-web.cpp; what both files share is bh-script-private.h.
 *
 * Node wrappers: one JS object per GumboNode, made on first use and kept for
 * the realm's life (a map traced as a GC root), so that `a === b` holds for one
 * node and expandos and listeners stay. The nodes themselves belong to the
 * document, which outlives the realm.
 */
#include "bh-script-private.h"

#include <js/CompilationAndEvaluation.h>
#include <js/ErrorReport.h>
#include <js/Exception.h>
#include <js/Initialization.h>
#include <js/MemoryCallbacks.h>
#include <js/SourceText.h>
#include <js/Stack.h>

#include <unistd.h>

#include "bh-sandbox.h"

/* The DOM in JavaScript, generated from bh-script-dom.js. */
#include "bh-script-dom-js.h"

/* Native stack for scripts: deep recursion ends in a RangeError ("too much
 * recursion"), not in a crash. The main thread has 8 MiB. */
#define NATIVE_STACK_QUOTA_BYTES (1024u * 1024u)

/* The global's reserved slots: the engine leaves the first
 * JSCLASS_GLOBAL_APPLICATION_SLOTS (5) to us, keeps the next for itself, and
 * any more come after it. */
enum {
  SLOT_HOOKS,
  SLOT_PROTO_ELEMENT,
  SLOT_PROTO_TEXT,
  SLOT_PROTO_COMMENT,
  SLOT_PROTO_DOCUMENT,
  SLOT_PROTO_FRAGMENT = JSCLASS_GLOBAL_SLOT_COUNT,
};
#define N_EXTRA_GLOBAL_SLOTS 1

namespace bh_script {
JSContext *cx;
}

static const JSClass global_class = {
  "Window", JSCLASS_GLOBAL_FLAGS_WITH_SLOTS (N_EXTRA_GLOBAL_SLOTS), &JS::DefaultGlobalClassOps,
};

static const JSClass node_class = { "BhNode", JSCLASS_HAS_RESERVED_SLOTS (1) };

BhScriptRealm *
current_realm (JSContext *ctx)
{
  return static_cast<BhScriptRealm *> (JS::GetRealmPrivate (JS::GetCurrentRealmOrNull (ctx)));
}

/* ---------------------------------------------------------------- errors */

void
report_pending_exception (BhScriptRealm *realm)
{
  JS::ExceptionStack stack (cx);

  /* No exception: an uncatchable end (out of memory exits before this). */
  if (!JS_IsExceptionPending (cx) || !JS::StealPendingExceptionStack (cx, &stack))
    return;
  JS::ErrorReportBuilder report (cx);
  if (!report.init (cx, stack, JS::ErrorReportBuilder::NoSideEffects))
    {
      JS_ClearPendingException (cx);
      return;
    }
  const JSErrorReport *r = report.report ();
  g_autofree char *line = NULL;
  if (r != NULL && r->filename != NULL)
    line = g_strdup_printf ("Uncaught %s (%s:%u:%u)", report.toStringResult ().c_str (), r->filename, r->lineno,
                            r->column + 1);
  else
    line = g_strdup_printf ("Uncaught %s", report.toStringResult ().c_str ());
  realm->client->console_message (realm->user_data, BH_CONSOLE_ERROR, line);
}

static void
out_of_memory_cb (JSContext *ctx, void *data)
{
  /* The heap limit or the address space is spent: the browser reads the exit
   * code as `oom` (common/bh-sandbox.h). Nothing is safe to do in between. */
  _exit (BH_EXIT_CODE_OUT_OF_MEMORY);
}

/* ---------------------------------------------------------------- values */

char *
to_utf8 (JSContext *ctx, JS::HandleValue v)
{
  JS::RootedString s (ctx, JS::ToString (ctx, v));

  if (s == nullptr)
    return NULL;
  JS::UniqueChars chars = JS_EncodeStringToUTF8 (ctx, s);
  return chars ? g_strdup (chars.get ()) : NULL;
}

bool
set_string (JSContext *ctx, const char *s, JS::MutableHandleValue out)
{
  if (s == NULL)
    {
      out.setNull ();
      return true;
    }
  JSString *str = JS_NewStringCopyUTF8N (ctx, JS::UTF8Chars (s, strlen (s)));
  if (str == nullptr)
    return false;
  out.setString (str);
  return true;
}

GumboNode *
to_node (JS::HandleValue v)
{
  if (!v.isObject () || JS::GetClass (&v.toObject ()) != &node_class)
    return NULL;
  return JS::GetMaybePtrFromReservedSlot<GumboNode> (&v.toObject (), 0);
}

bool
wrap_node (JSContext *ctx, BhScriptRealm *realm, GumboNode *node, JS::MutableHandleValue out)
{
  int slot;

  if (node == NULL)
    {
      out.setNull ();
      return true;
    }
  auto it = realm->wrappers.find (node);
  if (it != realm->wrappers.end ())
    {
      out.setObject (*it->second.get ());
      return true;
    }
  switch (node->type)
    {
    case GUMBO_NODE_DOCUMENT:
      slot = SLOT_PROTO_DOCUMENT;
      break;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      slot = bh_dom_is_fragment (node) ? SLOT_PROTO_FRAGMENT : SLOT_PROTO_ELEMENT;
      break;
    case GUMBO_NODE_COMMENT:
      slot = SLOT_PROTO_COMMENT;
      break;
    default:
      slot = SLOT_PROTO_TEXT;
      break;
    }
  JS::RootedObject global (ctx, realm->global);
  JS::Value proto_value = JS::GetReservedSlot (global, slot);
  JS::RootedObject proto (ctx, proto_value.isObject () ? &proto_value.toObject () : nullptr);
  JS::RootedObject obj (ctx, JS_NewObjectWithGivenProto (ctx, &node_class, proto));
  if (obj == nullptr)
    return false;
  JS::SetReservedSlot (obj, 0, JS::PrivateValue (node));
  realm->wrappers.emplace (node, obj.get ());
  out.setObject (*obj);
  return true;
}

/* ---------------------------------------------------------------- the natives */

NATIVE (native_type)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  switch (node->type)
    {
    case GUMBO_NODE_DOCUMENT:
      args.rval ().setInt32 (9);
      break;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      args.rval ().setInt32 (bh_dom_is_fragment (node) ? 11 : 1);
      break;
    case GUMBO_NODE_COMMENT:
      args.rval ().setInt32 (8);
      break;
    default:
      args.rval ().setInt32 (3);
      break;
    }
  return true;
}

NATIVE (native_name)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  return set_string (ctx, bh_dom_get_local_name (node), args.rval ());
}

NATIVE (native_parent)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  return wrap_node (ctx, realm, node->parent, args.rval ());
}

static GumboNode *
child_at (GumboNode *node, gint64 i)
{
  GumboVector *children = bh_dom_get_children (node);

  if (children == NULL || i < 0 || i >= children->length)
    return NULL;
  return static_cast<GumboNode *> (children->data[i]);
}

NATIVE (native_child)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  GumboVector *children = bh_dom_get_children (node);
  double i;
  if (!JS::ToNumber (ctx, args.get (1), &i))
    return false;
  /* A negative index counts from the end: -1 is the last child. */
  if (children != NULL && i < 0)
    i += children->length;
  return wrap_node (ctx, realm, child_at (node, (gint64) i), args.rval ());
}

NATIVE (native_sibling)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  int32_t delta;
  if (!JS::ToInt32 (ctx, args.get (1), &delta))
    return false;
  if (node->parent == NULL)
    {
      args.rval ().setNull ();
      return true;
    }
  return wrap_node (ctx, realm, child_at (node->parent, (gint64) node->index_within_parent + delta), args.rval ());
}

NATIVE (native_count)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  GumboVector *children = bh_dom_get_children (node);
  args.rval ().setInt32 (children != NULL ? (int32_t) children->length : 0);
  return true;
}

NATIVE (native_index)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  args.rval ().setInt32 (node->parent != NULL ? (int32_t) node->index_within_parent : -1);
  return true;
}

static bool
wrap_array (JSContext *ctx, BhScriptRealm *realm, GumboNode *const *nodes, guint n, JS::MutableHandleValue out)
{
  JS::RootedObject array (ctx, JS::NewArrayObject (ctx, n));
  JS::RootedValue v (ctx);

  if (array == nullptr)
    return false;
  for (guint i = 0; i < n; i++)
    if (!wrap_node (ctx, realm, nodes[i], &v) || !JS_SetElement (ctx, array, i, v))
      return false;
  out.setObject (*array);
  return true;
}

NATIVE (native_children)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  GumboVector *children = bh_dom_get_children (node);
  if (children == NULL)
    return wrap_array (ctx, realm, NULL, 0, args.rval ());
  return wrap_array (ctx, realm, reinterpret_cast<GumboNode *const *> (children->data), children->length,
                     args.rval ());
}

static bool
no_memory (JSContext *ctx)
{
  JS_ReportErrorASCII (ctx, "the document is too large: its memory budget is spent");
  return false;
}

void
changed (BhScriptRealm *realm)
{
  realm->client->document_changed (realm->user_data);
}

NATIVE (native_text)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  g_autofree char *text = bh_dom_get_text_content (node);
  return set_string (ctx, text, args.rval ());
}

NATIVE (native_set_text)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (text, 1);
  if (!bh_dom_set_text_content (realm->doc, node, text))
    return no_memory (ctx);
  changed (realm);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_attr)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (name, 1);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return set_string (ctx, bh_dom_get_attribute (node, lower), args.rval ());
}

NATIVE (native_set_attr)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (name, 1);
  STRING_ARG (value, 2);
  if (!bh_dom_set_attribute (realm->doc, node, name, value))
    return no_memory (ctx);
  changed (realm);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_remove_attr)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (name, 1);
  bh_dom_remove_attribute (realm->doc, node, name);
  changed (realm);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_attrs)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  JS::RootedObject array (ctx, JS::NewArrayObject (ctx, 0));
  JS::RootedValue v (ctx);
  if (array == nullptr)
    return false;
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    {
      const GumboVector *attrs = &node->v.element.attributes;
      for (guint i = 0; i < attrs->length; i++)
        {
          const GumboAttribute *attr = static_cast<const GumboAttribute *> (attrs->data[i]);
          if (!set_string (ctx, attr->name, &v) || !JS_SetElement (ctx, array, 2 * i, v) ||
              !set_string (ctx, attr->value, &v) || !JS_SetElement (ctx, array, 2 * i + 1, v))
            return false;
        }
    }
  args.rval ().setObject (*array);
  return true;
}

NATIVE (native_create_element)
{
  PREAMBLE;
  STRING_ARG (name, 0);
  GumboNode *node = bh_dom_create_element (realm->doc, name);
  if (node == NULL)
    return no_memory (ctx);
  return wrap_node (ctx, realm, node, args.rval ());
}

NATIVE (native_create_fragment)
{
  PREAMBLE;
  GumboNode *node = bh_dom_create_fragment (realm->doc);
  if (node == NULL)
    return no_memory (ctx);
  return wrap_node (ctx, realm, node, args.rval ());
}

NATIVE (native_is_node)
{
  PREAMBLE;
  args.rval ().setBoolean (to_node (args.get (0)) != NULL);
  return true;
}

NATIVE (native_create_text)
{
  PREAMBLE;
  STRING_ARG (data, 0);
  bool comment = args.get (1).isTrue ();
  GumboNode *node = bh_dom_create_character_data (realm->doc, comment ? GUMBO_NODE_COMMENT : GUMBO_NODE_TEXT, data);
  if (node == NULL)
    return no_memory (ctx);
  return wrap_node (ctx, realm, node, args.rval ());
}

NATIVE (native_insert)
{
  PREAMBLE;
  NODE_ARG (parent, 0);
  NODE_ARG (child, 1);
  GumboNode *reference = NULL;
  if (!args.get (2).isNullOrUndefined ())
    {
      reference = to_node (args.get (2));
      if (reference == NULL)
        {
          JS_ReportErrorASCII (ctx, "argument 2 is not a node");
          return false;
        }
    }
  BhDomStatus status = bh_dom_insert_before (realm->doc, parent, child, reference);
  if (status == BH_DOM_NO_MEMORY)
    return no_memory (ctx);
  if (status == BH_DOM_OK)
    changed (realm);
  args.rval ().setInt32 (status);
  return true;
}

NATIVE (native_remove)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  if (node->parent != NULL)
    {
      bh_dom_remove (realm->doc, node);
      changed (realm);
    }
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_data)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE || node->type == GUMBO_NODE_DOCUMENT)
    {
      args.rval ().setNull ();
      return true;
    }
  return set_string (ctx, node->v.text.text, args.rval ());
}

NATIVE (native_set_data)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (data, 1);
  if (!bh_dom_set_data (realm->doc, node, data))
    return no_memory (ctx);
  changed (realm);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_html)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  g_autofree char *html = bh_dom_serialize (node, args.get (1).isTrue ());
  return set_string (ctx, html, args.rval ());
}

NATIVE (native_set_html)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (html, 1);
  BhDomStatus status = bh_dom_set_inner_html (realm->doc, node, html);
  if (status == BH_DOM_NO_MEMORY)
    return no_memory (ctx);
  if (status == BH_DOM_OK)
    changed (realm);
  args.rval ().setInt32 (status);
  return true;
}

NATIVE (native_matches)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (text, 1);
  g_autoptr (BhSelectorList) selectors = bh_selector_list_parse (text);
  if (selectors == NULL)
    args.rval ().setNull ();
  else
    args.rval ().setBoolean (bh_dom_matches (node, selectors));
  return true;
}

NATIVE (native_query)
{
  PREAMBLE;
  NODE_ARG (root, 0);
  STRING_ARG (text, 1);
  g_autoptr (BhSelectorList) selectors = bh_selector_list_parse (text);
  if (selectors == NULL)
    {
      args.rval ().setNull ();
      return true;
    }
  g_autoptr (GPtrArray) found = bh_dom_query_selector_all (root, selectors, args.get (2).isTrue () ? 1 : G_MAXUINT);
  return wrap_array (ctx, realm, reinterpret_cast<GumboNode *const *> (found->pdata), found->len, args.rval ());
}

NATIVE (native_by_id)
{
  PREAMBLE;
  STRING_ARG (id, 0);
  return wrap_node (ctx, realm, bh_dom_get_element_by_id (realm->doc, id), args.rval ());
}

NATIVE (native_rect)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  double rect[4];
  realm->client->ensure_layout (realm->user_data);
  if (!bh_dom_get_rect (realm->doc, node, rect))
    {
      args.rval ().setNull ();
      return true;
    }
  JS::RootedObject array (ctx, JS::NewArrayObject (ctx, 4));
  if (array == nullptr)
    return false;
  for (guint i = 0; i < 4; i++)
    if (!JS_SetElement (ctx, array, i, rect[i]))
      return false;
  args.rval ().setObject (*array);
  return true;
}

NATIVE (native_document)
{
  PREAMBLE;
  return wrap_node (ctx, realm, bh_dom_get_document (realm->doc), args.rval ());
}

NATIVE (native_url)
{
  PREAMBLE;
  return set_string (ctx, bh_document_get_url (realm->doc), args.rval ());
}

NATIVE (native_resolve)
{
  PREAMBLE;
  STRING_ARG (ref, 0);
  g_autofree char *url = bh_dom_resolve_url (realm->doc, ref);
  return set_string (ctx, url, args.rval ());
}

NATIVE (native_console)
{
  PREAMBLE;
  int32_t level;
  if (!JS::ToInt32 (ctx, args.get (0), &level))
    return false;
  STRING_ARG (text, 1);
  realm->client->console_message (realm->user_data, (BhConsoleLevel) CLAMP (level, 0, 2), text);
  args.rval ().setUndefined ();
  return true;
}

static void fire_timer (BhScriptRealm *realm, guint id);

static gboolean
timer_cb (gpointer data)
{
  Timer *t = static_cast<Timer *> (data);
  BhScriptRealm *realm = t->realm;
  guint id = t->id;

  /* The hook may set the same id again (setInterval): forget this source first. */
  g_hash_table_steal (realm->timers, GUINT_TO_POINTER (id));
  fire_timer (realm, id);
  return G_SOURCE_REMOVE;
}

NATIVE (native_timer)
{
  PREAMBLE;
  uint32_t id;
  double ms;
  if (!JS::ToUint32 (ctx, args.get (0), &id) || !JS::ToNumber (ctx, args.get (1), &ms))
    return false;
  if (!(ms >= 0))
    ms = 0;
  Timer *t = g_new (Timer, 1);
  t->realm = realm;
  t->id = id;
  guint source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (ms, (double) G_MAXINT32), timer_cb, t, g_free);
  g_hash_table_replace (realm->timers, GUINT_TO_POINTER (id), GUINT_TO_POINTER (source));
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_cancel_timer)
{
  PREAMBLE;
  uint32_t id;
  if (!JS::ToUint32 (ctx, args.get (0), &id))
    return false;
  g_hash_table_remove (realm->timers, GUINT_TO_POINTER (id));
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_dialog)
{
  PREAMBLE;
  int32_t kind;
  if (!JS::ToInt32 (ctx, args.get (0), &kind))
    return false;
  STRING_ARG (message, 1);
  STRING_ARG (default_text, 2);
  g_autofree char *text = NULL;
  gboolean accepted = realm->client->run_dialog (realm->user_data, (BhDialogKind) CLAMP (kind, 0, 2), message,
                                                 default_text, &text);
  if (kind == BH_DIALOG_PROMPT)
    return set_string (ctx, accepted ? (text != NULL ? text : "") : NULL, args.rval ());
  args.rval ().setBoolean (accepted);
  return true;
}

NATIVE (native_navigate)
{
  PREAMBLE;
  int32_t kind, delta;
  if (!JS::ToInt32 (ctx, args.get (0), &kind) || !JS::ToInt32 (ctx, args.get (2), &delta))
    return false;
  STRING_ARG (url, 1);
  realm->client->navigate (realm->user_data, (BhScriptNavigation) CLAMP (kind, 0, 5), url, delta);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_open)
{
  PREAMBLE;
  STRING_ARG (url, 0);
  realm->client->open_window (realm->user_data, url);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_result)
{
  PREAMBLE;
  uint32_t request_id;
  if (!JS::ToUint32 (ctx, args.get (0), &request_id))
    return false;
  STRING_ARG (json, 1);
  if (strlen (json) > BH_SCRIPT_MAX_RESULT_BYTES)
    {
      g_autofree char *too_big = bh_script_exception_json ("the result is too large to serialise");
      realm->client->evaluate_done (realm->user_data, request_id, too_big);
    }
  else
    realm->client->evaluate_done (realm->user_data, request_id, json);
  args.rval ().setUndefined ();
  return true;
}

NATIVE (native_cookie)
{
  PREAMBLE;
  if (args.length () > 0)
    {
      STRING_ARG (cookie, 0);
      realm->client->set_cookie (realm->user_data, cookie);
      args.rval ().setUndefined ();
      return true;
    }
  g_autofree char *cookies = realm->client->get_cookie (realm->user_data);
  return set_string (ctx, cookies != NULL ? cookies : "", args.rval ());
}

NATIVE (native_document_id)
{
  PREAMBLE;
  return set_string (ctx, realm->document_id, args.rval ());
}

NATIVE (native_viewport)
{
  PREAMBLE;
  int w = 0, h = 0, y = 0;
  realm->client->viewport (realm->user_data, &w, &h, &y);
  JS::RootedObject array (ctx, JS::NewArrayObject (ctx, 4));
  if (array == nullptr || !JS_SetElement (ctx, array, 0, w) || !JS_SetElement (ctx, array, 1, h) ||
      !JS_SetElement (ctx, array, 2, y) ||
      !JS_SetElement (ctx, array, 3, (int32_t) MIN (bh_document_get_height_px (realm->doc), G_MAXINT32)))
    return false;
  args.rval ().setObject (*array);
  return true;
}

static bool run_source (BhScriptRealm *realm, const char *source, gsize len, const char *filename, guint line);

NATIVE (native_run_script)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  g_autofree char *text = bh_dom_get_text_content (node);
  if (text != NULL)
    run_source (realm, text, strlen (text), bh_document_get_url (realm->doc), 1);
  args.rval ().setUndefined ();
  return true;
}

/* loadScript(element): a <script src> a page inserted (HTML "prepare the script
 * element" for a script that is not parser-inserted): fetched through the
 * browser and run when it arrives, as an async one; until the window's load
 * event it delays it. Returns whether it will be fetched. */
NATIVE (native_load_script)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  const char *src = bh_dom_get_attribute (node, "src");
  char *url = src != NULL ? bh_dom_resolve_url (realm->doc, src) : NULL;
  if (url == NULL)
    {
      args.rval ().setBoolean (false);
      return true;
    }
  Script s = {};
  s.node = node;
  s.url = url;
  s.external = true;
  s.async = true;
  s.dynamic = true;
  s.delays_load = !realm->load_fired;
  if (s.delays_load)
    realm->async_pending++;
  realm->scripts.push_back (s);
  realm->client->fetch_script (realm->user_data, (guint) realm->scripts.size (), url);
  args.rval ().setBoolean (true);
  return true;
}

NATIVE (native_register)
{
  PREAMBLE;
  JS::RootedObject global (ctx, realm->global);
  static const struct { const char *name; int slot; } protos[] = {
    { "element", SLOT_PROTO_ELEMENT }, { "text", SLOT_PROTO_TEXT },
    { "comment", SLOT_PROTO_COMMENT }, { "document", SLOT_PROTO_DOCUMENT },
    { "fragment", SLOT_PROTO_FRAGMENT },
  };
  if (!args.get (0).isObject () || !args.get (1).isObject ())
    {
      JS_ReportErrorASCII (ctx, "register(hooks, prototypes)");
      return false;
    }
  JS::SetReservedSlot (global, SLOT_HOOKS, args.get (0));
  JS::RootedObject table (ctx, &args.get (1).toObject ());
  JS::RootedValue v (ctx);
  for (const auto &p : protos)
    {
      if (!JS_GetProperty (ctx, table, p.name, &v))
        return false;
      JS::SetReservedSlot (global, p.slot, v);
    }
  args.rval ().setUndefined ();
  return true;
}

static const JSFunctionSpec natives[] = {
  JS_FN ("type", native_type, 1, 0),
  JS_FN ("name", native_name, 1, 0),
  JS_FN ("parent", native_parent, 1, 0),
  JS_FN ("child", native_child, 2, 0),
  JS_FN ("sibling", native_sibling, 2, 0),
  JS_FN ("count", native_count, 1, 0),
  JS_FN ("index", native_index, 1, 0),
  JS_FN ("children", native_children, 1, 0),
  JS_FN ("text", native_text, 1, 0),
  JS_FN ("setText", native_set_text, 2, 0),
  JS_FN ("attr", native_attr, 2, 0),
  JS_FN ("setAttr", native_set_attr, 3, 0),
  JS_FN ("removeAttr", native_remove_attr, 2, 0),
  JS_FN ("attrs", native_attrs, 1, 0),
  JS_FN ("createElement", native_create_element, 1, 0),
  JS_FN ("createText", native_create_text, 2, 0),
  JS_FN ("createFragment", native_create_fragment, 0, 0),
  JS_FN ("isNode", native_is_node, 1, 0),
  JS_FN ("insert", native_insert, 3, 0),
  JS_FN ("remove", native_remove, 1, 0),
  JS_FN ("data", native_data, 1, 0),
  JS_FN ("setData", native_set_data, 2, 0),
  JS_FN ("html", native_html, 2, 0),
  JS_FN ("setHtml", native_set_html, 2, 0),
  JS_FN ("matches", native_matches, 2, 0),
  JS_FN ("query", native_query, 3, 0),
  JS_FN ("byId", native_by_id, 1, 0),
  JS_FN ("rect", native_rect, 1, 0),
  JS_FN ("document", native_document, 0, 0),
  JS_FN ("url", native_url, 0, 0),
  JS_FN ("resolve", native_resolve, 1, 0),
  JS_FN ("console", native_console, 2, 0),
  JS_FN ("timer", native_timer, 2, 0),
  JS_FN ("cancelTimer", native_cancel_timer, 1, 0),
  JS_FN ("dialog", native_dialog, 3, 0),
  JS_FN ("navigate", native_navigate, 3, 0),
  JS_FN ("open", native_open, 1, 0),
  JS_FN ("result", native_result, 2, 0),
  JS_FN ("documentId", native_document_id, 0, 0),
  JS_FN ("cookie", native_cookie, 1, 0),
  JS_FN ("viewport", native_viewport, 0, 0),
  JS_FN ("runScript", native_run_script, 1, 0),
  JS_FN ("loadScript", native_load_script, 1, 0),
  JS_FN ("register", native_register, 2, 0),
  JS_FS_END,
};

/* ---------------------------------------------------------------- running */

/* A task ends: Promise jobs and queueMicrotask()s run (HTML's "perform a
 * microtask checkpoint"), then the renderer looks at what changed. */
void
end_task (BhScriptRealm *realm)
{
  js::RunJobs (cx);
  if (JS_IsExceptionPending (cx))
    report_pending_exception (realm);
  realm->client->after_task (realm->user_data);
}

static bool
run_source (BhScriptRealm *realm, const char *source, gsize len, const char *filename, guint line)
{
  JS::CompileOptions options (cx);
  JS::SourceText<mozilla::Utf8Unit> text;
  JS::RootedValue rval (cx);

  options.setFileAndLine (filename, line);
  if (!text.init (cx, source, len, JS::SourceOwnership::Borrowed) || !JS::Evaluate (cx, options, text, &rval))
    {
      report_pending_exception (realm);
      return false;
    }
  return true;
}

/* Calls hooks[@name](args) in the realm; an exception goes to the console. */
bool
call_hook (BhScriptRealm *realm, const char *name, const JS::HandleValueArray &args, JS::MutableHandleValue rval)
{
  JS::RootedObject global (cx, realm->global);
  JS::RootedValue hooks (cx, JS::GetReservedSlot (global, SLOT_HOOKS));

  if (!hooks.isObject ())
    return false;
  JS::RootedObject hooks_obj (cx, &hooks.toObject ());
  if (!JS_CallFunctionName (cx, hooks_obj, name, args, rval))
    {
      report_pending_exception (realm);
      return false;
    }
  return true;
}

static void
fire_timer (BhScriptRealm *realm, guint id)
{
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<1> args (cx);
  JS::RootedValue rval (cx);

  args[0].setNumber (id);
  call_hook (realm, "timer", args, &rval);
  end_task (realm);
}

static void
trace_realm (JSTracer *trc, void *data)
{
  BhScriptRealm *realm = static_cast<BhScriptRealm *> (data);

  JS::TraceEdge (trc, &realm->global, "bulkhead global");
  for (auto &entry : realm->wrappers)
    JS::TraceEdge (trc, &entry.second, "bulkhead node wrapper");
}

guint64
bh_script_heap_limit_for_address_space (guint64 address_space_bytes)
{
  if (address_space_bytes == 0)
    return G_GUINT64_CONSTANT (512) * 1024 * 1024;
  return MAX (address_space_bytes / 4, G_GUINT64_CONSTANT (16) * 1024 * 1024);
}

gboolean
bh_script_init (guint64 heap_limit_bytes, GError **error)
{
  g_return_val_if_fail (cx == NULL, FALSE);

  /* No JIT: no executable memory made at run time, no 1 GiB code reservation
   * counted against RLIMIT_AS (docs/architecture.md, "Script"). */
  JS::DisableJitBackend ();
  if (!JS_Init ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "JS_Init failed");
      return FALSE;
    }
  cx = JS_NewContext ((uint32_t) MIN (heap_limit_bytes, (guint64) G_MAXUINT32));
  if (cx == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "JS_NewContext failed");
      return FALSE;
    }
  JS_SetNativeStackQuota (cx, NATIVE_STACK_QUOTA_BYTES);
  JS::SetOutOfMemoryCallback (cx, out_of_memory_cb, NULL);
  if (!js::UseInternalJobQueues (cx) || !JS::InitSelfHostedCode (cx))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the engine's self-hosted code failed");
      JS_DestroyContext (cx);
      cx = NULL;
      return FALSE;
    }
  return TRUE;
}

void
bh_script_shutdown (void)
{
  if (cx == NULL)
    return;
  JS_DestroyContext (cx);
  cx = NULL;
  JS_ShutDown ();
}

BhScriptRealm *
bh_script_realm_new (BhDocument *doc, const char *document_id, const BhScriptClient *client, gpointer user_data)
{
  if (cx == NULL || bh_dom_get_document (doc) == NULL)
    return NULL;

  BhScriptRealm *realm = new BhScriptRealm ();
  realm->doc = doc;
  realm->document_id = g_strdup (document_id);
  realm->client = client;
  realm->user_data = user_data;
  realm->timers = g_hash_table_new_full (NULL, NULL, NULL, [] (gpointer source) {
    g_source_remove (GPOINTER_TO_UINT (source));
  });

  JS::RealmOptions options;
  options.creationOptions ().setNewCompartmentAndZone ();
  JS::RootedObject global (cx, JS_NewGlobalObject (cx, &global_class, nullptr, JS::FireOnNewGlobalHook, options));
  if (global == nullptr)
    {
      bh_script_realm_free (realm);
      return NULL;
    }
  realm->global = global;
  JS_AddExtraGCRootsTracer (cx, trace_realm, realm);

  JSAutoRealm ar (cx, global);
  JS::SetRealmPrivate (JS::GetObjectRealmOrNull (global), realm);
  JS::RootedObject bh (cx, JS_NewPlainObject (cx));
  JS::CompileOptions copts (cx);
  JS::SourceText<mozilla::Utf8Unit> text;
  JS::RootedValue fn (cx);
  JS::RootedValueArray<1> fargs (cx);
  JS::RootedValue rval (cx);

  copts.setFileAndLine ("bulkhead:dom.js", 1);
  if (!JS::InitRealmStandardClasses (cx) || bh == nullptr || !JS_DefineFunctions (cx, bh, natives) ||
      !JS_DefineFunctions (cx, bh, bh_script_web_natives) ||
      !text.init (cx, bh_script_dom_js, strlen (bh_script_dom_js), JS::SourceOwnership::Borrowed) ||
      !JS::Evaluate (cx, copts, text, &fn))
    {
      report_pending_exception (realm);
      bh_script_realm_free (realm);
      return NULL;
    }
  fargs[0].setObject (*bh);
  if (!JS::Call (cx, JS::UndefinedHandleValue, fn, fargs, &rval))
    {
      report_pending_exception (realm);
      bh_script_realm_free (realm);
      return NULL;
    }
  return realm;
}

void
bh_script_realm_free (BhScriptRealm *realm)
{
  if (realm == NULL)
    return;
  g_clear_pointer (&realm->timers, g_hash_table_unref);
  for (Script &s : realm->scripts)
    {
      g_free (s.url);
      g_clear_pointer (&s.source, g_bytes_unref);
    }
  if (realm->global)
    {
      JS::SetRealmPrivate (JS::GetObjectRealmOrNull (realm->global), NULL);
      JS_RemoveExtraGCRootsTracer (cx, trace_realm, realm);
    }
  g_free (realm->document_id);
  delete realm;
  /* Script never survives its document: collect what it made now. */
  JS_GC (cx);
}

/* ---------------------------------------------------------------- the document's scripts */

static bool
is_classic_script_type (const char *type, bool *is_module)
{
  static const char *const js_types[] = {
    "text/javascript", "application/javascript", "application/ecmascript", "application/x-javascript",
    "text/ecmascript", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
  };

  *is_module = false;
  if (type == NULL || *type == '\0')
    return true;
  g_autofree char *stripped = g_strstrip (g_ascii_strdown (type, -1));
  if (g_str_equal (stripped, "module"))
    {
      *is_module = true;
      return false;
    }
  for (const char *t : js_types)
    if (g_str_equal (stripped, t))
      return true;
  return false;
}

static void
fire_document_event (BhScriptRealm *realm, const char *name)
{
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<1> args (cx);
  JS::RootedValue rval (cx);

  if (!set_string (cx, name, args[0]))
    return;
  call_hook (realm, "documentEvent", args, &rval);
  end_task (realm);
}

/* Calls hooks[@name](the script's element, @flag): document.currentScript and
 * document.write()'s place while it runs, its load or error event after. */
static void
script_hook (BhScriptRealm *realm, const char *name, GumboNode *node, bool flag)
{
  JS::RootedValueArray<2> args (cx);
  JS::RootedValue rval (cx);

  if (!wrap_node (cx, realm, node, args[0]))
    {
      report_pending_exception (realm);
      return;
    }
  args[1].setBoolean (flag);
  call_hook (realm, name, args, &rval);
}

static void
run_script (BhScriptRealm *realm, Script &s)
{
  JSAutoRealm ar (cx, realm->global);
  GumboNode *node = s.node;
  bool external = s.external;

  s.done = true;
  if (s.external)
    {
      if (s.source == NULL)
        {
          g_autofree char *line = g_strdup_printf ("Failed to load the script %s", s.url);
          realm->client->console_message (realm->user_data, BH_CONSOLE_ERROR, line);
          script_hook (realm, "scriptDone", node, false);
          end_task (realm);
          return;
        }
      gsize len;
      const char *data = static_cast<const char *> (g_bytes_get_data (s.source, &len));
      /* parser-inserted and in order: document.write() writes after it. */
      script_hook (realm, "scriptStart", node, !s.dynamic && !s.async);
      /* A script that is not UTF-8 is decoded as Latin-1 would be... not at all:
       * SpiderMonkey refuses it, and the error says so. */
      run_source (realm, data, len, s.url, 1);
    }
  else
    {
      g_autofree char *text = bh_dom_get_text_content (s.node);
      script_hook (realm, "scriptStart", node, !s.dynamic);
      run_source (realm, text, strlen (text), bh_document_get_url (realm->doc), s.node->v.element.start_pos.line);
    }
  /* @s may have moved: the script may have added scripts to realm->scripts. */
  script_hook (realm, "scriptEnd", node, false);
  if (external)
    script_hook (realm, "scriptDone", node, true);
  end_task (realm);
}

/* Runs the in-order scripts whose turn it is; DOMContentLoaded after the last. */
static void
advance (BhScriptRealm *realm)
{
  while (realm->next_in_order < realm->scripts.size ())
    {
      Script &s = realm->scripts[realm->next_in_order];
      if (s.async || s.done)
        {
          realm->next_in_order++;
          continue;
        }
      if (s.external && !s.arrived)
        return;
      realm->next_in_order++;
      run_script (realm, s);
      /* A script may have navigated and so ended this realm: the caller's
       * document is then gone too, but not before the browser's commit. */
    }
  if (!realm->dcl_fired)
    {
      realm->dcl_fired = true;
      fire_document_event (realm, "DOMContentLoaded");
    }
}

void
bh_script_realm_start (BhScriptRealm *realm)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();

  g_return_if_fail (realm != NULL);
  if (realm->started)
    return;
  realm->started = true;

  g_ptr_array_add (stack, bh_dom_get_document (realm->doc));
  while (stack->len > 0)
    {
      GumboNode *n = static_cast<GumboNode *> (g_ptr_array_steal_index (stack, stack->len - 1));
      GumboVector *children = bh_dom_get_children (n);
      bool is_module;

      if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_SCRIPT &&
          n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML)
        {
          const char *src = bh_dom_get_attribute (n, "src");
          Script s = {};

          if (!is_classic_script_type (bh_dom_get_attribute (n, "type"), &is_module))
            {
              if (is_module)
                realm->client->console_message (realm->user_data, BH_CONSOLE_WARN,
                                                "A <script type=module> was not run: modules are not supported");
              continue;
            }
          s.node = n;
          if (src != NULL)
            {
              s.url = bh_dom_resolve_url (realm->doc, src);
              if (s.url == NULL)
                continue;
              s.external = true;
              s.async = bh_dom_get_attribute (n, "async") != NULL;
            }
          realm->scripts.push_back (s);
          continue;
        }
      for (guint i = children != NULL ? children->length : 0; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }

  for (size_t i = 0; i < realm->scripts.size (); i++)
    if (realm->scripts[i].external)
      {
        if (realm->scripts[i].async)
          {
            realm->scripts[i].delays_load = true;
            realm->async_pending++;
          }
        realm->client->fetch_script (realm->user_data, (guint) i + 1, realm->scripts[i].url);
      }
  advance (realm);
}

void
bh_script_realm_script_arrived (BhScriptRealm *realm, guint script_id, GBytes *source)
{
  g_return_if_fail (realm != NULL);
  if (script_id == 0 || script_id > realm->scripts.size ())
    return;
  Script &s = realm->scripts[script_id - 1];
  if (!s.external || s.arrived)
    return;
  s.arrived = true;
  s.source = source != NULL ? g_bytes_ref (source) : NULL;
  if (s.async)
    {
      bool delays_load = s.delays_load;

      run_script (realm, s);
      if (delays_load)
        realm->async_pending--;
      return;
    }
  advance (realm);
}

gboolean
bh_script_realm_is_ready_for_load (BhScriptRealm *realm)
{
  return realm->dcl_fired && realm->async_pending == 0;
}

void
bh_script_realm_fire_load (BhScriptRealm *realm)
{
  if (realm->load_fired)
    return;
  realm->load_fired = true;
  fire_document_event (realm, "load");
}

/* ---------------------------------------------------------------- input */

static gboolean
dispatch_input (BhScriptRealm *realm, const char *type, GumboNode *target, double x, double y, guint button,
                guint modifiers, guint keyval)
{
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<7> args (cx);
  JS::RootedValue rval (cx);

  if (!set_string (cx, type, args[0]) || !wrap_node (cx, realm, target, args[1]))
    {
      report_pending_exception (realm);
      return FALSE;
    }
  args[2].setNumber (x);
  args[3].setNumber (y);
  args[4].setNumber (button);
  args[5].setNumber (modifiers);
  args[6].setNumber (keyval);
  call_hook (realm, "input", args, &rval);
  end_task (realm);
  return rval.isTrue ();
}

gboolean
bh_script_realm_dispatch_mouse (BhScriptRealm *realm, guint kind, double x_px, double doc_y_px, guint button,
                                guint modifiers)
{
  GumboNode *target;
  gboolean prevented;

  g_return_val_if_fail (realm != NULL, FALSE);
  realm->client->ensure_layout (realm->user_data);
  target = bh_dom_node_at (realm->doc, x_px, doc_y_px);
  if (target == NULL)
    target = bh_dom_get_document (realm->doc);
  if (kind == 0)
    return dispatch_input (realm, "mousemove", target, x_px, doc_y_px, button, modifiers, 0);
  if (kind == 1)
    {
      realm->press_target = target;
      return dispatch_input (realm, "mousedown", target, x_px, doc_y_px, button, modifiers, 0);
    }
  prevented = dispatch_input (realm, "mouseup", target, x_px, doc_y_px, button, modifiers, 0);
  /* click follows mouseup for the primary button, at the same target (UI Events). */
  if (button == 1)
    prevented = dispatch_input (realm, "click", target, x_px, doc_y_px, button, modifiers, 0) || prevented;
  return prevented;
}

gboolean
bh_script_realm_dispatch_key (BhScriptRealm *realm, gboolean down, guint keyval, guint modifiers)
{
  g_return_val_if_fail (realm != NULL, FALSE);
  return dispatch_input (realm, down ? "keydown" : "keyup", NULL, 0, 0, 0, modifiers, keyval);
}

/* ---------------------------------------------------------------- automation */

char *
bh_script_exception_json (const char *message)
{
  g_autoptr (GString) out = g_string_new ("{\"type\":\"exception\",\"exceptionDetails\":{\"text\":\"");

  for (const char *p = message; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, "\",\"lineNumber\":0,\"columnNumber\":0,\"exception\":{\"type\":\"error\"},"
                        "\"stackTrace\":{\"callFrames\":[]}}}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
bh_script_realm_evaluate (BhScriptRealm *realm, guint32 request_id, const char *source, const char *arguments_json,
                          gboolean is_function, gboolean await_promise)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<5> args (cx);
  JS::RootedValue rval (cx);

  args[0].setNumber (request_id);
  if (!set_string (cx, source, args[1]) || !set_string (cx, arguments_json, args[2]))
    {
      JS_ClearPendingException (cx);
      g_autofree char *json = bh_script_exception_json ("the source is not valid UTF-8");
      realm->client->evaluate_done (realm->user_data, request_id, json);
      return;
    }
  args[3].setBoolean (is_function);
  args[4].setBoolean (await_promise);
  if (!call_hook (realm, "evaluate", args, &rval))
    {
      g_autofree char *json = bh_script_exception_json ("the evaluation failed inside the renderer");
      realm->client->evaluate_done (realm->user_data, request_id, json);
    }
  end_task (realm);
}
