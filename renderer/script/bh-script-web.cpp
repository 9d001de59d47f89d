/* bh-script-web.cpp: the web platform beyond the DOM tree, for the realm's
 * prelude (bh-script-url.js, bh-script-fetch.js, bh-script-style.js,
 * bh-script-forms.js, bh-script-window.js): URL parsing, bytes (TextEncoder,
 * TextDecoder, fetch bodies), fetch(), Web Storage, computed style, form
 * fields' state, scrolling and animation frames, and the realm calls the
 * renderer makes for them. Each native checks its arguments, as
 * bh-script.cpp's do (bh-script-private.h).
 */
#include "bh-script-private.h"

/* computedStyle(element, property): the engine's resolved value, or null
 * (bh_dom_get_computed_value()). */
NATIVE (native_computed_style)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  STRING_ARG (property, 1);
  realm->client->ensure_layout (realm->user_data);
  g_autofree char *value = bh_dom_get_computed_value (realm->doc, node, property);
  return set_string (ctx, value, args.rval ());
}

/* focusedControl(): the <input> with the engine's keyboard focus, or null. */
NATIVE (native_focused_control)
{
  PREAMBLE;
  return wrap_node (ctx, realm, bh_dom_get_focused_control (realm->doc), args.rval ());
}

/* focusControl(input or null): whether the engine's focus went there. */
NATIVE (native_focus_control)
{
  PREAMBLE;
  GumboNode *node = NULL;
  if (!args.get (0).isNull ())
    {
      node = to_node (args.get (0));
      if (node == NULL)
        {
          JS_ReportErrorASCII (ctx, "argument 0 is not a node");
          return false;
        }
    }
  bool ok = bh_dom_focus_control (realm->doc, node);
  if (ok)
    changed (realm);
  args.rval ().setBoolean (ok);
  return true;
}

/* controlState(input): [value, checked] as the user left them, or null for
 * another element. */
NATIVE (native_control_state)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  const char *value;
  gboolean checked;
  JS::RootedValue v (ctx);
  if (!bh_dom_get_control_state (realm->doc, node, &value, &checked))
    {
      args.rval ().setNull ();
      return true;
    }
  JS::RootedObject array (ctx, JS::NewArrayObject (ctx, 2));
  if (array == nullptr || !set_string (ctx, value, &v) || !JS_SetElement (ctx, array, 0, v) ||
      !JS_SetElement (ctx, array, 1, checked ? JS::TrueHandleValue : JS::FalseHandleValue))
    return false;
  args.rval ().setObject (*array);
  return true;
}

/* setControlState(input, value or null, checked or undefined). */
NATIVE (native_set_control_state)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  if (!args.get (1).isNullOrUndefined ())
    {
      STRING_ARG (value, 1);
      bh_dom_set_control_value (realm->doc, node, value);
    }
  if (!args.get (2).isUndefined ())
    bh_dom_set_control_checked (realm->doc, node, JS::ToBoolean (args.get (2)));
  changed (realm);
  args.rval ().setUndefined ();
  return true;
}

/* submitForm(form): HTMLFormElement.submit(). */
NATIVE (native_submit_form)
{
  PREAMBLE;
  NODE_ARG (node, 0);
  bh_dom_submit_form (realm->doc, node);
  if (realm->client->submit_form != NULL)
    realm->client->submit_form (realm->user_data);
  args.rval ().setUndefined ();
  return true;
}

/* parseURL(input, base or null): the URL constructor's parsing, with GLib's
 * RFC 3986 parser under the WHATWG URL Standard's rules where they differ
 * (tabs and newlines dropped, default ports and dot segments removed, an
 * empty http path is "/"). Returns [scheme, username, password, host or null,
 * port or -1, path, query or null, fragment or null], or null when @input
 * is no URL (relative to @base when given). */
