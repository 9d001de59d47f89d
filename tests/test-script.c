/* test-script.c: renderer/script/ (SpiderMonkey, the DOM, events, timers, the
 * BiDi serialisation) over a real engine document, without IPC: the client
 * records what a renderer would send to the browser. */
#include <stdio.h>
#include <string.h>

#include "bh-script.h"

typedef struct {
  BhDocument *doc;
  BhScriptRealm *realm;
  GString *console;        /* "LEVEL:text\n" per line */
  char *result;            /* the last evaluate_done */
  guint changes;
  GPtrArray *fetches;      /* URLs asked with fetch_script */
  GArray *fetch_ids;       /* their script ids */
  GPtrArray *navigations;  /* "kind url delta" */
  GPtrArray *opened;
  int dialog_answer;       /* what run_dialog returns */
} Fixture;

static void
console_cb (gpointer data, BhConsoleLevel level, const char *text)
{
  Fixture *f = data;
  g_string_append_printf (f->console, "%d:%s\n", level, text);
}

static void changed_cb (gpointer data) { ((Fixture *) data)->changes++; }
static void layout_cb (gpointer data) { bh_document_layout (((Fixture *) data)->doc, 800, 1.0); }
static void task_cb (gpointer data) {}

static void
fetch_cb (gpointer data, guint id, const char *url)
{
  g_ptr_array_add (((Fixture *) data)->fetches, g_strdup (url));
  g_array_append_val (((Fixture *) data)->fetch_ids, id);
}

static void
navigate_cb (gpointer data, BhScriptNavigation kind, const char *url, int delta)
{
  g_ptr_array_add (((Fixture *) data)->navigations, g_strdup_printf ("%d %s %d", kind, url, delta));
}

static void
open_cb (gpointer data, const char *url)
{
  g_ptr_array_add (((Fixture *) data)->opened, g_strdup (url));
}

static gboolean
dialog_cb (gpointer data, BhDialogKind kind, const char *message, const char *default_text, char **out_text)
{
  Fixture *f = data;
  g_string_append_printf (f->console, "dialog%d:%s\n", kind, message);
  if (kind == BH_DIALOG_PROMPT)
    *out_text = g_strdup ("typed");
  return f->dialog_answer;
}

static void
result_cb (gpointer data, guint32 id, const char *json)
{
  Fixture *f = data;
  g_free (f->result);
  f->result = g_strdup (json);
}

static void
viewport_cb (gpointer data, int *w, int *h, int *y)
{
  *w = 800;
  *h = 600;
  *y = 0;
}

static char *
get_cookie_cb (gpointer data)
{
  return g_strdup ("a=1");
}

static void
set_cookie_cb (gpointer data, const char *cookie)
{
  g_string_append_printf (((Fixture *) data)->console, "cookie:%s\n", cookie);
}

static const BhScriptClient client = {
  console_cb, changed_cb, layout_cb, task_cb, fetch_cb, navigate_cb, open_cb, dialog_cb, result_cb, viewport_cb,
  get_cookie_cb, set_cookie_cb,
};

static void
fixture_load (Fixture *f, const char *html)
{
  g_autoptr (GBytes) body = g_bytes_new (html, strlen (html));

  memset (f, 0, sizeof *f);
  f->console = g_string_new (NULL);
  f->fetches = g_ptr_array_new_with_free_func (g_free);
  f->fetch_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  f->navigations = g_ptr_array_new_with_free_func (g_free);
  f->opened = g_ptr_array_new_with_free_func (g_free);
  f->doc = bh_document_new ("http://a.test/dir/page.html", "text/html", "utf-8", body);
  bh_document_layout (f->doc, 800, 1.0);
  f->realm = bh_script_realm_new (f->doc, "1.1", &client, f);
  g_assert_nonnull (f->realm);
  bh_script_realm_start (f->realm);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->realm, bh_script_realm_free);
  g_clear_pointer (&f->doc, bh_document_free);
  g_string_free (f->console, TRUE);
  g_free (f->result);
  g_ptr_array_unref (f->fetches);
  g_array_unref (f->fetch_ids);
  g_ptr_array_unref (f->navigations);
  g_ptr_array_unref (f->opened);
}

/* Evaluates @expr and returns its RemoteValue JSON (the whole result). */
static const char *
eval (Fixture *f, const char *expr)
{
  g_clear_pointer (&f->result, g_free);
  bh_script_realm_evaluate (f->realm, 1, expr, "[]", FALSE, FALSE);
  g_assert_nonnull (f->result);
  return f->result;
}

/* Evaluates @expr, which must give a string, and returns it. */
static char *
eval_string (Fixture *f, const char *expr)
{
  const char *json = eval (f, expr);
  const char *start = strstr (json, "\"value\":\"");

  if (!g_str_has_prefix (json, "{\"type\":\"success\",\"result\":{\"type\":\"string\"") || start == NULL)
    g_error ("%s gave %s", expr, json);
  start += strlen ("\"value\":\"");
  return g_strndup (start, strlen (start) - strlen ("\"}}"));
}

