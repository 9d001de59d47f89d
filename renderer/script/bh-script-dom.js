/* bh-script-dom.js: the DOM and events of a Bulkhead realm (the first part of
 * the realm's prelude; bh-script-style.js, -forms.js, -mutation.js, -window.js,
 * -url.js and -fetch.js follow (renderer/script/meson.build's order): embed-js.py
 * joins them into one function expression, so all share its scope).
 *
 * Evaluated first in every realm (bh-script.cpp) as one function expression,
 * called with `bh`, the natives: node wrappers are made natively with the
 * prototypes registered at the end, and every native checks its arguments.
 * What a page can reach is only what this file puts on the global. The page
 * can change these objects as it likes: it can only harm itself, since
 * everything that leaves the renderer is checked by the browser.
 */
(function (bh) {
  "use strict";
  const global = globalThis;
  const globalEval = global.eval;
  const JSONstringify = JSON.stringify;
  const JSONparse = JSON.parse;
  const ObjectKeys = Object.keys;
  const ArrayIsArray = Array.isArray;
  const start = Date.now();

  const ELEMENT = 1, TEXT = 3, COMMENT = 8, DOCUMENT = 9, FRAGMENT = 11;
  const HTML_NS = "http://www.w3.org/1999/xhtml";

  function define (target, props) {
    for (const name of ObjectKeys (props))
      Object.defineProperty (target, name, { value: props[name], writable: true, configurable: true });
  }

  /* ------------------------------------------------------------ errors */

  class DOMException extends Error {
    constructor (message = "", name = "Error") {
      super (message);
      this.name = name;
    }
  }

  function check (status) {
    if (status === 1)
      throw new DOMException ("The operation would yield an incorrect node tree.", "HierarchyRequestError");
    if (status === 2)
      throw new DOMException ("The reference node is not a child of this node.", "NotFoundError");
  }

  function describe (e) {
    if (e instanceof Error || (e && typeof e === "object" && "message" in e))
      return `${e.name || "Error"}: ${e.message}` + (e.fileName ? ` (${e.fileName}:${e.lineNumber}:${e.columnNumber})` : "");
    return String (e);
  }

  function reportError (e) {
    bh.console (2, "Uncaught " + describe (e));
  }

  function isNode (x) {
    return x !== null && typeof x === "object" && bh.isNode (x);
  }

  function nodeArg (x) {
    if (x instanceof DocumentFragment || isNode (x))
      return x;
    throw new TypeError ("parameter is not of type 'Node'");
  }

  /* ------------------------------------------------------------ events */

  class Event {
    constructor (type, init) {
      init = init || {};
      if (arguments.length === 0)
        throw new TypeError ("Event constructor: at least 1 argument required");
      this.type = String (type);
      this.bubbles = !!init.bubbles;
      this.cancelable = !!init.cancelable;
      this.composed = !!init.composed;
      this.defaultPrevented = false;
      this.target = null;
      this.currentTarget = null;
      this.eventPhase = 0;
      this.timeStamp = Date.now () - start;
      this.isTrusted = false;
      this._stop = false;
      this._stopImmediate = false;
      this._path = [];
    }
    initEvent (type, bubbles, cancelable) {
      this.type = String (type);
      this.bubbles = !!bubbles;
      this.cancelable = !!cancelable;
    }
    preventDefault () {
      if (this.cancelable && !this._passive)
        this.defaultPrevented = true;
    }
    stopPropagation () { this._stop = true; }
    stopImmediatePropagation () { this._stop = this._stopImmediate = true; }
    get srcElement () { return this.target; }
    get returnValue () { return !this.defaultPrevented; }
    set returnValue (v) { if (!v) this.preventDefault (); }
    get cancelBubble () { return this._stop; }
    set cancelBubble (v) { if (v) this._stop = true; }
    composedPath () { return this._path.slice (); }
  }
  define (Event, { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 });

  class UIEvent extends Event {
    constructor (type, init) {
      super (type, init);
      init = init || {};
      this.view = init.view || null;
      this.detail = init.detail || 0;
    }
  }

  class MouseEvent extends UIEvent {
    constructor (type, init) {
      super (type, init);
      init = init || {};
      for (const k of ["screenX", "screenY", "clientX", "clientY", "button", "buttons"])
        this[k] = +init[k] || 0;
      for (const k of ["ctrlKey", "shiftKey", "altKey", "metaKey"])
        this[k] = !!init[k];
      this.relatedTarget = init.relatedTarget || null;
    }
    get pageX () { return this.clientX + global.scrollX; }
    get pageY () { return this.clientY + global.scrollY; }
    get x () { return this.clientX; }
    get y () { return this.clientY; }
    get offsetX () { return this.clientX; }
    get offsetY () { return this.clientY; }
    get which () { return this.button + 1; }
  }

  class KeyboardEvent extends UIEvent {
    constructor (type, init) {
      super (type, init);
      init = init || {};
      this.key = init.key === undefined ? "" : String (init.key);
      this.code = init.code === undefined ? "" : String (init.code);
      this.keyCode = +init.keyCode || 0;
      this.charCode = +init.charCode || 0;
      this.repeat = !!init.repeat;
      for (const k of ["ctrlKey", "shiftKey", "altKey", "metaKey"])
        this[k] = !!init[k];
    }
    get which () { return this.keyCode; }
  }

  class CustomEvent extends Event {
    constructor (type, init) {
      super (type, init);
      this.detail = init && init.detail !== undefined ? init.detail : null;
    }
    initCustomEvent (type, bubbles, cancelable, detail) {
      this.initEvent (type, bubbles, cancelable);
      this.detail = detail;
    }
  }

  class FocusEvent extends UIEvent {}
  class InputEvent extends UIEvent {}

  const listeners = new WeakMap ();  /* target -> Map(type -> [listener]) */
  const handlers = new WeakMap ();   /* target -> {type: on<type> property} */
  const compiledHandlers = new Map (); /* attribute source -> function */

  function flatten (options) {
    if (typeof options === "boolean")
      return { capture: options, once: false, passive: false };
    options = options || {};
    return { capture: !!options.capture, once: !!options.once, passive: !!options.passive };
  }

  class EventTarget {
    addEventListener (type, callback, options) {
      if (callback === null || callback === undefined)
        return;
      const o = flatten (options);
      type = String (type);
      let map = listeners.get (this);
      if (!map)
        listeners.set (this, map = new Map ());
      let list = map.get (type);
      if (!list)
        map.set (type, list = []);
      if (list.some ((l) => l.callback === callback && l.capture === o.capture))
        return;
      list.push ({ callback, capture: o.capture, once: o.once, passive: o.passive, removed: false });
    }
    removeEventListener (type, callback, options) {
      const o = flatten (options);
      const map = listeners.get (this);
      const list = map && map.get (String (type));
      if (!list)
        return;
      const i = list.findIndex ((l) => l.callback === callback && l.capture === o.capture);
      if (i >= 0) {
        list[i].removed = true;
        list.splice (i, 1);
      }
    }
    dispatchEvent (event) {
      if (!(event instanceof Event))
        throw new TypeError ("parameter 1 is not of type 'Event'");
      event.isTrusted = false;
      return dispatch (this, event);
    }
  }

  function parentForEvents (t) {
    if (t === global)
      return null;
    if (isNode (t)) {
      const p = bh.parent (t);
      if (p)
        return p;
      return bh.type (t) === DOCUMENT ? global : null;
    }
    return null;
  }

  function inlineHandler (t, type) {
    const own = handlers.get (t);
    if (own && typeof own[type] === "function")
      return own[type];
    if (isNode (t) && bh.type (t) === ELEMENT) {
      const source = bh.attr (t, "on" + type);
      if (source !== null) {
        let fn = compiledHandlers.get (source);
        if (!fn) {
          try {
            fn = new Function ("event", source);
          } catch (e) {
            reportError (e);
            return null;
          }
          compiledHandlers.set (source, fn);
        }
        return fn;
      }
    }
    return null;
  }

  function invoke (t, event, phase) {
    event.currentTarget = t;
    if (phase !== 1) {
      const fn = inlineHandler (t, event.type);
      if (fn) {
        try {
          if (fn.call (t, event) === false)
            event.preventDefault ();
        } catch (e) {
          reportError (e);
        }
      }
    }
    const map = listeners.get (t);
    const list = map && map.get (event.type);
    if (!list)
      return;
    for (const l of list.slice ()) {
      if (l.removed || (phase === 1 && !l.capture) || (phase === 3 && l.capture))
        continue;
      if (l.once)
        t.removeEventListener (event.type, l.callback, l);
      event._passive = l.passive;
      try {
        if (typeof l.callback === "function")
          l.callback.call (t, event);
        else if (l.callback && typeof l.callback.handleEvent === "function")
          l.callback.handleEvent (event);
      } catch (e) {
        reportError (e);
      }
      event._passive = false;
      if (event._stopImmediate)
        break;
    }
  }

  /* DOM Standard "dispatch", without shadow trees: capture down the path,
   * the target, then bubble up when the event bubbles. */
  function dispatch (target, event) {
    const path = [];
    for (let t = target; t; t = parentForEvents (t))
      path.push (t);
    event.target = target;
    event._path = path;
    event._stop = event._stopImmediate = false;
    event.eventPhase = 1;
    for (let i = path.length - 1; i > 0 && !event._stop; i--)
      invoke (path[i], event, 1);
    if (!event._stop) {
      event.eventPhase = 2;
      invoke (path[0], event, 2);
    }
    if (event.bubbles)
      for (let i = 1; i < path.length && !event._stop; i++) {
        event.eventPhase = 3;
        invoke (path[i], event, 3);
      }
    event.eventPhase = 0;
    event.currentTarget = null;
    return !event.defaultPrevented;
  }

  const handlerNames = ["click", "dblclick", "mousedown", "mouseup", "mousemove", "mouseover", "mouseout",
                        "keydown", "keyup", "keypress", "input", "change", "submit", "focus", "blur", "load",
                        "error", "scroll", "resize", "contextmenu", "wheel", "storage"];

  function defineHandlers (proto) {
    for (const name of handlerNames)
      Object.defineProperty (proto, "on" + name, {
        get () { const h = handlers.get (this); return (h && h[name]) || null; },
        set (fn) {
          let h = handlers.get (this);
          if (!h)
            handlers.set (this, h = {});
          h[name] = typeof fn === "function" ? fn : null;
        },
        configurable: true,
      });
  }

  /* ------------------------------------------------------------ lists */

  const NodeListProto = Object.create (Array.prototype);
  define (NodeListProto, {
    item (i) { return this[i] || null; },
  });
  function NodeList () { throw new TypeError ("Illegal constructor"); }
  NodeList.prototype = NodeListProto;
  const HTMLCollectionProto = Object.create (NodeListProto);
  define (HTMLCollectionProto, {
    namedItem (name) { return this.find ((e) => e.id === name || e.getAttribute ("name") === name) || null; },
  });
  function HTMLCollection () { throw new TypeError ("Illegal constructor"); }
  HTMLCollection.prototype = HTMLCollectionProto;

  function nodeList (array) {
    Object.setPrototypeOf (array, NodeListProto);
    return array;
  }
  function collection (array) {
    Object.setPrototypeOf (array, HTMLCollectionProto);
    return array;
  }
  function elementsOf (array) {
    return array.filter ((n) => bh.type (n) === ELEMENT);
  }

  function query (root, selectors, first) {
    const found = bh.query (root, String (selectors), first);
    if (found === null)
      throw new DOMException (`'${selectors}' is not a valid selector`, "SyntaxError");
    return found;
  }

  function cssEscape (s) {
    return String (s).replace (/[^a-zA-Z0-9_\u00a0-\uffff-]/g, (c) => "\\" + c);
  }

  function byTagName (root, name) {
    name = String (name);
    if (name === "*")
      return collection (bh.query (root, "*", false) || []);
    if (!/^[a-zA-Z][a-zA-Z0-9-]*$/.test (name))
      return collection ([]);
    return collection (bh.query (root, name, false) || []);
  }

  function byClassName (root, names) {
    const classes = String (names).trim ().split (/\s+/).filter (Boolean);
    if (classes.length === 0)
      return collection ([]);
    return collection (bh.query (root, classes.map ((c) => "." + cssEscape (c)).join (""), false) || []);
  }

  /* ------------------------------------------------------------ nodes */

  function toNodes (args) {
    return args.map ((a) => (a instanceof DocumentFragment || isNode (a)) ? a : document.createTextNode (String (a)));
  }

  class Node extends EventTarget {
    constructor () {
      super ();
      throw new TypeError ("Illegal constructor");
    }
    get nodeType () { return bh.type (this); }
    get nodeName () {
      switch (bh.type (this)) {
        case ELEMENT: return bh.name (this).toUpperCase ();
        case TEXT: return "#text";
        case COMMENT: return "#comment";
        case DOCUMENT: return "#document";
        default: return "#document-fragment";
      }
    }
    get parentNode () { return bh.parent (this); }
    get parentElement () {
      const p = bh.parent (this);
      return p && bh.type (p) === ELEMENT ? p : null;
    }
    get childNodes () { return nodeList (bh.children (this)); }
    get firstChild () { return bh.child (this, 0); }
    get lastChild () { return bh.child (this, -1); }
    get nextSibling () { return bh.sibling (this, 1); }
    get previousSibling () { return bh.sibling (this, -1); }
    hasChildNodes () { return bh.count (this) > 0; }
    get ownerDocument () { return bh.type (this) === DOCUMENT ? null : document; }
    get isConnected () { return this.getRootNode () === document; }
    getRootNode () {
      let n = this, p;
      while ((p = bh.parent (n)))
        n = p;
      return n;
    }
    get baseURI () { return bh.url (); }
    get textContent () { return bh.text (this); }
    set textContent (v) { bh.setText (this, v === null || v === undefined ? "" : String (v)); }
    get nodeValue () { return bh.data (this); }
    set nodeValue (v) {
      const t = bh.type (this);
      if (t === TEXT || t === COMMENT)
        bh.setData (this, String (v === null ? "" : v));
    }
    appendChild (child) { return this.insertBefore (child, null); }
    insertBefore (child, reference) {
      nodeArg (child);
      if (reference !== null && reference !== undefined && !isNode (reference))
        throw new TypeError ("parameter 2 is not of type 'Node'");
      if (bh.type (child) === FRAGMENT) {
        for (const c of bh.children (child))
          this.insertBefore (c, reference);
        return child;
      }
      check (bh.insert (this, child, reference || null));
      if (bh.type (child) === ELEMENT)
        runInsertedScripts (child);
      return child;
    }
    removeChild (child) {
      nodeArg (child);
      if (bh.parent (child) !== this)
        throw new DOMException ("The node to be removed is not a child of this node.", "NotFoundError");
      bh.remove (child);
      return child;
    }
    replaceChild (node, old) {
      nodeArg (node);
      nodeArg (old);
      if (bh.parent (old) !== this)
        throw new DOMException ("The node to be replaced is not a child of this node.", "NotFoundError");
      if (node !== old) {
        this.insertBefore (node, old);
        bh.remove (old);
      }
      return old;
    }
    contains (other) {
      for (let n = other; n; n = bh.parent (n))
        if (n === this)
          return true;
      return false;
    }
    cloneNode (deep) {
      switch (bh.type (this)) {
        case TEXT: return bh.createText (bh.data (this), false);
        case COMMENT: return bh.createText (bh.data (this), true);
        case DOCUMENT: throw new DOMException ("Documents cannot be cloned here", "NotSupportedError");
        case FRAGMENT: {
          const f = document.createDocumentFragment ();
          if (deep)
            for (const c of bh.children (this))
              f.appendChild (c.cloneNode (true));
          return f;
        }
      }
      const copy = bh.createElement (bh.name (this));
      const attrs = bh.attrs (this);
      for (let i = 0; i < attrs.length; i += 2)
        bh.setAttr (copy, attrs[i], attrs[i + 1]);
      if (deep)
        for (const c of bh.children (this))
          bh.insert (copy, c.cloneNode (true), null);
      return copy;
    }
    isSameNode (other) { return this === other; }
    isEqualNode (other) {
      return isNode (other) && bh.type (this) === bh.type (other) && bh.html (this, true) === bh.html (other, true);
    }
    compareDocumentPosition (other) {
      nodeArg (other);
      if (other === this)
        return 0;
      const chain = (n) => { const c = []; for (; n; n = bh.parent (n)) c.unshift (n); return c; };
      const a = chain (this), b = chain (other);
      if (a[0] !== b[0])
        return 1 | 32 | (a[0] === document ? 4 : 2);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i])
        i++;
      if (i === a.length)
        return 16 | 4;   /* other is a descendant: contained by, following */
      if (i === b.length)
        return 8 | 2;    /* other is an ancestor: contains, preceding */
      return bh.index (b[i]) > bh.index (a[i]) ? 4 : 2;
    }
    normalize () {}
    /* ChildNode and ParentNode (DOM Standard), for elements, text and fragments. */
    remove () {
      if (bh.parent (this))
        bh.remove (this);
    }
    before (...nodes) {
      const p = bh.parent (this);
      if (p)
        for (const n of toNodes (nodes))
          p.insertBefore (n, this);
    }
    after (...nodes) {
      const p = bh.parent (this);
      if (!p)
        return;
      const next = bh.sibling (this, 1);
      for (const n of toNodes (nodes))
        p.insertBefore (n, next);
    }
    replaceWith (...nodes) {
      const p = bh.parent (this);
      if (!p)
        return;
      this.before (...nodes);
      if (bh.parent (this) === p)
        bh.remove (this);
    }
    append (...nodes) {
      for (const n of toNodes (nodes))
        this.appendChild (n);
    }
    prepend (...nodes) {
      const first = bh.child (this, 0);
      for (const n of toNodes (nodes))
        this.insertBefore (n, first);
    }
    replaceChildren (...nodes) {
      bh.setText (this, "");
      this.append (...nodes);
    }
    get children () { return collection (elementsOf (bh.children (this))); }
    get childElementCount () { return elementsOf (bh.children (this)).length; }
    get firstElementChild () { return elementsOf (bh.children (this))[0] || null; }
    get lastElementChild () { const e = elementsOf (bh.children (this)); return e[e.length - 1] || null; }
    get nextElementSibling () {
      for (let n = bh.sibling (this, 1); n; n = bh.sibling (n, 1))
        if (bh.type (n) === ELEMENT)
          return n;
      return null;
    }
    get previousElementSibling () {
      for (let n = bh.sibling (this, -1); n; n = bh.sibling (n, -1))
        if (bh.type (n) === ELEMENT)
          return n;
      return null;
    }
    querySelector (s) { return query (this, s, true)[0] || null; }
    querySelectorAll (s) { return nodeList (query (this, s, false)); }
    getElementsByTagName (name) { return byTagName (this, name); }
    getElementsByClassName (names) { return byClassName (this, names); }
  }
  define (Node, { ELEMENT_NODE: 1, ATTRIBUTE_NODE: 2, TEXT_NODE: 3, CDATA_SECTION_NODE: 4, COMMENT_NODE: 8,
                  DOCUMENT_NODE: 9, DOCUMENT_TYPE_NODE: 10, DOCUMENT_FRAGMENT_NODE: 11,
                  DOCUMENT_POSITION_DISCONNECTED: 1, DOCUMENT_POSITION_PRECEDING: 2,
                  DOCUMENT_POSITION_FOLLOWING: 4, DOCUMENT_POSITION_CONTAINS: 8,
                  DOCUMENT_POSITION_CONTAINED_BY: 16 });
  define (Node.prototype, { ELEMENT_NODE: 1, TEXT_NODE: 3, COMMENT_NODE: 8, DOCUMENT_NODE: 9,
                            DOCUMENT_FRAGMENT_NODE: 11 });

  class CharacterData extends Node {
    get data () { return bh.data (this); }
    set data (v) { bh.setData (this, String (v === null ? "" : v)); }
    get length () { return bh.data (this).length; }
    appendData (s) { this.data = this.data + s; }
    substringData (offset, count) { return this.data.substr (offset, count); }
  }
  class Text extends CharacterData {
    get wholeText () { return this.data; }
  }
  class Comment extends CharacterData {}

  /* A DocumentFragment is a detached element of its own kind natively: its
   * nodeType is 11 and inserting it moves its children. */
  class DocumentFragment extends Node {
    constructor () {
      return bh.createFragment ();
    }
    getElementById (id) { return query (this, "#" + cssEscape (id), true)[0] || null; }
  }

  /* ------------------------------------------------------------ elements */

  class DOMTokenList {
    constructor (element, attribute) {
      this._element = element;
      this._attribute = attribute;
    }
    _tokens () {
      const v = bh.attr (this._element, this._attribute);
      return v ? v.split (/[ \t\n\f\r]+/).filter (Boolean) : [];
    }
    _set (tokens) { bh.setAttr (this._element, this._attribute, tokens.join (" ")); }
    get length () { return this._tokens ().length; }
    get value () { return bh.attr (this._element, this._attribute) || ""; }
    set value (v) { bh.setAttr (this._element, this._attribute, String (v)); }
    item (i) { return this._tokens ()[i] || null; }
    contains (t) { return this._tokens ().includes (String (t)); }
    add (...tokens) {
      const have = this._tokens ();
      for (const t of tokens.map (String)) {
        if (t === "" || /\s/.test (t))
          throw new DOMException ("The token must not be empty or contain white space.",
                                  t === "" ? "SyntaxError" : "InvalidCharacterError");
        if (!have.includes (t))
          have.push (t);
      }
      this._set (have);
    }
    remove (...tokens) {
      const drop = tokens.map (String);
      this._set (this._tokens ().filter ((t) => !drop.includes (t)));
    }
    toggle (token, force) {
      token = String (token);
      const has = this.contains (token);
      if (has && force !== true) {
        this.remove (token);
        return false;
      }
      if (!has && force !== false) {
        this.add (token);
        return true;
      }
      return has;
    }
    replace (old, token) {
      const tokens = this._tokens ();
      const i = tokens.indexOf (String (old));
      if (i < 0)
        return false;
      tokens[i] = String (token);
      this._set ([...new Set (tokens)]);
      return true;
    }
    forEach (fn, thisArg) { this._tokens ().forEach (fn, thisArg); }
    [Symbol.iterator] () { return this._tokens ()[Symbol.iterator] (); }
    toString () { return this.value; }
  }

  class DOMRect {
    constructor (x = 0, y = 0, width = 0, height = 0) {
      this.x = x;
      this.y = y;
      this.width = width;
      this.height = height;
    }
    get left () { return Math.min (this.x, this.x + this.width); }
    get top () { return Math.min (this.y, this.y + this.height); }
    get right () { return Math.max (this.x, this.x + this.width); }
    get bottom () { return Math.max (this.y, this.y + this.height); }
    toJSON () { return { x: this.x, y: this.y, width: this.width, height: this.height, top: this.top,
                         right: this.right, bottom: this.bottom, left: this.left }; }
  }

  function validName (name) {
    name = String (name);
    if (!/^[A-Za-z_:][^\s\/>"'=\0]*$/.test (name))
      throw new DOMException (`'${name}' is not a valid name.`, "InvalidCharacterError");
    return name;
  }

  let focused = null;

  class Element extends Node {
    get tagName () { return bh.name (this).toUpperCase (); }
    get localName () { return bh.name (this); }
    get namespaceURI () { return HTML_NS; }
    get prefix () { return null; }
    get id () { return bh.attr (this, "id") || ""; }
    set id (v) { bh.setAttr (this, "id", String (v)); }
    get className () { return bh.attr (this, "class") || ""; }
    set className (v) { bh.setAttr (this, "class", String (v)); }
    get classList () { return new DOMTokenList (this, "class"); }
    getAttribute (name) { return bh.attr (this, String (name)); }
    getAttributeNS (ns, name) { return bh.attr (this, String (name)); }
    setAttribute (name, value) {
      bh.setAttr (this, validName (name), String (value));
      srcChanged (this, name);
    }
    setAttributeNS (ns, name, value) { this.setAttribute (String (name).replace (/^.*:/, ""), value); }
    removeAttribute (name) { bh.removeAttr (this, String (name)); }
    hasAttribute (name) { return bh.attr (this, String (name)) !== null; }
    hasAttributes () { return bh.attrs (this).length > 0; }
    toggleAttribute (name, force) {
      const has = this.hasAttribute (name);
      if (has && force !== true) {
        this.removeAttribute (name);
        return false;
      }
      if (!has && force !== false)
        this.setAttribute (name, "");
      return has || force !== false;
    }
    getAttributeNames () { return bh.attrs (this).filter ((_, i) => i % 2 === 0); }
    getAttributeNode (name) {
      const value = bh.attr (this, String (name));
      return value === null ? null : { name: String (name).toLowerCase (), localName: String (name).toLowerCase (),
                                       value, nodeValue: value, specified: true, ownerElement: this };
    }
    get attributes () {
      const flat = bh.attrs (this);
      const list = [];
      for (let i = 0; i < flat.length; i += 2) {
        const attr = { name: flat[i], localName: flat[i], nodeName: flat[i], value: flat[i + 1],
                       nodeValue: flat[i + 1], specified: true, namespaceURI: null, ownerElement: this };
        list.push (attr);
        if (!(flat[i] in list))
          list[flat[i]] = attr;
      }
      list.item = (i) => list[i] || null;
      list.getNamedItem = (n) => list.find ((a) => a.name === String (n).toLowerCase ()) || null;
      return list;
    }
    get innerHTML () { return bh.html (this, false); }
    set innerHTML (v) {
      check (bh.setHtml (this, v === null ? "" : String (v)));
      runInsertedScripts (this);
    }
    get outerHTML () { return bh.html (this, true); }
    set outerHTML (v) {
      const p = bh.parent (this);
      if (!p)
        return;
      const tmp = bh.createElement ("div");
      check (bh.setHtml (tmp, String (v)));
      for (const c of bh.children (tmp))
        p.insertBefore (c, this);
      bh.remove (this);
    }
    insertAdjacentHTML (position, html) {
      const tmp = bh.createElement ("div");
      check (bh.setHtml (tmp, String (html)));
      const f = document.createDocumentFragment ();
      for (const c of bh.children (tmp))
        f.appendChild (c);
      this.insertAdjacentElement (position, f);
    }
    insertAdjacentElement (position, node) {
      switch (String (position).toLowerCase ()) {
        case "beforebegin": if (bh.parent (this)) bh.parent (this).insertBefore (node, this); else return null; break;
        case "afterbegin": this.insertBefore (node, bh.child (this, 0)); break;
        case "beforeend": this.appendChild (node); break;
        case "afterend": if (bh.parent (this)) bh.parent (this).insertBefore (node, bh.sibling (this, 1)); else return null; break;
        default: throw new DOMException ("Invalid position", "SyntaxError");
      }
      return node;
    }
    insertAdjacentText (position, text) { this.insertAdjacentElement (position, document.createTextNode (text)); }
    matches (s) {
      const r = bh.matches (this, String (s));
      if (r === null)
        throw new DOMException (`'${s}' is not a valid selector`, "SyntaxError");
      return r;
    }
    webkitMatchesSelector (s) { return this.matches (s); }
    closest (s) {
      for (let n = this; n && bh.type (n) === ELEMENT; n = bh.parent (n))
        if (n.matches (s))
          return n;
      return null;
    }
    getBoundingClientRect () {
      const r = bh.rect (this);
      const scrollY = bh.viewport ()[2];
      return r ? new DOMRect (r[0], r[1] - scrollY, r[2], r[3]) : new DOMRect ();
    }
    getClientRects () { const r = bh.rect (this); return r ? [this.getBoundingClientRect ()] : []; }
    get offsetWidth () { const r = bh.rect (this); return r ? Math.round (r[2]) : 0; }
    get offsetHeight () { const r = bh.rect (this); return r ? Math.round (r[3]) : 0; }
    get offsetLeft () { return offsetOf (this, 0); }
    get offsetTop () { return offsetOf (this, 1); }
    get offsetParent () { return offsetParentOf (this); }
    get clientWidth () { return clientSize (this, 0); }
    get clientHeight () { return clientSize (this, 1); }
    get clientTop () { return bh.rect (this) ? Math.round (parseFloat (bh.computedStyle (this, "border-top-width")) || 0) : 0; }
    get clientLeft () { return bh.rect (this) ? Math.round (parseFloat (bh.computedStyle (this, "border-left-width")) || 0) : 0; }
    get scrollWidth () { return this === document.documentElement ? Math.max (bh.viewport ()[0], this.offsetWidth) : this.clientWidth; }
    get scrollHeight () {
      return this === document.documentElement || this === document.body ? Math.max (bh.viewport ()[1], bh.viewport ()[3] || 0, this.offsetHeight)
                                                                           : this.clientHeight;
    }
    get scrollTop () { return this === document.documentElement || this === document.body ? bh.viewport ()[2] : 0; }
    set scrollTop (v) { if (this === document.documentElement || this === document.body) global.scrollTo (0, v); }
    get scrollLeft () { return 0; }
    set scrollLeft (v) {}
    scrollIntoView () {}
    focus () { setFocus (this); }
    blur () {
      if (focused === this)
        setFocus (null);
    }
    click () {
      const e = new MouseEvent ("click", { bubbles: true, cancelable: true, composed: true });
      dispatch (this, e);
    }
  }

  function reflect (proto, names, kind) {
    for (const name of names) {
      const attr = name === "htmlFor" ? "for" : name === "defaultChecked" ? "checked" : name.toLowerCase ();
      Object.defineProperty (proto, name, {
        get () {
          const v = bh.attr (this, attr);
          if (kind === "bool")
            return v !== null;
          if (kind === "url")
            return v === null ? "" : (bh.resolve (v) || v);
          if (kind === "number")
            return v === null ? -1 : (parseInt (v, 10) || 0);
          return v === null ? "" : v;
        },
        set (v) {
          if (kind === "bool") {
            if (v)
              bh.setAttr (this, attr, "");
            else
              bh.removeAttr (this, attr);
          } else {
            bh.setAttr (this, attr, String (v));
            srcChanged (this, attr);
          }
        },
        configurable: true,
      });
    }
  }

  /* Every element is in the HTML namespace here (the parser's SVG is drawn as
   * an image, never scripted): the interface exists for `instanceof` tests,
   * and no element is one. */
  class SVGElement extends Element {}

  class HTMLElement extends Element {
    get style () { return styleFor (this); }
    set style (v) { bh.setAttr (this, "style", String (v)); }
    get dataset () {
      const element = this;
      const attrName = (p) => "data-" + p.replace (/[A-Z]/g, (c) => "-" + c.toLowerCase ());
      return new Proxy ({}, {
        get (t, p) { return typeof p === "string" ? (bh.attr (element, attrName (p)) ?? undefined) : undefined; },
        set (t, p, v) { if (typeof p === "string") bh.setAttr (element, attrName (p), String (v)); return true; },
        has (t, p) { return typeof p === "string" && bh.attr (element, attrName (p)) !== null; },
        deleteProperty (t, p) { if (typeof p === "string") bh.removeAttr (element, attrName (p)); return true; },
        ownKeys () {
          return bh.attrs (element).filter ((n, i) => i % 2 === 0 && n.startsWith ("data-"))
            .map ((n) => n.slice (5).replace (/-([a-z])/g, (m, c) => c.toUpperCase ()));
        },
        getOwnPropertyDescriptor (t, p) {
          const v = typeof p === "string" ? bh.attr (element, attrName (p)) : null;
          return v === null ? undefined : { value: v, writable: true, enumerable: true, configurable: true };
        },
      });
    }
    get innerText () { return bh.text (this); }
    set innerText (v) { bh.setText (this, String (v)); }
    get value () {
      const state = bh.controlState (this);
      if (state)
        return state[0];
      switch (bh.name (this)) {
        /* What the user typed or chose (the control's state), as for an <input>. */
        case "textarea": return bh.text (this);
        case "select": {
          const o = this.querySelector ("option[selected]") || this.querySelector ("option");
          return o ? o.value : "";
        }
        case "option": { const v = bh.attr (this, "value"); return v === null ? bh.text (this).trim () : v; }
        default: { const v = bh.attr (this, "value"); return v === null ? (this.type === "checkbox" || this.type === "radio" ? "on" : "") : v; }
      }
    }
    set value (v) {
      v = v === null ? "" : String (v);
      if (bh.name (this) === "input" || bh.name (this) === "textarea" || bh.name (this) === "select") {
        bh.setControlState (this, v, undefined);
        if (focused === this)
          lastValue = bh.controlState (this)[0];
      } else {
        bh.setAttr (this, "value", v);
      }
    }
    get defaultValue () { return bh.name (this) === "textarea" ? bh.text (this) : (bh.attr (this, "value") || ""); }
    set defaultValue (v) {
      if (bh.name (this) === "textarea")
        bh.setText (this, String (v));
      else
        bh.setAttr (this, "value", String (v));
    }
    /* An <input>'s checkedness is its state, not its attribute (defaultChecked). */
    get checked () {
      const state = bh.controlState (this);
      return state ? state[1] : bh.attr (this, "checked") !== null;
    }
    set checked (v) {
      if (bh.name (this) === "input")
        bh.setControlState (this, null, !!v);
    }
    get type () {
      const t = bh.attr (this, "type");
      const name = bh.name (this);
      if (name === "input")
        return t ? t.toLowerCase () : "text";
      if (name === "button")
        return t ? t.toLowerCase () : "submit";
      return name === "textarea" ? "textarea" : (name === "select" ? "select-one" : (t || ""));
    }
    set type (v) { bh.setAttr (this, "type", String (v)); }
    get form () { return this.closest ("form"); }
    get options () { return collection (query (this, "option", false)); }
    get selectedIndex () {
      const options = query (this, "option", false);
      const i = options.findIndex ((o) => bh.attr (o, "selected") !== null);
      return i >= 0 ? i : (options.length ? 0 : -1);
    }
    set selectedIndex (n) {
      query (this, "option", false).forEach ((o, i) => {
        if (i === n) bh.setAttr (o, "selected", ""); else bh.removeAttr (o, "selected");
      });
    }
    submit () {
      if (bh.name (this) === "form")
        bh.submitForm (this);
    }
    requestSubmit () {
      if (bh.name (this) === "form" && dispatch (this, new Event ("submit", { bubbles: true, cancelable: true })))
        bh.submitForm (this);
    }
    reset () {}
    get isContentEditable () { return false; }
  }
  reflect (HTMLElement.prototype, ["title", "lang", "dir", "name", "alt", "rel", "target", "placeholder",
                                   "htmlFor", "accessKey", "method", "enctype", "content", "charset",
                                   "media", "label"], "string");
  reflect (HTMLElement.prototype, ["href", "src", "action"], "url");
  reflect (HTMLElement.prototype, ["hidden", "disabled", "selected", "readOnly", "required", "multiple",
                                   "autofocus", "defaultChecked", "async", "defer", "open"], "bool");
  reflect (HTMLElement.prototype, ["tabIndex", "width", "height", "colSpan", "rowSpan"], "number");
  defineHandlers (HTMLElement.prototype);

  /* ------------------------------------------------------------ the document */

  let readyState = "loading";
  let fontFaceSet = null;

  class Document extends Node {
    get documentElement () { return elementsOf (bh.children (this))[0] || null; }
    get head () { const html = this.documentElement; return html ? html.querySelector ("head") : null; }
    get body () {
      const html = this.documentElement;
      return html ? (elementsOf (bh.children (html)).find ((e) => bh.name (e) === "body") || null) : null;
    }
    get title () {
      const t = query (this, "title", true)[0];
      return t ? bh.text (t).replace (/[ \t\n\f\r]+/g, " ").trim () : "";
    }
    set title (v) {
      let t = query (this, "title", true)[0];
      if (!t) {
        const head = this.head;
        if (!head)
          return;
        t = head.appendChild (bh.createElement ("title"));
      }
      bh.setText (t, String (v));
    }
    getElementById (id) { return bh.byId (String (id)); }
    getElementsByName (name) { return nodeList (query (this, `[name="${cssEscape (name)}"]`, false)); }
    createElement (name) { return bh.createElement (validName (name)); }
    createElementNS (ns, name) { return bh.createElement (validName (String (name).replace (/^.*:/, ""))); }
    createTextNode (data) { return bh.createText (String (data), false); }
    createComment (data) { return bh.createText (String (data), true); }
    createDocumentFragment () { return bh.createFragment (); }
    createEvent (kind) {
      const k = String (kind).toLowerCase ();
      if (k.startsWith ("mouseevent"))
        return new MouseEvent ("");
      if (k.startsWith ("keyboardevent"))
        return new KeyboardEvent ("");
      if (k === "customevent")
        return new CustomEvent ("");
      return new Event ("");
    }
    get readyState () { return readyState; }
    get defaultView () { return global; }
    get URL () { return currentURL; }
    get documentURI () { return currentURL; }
    get location () { return location; }
    set location (v) { location.href = v; }
    get referrer () { return ""; }
    /* The browser's cookie jar (HttpOnly ones excepted), for this document's URL. */
    get cookie () { return bh.cookie (); }
    set cookie (v) { bh.cookie (String (v)); }
    get domain () { return location.hostname; }
    get compatMode () { return "CSS1Compat"; }
    get characterSet () { return "UTF-8"; }
    get charset () { return "UTF-8"; }
    get contentType () { return "text/html"; }
    get activeElement () { return focused || this.body; }
    hasFocus () { return true; }
    get hidden () { return false; }
    get visibilityState () { return "visible"; }
    /* CSS Font Loading's FontFaceSet: the renderer draws with the system's
     * fonts, there before layout, and loads no web fonts, so the set is empty
     * and always "loaded" (puppeteer's page.pdf() waits for fonts.ready). */
    get fonts () {
      if (!fontFaceSet) {
        fontFaceSet = {
          status: "loaded",
          size: 0,
          check () { return true; },
          load () { return Promise.resolve ([]); },
          forEach () {},
          has () { return false; },
          addEventListener () {},
          removeEventListener () {},
        };
        fontFaceSet.ready = Promise.resolve (fontFaceSet);
      }
      return fontFaceSet;
    }
    get forms () { return collection (query (this, "form", false)); }
    get images () { return collection (query (this, "img", false)); }
    get links () { return collection (query (this, "a[href]", false)); }
    get scripts () { return collection (query (this, "script", false)); }
    get implementation () {
      return {
        hasFeature () { return true; },
        /* A document of its own is not supported: an object whose nodes are
         * this document's, detached, is enough for parsing markup. */
        createHTMLDocument (title) {
          const html = bh.createElement ("html");
          const head = bh.createElement ("head");
          const body = bh.createElement ("body");
          bh.insert (html, head, null);
          bh.insert (html, body, null);
          const d = Object.create (document);
          Object.defineProperties (d, {
            documentElement: { value: html }, head: { value: head }, body: { value: body },
          });
          return d;
        },
      };
    }
    elementFromPoint () { return null; }
    get currentScript () { return runningScript; }
    open () {}
    close () {}
    write (...markup) { documentWrite (markup.join ("")); }
    writeln (...markup) { documentWrite (markup.join ("") + "\n"); }
  }
  defineHandlers (Document.prototype);

  /* Scripts a page inserts run when inserted, as HTML's "prepare the script
   * element" does: inline ones at once, `src` ones fetched through the browser
   * and run when they arrive (as async ones are), with a load or error event. */
  const ranScripts = new WeakSet ();
  let runningScript = null;   /* document.currentScript */
  let writeAnchor = null;     /* document.write() writes after this node, while a parser script runs */
  function runInsertedScripts (root) {
    const scripts = bh.name (root) === "script" ? [root] : query (root, "script", false);
    for (const s of scripts) {
      if (ranScripts.has (s) || !s.isConnected)
        continue;
      const type = (bh.attr (s, "type") || "").toLowerCase ().trim ();
      if (type && type !== "text/javascript" && type !== "application/javascript" && type !== "module")
        continue;
      if (type === "module") {
        bh.console (1, "A <script type=module> was not run: modules are not supported");
        continue;
      }
      /* An empty inline script has not "already started": a src set later runs it. */
      if (bh.attr (s, "src") === null && bh.text (s) === "")
        continue;
      ranScripts.add (s);
      if (bh.attr (s, "src") !== null) {
        if (!bh.loadScript (s))
          Promise.resolve ().then (() => dispatch (s, new Event ("error")));
        continue;
      }
      const outer = runningScript, outerAnchor = writeAnchor;
      runningScript = s;
      writeAnchor = null;
      try {
        bh.runScript (s);
      } finally {
        runningScript = outer;
        writeAnchor = outerAnchor;
      }
    }
  }

  /* A connected script given a src (HTML "prepare the script element" when the
   * src attribute is set): Sphinx's search loads its index this way. */
  function srcChanged (element, name) {
    if (String (name).toLowerCase () === "src" && bh.name (element) === "script" && !ranScripts.has (element))
      runInsertedScripts (element);
  }

  /* document.write() (HTML §8.4.3). The parser has finished before any script
   * runs here (docs/architecture.md), so a parser-inserted script's write goes
   * where the parser would have put it: right after the script element (after
   * what it wrote before), and scripts written run at once (`src` ones when they
   * arrive). Once the document has loaded, write() replaces it, as the
   * implicit document.open() does; from an async or inserted script while the
   * document loads it is ignored, as Chromium does, with a warning. */
  function documentWrite (html) {
    if (writeAnchor !== null && bh.parent (writeAnchor)) {
      const tmp = bh.createElement ("body");
      check (bh.setHtml (tmp, html));
      const parent = bh.parent (writeAnchor);
      const next = bh.sibling (writeAnchor, 1);
      const written = bh.children (tmp);
      for (const c of written) {
        check (bh.insert (parent, c, next));
        writeAnchor = c;
      }
      for (const c of written)
        if (bh.type (c) === ELEMENT)
          runInsertedScripts (c);
      return;
    }
    if (readyState === "complete") {
      const root = document.documentElement;
      if (root)
        check (bh.setHtml (root, html));
      return;
    }
    bh.console (1, "A call to document.write() from an asynchronously-loaded script was ignored.");
  }

  /* Wrappers made from now on get these prototypes; the hooks are filled in below. */
  const hooks = {};
  bh.register (hooks, { element: HTMLElement.prototype, text: Text.prototype, comment: Comment.prototype,
                        document: Document.prototype, fragment: DocumentFragment.prototype });
  const document = bh.document ();
  for (const s of query (document, "script", false))
    ranScripts.add (s);

