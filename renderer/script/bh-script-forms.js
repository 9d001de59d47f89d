/* bh-script-forms.js: the focus and form fields' events (HTML §6.6 "focus",
 * UI Events' focus order, HTML's input and change events), in the realm's
 * prelude after bh-script-style.js, in the same function scope.
 *
 * The engine keeps the fields' live state (what was typed, what is checked:
 * bh-forms.c); the renderer tells the realm after each press or key it
 * handled for them (the formStart and formState hooks), and the events come
 * from the difference: blur (and change, when the value changed since the
 * field got the focus), focusout, focus, focusin; input as text is typed;
 * input then change when a checkbox or radio button is toggled. */

  /* ------------------------------------------------------------ focus */

  let focusValue = null;     /* the focused field's value when it got the focus */
  let lastValue = null;      /* ... as the page last heard of it */
  let checkedBefore = null;  /* Map(input -> checked) at formStart */

  /* The fields whose value is the engine's live state. */
  function isInput (e) {
    return e !== null && bh.type (e) === ELEMENT && ["input", "textarea", "select"].includes (bh.name (e));
  }
  function controlValue (e) {
    const state = bh.controlState (e);
    return state ? state[0] : null;
  }
  /* Elements a press focuses besides the fields (HTML's focusable areas, simplified). */
  function focusable (e) {
    if (!e || bh.type (e) !== ELEMENT)
      return false;
    const tag = bh.name (e);
    return bh.attr (e, "tabindex") !== null || tag === "button" || tag === "select" || tag === "textarea" ||
           (tag === "a" && bh.attr (e, "href") !== null);
  }

  function fireFocus (type, target, related) {
    const bubbles = type === "focusin" || type === "focusout";
    const e = new FocusEvent (type, { bubbles, composed: true, view: global });
    e.relatedTarget = related;
    e.isTrusted = true;
    dispatch (target, e);
  }

  /* The focus moves from the focused element to @element (null: the body). */
  function moveFocus (element) {
    const old = focused;
    if (old === element)
      return;
    focused = element;
    if (old) {
      if (isInput (old) && focusValue !== null && controlValue (old) !== focusValue)
        dispatch (old, Object.assign (new Event ("change", { bubbles: true }), { isTrusted: true }));
      fireFocus ("blur", old, element);
      fireFocus ("focusout", old, element);
    }
    focusValue = lastValue = element && isInput (element) ? controlValue (element) : null;
    if (element) {
      fireFocus ("focus", element, old);
      fireFocus ("focusin", element, old);
    }
  }

  /* HTMLElement.focus() and blur(). */
  function setFocus (element) {
    if (element === null) {
      if (isInput (focused))
        bh.focusControl (null);
      moveFocus (null);
      return;
    }
    if (isInput (element)) {
      if (!bh.focusControl (element))
        return;
    } else if (!focusable (element)) {
      return;
    } else if (isInput (focused)) {
      bh.focusControl (null);
    }
    moveFocus (element);
  }

  Object.assign (hooks, {
    /* HTML "submit": the event may keep the form from being sent. */
    submit (form) {
      const e = new Event ("submit", { bubbles: true, cancelable: true });
      e.isTrusted = true;
      return !dispatch (form, e);
    },

    formStart () {
      checkedBefore = new Map ();
      for (const e of query (document, "input[type=checkbox], input[type=radio]", false))
        checkedBefore.set (e, bh.controlState (e)[1]);
    },

    /* @target: the element a press was at (undefined after a key). */
    formState (target) {
      const now = bh.focusedControl ();
      if (now !== null) {
        if (now !== focused)
          moveFocus (now);
      } else if (target !== undefined && target !== null) {
        let f = target;
        while (f && bh.type (f) === ELEMENT && !focusable (f))
          f = bh.parent (f);
        f = f && bh.type (f) === ELEMENT ? f : null;
        if (f !== focused)
          moveFocus (f);
      } else if (isInput (focused)) {
        moveFocus (null);
      }
      if (now !== null) {
        const value = controlValue (now);
        if (value !== lastValue) {
          lastValue = value;
          const e = new InputEvent ("input", { bubbles: true, composed: true });
          e.inputType = bh.name (now) === "select" ? "" : "insertText";
          e.isTrusted = true;
          dispatch (now, e);
          /* A <select>'s choice is committed at once: change follows input. */
          if (bh.name (now) === "select") {
            focusValue = value;
            dispatch (now, Object.assign (new Event ("change", { bubbles: true }), { isTrusted: true }));
          }
        }
      }
      /* A checkbox toggled, a radio button checked (not those it unchecked). */
      if (checkedBefore)
        for (const [e, was] of checkedBefore) {
          const state = bh.controlState (e);
          const radio = (bh.attr (e, "type") || "").toLowerCase () === "radio";
          if (state && state[1] !== was && (!radio || state[1])) {
            dispatch (e, Object.assign (new Event ("input", { bubbles: true, composed: true }), { isTrusted: true }));
            dispatch (e, Object.assign (new Event ("change", { bubbles: true }), { isTrusted: true }));
          }
        }
      checkedBefore = null;
    },
  });
