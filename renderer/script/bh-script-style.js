/* bh-script-style.js: the inline style (CSSStyleDeclaration over style=""),
 * getComputedStyle() and CSSOM View's geometry (offset*, client*), in the
 * realm's prelude after bh-script-dom.js, in the same function scope. The
 * computed values are the engine's (bh-document-computed.c). */

  /* The style attribute as a CSSStyleDeclaration. */
  function kebab (name) {
    if (name === "cssFloat")
      return "float";
    if (name.startsWith ("--"))
      return name;
    return name.replace (/[A-Z]/g, (c) => "-" + c.toLowerCase ()).replace (/^(webkit|moz|ms)-/, "-$1-");
  }

  function parseDeclarations (text) {
    const map = new Map ();
    for (const part of (text || "").split (";")) {
      const colon = part.indexOf (":");
      if (colon < 0)
        continue;
      const name = part.slice (0, colon).trim ().toLowerCase ();
      const value = part.slice (colon + 1).trim ();
      if (name)
        map.set (name, value);
    }
    return map;
  }

  function serializeDeclarations (map) {
    return [...map].map (([k, v]) => `${k}: ${v};`).join (" ");
  }

  const styleMethods = {
    getPropertyValue (name) { return parseDeclarations (bh.attr (this, "style")).get (String (name).toLowerCase ()) || ""; },
    getPropertyPriority () { return ""; },
    setProperty (name, value) {
      const map = parseDeclarations (bh.attr (this, "style"));
      name = String (name).toLowerCase ();
      if (value === null || value === undefined || String (value) === "")
        map.delete (name);
      else
        map.set (name, String (value));
      bh.setAttr (this, "style", serializeDeclarations (map));
    },
    removeProperty (name) {
      const old = styleMethods.getPropertyValue.call (this, name);
      styleMethods.setProperty.call (this, name, "");
      return old;
    },
  };

  class CSSStyleDeclaration {}
  const styleProxies = new WeakMap ();

  function styleFor (element) {
    let proxy = styleProxies.get (element);
    if (proxy)
      return proxy;
    proxy = new Proxy (Object.create (CSSStyleDeclaration.prototype), {
      get (target, prop) {
        if (typeof prop !== "string")
          return undefined;
        if (prop in styleMethods)
          return (...args) => styleMethods[prop].apply (element, args);
        if (prop === "cssText")
          return bh.attr (element, "style") || "";
        if (prop === "length")
          return parseDeclarations (bh.attr (element, "style")).size;
        if (/^\d+$/.test (prop))
          return [...parseDeclarations (bh.attr (element, "style")).keys ()][+prop] || "";
        if (prop === "parentRule")
          return null;
        return styleMethods.getPropertyValue.call (element, kebab (prop));
      },
      set (target, prop, value) {
        if (typeof prop !== "string")
          return true;
        if (prop === "cssText")
          bh.setAttr (element, "style", String (value));
        else
          styleMethods.setProperty.call (element, kebab (prop), value);
        return true;
      },
      has (target, prop) { return typeof prop === "string"; },
    });
    styleProxies.set (element, proxy);
    return proxy;
  }

  const blockTags = new Set (["html", "body", "div", "p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                              "form", "table", "section", "article", "header", "footer", "nav", "main", "aside",
                              "pre", "blockquote", "dl", "dt", "dd", "fieldset", "figure", "hr", "address"]);
  const hiddenTags = new Set (["head", "script", "style", "title", "meta", "link", "template", "noscript"]);

  /* CSSOM getComputedStyle(): the engine's cascade and layout
   * (bh-document-computed.c) for the properties it computes, for an element
   * laid out; otherwise (display: none, detached, a property the engine does
   * not know) the inline declaration or the initial value. Read-only. */
  const computedNames = ["display", "position", "float", "clear", "overflow", "color", "background-color",
                         "font-size", "font-weight", "font-style", "font-family", "line-height", "text-align",
                         "white-space", "vertical-align", "visibility", "opacity", "width", "height", "box-sizing",
                         "margin-top", "margin-right", "margin-bottom", "margin-left", "padding-top",
                         "padding-right", "padding-bottom", "padding-left", "border-top-width",
                         "border-right-width", "border-bottom-width", "border-left-width", "z-index",
                         "flex-direction", "justify-content", "align-items", "top", "right", "bottom", "left"];
  function getComputedStyle (element, pseudo) {
    nodeArg (element);
    const inline = styleFor (element);
    const getPropertyValue = (name) => computed (String (name).toLowerCase ());
    return new Proxy (Object.create (CSSStyleDeclaration.prototype), {
      get (target, prop) {
        if (prop === "getPropertyValue")
          return getPropertyValue;
        if (prop === "getPropertyPriority")
          return () => "";
        if (prop === "setProperty" || prop === "removeProperty")
          return () => { throw new DOMException ("The declaration is read-only.", "NoModificationAllowedError"); };
        if (typeof prop !== "string")
          return undefined;
        if (prop === "length")
          return computedNames.length;
        if (/^\d+$/.test (prop))
          return computedNames[+prop] || "";
        if (prop === "cssText")
          return "";
        return computed (kebab (prop));
      },
      set () { return true; },
    });
    function computed (name) {
      if (pseudo === undefined || pseudo === null || pseudo === "") {
        const resolved = bh.computedStyle (element, name);
        if (resolved !== null)
          return resolved;
      }
      const v = inline.getPropertyValue (name);
      if (v)
        return v;
      if (name === "display") {
        if (bh.type (element) !== ELEMENT)
          return "";
        const tag = bh.name (element);
        if (element.hasAttribute ("hidden") || hiddenTags.has (tag))
          return "none";
        /* No box of its own inside a parent that has one: display: none (an empty
         * inline element has no box either, hence the content test). */
        const parent = bh.parent (element);
        if (!bh.rect (element) && parent && bh.type (parent) === ELEMENT && bh.rect (parent) &&
            (blockTags.has (tag) || bh.text (element).trim () !== ""))
          return "none";
        return blockTags.has (tag) ? (tag === "li" ? "list-item" : tag === "table" ? "table" : "block") : "inline";
      }
      if (name === "visibility")
        return "visible";
      if (name === "position")
        return "static";
      if (name === "opacity")
        return "1";
      return "";
    }
  }

  /* CSSOM View's offset* and client*: the layout's border boxes. The
   * offsetParent is the nearest positioned ancestor (or td, th, table), else
   * the body, whose offsets are the document's. */
  function offsetParentOf (element) {
    if (!bh.rect (element) || bh.computedStyle (element, "position") === "fixed")
      return null;
    for (let p = bh.parent (element); p && bh.type (p) === ELEMENT; p = bh.parent (p)) {
      const tag = bh.name (p);
      if (tag === "body")
        return p;
      const position = bh.computedStyle (p, "position");
      if ((position && position !== "static") || ((tag === "td" || tag === "th" || tag === "table") &&
                                                  position === "static"))
        return p;
    }
    return null;
  }
  function offsetOf (element, i) {
    const r = bh.rect (element);
    if (!r)
      return 0;
    const parent = offsetParentOf (element);
    if (!parent || bh.name (parent) === "body")
      return Math.round (r[i]);
    const pr = bh.rect (parent);
    const border = parseFloat (bh.computedStyle (parent, i === 0 ? "border-left-width" : "border-top-width")) || 0;
    return pr ? Math.round (r[i] - pr[i] - border) : Math.round (r[i]);
  }
  /* The padding box: the border box less the borders (no scroll bars here). */
  function clientSize (element, i) {
    if (element === document.documentElement)
      return bh.viewport ()[i];
    const r = bh.rect (element);
    if (!r || bh.computedStyle (element, "display") === "inline")
      return 0;
    const sides = i === 0 ? ["border-left-width", "border-right-width"] : ["border-top-width", "border-bottom-width"];
    const borders = sides.reduce ((sum, side) => sum + (parseFloat (bh.computedStyle (element, side)) || 0), 0);
    return Math.max (0, Math.round (r[2 + i] - borders));
  }