static void
assert_eval (Fixture *f, const char *expr, const char *expected)
{
  g_autofree char *got = eval_string (f, expr);
  if (g_strcmp0 (got, expected) != 0)
    g_error ("%s: expected \"%s\", got \"%s\"", expr, expected, got);
}

static void
test_console_and_errors (void)
{
  Fixture f;

  fixture_load (&f, "<script>console.log('hi', 1 + 2, {a: [1]}); console.warn('w'); console.error('e');"
                    "nosuch();</script><script>console.log('second runs')</script>");
  g_assert_nonnull (strstr (f.console->str, "0:hi 3 {\"a\":[1]}\n"));
  g_assert_nonnull (strstr (f.console->str, "1:w\n"));
  g_assert_nonnull (strstr (f.console->str, "2:e\n"));
  /* An uncaught exception is an error line with the script's place. */
  g_assert_nonnull (strstr (f.console->str, "2:Uncaught ReferenceError: nosuch is not defined (http://a.test/dir/page.html:1:"));
  g_assert_nonnull (strstr (f.console->str, "0:second runs\n"));
  fixture_clear (&f);
}

static void
test_modern_syntax (void)
{
  Fixture f;

  fixture_load (&f, "<p>x</p>");
  assert_eval (&f, "class A { #x = 2; get x () { return this.#x; } }; const f = (a, ...b) => a + b.length;"
                   "`${new A ().x}-${f (1, 2, 3)}-${[1, 2, 3].at (-1)}-${({a: 1}).a ?? 0}`", "2-3-3-1");
  fixture_clear (&f);
}

static void
test_dom_tree (void)
{
  Fixture f;

  fixture_load (&f, "<title>t</title><body><div id=a class='x y'><p>one</p><p class=y>two <b>bold</b></p></div>"
                    "<ul id=list></ul></body>");
  assert_eval (&f, "document.getElementById('a').tagName", "DIV");
  assert_eval (&f, "document.querySelectorAll('p').length + ''", "2");
  assert_eval (&f, "document.querySelector('div.x > p.y b').textContent", "bold");
  /* attribute, structural and sibling selectors (issue 17) match the DOM too */
  assert_eval (&f, "document.querySelector('p:nth-child(2)').className + document.querySelector('p + p b').textContent"
                   " + document.querySelectorAll('[class~=y]').length", "ybold2");
  assert_eval (&f, "document.querySelector('b').closest('div').id", "a");
  assert_eval (&f, "String (document.querySelector('p').matches('div p'))", "true");
  assert_eval (&f, "try { document.querySelector('p[') ; 'no' } catch (e) { e.name }", "SyntaxError");
  assert_eval (&f, "document.getElementById('a').textContent", "onetwo bold");
  /* Building a list changes the document and is what innerHTML shows. */
  assert_eval (&f, "var ul = document.getElementById('list');"
                   "for (let i = 0; i < 3; i++) { const li = document.createElement('li'); li.textContent = 'i' + i;"
                   "  li.classList.add('it'); ul.appendChild(li); }"
                   "ul.insertBefore(document.createTextNode('T'), ul.firstChild); ul.innerHTML", 
                   "T<li class=\\\"it\\\">i0</li><li class=\\\"it\\\">i1</li><li class=\\\"it\\\">i2</li>");
  g_assert_cmpuint (f.changes, >, 0);
  assert_eval (&f, "ul.removeChild(ul.lastChild).textContent + ul.children.length", "i22");
  assert_eval (&f, "ul.innerHTML = '<li>a<li>b'; ul.childNodes.length + ul.lastChild.outerHTML", "2<li>b</li>");
  assert_eval (&f, "try { ul.appendChild(document.body) ; 'no' } catch (e) { e.name }", "HierarchyRequestError");
  assert_eval (&f, "var d = document.createElement('div'); d.setAttribute('data-x-y', '1');"
                   "d.dataset.xY + d.getAttribute('DATA-X-Y') + d.hasAttribute('nope')", "11false");
  assert_eval (&f, "d.style.backgroundColor = 'red'; d.style.width = '10px'; d.getAttribute('style')",
               "background-color: red; width: 10px;");
  assert_eval (&f, "document.title = 'new title'; document.title", "new title");
  g_assert_cmpstr (bh_document_get_title (f.doc), ==, "new title");
  assert_eval (&f, "var fr = document.createDocumentFragment(); fr.append('a', document.createElement('i'));"
                   "ul.append(fr); fr.childNodes.length + ul.lastChild.nodeName", "0I");
  assert_eval (&f, "var c = document.body.firstChild.cloneNode(true); String (c.outerHTML === document.body.firstChild.outerHTML"
                   " && c !== document.body.firstChild && c.parentNode === null)", "true");
  fixture_clear (&f);
}

