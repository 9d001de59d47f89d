/* bh-script-observers.js: MutationObserver, the part of the realm's prelude
 * between the DOM (bh-script-dom.js) and the window (bh-script-window.js):
 * embed-js.py joins the three into one function expression, so this shares
 * their scope and wraps `bh`, the natives, for the rest.
 */
  /* ------------------------------------------------------------ mutation observers */

  /* DOM section 4.3, MutationObserver, for the mutations script makes: the
   * natives that change the tree are wrapped here, before any script runs (the
   * DOM's methods look `bh` up when called), so that every change through the
   * DOM's API queues its records. Changes the
   * parser or the user's typing make are not reported. Records are delivered
   * in a microtask, as the spec's "queue a mutation observer microtask". */
  const natives = bh;
  /* observer -> { observer, callback, list: [{ node, options }], records: [] } */
  const observerEntries = new WeakMap ();
  const observing = new Set ();   /* the entries observing a node: nothing costs more while empty */
  const pending = new Set ();     /* the entries with records to deliver */

  function deliver () {
    const entries = [...pending];
    pending.clear ();
    for (const entry of entries) {
      const records = entry.records.splice (0);
      if (records.length === 0)
        continue;
      try {
        entry.callback.call (entry.observer, records, entry.observer);
      } catch (e) {
        reportError (e);
      }
    }
  }

  function wants (options, type, name) {
    if (type === "childList")
      return options.childList;
    if (type === "characterData")
      return options.characterData;
    return options.attributes && (!options.attributeFilter || options.attributeFilter.includes (name));
  }

  /* One mutation of @target: a record for each observer watching it (or an
   * ancestor, with subtree), once per observer. */
  function notify (type, target, fields) {
    for (const entry of observing) {
      let found = null;
      for (let n = target; n !== null && found === null; n = natives.parent (n))
        for (const r of entry.list)
          if (r.node === n && (n === target || r.options.subtree) && wants (r.options, type, fields.attributeName))
            found = r.options;
      if (found === null)
        continue;
      const oldValue = (type === "attributes" && found.attributeOldValue) ||
                       (type === "characterData" && found.characterDataOldValue) ? fields.oldValue : null;
      entry.records.push ({
        type, target, addedNodes: nodeList (fields.addedNodes || []), removedNodes: nodeList (fields.removedNodes || []),
        previousSibling: fields.previousSibling || null, nextSibling: fields.nextSibling || null,
        attributeName: fields.attributeName || null, attributeNamespace: null, oldValue,
      });
      if (pending.size === 0)
        Promise.resolve ().then (deliver);
      pending.add (entry);
    }
  }

  function childrenChanged (parent, change) {
    if (observing.size === 0)
      return change ();
    const removed = natives.children (parent);
    const status = change ();
    if (!status)
      notify ("childList", parent, { removedNodes: removed, addedNodes: natives.children (parent) });
    return status;
  }

  bh = Object.create (natives);
  bh.insert = function (parent, child, reference) {
    if (observing.size === 0)
      return natives.insert (parent, child, reference);
    const fragment = natives.type (child) === FRAGMENT;
    const added = fragment ? natives.children (child) : [child];
    const oldParent = fragment ? null : natives.parent (child);
    const oldPrevious = oldParent ? natives.sibling (child, -1) : null;
    const oldNext = oldParent ? natives.sibling (child, 1) : null;
    const status = natives.insert (parent, child, reference);
    if (status)
      return status;
    if (oldParent)
      notify ("childList", oldParent, { removedNodes: [child], previousSibling: oldPrevious, nextSibling: oldNext });
    if (added.length > 0)
      notify ("childList", parent, { addedNodes: added, previousSibling: natives.sibling (added[0], -1),
                                     nextSibling: natives.sibling (added[added.length - 1], 1) });
    return status;
  };
  bh.remove = function (child) {
    const parent = observing.size ? natives.parent (child) : null;
    if (parent === null)
      return natives.remove (child);
    const previousSibling = natives.sibling (child, -1), nextSibling = natives.sibling (child, 1);
    natives.remove (child);
    notify ("childList", parent, { removedNodes: [child], previousSibling, nextSibling });
  };
  bh.setText = function (node, text) {
    const type = natives.type (node);
    if (observing.size === 0 || type === TEXT || type === COMMENT) {
      const oldValue = observing.size ? natives.data (node) : null;
      const status = natives.setText (node, text);
      if (observing.size && (type === TEXT || type === COMMENT))
        notify ("characterData", node, { oldValue });
      return status;
    }
    return childrenChanged (node, () => natives.setText (node, text));
  };
  bh.setData = function (node, data) {
    const oldValue = observing.size ? natives.data (node) : null;
    natives.setData (node, data);
    if (observing.size)
      notify ("characterData", node, { oldValue });
  };
  bh.setHtml = (node, html) => childrenChanged (node, () => natives.setHtml (node, html));
  bh.setAttr = function (element, name, value) {
    const oldValue = observing.size ? natives.attr (element, name) : null;
    const status = natives.setAttr (element, name, value);
    if (observing.size)
      notify ("attributes", element, { attributeName: String (name).toLowerCase (), oldValue });
    return status;
  };
  bh.removeAttr = function (element, name) {
    const oldValue = observing.size ? natives.attr (element, name) : null;
    const status = natives.removeAttr (element, name);
    if (observing.size && oldValue !== null)
      notify ("attributes", element, { attributeName: String (name).toLowerCase (), oldValue });
    return status;
  };

  class MutationObserver {
    constructor (callback) {
      if (typeof callback !== "function")
        throw new TypeError ("MutationObserver: the callback is not a function");
      /* Nothing observed yet: out of the walk until observe(). */
      observerEntries.set (this, { observer: this, callback, list: [], records: [] });
    }
    observe (target, options = {}) {
      if (!isNode (target))
        throw new TypeError ("MutationObserver.observe: the target is not a node");
      const o = {
        childList: !!options.childList, subtree: !!options.subtree,
        attributes: options.attributes !== undefined ? !!options.attributes
                                                     : options.attributeOldValue !== undefined || options.attributeFilter !== undefined,
        characterData: options.characterData !== undefined ? !!options.characterData : options.characterDataOldValue !== undefined,
        attributeOldValue: !!options.attributeOldValue, characterDataOldValue: !!options.characterDataOldValue,
        attributeFilter: options.attributeFilter !== undefined ? [...options.attributeFilter].map ((n) => String (n).toLowerCase ()) : null,
      };
      if (!o.childList && !o.attributes && !o.characterData)
        throw new TypeError ("MutationObserver.observe: one of childList, attributes and characterData must be true");
      if ((o.attributeOldValue || o.attributeFilter) && !o.attributes)
        throw new TypeError ("MutationObserver.observe: attributeOldValue and attributeFilter need attributes");
      if (o.characterDataOldValue && !o.characterData)
        throw new TypeError ("MutationObserver.observe: characterDataOldValue needs characterData");
      const entry = observerEntries.get (this);
      if (entry === undefined)
        throw new TypeError ("Illegal invocation");
      observing.add (entry);
      const existing = entry.list.find ((r) => r.node === target);
      if (existing)
        existing.options = o;
      else
        entry.list.push ({ node: target, options: o });
    }
    disconnect () {
      const entry = observerEntries.get (this);
      if (entry) {
        entry.list = [];
        entry.records = [];
        observing.delete (entry);
        pending.delete (entry);
      }
    }
    takeRecords () {
      const entry = observerEntries.get (this);
      return entry ? entry.records.splice (0) : [];
    }
  }
