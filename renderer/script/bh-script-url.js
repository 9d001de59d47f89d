/* bh-script-url.js: URL and URLSearchParams (WHATWG URL Standard §6), in the
 * realm's prelude after bh-script-window.js, in the same function scope.
 *
 * Parsing is the native parseURL (GLib's GUri under the URL Standard's rules
 * where they differ, bh-script.cpp); the rest is here: the components, the
 * setters (each rebuilds the URL and parses it again, and is ignored when the
 * result is no URL, as the standard's setters are) and the query as
 * application/x-www-form-urlencoded pairs. */

  /* ------------------------------------------------------------ URLSearchParams */

  const specialPorts = { "http:": 80, "https:": 443, "ws:": 80, "wss:": 443, "ftp:": 21, "file:": -1 };

  function wellFormed (s) {
    return String (s).replace (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  }

  /* The urlencoded serializer (URL Standard §5.2): * - . _ and alphanumerics
   * stay, a space is +, every other byte of the UTF-8 is %XX. */
  function formEncode (s) {
    return encodeURIComponent (wellFormed (s)).replace (/%20/g, "+")
      .replace (/[!'()~]/g, (c) => "%" + c.charCodeAt (0).toString (16).toUpperCase ());
  }

  /* Percent-decoding that never throws: bytes that are no UTF-8 become U+FFFD. */
  function percentDecode (s) {
    const bytes = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt (i);
      if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test (s.substr (i + 1, 2))) {
        bytes.push (parseInt (s.substr (i + 1, 2), 16));
        i += 2;
      } else if (c < 0x80) {
        bytes.push (c);
      } else {
        const cp = s.codePointAt (i);
        if (cp > 0xffff)
          i++;
        const utf8 = unescape (encodeURIComponent (String.fromCodePoint (cp)));
        for (let k = 0; k < utf8.length; k++)
          bytes.push (utf8.charCodeAt (k));
      }
    }
    let out = "";
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i];
      const n = b < 0x80 ? 1 : (b >> 5) === 6 ? 2 : (b >> 4) === 14 ? 3 : (b >> 3) === 30 ? 4 : 0;
      if (n === 0 || i + n > bytes.length) {
        out += n === 1 ? String.fromCharCode (b) : "\ufffd";
        i++;
        continue;
      }
      try {
        out += decodeURIComponent (bytes.slice (i, i + n).map ((x) => "%" + x.toString (16).padStart (2, "0")).join (""));
        i += n;
      } catch (e) {
        out += "\ufffd";
        i++;
      }
    }
    return out;
  }

  function parseQuery (query) {
    const list = [];
    for (const part of query.split ("&")) {
      if (part === "")
        continue;
      const eq = part.indexOf ("=");
      const name = eq < 0 ? part : part.slice (0, eq);
      const value = eq < 0 ? "" : part.slice (eq + 1);
      list.push ([percentDecode (name.replace (/\+/g, " ")), percentDecode (value.replace (/\+/g, " "))]);
    }
    return list;
  }

  const paramsOwner = new WeakMap (); /* URLSearchParams -> URL whose query it is */

  class URLSearchParams {
    #list = [];
    constructor (init = "") {
      if (init instanceof URLSearchParams) {
        this.#list = [...init].map (([k, v]) => [k, v]);
      } else if (init !== null && typeof init === "object" && typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const p = [...pair];
          if (p.length !== 2)
            throw new TypeError ("URLSearchParams: each pair must have exactly two items");
          this.#list.push ([wellFormed (p[0]), wellFormed (p[1])]);
        }
      } else if (init !== null && typeof init === "object") {
        for (const k of ObjectKeys (init))
          this.#list.push ([wellFormed (k), wellFormed (init[k])]);
      } else {
        const s = wellFormed (init);
        this.#list = parseQuery (s.startsWith ("?") ? s.slice (1) : s);
      }
    }
    #update () {
      const url = paramsOwner.get (this);
      if (url)
        url._setQueryFromParams (this.toString ());
    }
    _replace (query) { this.#list = parseQuery (query); }
    get size () { return this.#list.length; }
    append (name, value) { this.#list.push ([wellFormed (name), wellFormed (value)]); this.#update (); }
    delete (name, value) {
      name = wellFormed (name);
      this.#list = this.#list.filter (([k, v]) => k !== name || (value !== undefined && v !== wellFormed (value)));
      this.#update ();
    }
    get (name) { name = wellFormed (name); const p = this.#list.find (([k]) => k === name); return p ? p[1] : null; }
    getAll (name) { name = wellFormed (name); return this.#list.filter (([k]) => k === name).map (([, v]) => v); }
    has (name, value) {
      name = wellFormed (name);
      return this.#list.some (([k, v]) => k === name && (value === undefined || v === wellFormed (value)));
    }
    set (name, value) {
      name = wellFormed (name);
      value = wellFormed (value);
      const i = this.#list.findIndex (([k]) => k === name);
      if (i < 0)
        this.#list.push ([name, value]);
      else
        this.#list = this.#list.filter (([k], j) => k !== name || j === i).map ((p, j) => (p[0] === name ? [name, value] : p));
      this.#update ();
    }
    sort () {
      /* By code units, stable (Array.prototype.sort is). */
      this.#list.sort (([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.#update ();
    }
    forEach (fn, thisArg) {
      for (const [k, v] of this.#list.slice ())
        fn.call (thisArg, v, k, this);
    }
    *entries () { for (const [k, v] of this.#list.slice ()) yield [k, v]; }
    *keys () { for (const [k] of this.#list.slice ()) yield k; }
    *values () { for (const [, v] of this.#list.slice ()) yield v; }
    [Symbol.iterator] () { return this.entries (); }
    toString () { return this.#list.map (([k, v]) => formEncode (k) + "=" + formEncode (v)).join ("&"); }
  }

  /* ------------------------------------------------------------ URL */

  class URL {
    #scheme; #username; #password; #host; #port; #path; #query; #fragment; #params;

    constructor (url, base) {
      if (arguments.length === 0)
        throw new TypeError ("URL constructor: at least 1 argument required");
      if (!this.#parse (wellFormed (url), base === undefined ? null : wellFormed (base instanceof URL ? base.href : base)))
        throw new TypeError (`URL constructor: ${url} is not a valid URL.`);
      this.#params = new URLSearchParams (this.#query || "");
      paramsOwner.set (this.#params, this);
    }

    static canParse (url, base) {
      try {
        new URL (url, base);
        return true;
      } catch (e) {
        return false;
      }
    }

    #parse (input, base) {
      const p = bh.parseURL (input, base);
      if (p === null)
        return false;
      [this.#scheme, this.#username, this.#password, this.#host, this.#port, this.#path, this.#query, this.#fragment] = p;
      if (this.#port === specialPorts[this.#scheme + ":"])
        this.#port = -1;
      if (this.#path === "" && this.#host !== null && (this.#scheme + ":") in specialPorts)
        this.#path = "/";
      if (this.#params)
        this.#params._replace (this.#query || "");
      return true;
    }

    /* A setter's change: the URL rebuilt with @parts and parsed again, or left. */
    #reparse (parts) {
      const u = Object.assign (this.#parts (), parts);
      const auth = u.host === null ? "" :
        "//" + (u.username || u.password ? u.username + (u.password ? ":" + u.password : "") + "@" : "") +
        u.host + (u.port >= 0 ? ":" + u.port : "");
      const href = u.scheme + ":" + auth + u.path + (u.query !== null ? "?" + u.query : "") +
                   (u.fragment !== null ? "#" + u.fragment : "");
      this.#parse (href, null);
    }
    #parts () {
      return { scheme: this.#scheme, username: this.#username, password: this.#password, host: this.#host,
               port: this.#port, path: this.#path, query: this.#query, fragment: this.#fragment };
    }
    _setQueryFromParams (query) {
      this.#query = query === "" ? null : query;
    }

    get href () {
      const auth = this.#host === null ? "" :
        "//" + (this.#username || this.#password ? this.#username + (this.#password ? ":" + this.#password : "") + "@" : "") +
        this.#host + (this.#port >= 0 ? ":" + this.#port : "");
      return this.#scheme + ":" + auth + this.#path + (this.#query !== null ? "?" + this.#query : "") +
             (this.#fragment !== null ? "#" + this.#fragment : "");
    }
    set href (v) {
      if (!this.#parse (wellFormed (v), null))
        throw new TypeError (`${v} is not a valid URL.`);
    }
    get origin () {
      if ((this.#scheme + ":") in specialPorts && this.#scheme !== "file" && this.#host !== null)
        return this.#scheme + "://" + this.#host + (this.#port >= 0 ? ":" + this.#port : "");
      if (this.#scheme === "blob") {
        try {
          return new URL (this.#path).origin;
        } catch (e) {}
      }
      return "null";
    }
    get protocol () { return this.#scheme + ":"; }
    set protocol (v) {
      const scheme = String (v).replace (/:.*$/, "").toLowerCase ();
      if (/^[a-z][a-z0-9+.-]*$/.test (scheme) && ((scheme + ":") in specialPorts) === ((this.#scheme + ":") in specialPorts))
        this.#reparse ({ scheme });
    }
    get username () { return this.#username; }
    set username (v) { if (this.#host) this.#reparse ({ username: encodeURIComponent (wellFormed (v)) }); }
    get password () { return this.#password; }
    set password (v) { if (this.#host) this.#reparse ({ password: encodeURIComponent (wellFormed (v)) }); }
    get host () { return this.#host === null ? "" : this.#host + (this.#port >= 0 ? ":" + this.#port : ""); }
    set host (v) {
      const m = /^([^:\/?#]*)(?::(\d*))?/.exec (String (v));
      if (m && m[1])
        this.#reparse ({ host: m[1], port: m[2] ? +m[2] : this.#port });
    }
    get hostname () { return this.#host === null ? "" : this.#host; }
    set hostname (v) {
      const m = /^[^:\/?#]*/.exec (String (v));
      if (m[0])
        this.#reparse ({ host: m[0] });
    }
    get port () { return this.#port >= 0 ? String (this.#port) : ""; }
    set port (v) {
      const s = String (v);
      if (s === "")
        this.#reparse ({ port: -1 });
      else if (/^\d+/.test (s) && +/^\d+/.exec (s)[0] <= 65535)
        this.#reparse ({ port: +/^\d+/.exec (s)[0] });
    }
    get pathname () { return this.#path; }
    set pathname (v) {
      if (this.#host === null && !this.#path.startsWith ("/"))
        return;
      const s = String (v);
      this.#reparse ({ path: (s.startsWith ("/") ? "" : "/") + s });
    }
    get search () { return this.#query ? "?" + this.#query : ""; }
    set search (v) {
      const s = String (v);
      this.#reparse ({ query: s === "" ? null : (s.startsWith ("?") ? s.slice (1) : s) });
    }
    get searchParams () { return this.#params; }
    get hash () { return this.#fragment ? "#" + this.#fragment : ""; }
    set hash (v) {
      const s = String (v);
      this.#reparse ({ fragment: s === "" ? null : (s.startsWith ("#") ? s.slice (1) : s) });
    }
    toString () { return this.href; }
    toJSON () { return this.href; }
  }

  define (global, { URL, URLSearchParams, webkitURL: URL });
