/* bh-tab-script.h: a tab's JavaScript, as the browser sees it (bh-tab-script.c).
 *
 * What automation and the UI use of the script running in a tab's document:
 * evaluating an expression or calling a function in it (WebDriver BiDi's
 * script.evaluate / script.callFunction, Puppeteer's Runtime.evaluate), its
 * console lines, and its alert/confirm/prompt dialogs. The renderer runs the
 * script (renderer/script/); everything here reaches it by messages, checked
 * by the renderer host.
 *
 * Signals of BhTab (registered with the tab's class):
 *   "console-message" (guint level, const char *text): a console line of the
 *     committed document; level 0 log/info/debug, 1 warn, 2 error (uncaught
 *     exceptions too)
 *   "script-dialog" (guint dialog_id, guint kind, const char *message,
 *     const char *default_text) -> gboolean: alert (kind 0), confirm (1) or
 *     prompt (2). A handler that returns %TRUE shows it and later calls
 *     bh_tab_answer_script_dialog(); with none, the dialog is dismissed at once
 *     (--headless, as Chromium's headless shell without a handler).
 *   "script-dialog-opened" (guint dialog_id, guint kind, const char *message,
 *     const char *default_text) -> gboolean: emitted first, to every handler
 *     (automation's userPromptOpened); a handler may answer the dialog right
 *     there (then "script-dialog" is not emitted), and one returning %TRUE
 *     holds it open until it answers, even when nothing shows it
 *   "script-dialog-closed" (guint dialog_id, guint kind, gboolean accepted,
 *     const char *text): the dialog was answered, whoever answered it (the
 *     window closes its own then); @text is a prompt's, "" otherwise
 */
#pragma once

#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TAB_SCRIPT_ERROR (bh_tab_script_error_quark ())
GQuark bh_tab_script_error_quark (void);

/**
 * BhTabScriptError:
 * @BH_TAB_SCRIPT_ERROR_NO_DOCUMENT: no renderer shows a document in the tab
 * @BH_TAB_SCRIPT_ERROR_NAVIGATED: the document went (a new navigation committed,
 *   the tab closed) before it answered
 * @BH_TAB_SCRIPT_ERROR_RENDERER_GONE: the renderer died before it answered
 */
typedef enum {
  BH_TAB_SCRIPT_ERROR_NO_DOCUMENT,
  BH_TAB_SCRIPT_ERROR_NAVIGATED,
  BH_TAB_SCRIPT_ERROR_RENDERER_GONE,
} BhTabScriptError;

typedef enum {
  BH_TAB_SCRIPT_FUNCTION = 1 << 0,      /* @source is a function declaration to call */
  BH_TAB_SCRIPT_AWAIT_PROMISE = 1 << 1, /* answer with what a returned promise settles to */
} BhTabScriptFlags;

/**
 * BhTabScriptResultFunc:
 * @result_json: (nullable): on success, the JSON text the renderer answered with,
 *   checked by the browser (it parses, at most 512 KiB, nested at most 80 deep):
 *   `{"type":"success","result":REMOTE_VALUE}` or
 *   `{"type":"exception","exceptionDetails":{"text":..., "lineNumber":...,
 *   "columnNumber":..., "exception":REMOTE_VALUE, "stackTrace":{"callFrames":[]}}}`,
 *   where REMOTE_VALUE is a WebDriver BiDi RemoteValue (script module,
 *   "serialize as a remote value"; nodes as `{"type":"node","sharedId":"...",
 *   "value":{"nodeType":1,"localName":"p","attributes":{...},...}}`); the caller
 *   adds `realm` and the BiDi envelope. A JavaScript exception is a success of
 *   this call.
 * @error: (nullable): %BH_TAB_SCRIPT_ERROR when no answer can come
 *
 * Called exactly once, from the main loop, never before bh_tab_evaluate_script()
 * returns.
 */
typedef void (*BhTabScriptResultFunc) (BhTab *tab, const char *result_json, const GError *error,
                                       gpointer user_data);

/**
 * bh_tab_evaluate_script:
 * @source: a JavaScript expression, or with %BH_TAB_SCRIPT_FUNCTION a function
 *   declaration ("(a, b) => a + b", "function () { return this; }")
 * @arguments_json: (nullable): the function's arguments, a JSON array of BiDi
 *   LocalValues (`[{"type":"number","value":1},{"sharedId":"3.1.7"}]`); %NULL is `[]`
 * @flags: BhTabScriptFlags
 * @callback: (scope async): gets the result
 *
 * Evaluates in the realm of the tab's committed document, in its renderer, as
 * WebDriver BiDi's script.evaluate (expression) and script.callFunction
 * (function, `this` undefined) do. A `sharedId` names a node of the document
 * that answered it before; one of another document is a "no such node"
 * exception. With JavaScript disabled every call answers an exception result.
 */
void bh_tab_evaluate_script (BhTab *tab, const char *source, const char *arguments_json, BhTabScriptFlags flags,
                             BhTabScriptResultFunc callback, gpointer user_data);

/**
 * bh_tab_set_preload_scripts:
 * @sources: (nullable) (array zero-terminated=1): function declarations, at most
 *   BH_MAX_PRELOAD_SCRIPTS, copied; %NULL or empty for none
 *
 * Automation's preload scripts (WebDriver BiDi's script.addPreloadScript): from the
 * next document the tab commits on, its renderer calls each, in order, in the
 * document's realm before the document's own scripts (SetPreloadScripts). The
 * document on screen is not changed.
 */
void bh_tab_set_preload_scripts (BhTab *tab, const char *const *sources);

/**
 * bh_tab_answer_script_dialog:
 * @dialog_id: from "script-dialog"
 * @accepted: OK (%TRUE) or Cancel/closed
 * @text: (nullable): a prompt's text
 *
 * Closes the dialog: the page's alert() returns, confirm() returns @accepted,
 * prompt() returns @text (or null when not accepted). A stale id is ignored.
 */
void bh_tab_answer_script_dialog (BhTab *tab, guint dialog_id, gboolean accepted, const char *text);

G_END_DECLS