static void
test_geometry (void)
{
  Fixture f;

  fixture_load (&f, "<body style='margin:0'><div id=a style='width:200px;height:50px'></div><p>x <span id=s>span</span></p>");
  assert_eval (&f, "const r = document.getElementById('a').getBoundingClientRect(); `${r.x},${r.y},${r.width},${r.height}`",
               "0,0,200,50");
  assert_eval (&f, "const s = document.getElementById('s').getBoundingClientRect(); String (s.y >= 50 && s.width > 0)",
               "true");
  fixture_clear (&f);
}

static void
test_events (void)
{
  Fixture f;

  fixture_load (&f, "<body><div id=outer><button id=b style='display:block;width:100px;height:40px'>Go</button></div>"
                    "<a id=l href=/x>link</a>"
                    "<script>window.log = []; var outer = document.getElementById('outer'), b = document.getElementById('b');"
                    "document.addEventListener('click', e => log.push('doc-capture'), true);"
                    "outer.addEventListener('click', e => log.push('outer-bubble'));"
                    "outer.addEventListener('click', e => log.push('outer-capture'), {capture: true});"
                    "b.addEventListener('click', e => { log.push('target:' + e.isTrusted + ':' + e.button); });"
                    "document.getElementById('l').addEventListener('click', e => e.preventDefault());"
                    "</script>");
  /* A real click (the renderer's MouseEvent path) at the button. */
  g_assert_false (bh_script_realm_dispatch_mouse (f.realm, 1, 20, 20, 1, 0));
  g_assert_false (bh_script_realm_dispatch_mouse (f.realm, 2, 20, 20, 1, 0));
  assert_eval (&f, "log.join()", "doc-capture,outer-capture,target:true:0,outer-bubble");
  assert_eval (&f, "log = []; var h = e => { log.push('stopped'); e.stopPropagation(); };"
                   "outer.addEventListener('click', h, true); b.click(); outer.removeEventListener('click', h, true);"
                   "b.dispatchEvent(new Event('click')); log.join()",
               "doc-capture,outer-capture,stopped,doc-capture,outer-capture,target:false:undefined");
  /* preventDefault() on a link's click is what stops the renderer following it. */
  {
    double rect[4] = { 0 };
    g_autofree char *xy = eval_string (&f, "const r = document.getElementById('l').getBoundingClientRect(); `${r.x + 2},${r.y + 2}`");
    g_assert_cmpint (sscanf (xy, "%lf,%lf", &rect[0], &rect[1]), ==, 2);
    g_assert_true (bh_script_realm_dispatch_mouse (f.realm, 2, rect[0], rect[1], 1, 0));
  }
  /* Keys go to the body, with their DOM key names. */
  assert_eval (&f, "log = []; document.body.onkeydown = e => { log.push(e.key + e.keyCode); e.preventDefault (); }; 'ok'", "ok");
  g_assert_true (bh_script_realm_dispatch_key (f.realm, TRUE, 'a', 0));
  g_assert_true (bh_script_realm_dispatch_key (f.realm, TRUE, 0xff0d, 0));
  assert_eval (&f, "log.join()", "a65,Enter13");
  fixture_clear (&f);
}

static void
test_load_events (void)
{
  Fixture f;

  fixture_load (&f, "<body onload=\"log.push('body-onload:' + document.readyState)\"><script>window.log = [document.readyState];"
                    "document.addEventListener('DOMContentLoaded', () => log.push('dcl:' + document.readyState));"
                    "window.addEventListener('load', () => log.push('load'));</script>");
  assert_eval (&f, "log.join()", "loading,dcl:interactive");
  g_assert_true (bh_script_realm_is_ready_for_load (f.realm));
  bh_script_realm_fire_load (f.realm);
  bh_script_realm_fire_load (f.realm);
  assert_eval (&f, "log.join()", "loading,dcl:interactive,body-onload:complete,load");
  fixture_clear (&f);
}