NATIVE (native_parse_url)
{
  PREAMBLE;
  STRING_ARG (input, 0);
  g_autofree char *base = NULL;
  if (!args.get (1).isNullOrUndefined ())
    {
      base = to_utf8 (ctx, args.get (1));
      if (base == NULL)
        return false;
    }
  g_autofree char *absolute = NULL;
  if (base != NULL)
    absolute = bh_dom_resolve_url_against (base, input);
  else
    {
      /* No base: the input must be absolute; it resolves against itself. */
      g_autoptr (GUri) alone = g_uri_parse (g_strstrip (input), (GUriFlags) (G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED), NULL);
      if (alone != NULL)
        {
          g_autofree char *self = g_uri_to_string (alone);
          absolute = bh_dom_resolve_url_against (self, input);
        }
    }
  g_autoptr (GUri) uri = absolute != NULL
    ? g_uri_parse (absolute, (GUriFlags) (G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_SCHEME_NORMALIZE | G_URI_FLAGS_PARSE_RELAXED), NULL)
    : NULL;
  if (uri == NULL)
    {
      args.rval ().setNull ();
      return true;
    }
  JS::RootedObject array (ctx, JS::NewArrayObject (ctx, 8));
  JS::RootedValue v (ctx);
  const char *strings[] = { g_uri_get_scheme (uri), g_uri_get_user (uri), g_uri_get_password (uri),
                            g_uri_get_host (uri) };
  if (array == nullptr)
    return false;
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autofree char *lower = (i == 0 || i == 3) && strings[i] != NULL ? g_ascii_strdown (strings[i], -1) : NULL;
      const char *value = lower != NULL ? lower : strings[i];
      if (value == NULL && i != 3)
        value = "";
      if (!set_string (ctx, value, &v) || !JS_SetElement (ctx, array, i, v))
        return false;
    }
  if (!JS_SetElement (ctx, array, 4, g_uri_get_port (uri)))
    return false;
  const char *rest[] = { g_uri_get_path (uri), g_uri_get_query (uri), g_uri_get_fragment (uri) };
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    if (!set_string (ctx, rest[i], &v) || !JS_SetElement (ctx, array, 5 + i, v))
      return false;
  args.rval ().setObject (*array);
  return true;
}

/* A Uint8Array's bytes, copied (the engine may move them at the next GC). */
static GBytes *
bytes_of (JS::HandleValue v)
{
  size_t len = 0;
  bool shared = false;
  uint8_t *data = NULL;

  if (!v.isObject () || JS_GetObjectAsUint8Array (&v.toObject (), &len, &shared, &data) == nullptr)
    return NULL;
  return g_bytes_new (data, len);
}

static bool
new_uint8_array (JSContext *ctx, const void *data, gsize len, JS::MutableHandleValue out)
{
  JS::RootedObject array (ctx, JS_NewUint8Array (ctx, len));
  size_t got = 0;
  bool shared = false;
  uint8_t *dest = NULL;

  if (array == nullptr)
    return false;
  if (len > 0 && JS_GetObjectAsUint8Array (array, &got, &shared, &dest) != nullptr && got == len)
    memcpy (dest, data, len);
  out.setObject (*array);
  return true;
}

/* utf8Encode(string): its UTF-8 as a Uint8Array (TextEncoder). */
NATIVE (native_utf8_encode)
{
  PREAMBLE;
  STRING_ARG (text, 0);
  return new_uint8_array (ctx, text, strlen (text), args.rval ());
}

/* utf8Decode(Uint8Array): the text, bad sequences as U+FFFD (TextDecoder, the
 * Encoding Standard's "UTF-8 decode"); a BOM is dropped. */
NATIVE (native_utf8_decode)
{
  PREAMBLE;
  g_autoptr (GBytes) bytes = bytes_of (args.get (0));
  if (bytes == NULL)
    {
      JS_ReportErrorASCII (ctx, "argument 0 is not a Uint8Array");
      return false;
    }
  gsize len;
  const char *data = static_cast<const char *> (g_bytes_get_data (bytes, &len));
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
    }
  /* g_utf8_make_valid() stops at a NUL; the bytes may hold several. */
  g_autoptr (GString) text = g_string_sized_new (len);
  while (len > 0)
    {
      gsize piece = strnlen (data, len);
      g_autofree char *valid = g_utf8_make_valid (data, (gssize) piece);
      g_string_append (text, valid);
      if (piece < len)
        {
          g_string_append_c (text, '\0');
          piece++;
        }
      data += piece;
      len -= piece;
    }
  JSString *str = JS_NewStringCopyUTF8N (ctx, JS::UTF8Chars (text->str, text->len));
  if (str == nullptr)
    return false;
  args.rval ().setString (str);
  return true;
}

