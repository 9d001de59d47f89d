/* bh-script-fetch.js: fetch(), XMLHttpRequest, Headers, Response, Request,
 * TextEncoder/TextDecoder, AbortController and Web Storage (localStorage,
 * sessionStorage), in the realm's prelude after
 * bh-script-url.js, in the same function scope.
 *
 * The renderer has no network: a request is the native fetch, which the
 * renderer sends to the browser as FetchRequest; the answer comes back as the
 * fetchDone hook (a task). A cross-origin request is a CORS one: the browser
 * sends it with the document's Origin and no cookies, and hands the response
 * over only if its Access-Control-Allow-Origin allows (docs/architecture.md).
 * What would need a preflight (another method, a header that is not
 * CORS-safelisted) or credentials (credentials: "include", withCredentials)
 * fails here, before any message: preflights are not supported. GET and POST
 * only; of the request headers only Content-Type travels, and of the
 * response's only Content-Type (CORS-safelisted) is known. */

  /* ------------------------------------------------------------ bytes */

  class TextEncoder {
    get encoding () { return "utf-8"; }
    encode (s = "") { return bh.utf8Encode (wellFormed (s)); }
  }

  class TextDecoder {
    #label;
    constructor (label = "utf-8") {
      const l = String (label).trim ().toLowerCase ();
      if (l !== "utf-8" && l !== "utf8" && l !== "unicode-1-1-utf-8")
        throw new RangeError (`TextDecoder: the encoding '${label}' is not supported (UTF-8 only)`);
      this.#label = "utf-8";
    }
    get encoding () { return this.#label; }
    decode (input) {
      if (input === undefined)
        return "";
      return bh.utf8Decode (toUint8 (input));
    }
  }

  function toUint8 (v) {
    if (v instanceof Uint8Array)
      return v;
    if (v instanceof ArrayBuffer)
      return new Uint8Array (v);
    if (ArrayBuffer.isView (v))
      return new Uint8Array (v.buffer, v.byteOffset, v.byteLength);
    throw new TypeError ("the value is not an ArrayBuffer or a view of one");
  }

  /* ------------------------------------------------------------ AbortController */

  class AbortSignal extends EventTarget {
    constructor () {
      super ();
      this.aborted = false;
      this.reason = undefined;
      this.onabort = null;
    }
    throwIfAborted () { if (this.aborted) throw this.reason; }
    static abort (reason) {
      const c = new AbortController ();
      c.abort (reason);
      return c.signal;
    }
    static timeout (ms) {
      const c = new AbortController ();
      global.setTimeout (() => c.abort (new DOMException ("The operation timed out.", "TimeoutError")), ms);
      return c.signal;
    }
  }

  class AbortController {
    #signal = new AbortSignal ();
    get signal () { return this.#signal; }
    abort (reason) {
      const s = this.#signal;
      if (s.aborted)
        return;
      s.aborted = true;
      s.reason = reason === undefined ? new DOMException ("The operation was aborted.", "AbortError") : reason;
      const e = new Event ("abort");
      if (typeof s.onabort === "function")
        try { s.onabort.call (s, e); } catch (x) { reportError (x); }
      dispatch (s, e);
    }
  }

  /* ------------------------------------------------------------ Headers */

  class Headers {
    #map = new Map (); /* lower-case name -> [value] */
    constructor (init) {
      if (init instanceof Headers)
        init.forEach ((v, k) => this.append (k, v));
      else if (init !== null && typeof init === "object" && typeof init[Symbol.iterator] === "function")
        for (const pair of init) {
          const p = [...pair];
          if (p.length !== 2)
            throw new TypeError ("Headers: each pair must have exactly two items");
          this.append (p[0], p[1]);
        }
      else if (init !== null && typeof init === "object")
        for (const k of ObjectKeys (init))
          this.append (k, init[k]);
    }
    static #name (n) {
      n = String (n);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test (n))
        throw new TypeError (`Headers: '${n}' is not a valid header name`);
      return n.toLowerCase ();
    }
    append (name, value) {
      name = Headers.#name (name);
      const list = this.#map.get (name) || [];
      list.push (String (value).trim ());
      this.#map.set (name, list);
    }
    set (name, value) { this.#map.set (Headers.#name (name), [String (value).trim ()]); }
    get (name) { const l = this.#map.get (Headers.#name (name)); return l ? l.join (", ") : null; }
    has (name) { return this.#map.has (Headers.#name (name)); }
    delete (name) { this.#map.delete (Headers.#name (name)); }
    forEach (fn, thisArg) { for (const [k, v] of this) fn.call (thisArg, v, k, this); }
    *entries () { for (const k of [...this.#map.keys ()].sort ()) yield [k, this.#map.get (k).join (", ")]; }
    *keys () { for (const [k] of this.entries ()) yield k; }
    *values () { for (const [, v] of this.entries ()) yield v; }
    [Symbol.iterator] () { return this.entries (); }
  }

  /* ------------------------------------------------------------ bodies */

  /* A request body as the bytes that travel, and the type it implies (Fetch
   * Standard "extract a body"). */
  function extractBody (body) {
    if (body === null || body === undefined)
      return [null, null];
    if (body instanceof URLSearchParams)
      return [bh.utf8Encode (body.toString ()), "application/x-www-form-urlencoded;charset=UTF-8"];
    if (body instanceof ArrayBuffer || ArrayBuffer.isView (body))
      return [new Uint8Array (toUint8 (body)), null];
    return [bh.utf8Encode (wellFormed (body)), "text/plain;charset=UTF-8"];
  }

  const statusTexts = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
    301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect",
    308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type",
    429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
  };

  class Body {
    #bytes; #used = false;
    _setBody (bytes) { this.#bytes = bytes; }
    get bodyUsed () { return this.#used; }
    get body () { return null; }
    #consume () {
      if (this.#used)
        return Promise.reject (new TypeError ("Body has already been consumed."));
      this.#used = true;
      return Promise.resolve (this.#bytes || new Uint8Array (0));
    }
    arrayBuffer () { return this.#consume ().then ((b) => b.buffer.slice (b.byteOffset, b.byteOffset + b.byteLength)); }
    text () { return this.#consume ().then ((b) => bh.utf8Decode (b)); }
    json () { return this.text ().then ((t) => JSONparse (t)); }
    _bytes () { return this.#bytes; }
  }

  class Response extends Body {
    #status; #url; #headers; #redirected; #type;
    constructor (body = null, init = {}) {
      super ();
      const [bytes, type] = extractBody (body);
      this._setBody (bytes);
      this.#status = init.status === undefined ? 200 : +init.status;
      if (!(this.#status >= 200 && this.#status <= 599))
        throw new RangeError ("Response: the status must be in the range 200 to 599");
      this.statusText = init.statusText === undefined ? "" : String (init.statusText);
      this.#headers = new Headers (init.headers);
      if (type && !this.#headers.has ("content-type"))
        this.#headers.set ("content-type", type);
      this.#url = "";
      this.#redirected = false;
      this.#type = "default";
    }
    static _fromNetwork (status, url, contentType, bytes, redirected) {
      const r = new Response (null, { status: 200 });
      r.#status = status;
      r.statusText = statusTexts[status] || "";
      r.#url = url;
      r.#redirected = redirected;
      r.#type = "basic";
      if (contentType)
        r.#headers.set ("content-type", contentType);
      r._setBody (bytes);
      return r;
    }
    static error () { const r = new Response (null); r.#status = 0; r.#type = "error"; return r; }
    static json (data, init) {
      const r = new Response (JSONstringify (data), init);
      r.#headers.set ("content-type", "application/json");
      return r;
    }
    get status () { return this.#status; }
    get ok () { return this.#status >= 200 && this.#status <= 299; }
    get url () { return this.#url; }
    get redirected () { return this.#redirected; }
    get type () { return this.#type; }
    get headers () { return this.#headers; }
    clone () {
      if (this.bodyUsed)
        throw new TypeError ("Response.clone: Body has already been consumed.");
      const r = Response._fromNetwork (this.#status, this.#url, null, this._bytes (), this.#redirected);
      r.#headers = new Headers (this.#headers);
      r.#type = this.#type;
      r.statusText = this.statusText;
      return r;
    }
  }

  class Request extends Body {
    constructor (input, init = {}) {
      super ();
      const from = input instanceof Request ? input : null;
      this.url = from ? from.url : absolute (input);
      this.method = String (init.method || (from ? from.method : "GET")).toUpperCase ();
      this.headers = new Headers (init.headers || (from ? from.headers : undefined));
      this.signal = init.signal || (from ? from.signal : new AbortSignal ());
      this.credentials = init.credentials || "same-origin";
      this.mode = init.mode || "cors";
      this.cache = init.cache || "default";
      this.redirect = init.redirect || "follow";
      const [bytes, type] = extractBody (init.body !== undefined ? init.body : null);
      if (bytes !== null && (this.method === "GET" || this.method === "HEAD"))
        throw new TypeError ("Request: a GET or HEAD request cannot have a body");
      if (type && !this.headers.has ("content-type"))
        this.headers.set ("content-type", type);
      this._setBody (bytes !== null ? bytes : (from ? from._bytes () : null));
    }
    clone () { return new Request (this); }
  }

  /* ------------------------------------------------------------ the requests */

  const pendingFetches = new Map (); /* id -> {resolve(result), url} */
  let nextFetch = 1;

  /* Fetch Standard §3.2.3: the request headers a CORS request may carry
   * without a preflight (their values' limits aside, but Content-Type's). */
  const safelistedHeaders = new Set (["accept", "accept-language", "content-language", "content-type"]);
  const safelistedTypes = new Set (["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

  /* Why a cross-origin request cannot be made (it needs a preflight or
   * credentials, which are not supported), or null. */
  function corsRefusal (method, headers, credentialed) {
    if (credentialed)
      return "credentialed cross-origin requests are not supported";
    if (method !== "GET" && method !== "HEAD" && method !== "POST")
      return `the method ${method} needs a preflight, and preflights are not supported`;
    for (const [name, value] of headers || []) {
      if (!safelistedHeaders.has (name))
        return `the header '${name}' needs a preflight, and preflights are not supported`;
      if (name === "content-type" && !safelistedTypes.has (value.split (";")[0].trim ().toLowerCase ()))
        return `the Content-Type '${value}' needs a preflight, and preflights are not supported`;
    }
    return null;
  }

  /* Sends one request; @done gets {status, url, contentType, bytes} or {error}.
   * @headers (a Headers, or null) and @credentialed are for the CORS rules. */
  function startFetch (method, url, contentType, bytes, done, headers = null, credentialed = false) {
    const id = nextFetch++;
    const target = new URL (url);
    const refusal = target.origin !== location.origin ? corsRefusal (method, headers, credentialed) : null;
    if (refusal !== null) {
      const error = `Access to '${url}' from origin '${location.origin}' has been blocked by CORS policy: ${refusal}`;
      bh.console (2, error);
      Promise.resolve ().then (() => done ({ error }));
      return id;
    }
    if (method !== "GET" && method !== "POST") {
      const error = `The method ${method} is not supported (GET and POST only)`;
      bh.console (2, error);
      Promise.resolve ().then (() => done ({ error }));
      return id;
    }
    target.hash = "";
    pendingFetches.set (id, { done, url: target.href });
    bh.fetch (id, method, target.href, method === "GET" ? "" : (contentType || ""), method === "GET" ? null : bytes);
    return id;
  }

  function cancelFetch (id) {
    /* The browser still answers; the answer finds nobody. */
    pendingFetches.delete (id);
  }

  hooks.fetchDone = function (id, status, url, contentType, bytes, error) {
    const p = pendingFetches.get (id);
    if (!p)
      return;
    pendingFetches.delete (id);
    if (error !== null) {
      /* The browser's reason (a CORS check, a network error), as Chromium's
       * console tells it; the page itself learns only "Failed to fetch". */
      bh.console (2, `Fetch of '${p.url}' failed: ${error}`);
      p.done ({ error });
    }
    else
      p.done ({ status, url, contentType: contentType || "", bytes, redirected: url !== p.url });
  };

  /* Fetch Standard "fetch(input, init)", CORS for simple requests. */
  function fetch (input, init = {}) {
    let request;
    try {
      request = new Request (input, init);
    } catch (e) {
      return Promise.reject (e);
    }
    if (request.signal.aborted)
      return Promise.reject (request.signal.reason);
    const bytes = request._bytes ();
    if (bytes && bytes.byteLength > 768 * 1024)
      return Promise.reject (new TypeError ("fetch: the request body is too large (at most 768 KiB)"));
    return new Promise ((resolve, reject) => {
      const id = startFetch (request.method, request.url, request.headers.get ("content-type"), bytes, (r) => {
        request.signal.removeEventListener ("abort", onAbort);
        if (r.error)
          reject (new TypeError ("Failed to fetch"));
        else
          resolve (Response._fromNetwork (r.status, r.url, r.contentType, r.bytes, r.redirected));
      }, request.headers, request.credentials === "include");
      const onAbort = () => {
        cancelFetch (id);
        reject (request.signal.reason);
      };
      request.signal.addEventListener ("abort", onAbort);
    });
  }

  /* ------------------------------------------------------------ XMLHttpRequest */

  const xhrHandlers = ["readystatechange", "loadstart", "progress", "abort", "error", "load", "timeout", "loadend"];

  class ProgressEvent extends Event {
    constructor (type, init = {}) {
      super (type, init);
      this.lengthComputable = !!init.lengthComputable;
      this.loaded = +init.loaded || 0;
      this.total = +init.total || 0;
    }
  }

  class XMLHttpRequestEventTarget extends EventTarget {}
  for (const name of xhrHandlers)
    Object.defineProperty (XMLHttpRequestEventTarget.prototype, "on" + name, {
      get () { const h = handlers.get (this); return (h && h[name]) || null; },
      set (fn) {
        let h = handlers.get (this);
        if (!h)
          handlers.set (this, h = {});
        h[name] = typeof fn === "function" ? fn : null;
      },
      configurable: true,
    });

  /* XMLHttpRequest Standard, asynchronous requests only: a synchronous one
   * (open(..., false)) throws InvalidAccessError, as in a window's unload. */
  class XMLHttpRequest extends XMLHttpRequestEventTarget {
    #method = "GET"; #url = null; #headers = new Headers (); #state = 0; #sent = false;
    #id = 0; #response = null; #timer = 0;
    constructor () {
      super ();
      this.responseType = "";
      this.timeout = 0;
      this.withCredentials = false;
      this.upload = new XMLHttpRequestEventTarget ();
    }
    get readyState () { return this.#state; }
    #setState (s) {
      this.#state = s;
      this.#fire ("readystatechange");
    }
    #fire (type, loaded = 0) {
      const e = type === "readystatechange" ? new Event (type) : new ProgressEvent (type, { loaded, total: loaded,
                                                                                            lengthComputable: loaded > 0 });
      dispatch (this, e);
    }
    open (method, url, async = true) {
      method = String (method).toUpperCase ();
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test (method))
        throw new DOMException (`'${method}' is not a valid HTTP method.`, "SyntaxError");
      if (async === false)
        throw new DOMException ("Synchronous XMLHttpRequest is not supported.", "InvalidAccessError");
      this.#abortInFlight ();
      this.#method = method;
      this.#url = absolute (url);
      this.#headers = new Headers ();
      this.#response = null;
      this.#sent = false;
      this.#setState (1);
    }
    setRequestHeader (name, value) {
      if (this.#state !== 1 || this.#sent)
        throw new DOMException ("The object's state must be OPENED.", "InvalidStateError");
      this.#headers.append (name, value);
    }
    send (body = null) {
      if (this.#state !== 1 || this.#sent)
        throw new DOMException ("The object's state must be OPENED.", "InvalidStateError");
      let bytes = null, type = null;
      if (this.#method !== "GET" && this.#method !== "HEAD")
        [bytes, type] = extractBody (body);
      if (bytes && bytes.byteLength > 768 * 1024)
        throw new DOMException ("The request body is too large (at most 768 KiB).", "NetworkError");
      this.#sent = true;
      this.#fire ("loadstart");
      const method = this.#method === "HEAD" ? "GET" : this.#method;
      const headers = new Headers (this.#headers);
      if (type && !headers.has ("content-type"))
        headers.set ("content-type", type);
      this.#id = startFetch (method, this.#url, headers.get ("content-type"), bytes, (r) => this.#done (r),
                             headers, !!this.withCredentials);
      if (this.timeout > 0)
        this.#timer = global.setTimeout (() => {
          cancelFetch (this.#id);
          this.#finishWithError ("timeout");
        }, this.timeout);
    }
    #done (r) {
      global.clearTimeout (this.#timer);
      if (r.error) {
        this.#finishWithError ("error");
        return;
      }
      this.#response = r;
      this.#setState (2);
      this.#setState (3);
      this.#fire ("progress", r.bytes.byteLength);
      this.#sent = false;
      this.#setState (4);
      this.#fire ("load", r.bytes.byteLength);
      this.#fire ("loadend", r.bytes.byteLength);
    }
    #finishWithError (kind) {
      this.#response = null;
      this.#sent = false;
      this.#setState (4);
      this.#fire (kind);
      this.#fire ("loadend");
    }
    #abortInFlight () {
      if (this.#sent) {
        cancelFetch (this.#id);
        global.clearTimeout (this.#timer);
        this.#sent = false;
        return true;
      }
      return false;
    }
    abort () {
      if (this.#abortInFlight ()) {
        this.#setState (4);
        this.#fire ("abort");
        this.#fire ("loadend");
      }
      this.#state = 0;
    }
    get status () { return this.#response && this.#state >= 2 ? this.#response.status : 0; }
    get statusText () { return this.#response && this.#state >= 2 ? (statusTexts[this.#response.status] || "") : ""; }
    get responseURL () { return this.#response ? this.#response.url : ""; }
    getResponseHeader (name) {
      if (!this.#response || String (name).toLowerCase () !== "content-type" || !this.#response.contentType)
        return null;
      return this.#response.contentType;
    }
    getAllResponseHeaders () {
      return this.#response && this.#response.contentType ? `content-type: ${this.#response.contentType}\r\n` : "";
    }
    overrideMimeType () {}
    get responseText () {
      if (this.responseType !== "" && this.responseType !== "text")
        throw new DOMException ("responseText is only for the types '' and 'text'.", "InvalidStateError");
      if (!this.#response || this.#state < 3 || this.#method === "HEAD")
        return "";
      return bh.utf8Decode (this.#response.bytes);
    }
    get response () {
      if (this.responseType === "" || this.responseType === "text")
        return this.responseText;
      if (!this.#response || this.#state !== 4)
        return null;
      const b = this.#response.bytes;
      if (this.responseType === "arraybuffer")
        return b.buffer.slice (b.byteOffset, b.byteOffset + b.byteLength);
      if (this.responseType === "json") {
        try {
          return JSONparse (bh.utf8Decode (b));
        } catch (e) {
          return null;
        }
      }
      return null;
    }
    get responseXML () { return null; }
  }
  define (XMLHttpRequest, { UNSENT: 0, OPENED: 1, HEADERS_RECEIVED: 2, LOADING: 3, DONE: 4 });

  /* ------------------------------------------------------------ Web Storage */

  /* HTML §12.2: localStorage and sessionStorage over the renderer's copy of the
   * areas (renderer/bh-renderer-storage.c), which the browser keeps. Items are
   * also named properties (localStorage.x = 1), as in every browser. */
  class Storage {
    constructor () { throw new TypeError ("Illegal constructor"); }
  }
  const storageSession = new WeakMap (); /* target -> session? */
  const storageMethods = {
    getItem (key) { return bh.storage (1, storageSession.get (this), String (key)); },
    setItem (key, value) {
      if (!bh.storage (2, storageSession.get (this), String (key), String (value)))
        throw new DOMException ("The quota has been exceeded.", "QuotaExceededError");
    },
    removeItem (key) { bh.storage (3, storageSession.get (this), String (key)); },
    clear () { bh.storage (4, storageSession.get (this)); },
    key (n) {
      const keys = bh.storage (5, storageSession.get (this));
      n = Math.trunc (+n || 0);
      return n >= 0 && n < keys.length ? keys[n] : null;
    },
  };
  define (Storage.prototype, storageMethods);
  Object.defineProperty (Storage.prototype, "length", {
    get () { return bh.storage (5, storageSession.get (this)).length; }, configurable: true,
  });

  function makeStorage (session) {
    const target = Object.create (Storage.prototype);
    storageSession.set (target, session);
    const isOwn = (p) => typeof p === "string" && !(p in Storage.prototype);
    const proxy = new Proxy (target, {
      get (t, p) {
        if (!isOwn (p))
          return Reflect.get (t, p, t);
        const v = bh.storage (1, session, p);
        return v === null ? undefined : v;
      },
      set (t, p, v) {
        if (typeof p !== "string")
          return Reflect.set (t, p, v);
        storageMethods.setItem.call (t, p, v);
        return true;
      },
      has (t, p) { return isOwn (p) ? bh.storage (1, session, p) !== null : Reflect.has (t, p); },
      deleteProperty (t, p) {
        if (typeof p === "string")
          bh.storage (3, session, p);
        return true;
      },
      ownKeys () { return bh.storage (5, session); },
      getOwnPropertyDescriptor (t, p) {
        const v = isOwn (p) ? bh.storage (1, session, p) : null;
        return v === null ? undefined : { value: v, writable: true, enumerable: true, configurable: true };
      },
      defineProperty (t, p, d) {
        if (typeof p === "string" && "value" in d)
          storageMethods.setItem.call (t, p, d.value);
        return true;
      },
    });
    /* Methods are called on the proxy: it names its area too. */
    storageSession.set (proxy, session);
    return proxy;
  }

  class StorageEvent extends Event {
    constructor (type, init = {}) {
      super (type, init);
      this.key = init.key === undefined ? null : init.key;
      this.oldValue = init.oldValue === undefined ? null : init.oldValue;
      this.newValue = init.newValue === undefined ? null : init.newValue;
      this.url = init.url === undefined ? "" : String (init.url);
      this.storageArea = init.storageArea === undefined ? null : init.storageArea;
    }
  }

  /* Another document of the origin changed localStorage (the renderer broadcasts it). */
  hooks.storageEvent = function (key, oldValue, newValue, url) {
    const e = new StorageEvent ("storage", { key, oldValue, newValue, url, storageArea: global.localStorage });
    e.isTrusted = true;
    dispatch (global, e);
  };

  const storages = {};
  for (const [name, session] of [["localStorage", false], ["sessionStorage", true]])
    Object.defineProperty (global, name, {
      get () {
        if (!bh.storage (0, session))
          throw new DOMException (`Failed to read the '${name}' property from 'Window': access is denied for this document.`,
                                  "SecurityError");
        return storages[name] || (storages[name] = makeStorage (session));
      },
      configurable: true, enumerable: true,
    });

  define (global, { fetch, Headers, Request, Response, XMLHttpRequest, XMLHttpRequestEventTarget, ProgressEvent,
                    TextEncoder, TextDecoder, AbortController, AbortSignal, Storage, StorageEvent });

})