static void
run_loop_until (Fixture *f, const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (strstr (f->console->str, needle) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (strstr (f->console->str, needle) == NULL)
    g_error ("never saw \"%s\" in:\n%s", needle, f->console->str);
}

static void
test_timers_and_microtasks (void)
{
  Fixture f;

  fixture_load (&f, "<script>const order = [];"
                    "setTimeout(() => order.push('timeout'), 0);"
                    "Promise.resolve().then(() => order.push('promise'));"
                    "queueMicrotask(() => order.push('microtask'));"
                    "order.push('sync');"
                    "const cancelled = setTimeout(() => order.push('cancelled'), 1); clearTimeout(cancelled);"
                    "let n = 0; const iv = setInterval(() => { if (++n === 3) { clearInterval(iv);"
                    "  console.log('done ' + order.join() + ' ' + n); } }, 1);</script>");
  run_loop_until (&f, "done ");
  g_assert_nonnull (strstr (f.console->str, "0:done sync,promise,microtask,timeout 3\n"));
  fixture_clear (&f);
}

static void
test_external_scripts (void)
{
  Fixture f;
  g_autoptr (GBytes) one = g_bytes_new_static ("log.push('one')", 15);
  g_autoptr (GBytes) async_src = g_bytes_new_static ("log.push('async')", 17);

  fixture_load (&f, "<script>window.log = ['inline0']</script><script src=one.js></script>"
                    "<script async src=/async.js></script><script>log.push('inline1')</script>"
                    "<script type=module>log.push('module')</script>"
                    "<script>document.addEventListener('DOMContentLoaded', () => log.push('dcl'))</script>");
  g_assert_cmpuint (f.fetches->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f.fetches, 0), ==, "http://a.test/dir/one.js");
  g_assert_cmpstr (g_ptr_array_index (f.fetches, 1), ==, "http://a.test/async.js");
  /* Parser order: inline1 waits for one.js; async runs when it comes. */
  assert_eval (&f, "log.join()", "inline0");
  bh_script_realm_script_arrived (f.realm, 3, async_src);
  assert_eval (&f, "log.join()", "inline0,async");
  g_assert_false (bh_script_realm_is_ready_for_load (f.realm));
  bh_script_realm_script_arrived (f.realm, 2, one);
  assert_eval (&f, "log.join()", "inline0,async,one,inline1,dcl");
  g_assert_true (bh_script_realm_is_ready_for_load (f.realm));
  g_assert_nonnull (strstr (f.console->str, "1:A <script type=module> was not run"));
  fixture_clear (&f);
}

static void
test_capabilities (void)
{
  Fixture f;

  fixture_load (&f, "<p>x</p>");
  f.dialog_answer = TRUE;
  assert_eval (&f, "alert('hello'); String (confirm('sure?')) + prompt('name?', 'x')", "truetyped");
  g_assert_nonnull (strstr (f.console->str, "dialog0:hello\ndialog1:sure?\ndialog2:name?\n"));
  eval (&f, "location.assign('other.html'); location.replace('/r'); location.reload(); history.back();"
            "history.pushState({}, '', '#frag'); window.open('/pop')");
  g_assert_cmpuint (f.navigations->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (f.navigations, 0), ==, "0 http://a.test/dir/other.html 0");
  g_assert_cmpstr (g_ptr_array_index (f.navigations, 1), ==, "1 http://a.test/r 0");
  g_assert_cmpstr (g_ptr_array_index (f.navigations, 2), ==, "2  0");
  g_assert_cmpstr (g_ptr_array_index (f.navigations, 3), ==, "3  -1");
  g_assert_cmpstr (g_ptr_array_index (f.navigations, 4), ==, "4 http://a.test/dir/page.html#frag 0");
  g_assert_cmpstr (g_ptr_array_index (f.opened, 0), ==, "http://a.test/pop");
  assert_eval (&f, "document.cookie = 'b=2; Path=/'; document.cookie", "a=1");
  g_assert_nonnull (strstr (f.console->str, "cookie:b=2; Path=/\n"));
  assert_eval (&f, "location.href + ' ' + location.hostname + ' ' + location.pathname + location.hash",
               "http://a.test/dir/page.html#frag a.test /dir/page.html#frag");
  fixture_clear (&f);
}

