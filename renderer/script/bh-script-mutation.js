/* bh-script-mutation.js: MutationObserver (DOM Standard §4.3), in the realm's
 * prelude after bh-script-dom.js and in the same function scope.
 *
 * Every change a script makes to the tree goes through a few natives (insert,
 * remove, setAttr, removeAttr, setText, setData, setHtml): they are wrapped
 * here so that each queues its mutation records ("queue a mutation record",
 * §4.3.2) for the observers interested, then one mutation observer microtask
 * ("queue a mutation observer microtask") delivers them all after the task,
 * in the order the observers were made ("notify mutation observers"). While
 * no observer exists the wrappers cost one comparison. */

  /* ------------------------------------------------------------ MutationObserver */

  const registrations = new WeakMap (); /* node -> [{observer, options, source}] (source: transient) */
  const observers = [];                 /* live observers, in creation order (§4.3: the agent's list) */
  let observerCount = 0;                /* registrations ever made and not yet dropped: the fast path */
  let notifyQueued = false;

  class MutationRecord {
    constructor (type, target) {
      this.type = type;
      this.target = target;
      this.addedNodes = nodeList ([]);
      this.removedNodes = nodeList ([]);
      this.previousSibling = null;
      this.nextSibling = null;
      this.attributeName = null;
      this.attributeNamespace = null;
      this.oldValue = null;
    }
  }

  class MutationObserver {
    constructor (callback) {
      if (typeof callback !== "function")
        throw new TypeError ("MutationObserver: the callback is not a function");
      this._callback = callback;
      this._records = [];
      this._nodes = [];   /* nodes this observer is registered on */
      observers.push (this);
    }

    /* §4.3.1 observe(target, options) */
    observe (target, options) {
      nodeArg (target);
      const o = Object.assign ({}, options || {});
      if ((o.attributeOldValue !== undefined || o.attributeFilter !== undefined) && o.attributes === undefined)
        o.attributes = true;
      if (o.characterDataOldValue !== undefined && o.characterData === undefined)
        o.characterData = true;
      if (!o.childList && !o.attributes && !o.characterData)
        throw new TypeError ("The options must set at least one of 'childList', 'attributes' and 'characterData' to true.");
      if (o.attributeOldValue && !o.attributes)
        throw new TypeError ("'attributeOldValue' may not be true when 'attributes' is false.");
      if (o.attributeFilter !== undefined && !o.attributes)
        throw new TypeError ("'attributeFilter' may not be present when 'attributes' is false.");
      if (o.characterDataOldValue && !o.characterData)
        throw new TypeError ("'characterDataOldValue' may not be true when 'characterData' is false.");
      const flat = {
        childList: !!o.childList, attributes: !!o.attributes, characterData: !!o.characterData, subtree: !!o.subtree,
        attributeOldValue: !!o.attributeOldValue, characterDataOldValue: !!o.characterDataOldValue,
        attributeFilter: o.attributeFilter === undefined ? null : Array.from (o.attributeFilter, String),
      };
      let list = registrations.get (target);
      if (!list)
        registrations.set (target, list = []);
      const existing = list.find ((r) => r.observer === this && !r.source);
      if (existing) {
        /* Observing a node again replaces the options and drops the transient
         * registrations that came from it. */
        for (const n of this._nodes) {
          const l = registrations.get (n);
          if (l)
            for (let i = l.length - 1; i >= 0; i--)
              if (l[i].source === existing) {
                l.splice (i, 1);
                observerCount--;
              }
        }
        existing.options = flat;
        return;
      }
      list.push ({ observer: this, options: flat, source: null });
      observerCount++;
      if (!observers.includes (this))
        observers.push (this);
      this._nodes.push (target);
    }

    disconnect () {
      const i = observers.indexOf (this);
      if (i >= 0)
        observers.splice (i, 1);
      for (const n of this._nodes) {
        const list = registrations.get (n);
        if (!list)
          continue;
        for (let i = list.length - 1; i >= 0; i--)
          if (list[i].observer === this) {
            list.splice (i, 1);
            observerCount--;
          }
      }
      this._nodes = [];
      this._records = [];
    }

    takeRecords () {
      const records = this._records;
      this._records = [];
      return records;
    }
  }

  /* §4.3.3 "notify mutation observers", as a microtask. */
  function notifyObservers () {
    notifyQueued = false;
    for (const mo of observers.slice ()) {
      /* Transient registrations end at delivery. */
      for (const n of mo._nodes.slice ()) {
        const list = registrations.get (n);
        if (!list)
          continue;
        for (let i = list.length - 1; i >= 0; i--)
          if (list[i].observer === mo && list[i].source) {
            list.splice (i, 1);
            observerCount--;
          }
      }
      mo._nodes = mo._nodes.filter ((n) => (registrations.get (n) || []).some ((r) => r.observer === mo));
      const records = mo.takeRecords ();
      if (records.length === 0)
        continue;
      try {
        mo._callback.call (mo, records, mo);
      } catch (e) {
        reportError (e);
      }
    }
  }

  /* §4.3.2 "queue a mutation record" of @type for @target; @fill sets the
   * record's other members. */
  function queueRecord (type, target, name, oldValue, fill) {
    const interested = new Map (); /* observer -> old value to record, or undefined */
    for (let node = target; node; node = bh.parent (node)) {
      const list = registrations.get (node);
      if (!list)
        continue;
      for (const r of list) {
        const o = r.options;
        if (node !== target && !o.subtree)
          continue;
        if (type === "attributes" && (!o.attributes || (o.attributeFilter && !o.attributeFilter.includes (name))))
          continue;
        if (type === "characterData" && !o.characterData)
          continue;
        if (type === "childList" && !o.childList)
          continue;
        const wantsOld = (type === "attributes" && o.attributeOldValue) ||
                         (type === "characterData" && o.characterDataOldValue);
        if (!interested.has (r.observer) || wantsOld)
          interested.set (r.observer, wantsOld ? oldValue : interested.get (r.observer));
      }
    }
    if (interested.size === 0)
      return;
    for (const [mo, old] of interested) {
      const record = new MutationRecord (type, target);
      if (name !== null)
        record.attributeName = name;
      record.oldValue = old === undefined ? null : old;
      if (fill)
        fill (record);
      mo._records.push (record);
    }
    if (!notifyQueued) {
      notifyQueued = true;
      Promise.resolve ().then (notifyObservers);
    }
  }

  function queueTreeRecord (target, added, removed, previous, next) {
    if (added.length === 0 && removed.length === 0)
      return;
    queueRecord ("childList", target, null, null, (r) => {
      r.addedNodes = nodeList (added);
      r.removedNodes = nodeList (removed);
      r.previousSibling = previous;
      r.nextSibling = next;
    });
  }

  /* A node leaves its parent: subtree observers of the parent's ancestors keep
   * watching it until the next delivery (§4.2.3 "remove", step 13). */
  function addTransientObservers (parent, node) {
    for (let a = parent; a; a = bh.parent (a)) {
      const list = registrations.get (a);
      if (!list)
        continue;
      for (const r of list.slice ())
        if (r.options.subtree) {
          let own = registrations.get (node);
          if (!own)
            registrations.set (node, own = []);
          own.push ({ observer: r.observer, options: r.options, source: r });
          observerCount++;
          r.observer._nodes.push (node);
        }
    }
  }

  function noteRemoval (node) {
    const parent = bh.parent (node);
    if (!parent)
      return;
    const previous = bh.sibling (node, -1), next = bh.sibling (node, 1);
    queueTreeRecord (parent, [], [node], previous, next);
    addTransientObservers (parent, node);
  }

  const raw = {
    insert: bh.insert, remove: bh.remove, setAttr: bh.setAttr, removeAttr: bh.removeAttr, setText: bh.setText,
    setData: bh.setData, setHtml: bh.setHtml,
  };

  function characterData (node) {
    const t = bh.type (node);
    return t === TEXT || t === COMMENT;
  }

  Object.assign (bh, {
    insert (parent, child, reference) {
      if (observerCount === 0)
        return raw.insert (parent, child, reference);
      /* A move is a removal from the old parent first (§4.2.3 "insert", step 7). */
      const oldParent = bh.parent (child);
      const oldPrevious = oldParent && bh.sibling (child, -1), oldNext = oldParent && bh.sibling (child, 1);
      const status = raw.insert (parent, child, reference);
      if (status !== 0)
        return status;
      if (oldParent) {
        queueTreeRecord (oldParent, [], [child], oldPrevious, oldNext);
        addTransientObservers (oldParent, child);
      }
      queueTreeRecord (parent, [child], [], bh.sibling (child, -1), reference || null);
      return status;
    },
    remove (node) {
      if (observerCount !== 0)
        noteRemoval (node);
      return raw.remove (node);
    },
    setAttr (node, name, value) {
      if (observerCount === 0)
        return raw.setAttr (node, name, value);
      const lower = String (name).toLowerCase ();
      const old = bh.attr (node, lower);
      const r = raw.setAttr (node, name, value);
      queueRecord ("attributes", node, lower, old, null);
      return r;
    },
    removeAttr (node, name) {
      if (observerCount === 0)
        return raw.removeAttr (node, name);
      const lower = String (name).toLowerCase ();
      const old = bh.attr (node, lower);
      const r = raw.removeAttr (node, name);
      if (old !== null)
        queueRecord ("attributes", node, lower, old, null);
      return r;
    },
    setData (node, data) {
      if (observerCount === 0)
        return raw.setData (node, data);
      const old = bh.data (node);
      const r = raw.setData (node, data);
      queueRecord ("characterData", node, null, old, null);
      return r;
    },
    setText (node, text) {
      if (observerCount === 0)
        return raw.setText (node, text);
      if (characterData (node))
        return bh.setData (node, text);
      /* "string replace all": one record, the old children out, the new text in. */
      const removed = bh.children (node);
      const r = raw.setText (node, text);
      for (const c of removed)
        addTransientObservers (node, c);
      queueTreeRecord (node, bh.children (node), removed, null, null);
      return r;
    },
    setHtml (node, html) {
      if (observerCount === 0)
        return raw.setHtml (node, html);
      const removed = bh.children (node);
      const status = raw.setHtml (node, html);
      if (status !== 0)
        return status;
      for (const c of removed)
        addTransientObservers (node, c);
      queueTreeRecord (node, bh.children (node), removed, null, null);
      return status;
    },
  });

