/* bh-script-private.h: what the files of renderer/script/ share: the realm's
 * state, the helpers every native uses, and the macros that write a native.
 * C++; nothing outside the folder includes it (bh-script.h is the API).
 *
 * bh-script.cpp: the engine, realms, the DOM's natives, the document's
 * scripts, input, evaluation. bh-script-web.cpp: the natives and realm calls
 * of the web platform beyond the DOM tree (URL parsing, bytes, fetch, Web
 * Storage, computed style, form fields, scrolling, animation frames).
 */
#pragma once

#include <jsapi.h>
#include <jsfriendapi.h>
#include <js/Array.h>
#include <js/Conversions.h>
#include <js/Object.h>
#include <js/PropertyAndElement.h>
#include <js/Realm.h>
#include <js/String.h>
#include <js/experimental/TypedData.h>

#include <gio/gio.h>
#include <string.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "bh-dom.h"
#include "bh-script.h"

namespace bh_script {
/* The process's one context (bh_script_init()). */
extern JSContext *cx;
}
using bh_script::cx;

struct Script {
  GumboNode *node;
  char *url;        /* external scripts */
  GBytes *source;   /* external scripts, once arrived */
  bool external;
  bool async;
  bool arrived;
  bool done;
  bool dynamic;      /* inserted by script (or document.write), not by the parser */
  bool delays_load;  /* counted in async_pending until it ran */
};

struct Timer {
  BhScriptRealm *realm;
  guint id;
};

struct _BhScriptRealm {
  BhDocument *doc;
  char *document_id;
  const BhScriptClient *client;
  gpointer user_data;
  JS::Heap<JSObject *> global;
  std::unordered_map<GumboNode *, JS::Heap<JSObject *>> wrappers;
  GHashTable *timers;  /* timer id -> GSource id */
  std::vector<Script> scripts;
  size_t next_in_order; /* the first non-async script not run yet */
  guint async_pending;
  bool started;
  bool dcl_fired;
  bool load_fired;
  GumboNode *press_target; /* the element of the last mousedown, for the focus */
};

/* The realm whose code runs now. */
BhScriptRealm *current_realm (JSContext *ctx);
/* The pending exception, as an "Uncaught ..." console error. */
void report_pending_exception (BhScriptRealm *realm);
/* ToString(@v) as UTF-8 (transfer full), NULL with an exception pending. */
char *to_utf8 (JSContext *ctx, JS::HandleValue v);
/* @s (nullable: null) as a JS string in @out. */
bool set_string (JSContext *ctx, const char *s, JS::MutableHandleValue out);
/* The node a wrapper of this realm stands for, or NULL. */
GumboNode *to_node (JS::HandleValue v);
/* The one wrapper of @node (nullable: null) in @realm. */
bool wrap_node (JSContext *ctx, BhScriptRealm *realm, GumboNode *node, JS::MutableHandleValue out);
/* The DOM changed: the renderer restyles and paints soon. */
void changed (BhScriptRealm *realm);
/* A task ended: the microtask checkpoint, then the client's after_task. */
void end_task (BhScriptRealm *realm);
/* hooks[@name](@args) in @realm; an exception goes to the console. */
bool call_hook (BhScriptRealm *realm, const char *name, const JS::HandleValueArray &args, JS::MutableHandleValue rval);

/* bh-script-web.cpp's natives, defined on `bh` next to bh-script.cpp's. */
extern const JSFunctionSpec bh_script_web_natives[];

/* The node in argument @i, or a TypeError. */
#define NODE_ARG(var, i)                                                \
  GumboNode *var = to_node (args.get (i));                              \
  if (var == NULL)                                                      \
    {                                                                   \
      JS_ReportErrorASCII (ctx, "argument %d is not a node", (int) (i)); \
      return false;                                                     \
    }

#define STRING_ARG(var, i)                  \
  g_autofree char *var = to_utf8 (ctx, args.get (i)); \
  if (var == NULL)                          \
    return false;

#define NATIVE(name) static bool name (JSContext *ctx, unsigned argc, JS::Value *vp)
#define PREAMBLE                                \
  JS::CallArgs args = JS::CallArgsFromVp (argc, vp); \
  BhScriptRealm *realm = current_realm (ctx);   \
  (void) realm;