static void
test_remote_values (void)
{
  Fixture f;

  fixture_load (&f, "<p id=p class=c>text</p>");
  g_assert_cmpstr (eval (&f, "1 + 1"), ==, "{\"type\":\"success\",\"result\":{\"type\":\"number\",\"value\":2}}");
  g_assert_cmpstr (eval (&f, "[NaN, -0, null, undefined, true, 10n]"), ==,
                   "{\"type\":\"success\",\"result\":{\"type\":\"array\",\"value\":[{\"type\":\"number\",\"value\":\"NaN\"},"
                   "{\"type\":\"number\",\"value\":\"-0\"},{\"type\":\"null\"},{\"type\":\"undefined\"},"
                   "{\"type\":\"boolean\",\"value\":true},{\"type\":\"bigint\",\"value\":\"10\"}]}}");
  g_assert_cmpstr (eval (&f, "({a: 'x', b: {c: 1}})"), ==,
                   "{\"type\":\"success\",\"result\":{\"type\":\"object\",\"value\":[[\"a\",{\"type\":\"string\",\"value\":\"x\"}],"
                   "[\"b\",{\"type\":\"object\",\"value\":[[\"c\",{\"type\":\"number\",\"value\":1}]]}]]}}");
  g_assert_cmpstr (eval (&f, "document.getElementById('p')"), ==,
                   "{\"type\":\"success\",\"result\":{\"type\":\"node\",\"sharedId\":\"1.1.1\",\"value\":{\"nodeType\":1,"
                   "\"childNodeCount\":1,\"localName\":\"p\",\"namespaceURI\":\"http://www.w3.org/1999/xhtml\","
                   "\"attributes\":{\"id\":\"p\",\"class\":\"c\"}}}}");
  /* A node reference comes back as the same node. */
  bh_script_realm_evaluate (f.realm, 2, "(el, n) => el.textContent + n", "[{\"sharedId\":\"1.1.1\"},{\"type\":\"number\",\"value\":5}]",
                            TRUE, FALSE);
  g_assert_cmpstr (f.result, ==, "{\"type\":\"success\",\"result\":{\"type\":\"string\",\"value\":\"text5\"}}");
  bh_script_realm_evaluate (f.realm, 3, "(el) => el", "[{\"sharedId\":\"9.9.1\"}]", TRUE, FALSE);
  g_assert_true (g_str_has_prefix (f.result, "{\"type\":\"exception\",\"exceptionDetails\":{\"text\":\"NotFoundError: no such node: 9.9.1"));
  g_assert_true (g_str_has_prefix (eval (&f, "throw new TypeError('boom')"),
                                   "{\"type\":\"exception\",\"exceptionDetails\":{\"text\":\"TypeError: boom"));
  /* A promise, awaited: the answer comes from the microtask checkpoint. */
  g_clear_pointer (&f.result, g_free);
  bh_script_realm_evaluate (f.realm, 4, "Promise.resolve(42)", "[]", FALSE, TRUE);
  g_assert_cmpstr (f.result, ==, "{\"type\":\"success\",\"result\":{\"type\":\"number\",\"value\":42}}");
  g_assert_cmpstr (eval (&f, "Promise.resolve(42)"), ==, "{\"type\":\"success\",\"result\":{\"type\":\"promise\"}}");
  /* Cycles and windows do not loop. */
  g_assert_true (g_str_has_prefix (eval (&f, "const o = {}; o.o = o; o"), "{\"type\":\"success\",\"result\":{\"type\":\"object\",\"value\":[[\"o\",{\"type\":\"object\"}]]}}"));
  g_assert_cmpstr (eval (&f, "window"), ==, "{\"type\":\"success\",\"result\":{\"type\":\"window\",\"value\":{\"context\":\"1.1\"}}}");
  /* Too large to answer is an exception, not a cut. */
  g_assert_true (g_str_has_prefix (eval (&f, "'x'.repeat(600 * 1024)"), "{\"type\":\"exception\""));
  fixture_clear (&f);
}

/* DOM Standard §4.3: records are queued as the tree changes and delivered in
 * one microtask after the task, not synchronously. */
static void
test_mutation_observer (void)
{
  Fixture f;

  fixture_load (&f, "<body><div id=root><p id=p class=a>x</p></div><ul id=other></ul>"
                    "<script>window.seen = []; var root = document.getElementById('root');"
                    "var mo = new MutationObserver((records, obs) => {"
                    "  seen.push(records.map(r => r.type + ':' + (r.attributeName || '') + ':' + (r.oldValue ?? '') + ':'"
                    "    + r.addedNodes.length + '/' + r.removedNodes.length + ':' + r.target.nodeName).join(' '));"
                    "  seen.push(String(obs === mo)); });"
                    "mo.observe(root, {childList: true, subtree: true, attributeOldValue: true, characterData: true,"
                    "                  characterDataOldValue: true});"
                    "const p = document.getElementById('p');"
                    "p.className = 'b'; p.firstChild.data = 'y'; root.appendChild(document.createElement('span'));"
                    "seen.push('sync:' + seen.length);</script>");
  /* Delivered after the script, at its microtask checkpoint, as one batch. */
  assert_eval (&f, "seen.join('|')",
               "sync:0|attributes:class:a:0/0:P characterData::x:0/0:#text childList:::1/0:DIV|true");
  /* Changes outside the observed subtree are not reported; a move out of it is a removal. */
  assert_eval (&f, "seen = []; document.getElementById('other').appendChild(document.createElement('li'));"
                   "document.getElementById('other').appendChild(p); 'ok'", "ok");
  assert_eval (&f, "seen.join('|')", "childList:::0/1:DIV|true");
  /* A removed node stays observed (transiently) until the delivery. */
  assert_eval (&f, "seen = []; const s = root.querySelector('span'); s.remove(); s.setAttribute('title', 't'); 'ok'", "ok");
  assert_eval (&f, "seen.join('|')", "childList:::0/1:DIV attributes:title::0/0:SPAN|true");
  /* attributeFilter, takeRecords() and disconnect(). */
  assert_eval (&f, "seen = []; mo.disconnect(); var mo2 = new MutationObserver(r => seen.push('late'));"
                   "mo2.observe(root, {attributes: true, attributeFilter: ['data-x']});"
                   "root.setAttribute('title', 'no'); root.setAttribute('data-x', '1'); root.innerHTML = '<b>new</b>';"
                   "const taken = mo2.takeRecords(); taken.length + taken[0].attributeName", "1data-x");
  assert_eval (&f, "seen.join('|')", "");
  assert_eval (&f, "try { mo2.observe(root, {}); 'no' } catch (e) { e.name }", "TypeError");
  /* innerHTML is one record with the old children out and the new ones in. */
  assert_eval (&f, "var mo3 = new MutationObserver(r => seen.push(r.map(x => x.addedNodes.length + '/' + x.removedNodes.length).join()));"
                   "mo3.observe(root, {childList: true}); root.innerHTML = '<i>1</i><i>2</i>'; root.textContent = 'z'; 'ok'", "ok");
  assert_eval (&f, "seen.join('|')", "2/1,1/2");
  fixture_clear (&f);
}