/* fetch(id, method, url, contentType, body Uint8Array or null): asks the
 * renderer to ask the browser; answered by the fetchDone hook. */
NATIVE (native_fetch)
{
  PREAMBLE;
  uint32_t id;
  if (!JS::ToUint32 (ctx, args.get (0), &id))
    return false;
  STRING_ARG (method, 1);
  STRING_ARG (url, 2);
  STRING_ARG (content_type, 3);
  g_autoptr (GBytes) body = args.get (4).isNullOrUndefined () ? g_bytes_new (NULL, 0) : bytes_of (args.get (4));
  if (body == NULL)
    {
      JS_ReportErrorASCII (ctx, "argument 4 is not a Uint8Array");
      return false;
    }
  realm->client->fetch (realm->user_data, id, method, url, content_type, body);
  args.rval ().setUndefined ();
  return true;
}

/* storage(op, session, key, value): Web Storage over the client: op 0 whether
 * there is any, 1 getItem, 2 setItem (false past the quota), 3 removeItem,
 * 4 clear, 5 the keys. */
NATIVE (native_storage)
{
  PREAMBLE;
  int32_t op;
  if (!JS::ToInt32 (ctx, args.get (0), &op))
    return false;
  bool session = args.get (1).isTrue ();
  const BhScriptClient *c = realm->client;
  if (c->storage_available == NULL || !c->storage_available (realm->user_data))
    {
      args.rval ().setBoolean (false);
      return true;
    }
  switch (op)
    {
    case 0:
      args.rval ().setBoolean (true);
      return true;
    case 1:
      {
        STRING_ARG (key, 2);
        g_autofree char *value = c->storage_get (realm->user_data, session, key);
        return set_string (ctx, value, args.rval ());
      }
    case 2:
      {
        STRING_ARG (key, 2);
        STRING_ARG (value, 3);
        args.rval ().setBoolean (c->storage_set (realm->user_data, session, key, value));
        return true;
      }
    case 3:
      {
        STRING_ARG (key, 2);
        c->storage_remove (realm->user_data, session, key);
        args.rval ().setUndefined ();
        return true;
      }
    case 4:
      c->storage_clear (realm->user_data, session);
      args.rval ().setUndefined ();
      return true;
    default:
      {
        g_auto (GStrv) keys = c->storage_keys (realm->user_data, session);
        guint n = keys != NULL ? g_strv_length (keys) : 0;
        JS::RootedObject array (ctx, JS::NewArrayObject (ctx, n));
        JS::RootedValue v (ctx);
        if (array == nullptr)
          return false;
        for (guint i = 0; i < n; i++)
          if (!set_string (ctx, keys[i], &v) || !JS_SetElement (ctx, array, i, v))
            return false;
        args.rval ().setObject (*array);
        return true;
      }
    }
}

/* requestFrame(): the page wants an animation frame; false when the renderer
 * paces none (the JS then uses a timer). */
NATIVE (native_request_frame)
{
  PREAMBLE;
  bool paced = realm->client->request_frame != NULL;
  if (paced)
    realm->client->request_frame (realm->user_data);
  args.rval ().setBoolean (paced);
  return true;
}

/* scrollTo(y): window.scrollTo() and its kin, in document px. */
NATIVE (native_scroll_to)
{
  PREAMBLE;
  double y;
  if (!JS::ToNumber (ctx, args.get (0), &y))
    return false;
  if (realm->client->scroll_to != NULL && y == y)
    realm->client->scroll_to (realm->user_data, (int) CLAMP (y, 0, (double) G_MAXINT32));
  args.rval ().setUndefined ();
  return true;
}

