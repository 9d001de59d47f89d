/* bh-script-window.js: the window of a Bulkhead realm (the second half of the
 * realm's prelude, after bh-script-dom.js, in the same function scope): location,
 * history, navigator, timers, console, the hooks the renderer calls (timers,
 * input, document events, evaluation) and WebDriver BiDi's serialisation of
 * results. */
  /* ------------------------------------------------------------ window */

  let currentURL = bh.url ();

  function parseURL (url) {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/(?:[^@\/?#]*@)?(\[[^\]]*\]|[^:\/?#]*)(?::(\d*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/.exec (url) || [];
    return { protocol: m[1] || "", hostname: m[2] || "", port: m[3] || "", pathname: m[4] || "",
             search: m[5] && m[5] !== "?" ? m[5] : "", hash: m[6] && m[6] !== "#" ? m[6] : "" };
  }

  function absolute (url) {
    const r = bh.resolve (String (url));
    if (r === null)
      throw new DOMException (`'${url}' is not a valid URL.`, "SyntaxError");
    return r;
  }

  const location = {
    get href () { return currentURL; },
    set href (v) { this.assign (v); },
    get protocol () { return parseURL (currentURL).protocol; },
    get host () { const u = parseURL (currentURL); return u.hostname + (u.port ? ":" + u.port : ""); },
    get hostname () { return parseURL (currentURL).hostname; },
    get port () { return parseURL (currentURL).port; },
    get pathname () { return parseURL (currentURL).pathname || "/"; },
    get search () { return parseURL (currentURL).search; },
    set search (v) { const s = String (v); this.assign ((s.startsWith ("?") || s === "") ? s : "?" + s); },
    get hash () { return parseURL (currentURL).hash; },
    set hash (v) { const s = String (v); this.assign (s.startsWith ("#") ? s : "#" + s); },
    get origin () {
      const u = parseURL (currentURL);
      return u.hostname ? `${u.protocol}//${u.hostname}${u.port ? ":" + u.port : ""}` : "null";
    },
    assign (url) { bh.navigate (0, absolute (url), 0); },
    replace (url) { bh.navigate (1, absolute (url), 0); },
    reload () { bh.navigate (2, "", 0); },
    toString () { return currentURL; },
  };

  let historyState = null;
  const history = {
    get length () { return 1; },
    get state () { return historyState; },
    get scrollRestoration () { return "auto"; },
    pushState (state, title, url) {
      historyState = state === undefined ? null : state;
      if (url !== undefined && url !== null)
        currentURL = absolute (url);
      bh.navigate (4, currentURL, 0);
    },
    replaceState (state, title, url) {
      historyState = state === undefined ? null : state;
      if (url !== undefined && url !== null)
        currentURL = absolute (url);
      bh.navigate (5, currentURL, 0);
    },
    back () { bh.navigate (3, "", -1); },
    forward () { bh.navigate (3, "", 1); },
    go (delta) { const d = Math.trunc (+delta || 0); if (d === 0) bh.navigate (2, "", 0); else bh.navigate (3, "", d); },
  };

  const navigator = {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Bulkhead/0.1",
    appName: "Netscape", appVersion: "5.0 (X11)", appCodeName: "Mozilla", product: "Gecko",
    vendor: "", platform: "Linux x86_64", language: "en-US", languages: ["en-US", "en"],
    cookieEnabled: false, onLine: true, webdriver: false, hardwareConcurrency: 1, maxTouchPoints: 0,
    javaEnabled () { return false; },
  };

  /* requestAnimationFrame(): callbacks by id, run in order (HTML "run the
   * animation frame callbacks"). */
  const frameCallbacks = new Map ();
  let nextFrameCallback = 1;

  /* Timers (HTML "timer initialisation steps"), on the renderer's main loop. */
  const timers = new Map ();
  let nextTimer = 1;

  function addTimer (fn, ms, args, repeat) {
    const id = nextTimer++;
    ms = Math.max (0, +ms || 0);
    /* A repeating timer never spins the loop: 4 ms at least, HTML's clamp. */
    if (repeat)
      ms = Math.max (ms, 4);
    timers.set (id, { fn, args, repeat, ms });
    bh.timer (id, ms);
    return id;
  }

  function clearTimer (id) {
    id = +id;
    if (timers.delete (id))
      bh.cancelTimer (id);
  }

  function queueMicrotask (fn) {
    if (typeof fn !== "function")
      throw new TypeError ("queueMicrotask: argument is not a function");
    Promise.resolve ().then (() => {
      try {
        fn ();
      } catch (e) {
        reportError (e);
      }
    });
  }

  const performance = {
    now () { return Date.now () - start; },
    get timeOrigin () { return start; },
    mark () {}, measure () {}, getEntriesByName () { return []; }, getEntriesByType () { return []; },
  };

  /* console: one line per call, to the browser (--enable-logging=stderr shows it). */
  function format (v) {
    if (typeof v === "string")
      return v;
    if (v instanceof Error)
      return describe (v);
    if (isNode (v))
      return bh.type (v) === ELEMENT ? `<${bh.name (v)}${bh.attr (v, "id") ? ' id="' + bh.attr (v, "id") + '"' : ""}>` : v.nodeName;
    if (typeof v === "function")
      return `function ${v.name || "anonymous"}`;
    if (v !== null && typeof v === "object") {
      try {
        const s = JSONstringify (v);
        if (s !== undefined)
          return s;
      } catch (e) {}
      return Object.prototype.toString.call (v);
    }
    return String (v);
  }

  function formatArgs (args) {
    if (args.length > 0 && typeof args[0] === "string" && /%[sdifoOc]/.test (args[0])) {
      let i = 1;
      const first = args[0].replace (/%([sdifoOc%])/g, (m, c) => {
        if (c === "%")
          return "%";
        if (i >= args.length)
          return m;
        const a = args[i++];
        if (c === "c")
          return "";
        if (c === "d" || c === "i")
          return String (parseInt (a, 10));
        if (c === "f")
          return String (parseFloat (a));
        return format (a);
      });
      return [first, ...args.slice (i).map (format)].join (" ");
    }
    return args.map (format).join (" ");
  }

  const counts = new Map ();
  const times = new Map ();
  const console = {
    log (...a) { bh.console (0, formatArgs (a)); },
    info (...a) { bh.console (0, formatArgs (a)); },
    debug (...a) { bh.console (0, formatArgs (a)); },
    trace (...a) { bh.console (0, formatArgs (a)); },
    dir (...a) { bh.console (0, formatArgs (a)); },
    dirxml (...a) { bh.console (0, formatArgs (a)); },
    table (...a) { bh.console (0, formatArgs (a)); },
    group (...a) { if (a.length) bh.console (0, formatArgs (a)); },
    groupCollapsed (...a) { if (a.length) bh.console (0, formatArgs (a)); },
    groupEnd () {},
    warn (...a) { bh.console (1, formatArgs (a)); },
    error (...a) { bh.console (2, formatArgs (a)); },
    assert (cond, ...a) { if (!cond) bh.console (2, "Assertion failed" + (a.length ? ": " + formatArgs (a) : "")); },
    count (label = "default") { const n = (counts.get (label) || 0) + 1; counts.set (label, n); bh.console (0, `${label}: ${n}`); },
    countReset (label = "default") { counts.delete (label); },
    time (label = "default") { times.set (label, Date.now ()); },
    timeEnd (label = "default") {
      if (times.has (label))
        bh.console (0, `${label}: ${Date.now () - times.get (label)} ms`);
      times.delete (label);
    },
    timeLog (label = "default") { if (times.has (label)) bh.console (0, `${label}: ${Date.now () - times.get (label)} ms`); },
  };

  const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function btoa (s) {
    s = String (s);
    if (/[^\x00-\xff]/.test (s))
      throw new DOMException ("The string contains characters outside of the Latin1 range.", "InvalidCharacterError");
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const n = (s.charCodeAt (i) << 16) | ((s.charCodeAt (i + 1) || 0) << 8) | (s.charCodeAt (i + 2) || 0);
      out += b64[n >> 18] + b64[(n >> 12) & 63] + (i + 1 < s.length ? b64[(n >> 6) & 63] : "=") +
             (i + 2 < s.length ? b64[n & 63] : "=");
    }
    return out;
  }
  function atob (s) {
    s = String (s).replace (/[ \t\n\f\r]/g, "").replace (/==?$/, "");
    if (/[^A-Za-z0-9+\/]/.test (s) || s.length % 4 === 1)
      throw new DOMException ("The string to be decoded is not correctly encoded.", "InvalidCharacterError");
    let out = "", bits = 0, n = 0;
    for (const c of s) {
      n = (n << 6) | b64.indexOf (c);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode ((n >> bits) & 255);
      }
    }
    return out;
  }

  /* IntersectionObserver (W3C Intersection Observer), against the viewport only:
   * each target observed gets its first notification in a task, with its
   * intersection with the viewport then; later changes are not watched, so no
   * further notifications come (puppeteer asks once, before a click). */
  const intersectionTargets = new WeakMap ();   /* observer -> { callback, targets: Set } */

  function intersectionEntry (target) {
    const box = target.getBoundingClientRect ();
    const width = global.innerWidth, height = global.innerHeight;
    const left = Math.max (box.left, 0), top = Math.max (box.top, 0);
    const right = Math.min (box.right, width), bottom = Math.min (box.bottom, height);
    const inside = right >= left && bottom >= top && bh.rect (target) !== null;
    const area = box.width * box.height;
    const visible = inside ? (right - left) * (bottom - top) : 0;
    return {
      time: performance.now (), target, boundingClientRect: box, rootBounds: new DOMRect (0, 0, width, height),
      intersectionRect: inside ? new DOMRect (left, top, right - left, bottom - top) : new DOMRect (),
      isIntersecting: inside, intersectionRatio: area > 0 ? visible / area : (inside ? 1 : 0),
    };
  }

  class IntersectionObserver {
    constructor (callback, options = {}) {
      if (typeof callback !== "function")
        throw new TypeError ("IntersectionObserver: the callback is not a function");
      intersectionTargets.set (this, { callback, targets: new Set () });
      define (this, { root: options.root || null, rootMargin: "0px 0px 0px 0px",
                      thresholds: [].concat (options.threshold === undefined ? 0 : options.threshold) });
    }
    observe (target) {
      const entry = intersectionTargets.get (this);
      if (!isNode (target) || bh.type (target) !== ELEMENT)
        throw new TypeError ("IntersectionObserver.observe: the target is not an element");
      if (entry.targets.has (target))
        return;
      entry.targets.add (target);
      addTimer (() => {
        if (entry.targets.has (target))
          entry.callback.call (this, [intersectionEntry (target)], this);
      }, 0, [], false);
    }
    unobserve (target) { intersectionTargets.get (this).targets.delete (target); }
    disconnect () { intersectionTargets.get (this).targets.clear (); }
    takeRecords () { return []; }
  }

  class Window extends EventTarget {}
  defineHandlers (Window.prototype);

  const viewportValue = (i) => () => bh.viewport ()[i];
  function scrollTarget (x, y, base) {
    if (x !== null && typeof x === "object")
      return base + (+x.top || 0);
    return base + (+y || 0);
  }
  Object.setPrototypeOf (global, Window.prototype);
  define (global, {
    window: global, self: global, top: global, parent: global, frames: global, document, location, history,
    navigator, console, performance, DOMException, Event, UIEvent, MouseEvent, KeyboardEvent, CustomEvent,
    FocusEvent, InputEvent, EventTarget, Node, CharacterData, Text, Comment, Element, HTMLElement, Document,
    HTMLDocument: Document, DocumentFragment, NodeList, HTMLCollection, DOMTokenList, CSSStyleDeclaration,
    DOMRect, Window, MutationObserver, MutationRecord, getComputedStyle, queueMicrotask, btoa, atob, SVGElement, IntersectionObserver,
    setTimeout (fn, ms, ...args) { return addTimer (fn, ms, args, false); },
    setInterval (fn, ms, ...args) { return addTimer (fn, ms, args, true); },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    requestAnimationFrame (fn) {
      if (typeof fn !== "function")
        throw new TypeError ("requestAnimationFrame: the callback is not a function");
      const id = nextFrameCallback++;
      frameCallbacks.set (id, fn);
      /* The renderer runs them before its next frame, once the browser has taken
       * the last one; without one (tests), a 16 ms timer stands in. */
      if (!bh.requestFrame ())
        addTimer (() => hooks.animationFrame (), 16, [], false);
      return id;
    },
    cancelAnimationFrame (id) { frameCallbacks.delete (+id); },
    requestIdleCallback (fn) { return addTimer (() => fn ({ didTimeout: false, timeRemaining: () => 10 }), 1, [], false); },
    cancelIdleCallback: clearTimer,
    alert (message) { bh.dialog (0, message === undefined ? "" : String (message), ""); },
    confirm (message) { return bh.dialog (1, message === undefined ? "" : String (message), ""); },
    prompt (message, value) {
      return bh.dialog (2, message === undefined ? "" : String (message), value === undefined ? "" : String (value));
    },
    open (url) {
      if (url !== undefined && url !== "")
        bh.open (absolute (url));
      return null;
    },
    close () {},
    focus () {},
    blur () {},
    print () {},
    stop () {},
    /* CSSOM View: scrollTo(x, y) or scrollTo({top, left, behavior}); no sideways
     * scrolling from script, behavior is always instant. */
    scrollTo (x, y) { bh.scrollTo (scrollTarget (x, y, 0)); },
    scroll (x, y) { bh.scrollTo (scrollTarget (x, y, 0)); },
    scrollBy (x, y) { bh.scrollTo (scrollTarget (x, y, bh.viewport ()[2])); },
    matchMedia (media) {
      return { matches: false, media: String (media), onchange: null, addListener () {}, removeListener () {},
               addEventListener () {}, removeEventListener () {} };
    },
    postMessage () {},
  });
  for (const [name, i] of [["innerWidth", 0], ["innerHeight", 1], ["outerWidth", 0], ["outerHeight", 1],
                           ["scrollY", 2], ["pageYOffset", 2]])
    Object.defineProperty (global, name, { get: viewportValue (i), configurable: true });
  define (global, { scrollX: 0, pageXOffset: 0, devicePixelRatio: 1, closed: false, name: "", length: 0,
                    screen: { width: 1920, height: 1080, availWidth: 1920, availHeight: 1080, colorDepth: 24,
                              pixelDepth: 24 } });
  Object.defineProperty (global, "frameElement", { value: null, configurable: true });
  Object.defineProperty (global, "origin", { get () { return location.origin; }, configurable: true });

  /* ------------------------------------------------------------ input */

  const namedKeys = {
    0xff08: ["Backspace", 8], 0xff09: ["Tab", 9], 0xff0d: ["Enter", 13], 0xff1b: ["Escape", 27],
    0xff50: ["Home", 36], 0xff51: ["ArrowLeft", 37], 0xff52: ["ArrowUp", 38], 0xff53: ["ArrowRight", 39],
    0xff54: ["ArrowDown", 40], 0xff55: ["PageUp", 33], 0xff56: ["PageDown", 34], 0xff57: ["End", 35],
    0xffff: ["Delete", 46], 0xff63: ["Insert", 45], 0xffe1: ["Shift", 16], 0xffe2: ["Shift", 16],
    0xffe3: ["Control", 17], 0xffe4: ["Control", 17], 0xffe9: ["Alt", 18], 0xffea: ["Alt", 18],
    0xffeb: ["Meta", 91], 0xffec: ["Meta", 91], 0xff8d: ["Enter", 13],
  };

  function keyOf (keyval) {
    if (namedKeys[keyval])
      return namedKeys[keyval];
    if (keyval >= 0xffbe && keyval <= 0xffc9)
      return ["F" + (keyval - 0xffbe + 1), 112 + keyval - 0xffbe];
    let code = 0;
    if (keyval >= 0x20 && keyval < 0x100)
      code = keyval;
    else if ((keyval & 0xff000000) === 0x01000000)
      code = keyval & 0xffffff;
    if (code === 0)
      return ["Unidentified", 0];
    const key = String.fromCodePoint (code);
    const upper = key.toUpperCase ();
    return [key, /^[A-Z0-9]$/.test (upper) ? upper.charCodeAt (0) : (code === 32 ? 32 : 0)];
  }

  function modifierInit (mods) {
    return { shiftKey: !!(mods & 1), ctrlKey: !!(mods & 4), altKey: !!(mods & 8), metaKey: !!(mods & (1 << 26)),
             bubbles: true, cancelable: true, composed: true, view: global };
  }

  Object.assign (hooks, {
    timer (id) {
      const t = timers.get (id);
      if (!t)
        return;
      if (t.repeat)
        bh.timer (id, t.ms);
      else
        timers.delete (id);
      if (typeof t.fn === "function")
        t.fn.apply (global, t.args);
      else
        globalEval (String (t.fn));
    },

    input (type, target, x, y, button, mods, keyval) {
      const init = modifierInit (mods);
      let event;
      if (type.startsWith ("key")) {
        const [key, keyCode] = keyOf (keyval);
        Object.assign (init, { key, keyCode, code: "" });
        event = new KeyboardEvent (type, init);
        target = focused || document.body || document.documentElement || document;
      } else {
        /* GDK numbers buttons 1 left, 2 middle, 3 right; the DOM 0, 1, 2. */
        const dom = button === 2 ? 1 : button === 3 ? 2 : 0;
        const scrollY = bh.viewport ()[2];
        Object.assign (init, { clientX: x, clientY: y - scrollY, screenX: x, screenY: y - scrollY, button: dom,
                               buttons: type === "mousedown" ? 1 << dom : 0, detail: type === "click" ? 1 : 0 });
        event = new MouseEvent (type, init);
      }
      event.isTrusted = true;
      return !dispatch (target, event);
    },

    /* One frame: the callbacks asked for before it, with its time; those they
     * ask for wait for the next. */
    animationFrame () {
      const now = performance.now ();
      const due = [...frameCallbacks];
      frameCallbacks.clear ();
      for (const [, fn] of due)
        try {
          fn (now);
        } catch (e) {
          reportError (e);
        }
    },

    windowEvent (type) {
      if (type === "scroll")
        dispatch (document, new Event ("scroll", { bubbles: true }));
      else
        dispatch (global, new UIEvent (type));
    },

    scriptStart (node, parserInserted) {
      runningScript = node;
      writeAnchor = parserInserted ? node : null;
    },
    scriptEnd () {
      runningScript = null;
      writeAnchor = null;
    },
    scriptDone (node, ok) {
      dispatch (node, new Event (ok ? "load" : "error"));
    },

    documentEvent (name) {
      if (name === "DOMContentLoaded") {
        readyState = "interactive";
        dispatch (document, new Event ("readystatechange"));
        dispatch (document, new Event ("DOMContentLoaded", { bubbles: true }));
      } else if (name === "load") {
        readyState = "complete";
        dispatch (document, new Event ("readystatechange"));
        const body = document.body;
        const event = new Event ("load");
        /* <body onload=...> is the window's handler (HTML "window-reflecting body element handlers"). */
        if (!(handlers.get (global) || {}).load && body && bh.attr (body, "onload") !== null) {
          const fn = inlineHandler (body, "load");
          if (fn)
            global.onload = fn;
        }
        dispatch (global, event);
      }
    },

    /* @argumentsJSON: a JSON array of LocalValues, or an object {arguments,
     * this, resultOwnership: "root" | "none", disown: [handles]} (bh-messages.h,
     * ScriptEvaluate). */
    evaluate (requestId, source, argumentsJSON, isFunction, awaitPromise) {
      let value, own = false;
      try {
        let options = JSONparse (argumentsJSON);
        if (ArrayIsArray (options))
          options = { arguments: options };
        if (options === null || typeof options !== "object")
          throw new TypeError ("the arguments are not an array");
        own = options.resultOwnership === "root";
        if (ArrayIsArray (options.disown))
          for (const handle of options.disown)
            handles.delete (String (handle));
        if (isFunction) {
          const fn = globalEval ("(" + source + "\n)");
          if (typeof fn !== "function")
            throw new TypeError ("the function declaration is not a function");
          const args = options.arguments === undefined ? [] : options.arguments;
          if (!ArrayIsArray (args))
            throw new TypeError ("the arguments are not an array");
          const self = options.this === undefined ? undefined : deserialize (options.this);
          value = fn.apply (self, args.map (deserialize));
        } else {
          value = globalEval (source);
        }
      } catch (e) {
        bh.result (requestId, exceptionResult (e, own));
        return;
      }
      if (awaitPromise && value !== null && (typeof value === "object" || typeof value === "function") &&
          typeof value.then === "function") {
        Promise.resolve (value).then ((v) => bh.result (requestId, successResult (v, own)),
                                      (e) => bh.result (requestId, exceptionResult (e, own)));
        return;
      }
      bh.result (requestId, successResult (value, own));
    },
  });

  /* ------------------------------------------------------------ WebDriver BiDi serialisation */

  const documentId = bh.documentId ();
  const nodeIds = new Map ();   /* node -> number */
  const nodesById = new Map (); /* number -> node */
  let nextNodeId = 1;
  /* The objects a client owns (resultOwnership "root"), until script.disown or
   * the document goes: handle -> value. */
  const handles = new Map ();
  let nextHandle = 1;
  const MAX_DEPTH = 32;

  /* The spec's "serialize as a remote value" with ownership "root": an object
   * gets a handle that later calls can pass back. */
  function withHandle (remote, v, own) {
    if (own && v !== null && (typeof v === "object" || typeof v === "function")) {
      const handle = `${documentId}.h${nextHandle++}`;
      handles.set (handle, v);
      remote.handle = handle;
    }
    return remote;
  }

  function sharedIdOf (node) {
    let n = nodeIds.get (node);
    if (n === undefined) {
      n = nextNodeId++;
      nodeIds.set (node, n);
      nodesById.set (n, node);
    }
    return `${documentId}.${n}`;
  }

  function number (v) {
    if (Number.isNaN (v))
      return "NaN";
    if (Object.is (v, -0))
      return "-0";
    if (v === Infinity)
      return "Infinity";
    if (v === -Infinity)
      return "-Infinity";
    return v;
  }

  function serializeNode (node) {
    const type = bh.type (node);
    const value = { nodeType: type, childNodeCount: bh.count (node) };
    if (type === ELEMENT) {
      value.localName = bh.name (node);
      value.namespaceURI = HTML_NS;
      const flat = bh.attrs (node);
      value.attributes = {};
      for (let i = 0; i < flat.length; i += 2)
        value.attributes[flat[i]] = flat[i + 1];
    } else if (type === TEXT || type === COMMENT) {
      value.nodeValue = bh.data (node);
    }
    return { type: "node", sharedId: sharedIdOf (node), value };
  }

  /* WebDriver BiDi "serialize as a remote value"; withHandle() adds the top
   * value's handle when the client owns it. */
  function serialize (v, depth, seen) {
    switch (typeof v) {
      case "undefined": return { type: "undefined" };
      case "string": return { type: "string", value: v };
      case "number": return { type: "number", value: number (v) };
      case "boolean": return { type: "boolean", value: v };
      case "bigint": return { type: "bigint", value: v.toString () };
      case "symbol": return { type: "symbol" };
      case "function": return { type: "function" };
    }
    if (v === null)
      return { type: "null" };
    if (isNode (v))
      return serializeNode (v);
    if (v === global)
      return { type: "window", value: { context: documentId } };
    const kind = ArrayIsArray (v) ? (Object.getPrototypeOf (v) === HTMLCollectionProto ? "htmlcollection" :
                                     Object.getPrototypeOf (v) === NodeListProto ? "nodelist" : "array") :
                 v instanceof RegExp ? "regexp" : v instanceof Date ? "date" : v instanceof Map ? "map" :
                 v instanceof Set ? "set" : v instanceof WeakMap ? "weakmap" : v instanceof WeakSet ? "weakset" :
                 v instanceof Error ? "error" : v instanceof Promise ? "promise" :
                 ArrayBuffer.isView (v) ? "typedarray" : v instanceof ArrayBuffer ? "arraybuffer" : "object";
    if (kind === "regexp")
      return { type: kind, value: { pattern: v.source, flags: v.flags } };
    if (kind === "date")
      return { type: kind, value: Number.isNaN (v.getTime ()) ? "Invalid Date" : v.toISOString () };
    if (["weakmap", "weakset", "error", "promise", "typedarray", "arraybuffer"].includes (kind))
      return { type: kind };
    if (seen.has (v) || depth >= MAX_DEPTH)
      return { type: kind };
    seen.add (v);
    let value;
    if (kind === "array" || kind === "nodelist" || kind === "htmlcollection")
      value = Array.prototype.map.call (v, (x) => serialize (x, depth + 1, seen));
    else if (kind === "set")
      value = [...v].map ((x) => serialize (x, depth + 1, seen));
    else if (kind === "map")
      value = [...v].map (([k, x]) => [typeof k === "string" ? k : serialize (k, depth + 1, seen),
                                       serialize (x, depth + 1, seen)]);
    else
      value = ObjectKeys (v).map ((k) => {
        let x;
        try {
          x = v[k];
        } catch (e) {
          x = undefined;
        }
        return [k, serialize (x, depth + 1, seen)];
      });
    seen.delete (v);
    return { type: kind, value };
  }

  /* The @n-th element in document order, counted from 1 as the engine's
   * element queries number them (renderer/engine/bh-document-query.c). */
  function elementByNumber (n) {
    let count = 0;
    const stack = [...bh.children (bh.document ())].reverse ();
    while (stack.length > 0) {
      const node = stack.pop ();
      if (bh.type (node) !== ELEMENT)
        continue;
      if (++count === n)
        return node;
      const children = bh.children (node);
      for (let i = children.length - 1; i >= 0; i--)
        stack.push (children[i]);
    }
    return undefined;
  }

  /* WebDriver BiDi "deserialize local value". */
  function deserialize (lv) {
    if (lv === null || typeof lv !== "object")
      throw new TypeError ("an argument is not a LocalValue");
    if (typeof lv.handle === "string") {
      if (!handles.has (lv.handle))
        throw new DOMException (`no such handle: ${lv.handle}`, "NotFoundError");
      return handles.get (lv.handle);
    }
    if (typeof lv.sharedId === "string") {
      const prefix = documentId + ".";
      let node = lv.sharedId.startsWith (prefix) ? nodesById.get (+lv.sharedId.slice (prefix.length)) : undefined;
      /* The browser's element references (locateNodes, classic /element):
       * "node-CONTEXT-NAVIGATION-N", the Nth element of this document. */
      const ref = /^node-[0-9]+-([0-9]+)-([0-9]+)$/.exec (lv.sharedId);
      if (!node && ref && ref[1] === documentId.split (".")[1])
        node = elementByNumber (+ref[2]);
      if (!node)
        throw new DOMException (`no such node: ${lv.sharedId}`, "NotFoundError");
      return node;
    }
    const v = lv.value;
    switch (lv.type) {
      case "undefined": return undefined;
      case "null": return null;
      case "string": return String (v);
      case "boolean": return !!v;
      case "number":
        if (v === "NaN") return NaN;
        if (v === "-0") return -0;
        if (v === "Infinity") return Infinity;
        if (v === "-Infinity") return -Infinity;
        return +v;
      case "bigint": return BigInt (v);
      case "array": return v.map (deserialize);
      case "set": return new Set (v.map (deserialize));
      case "map": return new Map (v.map (([k, x]) => [typeof k === "string" ? k : deserialize (k), deserialize (x)]));
      case "object": {
        const o = {};
        for (const [k, x] of v)
          o[typeof k === "string" ? k : String (deserialize (k))] = deserialize (x);
        return o;
      }
      case "regexp": return new RegExp (v.pattern, v.flags);
      case "date": return new Date (v);
    }
    throw new TypeError (`unsupported LocalValue type ${lv.type}`);
  }

  function successResult (v, own) {
    return JSONstringify ({ type: "success", result: withHandle (serialize (v, 0, new Set ()), v, own) });
  }

  function exceptionResult (e, own) {
    let text;
    try {
      text = describe (e);
    } catch (x) {
      text = "exception";
    }
    const isObj = e !== null && typeof e === "object";
    return JSONstringify ({
      type: "exception",
      exceptionDetails: {
        text,
        lineNumber: isObj && typeof e.lineNumber === "number" ? Math.max (0, e.lineNumber - 1) : 0,
        columnNumber: isObj && typeof e.columnNumber === "number" ? Math.max (0, e.columnNumber - 1) : 0,
        exception: withHandle (serialize (e, 0, new Set ()), e, own),
        stackTrace: { callFrames: [] },
      },
    });
  }
