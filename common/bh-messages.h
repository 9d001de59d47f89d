/* bh-messages.h: the message catalogue, the one table every process agrees on.
 *
 * Each row is BH_MESSAGE (Name, id, direction, payload type, fd count, field names):
 *
 *  - Name: what happened or what is asked (Navigate-style, as in Chromium's IPC).
 *  - id: the 16-bit type on the wire. Ids are never reused; a retired message
 *    leaves a gap.
 *  - direction: BH_TO_CHILD (browser -> renderer / plugin host),
 *    BH_TO_BROWSER (child -> browser), or BH_BOTH.
 *  - payload type: a GVariant type string. The receiver rejects a payload whose
 *    type or serialisation differs (bh-message.c).
 *  - fd count: exactly how many fds travel with the message (SCM_RIGHTS).
 *  - field names: one lower_snake_case name per top-level field of the payload,
 *    comma-separated, in order ("" for "()"; one name for a type that is not a
 *    tuple). Traces, the IPC inspector and JSON lines print fields by these
 *    names: CommitNavigation(view=1, navigation=7, url='http://a.test/', ...).
 *    bh-message.c checks the count against the payload type the first time the
 *    catalogue is used, and test-trace's /ipc/catalogue/field-names fails
 *    make check naming the row that is wrong.
 *
 * Adding a message:
 *   1. Append a row at the end of its group, below a comment giving each
 *      field's meaning and unit, e.g. for "(view, find request id, matches found)":
 *        BH_MESSAGE (FindReply,  120, BH_TO_BROWSER, "(uuu)", 0, "view, request, matches")
 *      The id comes from your range; names use the field's words (view,
 *      navigation, url, width, ...), units go in the comment.
 *   2. Handle it in the process that receives it (a switch on BH_MSG_FindReply).
 *   3. Describe it in docs/architecture.md.
 *
 * Bulk data never travels inline: navigation bodies stream through a data
 * pipe (bh-data-pipe.h); subresources and pixels cross in sealed memfds
 * (bh-shm.h). The "(... t)" sizes beside an fd say how
 * many bytes of that memfd the sender vouches for; the receiver checks it.
 */
#pragma once