/* WHATWG URL Standard: the results Chromium gives for the same inputs. */
static void
test_url (void)
{
  Fixture f;

  fixture_load (&f, "<p>x</p>");
  assert_eval (&f, "var u = new URL('HTTP://User:Pw@Example.COM:80/a/./b/../c d?x=1&y=%C3%A9+z#frag');"
                   "[u.href, u.protocol, u.username, u.password, u.host, u.port, u.pathname, u.search, u.hash, u.origin].join(' ')",
               "http://User:Pw@example.com/a/c%20d?x=1&y=%C3%A9+z#frag http: User Pw example.com  /a/c%20d ?x=1&y=%C3%A9+z #frag http://example.com");
  assert_eval (&f, "u.searchParams.get('y') + '|' + u.searchParams.get('x') + '|' + u.searchParams.has('q')", "\xc3\xa9 z|1|false");
  assert_eval (&f, "new URL('../up?q', 'https://a.test:8443/dir/sub/page').href", "https://a.test:8443/dir/up?q");
  assert_eval (&f, "new URL('//cdn.test/x.js', location.href).href + ' ' + new URL('http://a.test').pathname", "http://cdn.test/x.js /");
  assert_eval (&f, "try { new URL('relative/only'); 'no' } catch (e) { e.name }", "TypeError");
  assert_eval (&f, "String(URL.canParse('mailto:a@b.test')) + new URL('mailto:a@b.test').pathname + new URL('data:text/plain,hi').origin",
               "truea@b.testnull");
  /* Setters rebuild the URL; searchParams and search stay one. */
  assert_eval (&f, "u.searchParams.append('n', 'a b&c'); u.searchParams.delete('x'); u.hash = ''; u.port = '8080';"
                   "u.pathname = 'p'; u.href", "http://User:Pw@example.com:8080/p?y=%C3%A9+z&n=a+b%26c");
  assert_eval (&f, "u.search = '?k=v'; [...u.searchParams].join(';') + ' ' + u.host", "k,v example.com:8080");
  assert_eval (&f, "var p = new URLSearchParams({b: '2', a: '1 ~!'}); p.append('a', '0'); p.sort();"
                   "p.toString() + ' ' + p.getAll('a').join() + ' ' + p.size + ' ' + new URLSearchParams([['x', 'y']]) + ' ' + new URLSearchParams('?q=%zz+1')",
               "a=1+%7E%21&a=0&b=2 1 ~!,0 3 x=y q=%25zz+1");
  fixture_clear (&f);
}

/* Scripts a page inserts run (inline at once, src when fetched, with load and
 * error events, delaying the load event); document.write() from a parser script
 * writes where the parser was, and after the load replaces the document. */