void
bh_script_realm_fetch_done (BhScriptRealm *realm, guint request_id, guint status, const char *url,
                            const char *content_type, GBytes *body, const char *error)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<6> args (cx);
  JS::RootedValue rval (cx);
  gsize len = 0;
  const void *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  args[0].setNumber (request_id);
  args[1].setNumber (status);
  if (!set_string (cx, url, args[2]) || !set_string (cx, content_type, args[3]) ||
      (body != NULL && !new_uint8_array (cx, data, len, args[4])) || !set_string (cx, error, args[5]))
    {
      report_pending_exception (realm);
      return;
    }
  if (body == NULL)
    args[4].setNull ();
  call_hook (realm, "fetchDone", args, &rval);
  end_task (realm);
}

gboolean
bh_script_realm_dispatch_submit (BhScriptRealm *realm, GumboNode *form)
{
  g_return_val_if_fail (realm != NULL, FALSE);
  if (form == NULL)
    return FALSE;
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<1> args (cx);
  JS::RootedValue rval (cx);

  if (!wrap_node (cx, realm, form, args[0]))
    {
      report_pending_exception (realm);
      return FALSE;
    }
  call_hook (realm, "submit", args, &rval);
  end_task (realm);
  return rval.isTrue ();
}

void
bh_script_realm_form_input_start (BhScriptRealm *realm)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValue rval (cx);

  realm->press_target = NULL;
  call_hook (realm, "formStart", JS::HandleValueArray::empty (), &rval);
}

void
bh_script_realm_form_input_done (BhScriptRealm *realm)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<1> args (cx);
  JS::RootedValue rval (cx);

  if (realm->press_target != NULL && !wrap_node (cx, realm, realm->press_target, args[0]))
    {
      report_pending_exception (realm);
      return;
    }
  realm->press_target = NULL;
  call_hook (realm, "formState", args, &rval);
  end_task (realm);
}

void
bh_script_realm_run_animation_frames (BhScriptRealm *realm)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValue rval (cx);

  call_hook (realm, "animationFrame", JS::HandleValueArray::empty (), &rval);
  end_task (realm);
}

void
bh_script_realm_dispatch_window_event (BhScriptRealm *realm, const char *type)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<1> args (cx);
  JS::RootedValue rval (cx);

  if (!set_string (cx, type, args[0]))
    return;
  call_hook (realm, "windowEvent", args, &rval);
  end_task (realm);
}

void
bh_script_realm_dispatch_storage (BhScriptRealm *realm, const char *key, const char *old_value,
                                  const char *new_value, const char *url)
{
  g_return_if_fail (realm != NULL);
  JSAutoRealm ar (cx, realm->global);
  JS::RootedValueArray<4> args (cx);
  JS::RootedValue rval (cx);

  if (!set_string (cx, key, args[0]) || !set_string (cx, old_value, args[1]) || !set_string (cx, new_value, args[2]) ||
      !set_string (cx, url, args[3]))
    {
      report_pending_exception (realm);
      return;
    }
  call_hook (realm, "storageEvent", args, &rval);
  end_task (realm);
}

const JSFunctionSpec bh_script_web_natives[] = {
  JS_FN ("computedStyle", native_computed_style, 2, 0),
  JS_FN ("focusedControl", native_focused_control, 0, 0),
  JS_FN ("focusControl", native_focus_control, 1, 0),
  JS_FN ("controlState", native_control_state, 1, 0),
  JS_FN ("setControlState", native_set_control_state, 3, 0),
  JS_FN ("submitForm", native_submit_form, 1, 0),
  JS_FN ("parseURL", native_parse_url, 2, 0),
  JS_FN ("utf8Encode", native_utf8_encode, 1, 0),
  JS_FN ("utf8Decode", native_utf8_decode, 1, 0),
  JS_FN ("fetch", native_fetch, 5, 0),
  JS_FN ("storage", native_storage, 4, 0),
  JS_FN ("scrollTo", native_scroll_to, 1, 0),
  JS_FN ("requestFrame", native_request_frame, 0, 0),
  JS_FS_END,
};