/* clang-format off */
#define BH_MESSAGE_CATALOGUE(BH_MESSAGE) \
  /* Liveness: the hang monitor's probe and its answer. */ \
  BH_MESSAGE (Ping,                    1, BH_BOTH,       "()",          0, "") \
  BH_MESSAGE (Pong,                    2, BH_BOTH,       "()",          0, "") \
  /* Child -> browser once its loop runs: (pid as it sees itself, role, sandbox summary). */ \
  BH_MESSAGE (ChildReady,              3, BH_TO_BROWSER, "(uss)",       0, "pid, role, sandbox") \
  /* Browser -> child right after spawn: (the child's pid as the browser sees it, \
   * the browser's pid), so both sides' --ipc-debug lines name the same pids even \
   * though the child lives in its own pid namespace. */ \
  BH_MESSAGE (ProcessIdentity,         4, BH_TO_CHILD,   "(uu)",        0, "child_pid, browser_pid") \
  \
  /* Views: one per tab a renderer serves; every per-tab message starts with \
   * its view id (Chromium's routing id), chosen by the browser. \
   * CreateView: (view id, width px, height px, device scale). */ \
  BH_MESSAGE (CreateView,              5, BH_TO_CHILD,   "(uuud)",      0, "view, width, height, scale") \
  BH_MESSAGE (DestroyView,             6, BH_TO_CHILD,   "(u)",         0, "view") \
  \
  /* Navigation. CommitNavigation: (view, navigation id, final URL, content type, \
   * charset, data pipe capacity in bytes); fds: the body's data pipe (bh-data-pipe.h: \
   * the ring's memfd, the renderer's end of its signal socket). Sent at the \
   * response's headers, as in Chromium; the body streams through the pipe. */ \
  BH_MESSAGE (CommitNavigation,       10, BH_TO_CHILD,   "(utsssu)",    2, "view, navigation, url, content_type, charset, pipe_capacity") \
  /* (view, navigation id, URL) */ \
  BH_MESSAGE (DidCommitNavigation,    11, BH_TO_BROWSER, "(uts)",       0, "view, navigation, url") \
  BH_MESSAGE (TitleChanged,           12, BH_TO_BROWSER, "(uts)",       0, "view, navigation, title") \
  /* (view, navigation id, progress 0..1) */ \
  BH_MESSAGE (LoadProgress,           13, BH_TO_BROWSER, "(utd)",       0, "view, navigation, progress") \
  BH_MESSAGE (DidFinishLoad,          14, BH_TO_BROWSER, "(ut)",        0, "view, navigation") \
  /* (view, navigation id, document width px, document height px) */ \
  BH_MESSAGE (DocumentSize,           15, BH_TO_BROWSER, "(utuu)",      0, "view, navigation, width, height") \
  /* (view, url, disposition: 0 current tab, 1 new tab in front, 2 new tab behind) */ \
  BH_MESSAGE (OpenURL,                16, BH_TO_BROWSER, "(usu)",       0, "view, url, disposition") \
  /* (view, hovered link URL or "", cursor: 0 default, 1 pointer, 2 text) */ \
  BH_MESSAGE (HoverChanged,           17, BH_TO_BROWSER, "(usu)",       0, "view, url, cursor") \
  \
  /* Subresources, asked of the browser: (view, request id, absolute URL). */ \
  BH_MESSAGE (ResourceRequest,        20, BH_TO_BROWSER, "(uus)",       0, "view, request, url") \
  /* (view, request id, content type, size in bytes); fd: the body, sealed memfd. */ \
  BH_MESSAGE (ResourceResponse,       21, BH_TO_CHILD,   "(uust)",      1, "view, request, content_type, size") \
  /* (view, request id, reason) */ \
  BH_MESSAGE (ResourceFailed,         22, BH_TO_CHILD,   "(uus)",       0, "view, request, reason") \
  \
  /* Frames. The child owns its bitmaps; BufferCreated shares one: (view, buffer \
   * id unique in the process, width px, height px, stride bytes, size bytes); fd. */ \
  BH_MESSAGE (Resize,                 30, BH_TO_CHILD,   "(uuud)",      0, "view, width, height, scale") \
  BH_MESSAGE (BufferCreated,          31, BH_TO_BROWSER, "(uuuuut)",    1, "view, buffer, width, height, stride, size") \
  BH_MESSAGE (BufferDestroyed,        32, BH_TO_BROWSER, "(uu)",        0, "view, buffer") \
  /* (view, buffer id, scroll y px, document height px, damage x,y,w,h px) */ \
  BH_MESSAGE (FrameReady,             33, BH_TO_BROWSER, "(uuiua(iiii))", 0, "view, buffer, scroll_y, document_height, damage") \
  /* (view, buffer id): the browser is done with it; the child may draw again. */ \
  BH_MESSAGE (ReleaseBuffer,          34, BH_TO_CHILD,   "(uu)",        0, "view, buffer") \
  \
  /* Input, each answered by InputEventAck (the hang monitor waits for it). \
   * Mouse: (view, kind 0 move 1 press 2 release, x px, y px, button, GdkModifierType). */ \
  BH_MESSAGE (MouseEvent,             40, BH_TO_CHILD,   "(uudduu)",    0, "view, kind, x, y, button, modifiers") \
  /* (view, dx px, dy px) */ \
  BH_MESSAGE (ScrollEvent,            41, BH_TO_CHILD,   "(udd)",       0, "view, dx, dy") \
  /* (view, keyval, GdkModifierType) */ \
  BH_MESSAGE (KeyEvent,               42, BH_TO_CHILD,   "(uuu)",       0, "view, keyval, modifiers") \
  /* (view, absolute scroll y px), from the browser's scrollbar */ \
  BH_MESSAGE (ScrollTo,               43, BH_TO_CHILD,   "(ui)",        0, "view, scroll_y") \
  BH_MESSAGE (FocusChanged,           44, BH_TO_CHILD,   "(ub)",        0, "view, focused") \
  /* (view, serial of the input event handled) */ \
  BH_MESSAGE (InputEventAck,          45, BH_TO_BROWSER, "(uu)",        0, "view, event_serial") \
  \
  /* Plugins. A renderer reports the boxes of <embed>/<object>, in document px: \
   * (view, box id, absolute URL, MIME type, x, y, w, h). */ \
  BH_MESSAGE (PluginBoxChanged,       50, BH_TO_BROWSER, "(uussiiii)",  0, "view, box, url, mime_type, x, y, width, height") \
  BH_MESSAGE (PluginBoxRemoved,       51, BH_TO_BROWSER, "(uu)",        0, "view, box") \
  /* Browser -> plugin host: (instance id, MIME type, width px, height px, data size); \
   * fd: the data in a sealed memfd. */ \
  BH_MESSAGE (PluginCreate,           52, BH_TO_CHILD,   "(usuut)",     1, "instance, mime_type, width, height, data_size") \
  /* (instance id, width px, height px) */ \
  BH_MESSAGE (PluginResize,           53, BH_TO_CHILD,   "(uuu)",       0, "instance, width, height") \
  /* (instance id, kind 0 move 1 press 2 release 3 scroll 4 key, x, y, button or keyval, \
   * GdkModifierType). x, y: the pointer in px of the instance; for a scroll, the wheel's \
   * dx, dy in steps (GtkEventControllerScroll's unit, +y down); 0, 0 for a key. */ \
  BH_MESSAGE (PluginInput,            54, BH_TO_CHILD,   "(uudduu)",    0, "instance, kind, x, y, code, modifiers") \
  BH_MESSAGE (PluginDestroy,          55, BH_TO_CHILD,   "(u)",         0, "instance") \
  /* Plugin host -> browser: (instance id, buffer id, width, height, stride, size); fd. */ \
  BH_MESSAGE (PluginBufferCreated,    56, BH_TO_BROWSER, "(uuuuut)",    1, "instance, buffer, width, height, stride, size") \
  /* (instance id, buffer id) */ \
  BH_MESSAGE (PluginFrameReady,       57, BH_TO_BROWSER, "(uu)",        0, "instance, buffer") \
  BH_MESSAGE (PluginReleaseBuffer,    58, BH_TO_CHILD,   "(uu)",        0, "instance, buffer") \
  /* (instance id, message shown in the plugin area) */ \
  BH_MESSAGE (PluginError,            59, BH_TO_BROWSER, "(us)",        0, "instance, message") \
  /* (instance id, buffer id): a resize replaced the buffer; the browser unmaps it once \
   * a newer frame is on screen, and never releases it. */ \
  BH_MESSAGE (PluginBufferDestroyed,  60, BH_TO_BROWSER, "(uu)",        0, "instance, buffer") \
  \
  /* Script (renderer/script/). A console line: (view, navigation id, level 0 log \
   * 1 warn 2 error, text). */ \
  BH_MESSAGE (ConsoleMessage,        100, BH_TO_BROWSER, "(utus)",      0, "view, navigation, level, text") \
  /* Automation asks a document to evaluate: (view, request id, an expression or a \
   * function declaration, arguments as a JSON array of BiDi LocalValues, flags: bit 0 \
   * a function, bit 1 await a promise). Answered by ScriptResult. */ \
  BH_MESSAGE (ScriptEvaluate,        101, BH_TO_CHILD,   "(uussu)",     0, "view, request, source, arguments, flags") \
  /* (view, request id, JSON: {"type":"success","result":RemoteValue} or \
   * {"type":"exception","exceptionDetails":{...}}) */ \
  BH_MESSAGE (ScriptResult,          102, BH_TO_BROWSER, "(uus)",       0, "view, request, json") \
  /* alert/confirm/prompt, a request the renderer waits on: (view, navigation id, \
   * kind 0 alert 1 confirm 2 prompt, message, default text). */ \
  BH_MESSAGE (RunDialog,             103, BH_TO_BROWSER, "(utuss)",     0, "view, navigation, kind, message, default_text") \
  /* The reply to RunDialog: (accepted, the prompt's text or ""). */ \
  BH_MESSAGE (DialogClosed,          104, BH_TO_CHILD,   "(bs)",        0, "accepted, text") \
  /* location/history from script: (view, navigation id, kind 0 assign 1 replace \
   * 2 reload 3 history 4 pushState 5 replaceState, absolute URL or "", history delta). */ \
  BH_MESSAGE (ScriptNavigate,        105, BH_TO_BROWSER, "(utusi)",     0, "view, navigation, kind, url, delta") \
  /* document.cookie, read: a request the renderer waits on (view, navigation id); the \
   * browser answers for the document it committed, never with HttpOnly cookies. */ \
  BH_MESSAGE (CookieGet,             106, BH_TO_BROWSER, "(ut)",        0, "view, navigation") \
  /* The reply to CookieGet: ("a=1; b=2" or ""). */ \
  BH_MESSAGE (CookieValue,           107, BH_TO_CHILD,   "(s)",         0, "cookies") \
  /* document.cookie = ...: (view, navigation id, the assignment, at most 4096 bytes). */ \
  BH_MESSAGE (CookieSet,             108, BH_TO_BROWSER, "(uts)",       0, "view, navigation, cookie") \
  /* fetch() and XMLHttpRequest (issue 18): (view, navigation id, request id chosen by \
   * the renderer, method "GET" or "POST", absolute http(s) URL (another origin: CORS), the \
   * body's Content-Type or "", the body, at most BH_MAX_FETCH_BODY_BYTES). At most \
   * BH_MAX_FETCH_REQUESTS_PER_VIEW in flight; each is answered once, by FetchResponse \
   * or FetchFailed. */ \
  BH_MESSAGE (FetchRequest,          109, BH_TO_BROWSER, "(utusssay)",  0, "view, navigation, request, method, url, content_type, body") \
  /* (view, request id, final URL after redirects, HTTP status, content type, body size \
   * in bytes); fd: the body, sealed memfd. */ \
  BH_MESSAGE (FetchResponse,         110, BH_TO_CHILD,   "(uusust)",    1, "view, request, url, status, content_type, size") \
  /* (view, request id, reason): a network error, a refused request, or the page navigated. */ \
  BH_MESSAGE (FetchFailed,           111, BH_TO_CHILD,   "(uus)",       0, "view, request, reason") \
  /* localStorage (area 0) or sessionStorage (area 1) of the committed document, read \
   * once per realm: a request the renderer waits on (view, navigation id, area). The \
   * browser, not the renderer, names the origin (of the URL it committed). */ \
  BH_MESSAGE (StorageLoad,           112, BH_TO_BROWSER, "(utu)",       0, "view, navigation, area") \
  /* The reply to StorageLoad: (size in bytes); fd: a sealed memfd holding the area as a \
   * serialised GVariant of type a(ss), (key, value) sorted by key, in normal form. */ \
  BH_MESSAGE (StorageContents,       113, BH_TO_CHILD,   "(t)",         1, "size") \
  /* A change a page made: (view, navigation id, area, operation 0 setItem 1 removeItem \
   * 2 clear, key or "", value or ""); key and value at most BH_MAX_STORAGE_ITEM_BYTES. */ \
  BH_MESSAGE (StorageChange,         114, BH_TO_BROWSER, "(utuuss)",    0, "view, navigation, area, operation, key, value") \
  /* Using a page (issue 13). Same-document navigation: the browser moved the tab's \
   * history to another entry of the document on screen, without a fetch: (view, \
   * the entry's URL, scroll y px to restore, or -1: scroll to the URL's fragment). */ \
  BH_MESSAGE (CommitSameDocumentNavigation, 150, BH_TO_CHILD, "(usi)",      0, "view, url, scroll_y") \
  /* A history step to another document: once that navigation's document is laid \
   * out, scroll to y px instead of its fragment: (view, navigation id, y px). */ \
  BH_MESSAGE (RestoreScrollPosition, 151, BH_TO_CHILD, "(uti)",             0, "view, navigation, scroll_y") \
  /* (view, the selected text, "" when nothing is): the primary selection, at the \
   * end of each selection gesture; at most BH_MAX_SELECTION_BYTES of UTF-8. */ \
  BH_MESSAGE (SelectionChanged,   152, BH_TO_BROWSER, "(us)",               0, "view, text") \
  /* (view, text): Copy (Ctrl+C) put this on the clipboard; only with a user \
   * activation, as the renderer has no clipboard of its own. */ \
  BH_MESSAGE (ClipboardWrite,     153, BH_TO_BROWSER, "(us)",               0, "view, text") \
  /* Find in page: (view, request id, query, forward, find next: move to the next \
   * match of the same query rather than start again). */ \
  BH_MESSAGE (Find,               154, BH_TO_CHILD,   "(uusbb)",            0, "view, request, query, forward, find_next") \
  /* (view): the find bar closed; the highlights go, the active match stays selected. */ \
  BH_MESSAGE (StopFinding,        155, BH_TO_CHILD,   "(u)",                0, "view") \
  /* (view, request id, matches, active match 1..matches or 0 when none); at most \
   * BH_MAX_FIND_MATCHES are counted. */ \
  BH_MESSAGE (FindReply,          156, BH_TO_BROWSER, "(uuuu)",             0, "view, request, matches, active_match") \
  /* Horizontal scrolling (a table wider than the viewport): (view, scroll x px), sent \
   * before the FrameReady painted at it; DocumentSize's width is the content's. */ \
  BH_MESSAGE (HorizontalScrollChanged, 157, BH_TO_BROWSER, "(ui)",          0, "view, scroll_x") \
  /* (view, absolute scroll x px), from the browser's horizontal scrollbar; acked as input */ \
  BH_MESSAGE (ScrollToX,          158, BH_TO_CHILD,   "(ui)",               0, "view, scroll_x") \
  /* A form was submitted (a submit button, Enter in a field): (view, the action URL, with \
   * the query for GET; method "GET" or "POST"; the body's Content-Type, "" for GET; the \
   * body, at most BH_MAX_FORM_BODY_BYTES). The browser builds the request and navigates. */ \
  BH_MESSAGE (SubmitForm,         159, BH_TO_BROWSER, "(usssay)",           0, "view, url, method, content_type, body") \
  /* (view, zoom factor 0.25..5): the page is laid out and painted that much larger (CSS px \
   * per device px times it), as Chromium's page zoom; 1 is 100 %. */ \
  BH_MESSAGE (SetZoom,            160, BH_TO_CHILD,   "(ud)",               0, "view, zoom") \
  /* A <select> was clicked (or Space/Enter on it): the browser shows its options, as \
   * Chromium's ShowPopupMenu: (view, popup id chosen by the renderer, the control's box \
   * in viewport device px: x, y, width, height; the selected option's index or -1; the \
   * options: (label, enabled)), at most BH_MAX_POPUP_ITEMS, labels of at most \
   * BH_MAX_POPUP_LABEL_BYTES. */ \
  BH_MESSAGE (ShowPopupMenu,      161, BH_TO_BROWSER, "(uuiiiiia(sb))",     0, "view, popup, x, y, width, height, selected, items") \
  /* The popup closed: (view, popup id, the option chosen, or -1 when dismissed). */ \
  BH_MESSAGE (PopupMenuClosed,    162, BH_TO_CHILD,   "(uui)",              0, "view, popup, index") \
  /* A right-click (button 3 press): what is under the pointer, for the browser's context \
   * menu: (view, the press in viewport device px: x, y; the link's absolute URL or ""; the \
   * image's absolute URL or ""; the selected text or "", at most BH_MAX_SELECTION_BYTES; \
   * whether it is an editable field). */ \
  BH_MESSAGE (ShowContextMenu,    163, BH_TO_BROWSER, "(uiisssb)",          0, "view, x, y, link_url, image_url, selection, editable") \
  /* The context menu's page commands: (view, command: "SelectAll"; "Delete": the focused \
   * field's selected text goes, after the browser put it on the clipboard for Cut); others \
   * are ignored. */ \
  BH_MESSAGE (ExecuteEditCommand, 164, BH_TO_CHILD,   "(us)",               0, "view, command") \
  /* The pointer moved onto another title= (HTML's advisory information): (view, the title \
   * of the innermost element under the pointer that has one, or "" for none), at most \
   * BH_MAX_TOOLTIP_CHARS characters. */ \
  BH_MESSAGE (TooltipChanged,     165, BH_TO_BROWSER, "(us)",               0, "view, text") \
  /* 166-167 (PrintToPDF, DidPrintToPDF) are retired: Ctrl+P prints with PrintToPdf and \
   * PdfPrinted (234-235), as browsingContext.print does. */ \
  /* Paste (Ctrl+V, Shift+Insert, the context menu's Paste): the browser read its clipboard, \
   * the renderer has none: (view, the text, at most BH_MAX_SELECTION_BYTES), typed into the \
   * focused field at its caret. */ \
  BH_MESSAGE (InsertText,         168, BH_TO_CHILD,   "(us)",               0, "view, text") \
  /* 200-202 (CookiesGet, CookiesGot, CookiesSet) are retired: document.cookie is \
   * CookieGet/CookieSet (106-108), whose URL the browser takes from the tab. */ \
  \
  /* The control lane (bh-channel.h, bh_channel_set_urgent()): a second socketpair per \
   * child for the few messages that must not wait behind frames or a body. The \
   * browser sends ControlLane on the data lane right after ProcessIdentity; fd: the \
   * child's end. Ping/Pong, Stop/DidStop and Shutdown then travel on it. */ \
  BH_MESSAGE (ControlLane,           260, BH_TO_CHILD,   "()",          1, "") \
  /* (view): the user stopped the load: the renderer ends the body where it is. */ \
  BH_MESSAGE (Stop,                  261, BH_TO_CHILD,   "(u)",         0, "view") \
  /* (view): the reply to a Stop, once the view has stopped. */ \
  BH_MESSAGE (DidStop,               262, BH_TO_BROWSER, "(u)",         0, "view") \
  /* The browser asks the child to exit now, whatever its data lane holds. */ \
  BH_MESSAGE (Shutdown,              263, BH_TO_CHILD,   "()",          0, "") \
  \
  /* Automation (docs/automation.md): finding and reading a document's elements, \
   * numbered from 1 in document order for the document's life. LocateNodes: (view, \
   * request id, at most this many, CSS selector list); NodesLocated: (view, request id, \
   * selector understood, [(element, x, y, width, height in document px)]). QueryNode: \
   * (view, request id, element, what: "text", "tag", "rect", "attribute:NAME", \
   * "property:NAME", "descendants": how many elements it holds, or "clear": empty an \
   * <input>'s value, answering ""); \
   * NodeQueried: (view, request id, found, value). Each request is answered once, by the \
   * view's current document. */ \
  BH_MESSAGE (LocateNodes,        230, BH_TO_CHILD,   "(uuus)",             0, "view, request, max_nodes, selectors") \
  BH_MESSAGE (NodesLocated,       231, BH_TO_BROWSER, "(uuba(udddd))",      0, "view, request, understood, nodes") \
  BH_MESSAGE (QueryNode,          232, BH_TO_CHILD,   "(uuus)",             0, "view, request, node, what") \
  BH_MESSAGE (NodeQueried,        233, BH_TO_BROWSER, "(uubs)",             0, "view, request, found, value") \
  /* Printing (browsingContext.print, classic Print Page): the view's document paged into \
   * a PDF. PrintToPdf: (view, request id, page width, page height, margins top, right, \
   * bottom, left, all in PDF points of 1/72 in; scale 0.1..2 of CSS px; print backgrounds; \
   * shrink content wider than the page to fit; page ranges [(first, last)], 1-based and \
   * inclusive, last 0 = to the end, [] = every page, at most BH_MAX_PRINT_PAGE_RANGES). \
   * PdfPrinted: (view, request id, pages in the PDF, its size in bytes, "" or why there is \
   * no PDF); fd: the PDF, a sealed memfd of that size (empty when there is none), at most \
   * BH_MAX_PDF_BYTES. Each request is answered once, by the view's current document. */ \
  BH_MESSAGE (PrintToPdf,         234, BH_TO_CHILD,   "(uudddddddbba(uu))", 0, "view, request, page_width, page_height, margin_top, margin_right, margin_bottom, margin_left, scale, background, shrink_to_fit, page_ranges") \
  BH_MESSAGE (PdfPrinted,         235, BH_TO_BROWSER, "(uuuts)",            1, "view, request, pages, size, error") \
  /* Finding elements by another locator than CSS, answered by NodesLocated as \
   * LocateNodes is: (view, request id, at most this many, locator kind "xpath" (value: \
   * an XPath expression of the subset renderer/engine/bh-document-xpath.c has) or \
   * "innerText" (value: the text), for innerText: ignore case, match part of the text \
   * rather than all of it, at most this many levels deep (0 for any)). */ \
  BH_MESSAGE (LocateNodesBy,      236, BH_TO_CHILD,   "(uuussbbu)",         0, "view, request, max_nodes, kind, value, ignore_case, partial, max_depth") \
  /* Preload scripts (script.addPreloadScript): (view, function declarations, at most \
   * BH_MAX_PRELOAD_SCRIPTS), sent before a CommitNavigation; the renderer calls each, \
   * in order and with no arguments, in the committed document's realm before any of \
   * the document's own scripts, and in every document the view commits after, until \
   * the next SetPreloadScripts. Nothing is answered (an exception goes nowhere). */ \
  BH_MESSAGE (SetPreloadScripts,  237, BH_TO_CHILD,   "(uas)",              0, "view, sources") \
  \
  /* Favicons (issue 14): the browser fetches, the sandboxed renderer decodes. \
   * UpdateFaviconURL: (view, navigation id, the document's first <link rel=icon>, \
   * absolute http(s), or "" for none: the browser then asks /favicon.ico), once a \
   * document is parsed. DecodeFavicon: (view, request id, bytes of the icon in the \
   * memfd); fd: the fetched icon, sealed. FaviconDecoded: (view, request id, width \
   * px, height px, BGRA premultiplied pixels, width * 4 bytes a row), 0 x 0 and no \
   * pixels when it is no image; at most BH_MAX_FAVICON_SIDE px a side, inline. */ \
  BH_MESSAGE (UpdateFaviconURL,   203, BH_TO_BROWSER, "(uts)",              0, "view, navigation, url") \
  BH_MESSAGE (DecodeFavicon,      204, BH_TO_CHILD,   "(uut)",              1, "view, request, size") \
  BH_MESSAGE (FaviconDecoded,     205, BH_TO_BROWSER, "(uuuuay)",           0, "view, request, width, height, pixels") \
  \
  /* Test-only traffic for the IPC tests and the benchmark: an opaque blob, echoed. */ \
  BH_MESSAGE (Echo,                  900, BH_BOTH,       "ay",          0, "data") \
  BH_MESSAGE (EchoFds,               901, BH_BOTH,       "u",           2, "value")
/* clang-format on */