static void
test_inserted_scripts_and_write (void)
{
  Fixture f;
  g_autoptr (GBytes) dyn = g_bytes_new_static ("log.push('dyn:' + (document.currentScript === s))", 49);

  fixture_load (&f, "<body><p id=before>b</p><script id=s1>window.log = [document.currentScript.id];"
                    "document.write('<p id=w>written <b>bold</b></p><script>log.push(\"inner:\" + document.currentScript.tagName)<\\/script>');"
                    "</script><p id=after>a</p>"
                    "<script>var s = document.createElement('script'); s.src = 'dyn.js'; s.onload = () => log.push('dyn-load');"
                    "document.head.appendChild(s);"
                    "var bad = document.createElement('script'); bad.src = '/bad.js'; bad.addEventListener('error', () => log.push('bad-error'));"
                    "document.body.appendChild(bad);"
                    "var inl = document.createElement('script'); inl.textContent = 'log.push(\"inserted:\" + (document.currentScript === inl))';"
                    "document.body.appendChild(inl); log.push('current:' + (document.currentScript === null));</script>");
  assert_eval (&f, "log.join()", "s1,inner:SCRIPT,inserted:true,current:false");
  assert_eval (&f, "[...document.body.children].map(e => e.id || e.tagName).join()",
               "before,s1,w,SCRIPT,after,SCRIPT,SCRIPT,SCRIPT");
  g_assert_cmpuint (f.fetches->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f.fetches, 0), ==, "http://a.test/dir/dyn.js");
  g_assert_cmpstr (g_ptr_array_index (f.fetches, 1), ==, "http://a.test/bad.js");
  /* The inserted scripts hold the load event back until they ran. */
  g_assert_false (bh_script_realm_is_ready_for_load (f.realm));
  bh_script_realm_script_arrived (f.realm, g_array_index (f.fetch_ids, guint, 0), dyn);
  bh_script_realm_script_arrived (f.realm, g_array_index (f.fetch_ids, guint, 1), NULL);
  assert_eval (&f, "log.slice(4).join()", "dyn:true,dyn-load,bad-error");
  g_assert_true (bh_script_realm_is_ready_for_load (f.realm));
  g_assert_nonnull (strstr (f.console->str, "2:Failed to load the script http://a.test/bad.js"));
  /* After the load, write() replaces the document. */
  bh_script_realm_fire_load (f.realm);
  assert_eval (&f, "document.write('<title>new</title><p id=only>fresh</p>'); document.body.textContent + document.querySelectorAll('p').length",
               "fresh1");
  fixture_clear (&f);
}

/* getComputedStyle(), offsetWidth and clientWidth from the engine's cascade and layout:
 * rules of a style sheet, not only style="". */
static void
test_computed_style (void)
{
  Fixture f;

  fixture_load (&f, "<style>body { margin: 0 } #a { width: 200px; padding: 10px; border: 2px solid rgb(1, 2, 3);"
                    " color: #ff0000; display: inline-block; font-size: 20px; line-height: 1.5 }"
                    " .box { position: relative; margin-left: 30px; border-top: 3px solid black } .gone { display: none }"
                    " .half { width: 50% }</style>"
                    "<body><div id=a>text</div><div class=box><p id=inner style='margin: 0'>in</p><div class=half id=h>h</div></div>"
                    "<div class=gone id=g>hidden</div><span id=s>span</span></body>");
  assert_eval (&f, "var cs = getComputedStyle(document.getElementById('a'));"
                   "[cs.width, cs.paddingLeft, cs.getPropertyValue('border-top-width'), cs.color, cs.display, cs.fontSize,"
                   " cs.lineHeight, cs.borderTopColor, cs.backgroundColor, cs.position].join(' ')",
               "200px 10px 2px rgb(255, 0, 0) inline-block 20px 30px rgb(1, 2, 3) rgba(0, 0, 0, 0) static");
  assert_eval (&f, "var a = document.getElementById('a'); [a.offsetWidth, a.clientWidth, a.clientLeft].join()", "224,220,2");
  /* The positioned ancestor is the offsetParent; offsets are from its padding edge. */
  assert_eval (&f, "var inner = document.getElementById('inner'); [inner.offsetParent.className, inner.offsetLeft, inner.offsetTop,"
                   " getComputedStyle(inner.offsetParent).marginLeft, getComputedStyle(document.getElementById('h')).width].join()",
               "box,0,0,30px,385px");
  assert_eval (&f, "[getComputedStyle(document.getElementById('g')).display, getComputedStyle(document.getElementById('s')).display,"
                   " document.getElementById('g').offsetParent, document.documentElement.clientWidth].join()",
               "none,inline,,800");
  fixture_clear (&f);
}

/* A press or a key as the renderer handles it: the form fields' default action
 * (bh-forms.c) between the realm's notes, then the DOM events. */
static void
press (Fixture *f, double x, double y)
{
  bh_script_realm_form_input_start (f->realm);
  bh_document_form_click (f->doc, x, y);
  bh_script_realm_dispatch_mouse (f->realm, 1, x, y, 1, 0);
  bh_script_realm_form_input_done (f->realm);
  bh_script_realm_dispatch_mouse (f->realm, 2, x, y, 1, 0);
}

static void
type_key (Fixture *f, guint keyval)
{
  if (bh_script_realm_dispatch_key (f->realm, TRUE, keyval, 0))
    {
      bh_script_realm_dispatch_key (f->realm, FALSE, keyval, 0);
      return;
    }
  bh_script_realm_form_input_start (f->realm);
  bh_document_form_key (f->doc, keyval, 0);
  bh_script_realm_form_input_done (f->realm);
  bh_script_realm_dispatch_key (f->realm, FALSE, keyval, 0);
}

static void
rect_center (Fixture *f, const char *id, double *x, double *y)
{
  g_autofree char *expr = g_strdup_printf ("const r%s = document.getElementById('%s').getBoundingClientRect();"
                                           "`${r%s.x + r%s.width / 2},${r%s.y + r%s.height / 2}`", id, id, id, id, id, id);
  g_autofree char *xy = eval_string (f, expr);
  g_assert_cmpint (sscanf (xy, "%lf,%lf", x, y), ==, 2);
}

/* focus, blur, input and change on form fields from real presses and keys. */
static void
test_form_events (void)
{
  Fixture f;
  double nx, ny, cx, cy, bx, by;

  fixture_load (&f, "<body style='margin:0'><form id=form><input id=name><input id=agree type=checkbox>"
                    "<p id=plain style='height:40px'>plain</p></form>"
                    "<script>window.log = []; for (const t of ['focus', 'blur', 'input', 'change', 'keydown', 'keyup', 'focusin'])"
                    "  document.addEventListener(t, e => log.push(t + ':' + e.target.id + (t === 'input' ? '=' + e.target.value : '')), true);"
                    "</script>");
  bh_document_layout (f.doc, 800, 1.0);
  rect_center (&f, "name", &nx, &ny);
  rect_center (&f, "agree", &cx, &cy);
  rect_center (&f, "plain", &bx, &by);
  press (&f, nx, ny);
  type_key (&f, 'h');
  type_key (&f, 'i');
  assert_eval (&f, "log.join(' ')", "focus:name focusin:name keydown:name input:name=h keyup:name keydown:name input:name=hi keyup:name");
  /* The value is the field's live state; a change is announced as the focus leaves. */
  assert_eval (&f, "log = []; [document.activeElement.id, document.getElementById('name').value,"
                   " document.getElementById('name').getAttribute('value')].join()", "name,hi,");
  press (&f, cx, cy);
  assert_eval (&f, "log.join(' ') + ' ' + document.getElementById('agree').checked",
               "change:name blur:name focus:agree focusin:agree input:agree=on change:agree true");
  /* Script's own changes fire nothing; the page's value and checked reach the fields. */
  assert_eval (&f, "log = []; var n = document.getElementById('name'); n.value = 'set'; n.focus();"
                   " document.getElementById('agree').checked = false; log.join(' ') + ' ' + document.activeElement.id", "blur:agree focus:name focusin:name name");
  type_key (&f, 'x');
  assert_eval (&f, "log.slice(3).join(' ')", "keydown:name input:name=setx keyup:name");
  /* A press elsewhere blurs the field; keydown's preventDefault() types nothing. */
  assert_eval (&f, "log = []; n.addEventListener('keydown', e => e.key === 'q' && e.preventDefault()); 'ok'", "ok");
  type_key (&f, 'q');
  press (&f, bx, by);
  assert_eval (&f, "log.join(' ') + ' ' + (document.activeElement === document.body) + ' ' + n.value",
               "keydown:name keyup:name change:name blur:name true setx");
  fixture_clear (&f);
}

static void
test_realms_are_separate (void)
{
  Fixture a, b;

  fixture_load (&a, "<script>window.secret = 'a'; Array.prototype.polluted = 1;</script>");
  fixture_load (&b, "<p>b</p>");
  assert_eval (&b, "typeof secret + typeof [].polluted", "undefinedundefined");
  fixture_clear (&a);
  assert_eval (&b, "'still alive'", "still alive");
  fixture_clear (&b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!bh_script_init (bh_script_heap_limit_for_address_space (0), &error))
    g_error ("%s", error->message);
  g_test_add_func ("/script/console-and-errors", test_console_and_errors);
  g_test_add_func ("/script/modern-syntax", test_modern_syntax);
  g_test_add_func ("/script/dom-tree", test_dom_tree);
  g_test_add_func ("/script/geometry", test_geometry);
  g_test_add_func ("/script/events", test_events);
  g_test_add_func ("/script/load-events", test_load_events);
  g_test_add_func ("/script/timers-and-microtasks", test_timers_and_microtasks);
  g_test_add_func ("/script/external-scripts", test_external_scripts);
  g_test_add_func ("/script/capabilities", test_capabilities);
  g_test_add_func ("/script/remote-values", test_remote_values);
  g_test_add_func ("/script/realms-are-separate", test_realms_are_separate);
  g_test_add_func ("/script/mutation-observer", test_mutation_observer);
  g_test_add_func ("/script/url", test_url);
  g_test_add_func ("/script/form-events", test_form_events);
  g_test_add_func ("/script/computed-style", test_computed_style);
  g_test_add_func ("/script/inserted-scripts-and-write", test_inserted_scripts_and_write);
  {
    int status = g_test_run ();
    bh_script_shutdown ();
    return status;
  }
}
