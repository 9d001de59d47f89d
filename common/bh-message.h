/* bh-message.h: message types from the catalogue, and a received or sent message. */
#pragma once

#include <glib.h>

#include "bh-messages.h"

G_BEGIN_DECLS

/* Who may send a message. */
typedef enum {
  BH_TO_CHILD = 1 << 0,   /* browser -> renderer or plugin host */
  BH_TO_BROWSER = 1 << 1, /* renderer or plugin host -> browser */
  BH_BOTH = BH_TO_CHILD | BH_TO_BROWSER,
} BhDirection;

/* One enumerator per catalogue row: BH_MSG_Ping, BH_MSG_FrameReady, ... */
typedef enum {
  BH_MSG_INVALID = 0,
#define BH_MESSAGE_ENUM(name, id, dir, type, fds, fields) BH_MSG_##name = id,
  BH_MESSAGE_CATALOGUE (BH_MESSAGE_ENUM)
#undef BH_MESSAGE_ENUM
} BhMessageType;

/* Caps checked before anything is allocated (docs/architecture.md, "Trust rules"). */
#define BH_MAX_PAYLOAD_BYTES (1024u * 1024u)
#define BH_MAX_FDS 8u

/* Budgets both ends of a renderer's channel keep (docs/architecture.md, "Trust rules").
 * An honest renderer stays within them whatever the page (flow control: it queues, or
 * leaves the rest out); the browser kills one that goes over, since none would.
 *
 * ResourceRequests of one view without their ResourceResponse or ResourceFailed yet.
 * The browser answers every request it received exactly once, including those it
 * cancels when the view navigates, so both ends count the same requests. */
#define BH_MAX_RESOURCE_REQUESTS_PER_VIEW 256u
/* Plugin boxes of one document, ids 1 to this: further <embed>s and <object>s keep
 * their place in the page but get no plugin. */
#define BH_MAX_PLUGIN_BOXES 256u
/* The primary selection and a copy, in bytes of UTF-8: a renderer sends at most this
 * much of a longer selection (cut at a character), as a budget of the frame's 1 MiB. */
#define BH_MAX_SELECTION_BYTES (512u * 1024u)
/* Matches a find counts and highlights; the rest are not counted ("1000 of 1000"). */
#define BH_MAX_FIND_MATCHES 1000u
/* A submitted form's body, as a budget of the frame's 1 MiB: a renderer whose form data is
 * larger does not submit it (file uploads would need shared memory). */
#define BH_MAX_FORM_BODY_BYTES (768u * 1024u)
/* Elements one NodesLocated lists: a selector matching more (every <p> of a long page)
 * is answered with the first ones, and the browser kills a renderer that sends more. */
#define BH_MAX_LOCATED_NODES 1000u
/* LocateNodes and QueryNode of one view without their answer yet: the browser keeps
 * no more waiting (automation waits for each); a renderer answering one it was not
 * asked is killed. */
#define BH_MAX_NODE_QUERIES_PER_VIEW 64u
/* FetchRequests (fetch(), XMLHttpRequest) of one view without their FetchResponse or
 * FetchFailed yet: a page's further requests wait in the renderer; a renderer that
 * sends more is killed. Chromium has no such cap, but each is a fetch the browser
 * makes and buffers, so a budget keeps one page from holding the network. */
#define BH_MAX_FETCH_REQUESTS_PER_VIEW 64u
/* A FetchRequest's body, inline, as a budget of the frame's 1 MiB: a bigger upload is
 * refused in the renderer (a TypeError), as the form body is. */
#define BH_MAX_FETCH_BODY_BYTES (768u * 1024u)
/* A fetch response's body the browser hands a renderer (a sealed memfd): past it the
 * fetch fails, as a subresource over its cap does. */
#define BH_MAX_FETCH_RESPONSE_BYTES (32u * 1024u * 1024u)
/* localStorage and sessionStorage: an origin's keys and values hold at most this many
 * bytes of UTF-8 (Chromium's and Firefox's 5 MiB quota); the page gets QuotaExceededError
 * past it, and the browser refuses a change past it (a stale copy in another tab's
 * realm may not know the latest size: refused, not a kill). */
#define BH_MAX_STORAGE_BYTES_PER_ORIGIN (5u * 1024u * 1024u)
/* One StorageChange's key and value together, as a budget of the frame's 1 MiB: a
 * longer item is QuotaExceededError in the page; a renderer that sends one is killed. */
#define BH_MAX_STORAGE_ITEM_BYTES (768u * 1024u)
/* A <select>'s popup (ShowPopupMenu): options listed, and bytes of each label. A page
 * with more options offers the first ones; the browser kills a renderer that lists more. */
#define BH_MAX_POPUP_ITEMS 1000u
#define BH_MAX_POPUP_LABEL_BYTES 1024u
/* A title= tooltip (TooltipChanged), in characters: Chromium's kMaxTooltipLength. The
 * renderer cuts a longer title; the browser kills one that sends more. */
#define BH_MAX_TOOLTIP_CHARS 1024u
/* The URLs of a ShowContextMenu, in bytes (a page's links may be long, not longer). */
#define BH_MAX_CONTEXT_MENU_URL_BYTES (64u * 1024u)
/* A decoded favicon's side in px: the renderer scales the icon to fit (the tab shows
 * 16 CSS px, 32 device px at scale 2), so a FaviconDecoded is at most 16 KiB of pixels;
 * a larger one is a bad message. */
#define BH_MAX_FAVICON_SIDE 64u
/* A favicon's bytes as fetched: a larger one is not decoded (Chromium's favicon
 * downloads have no cap; real ones are under 100 KiB). */
#define BH_MAX_FAVICON_BYTES (1024u * 1024u)
/* A printed document (PdfPrinted): the renderer stops adding pages before its PDF would
 * pass it and says so; the browser kills one whose PDF is larger, or not a PDF. */
#define BH_MAX_PDF_BYTES (64u * 1024u * 1024u)
/* Pages one PrintToPdf prints: a longer document is cut there (a 16384 px screenshot
 * is the same kind of cap); the browser kills a renderer that reports more. */
#define BH_MAX_PRINT_PAGES 2000u
/* Preload scripts one view runs in each document (SetPreloadScripts): automation
 * adding more is refused; together they stay within the message's 1 MiB. */
#define BH_MAX_PRELOAD_SCRIPTS 64u
/* Page ranges one PrintToPdf carries: a client asking for more gets "invalid argument". */
#define BH_MAX_PRINT_PAGE_RANGES 100u

typedef struct {
  BhMessageType type;
  const char *name;
  BhDirection direction;
  const char *payload_type; /* GVariant type string */
  guint n_fds;
  const char *field_names; /* as written in the catalogue: "view, navigation, url" */
} BhMessageInfo;

/**
 * bh_message_catalogue_check:
 * @error: a G_IO_ERROR_INVALID_DATA naming the first wrong row, e.g.
 *   "bh-messages.h: CommitNavigation: payload type (utsssu) has 6 fields but 5
 *   field names are given (view, navigation, url, content_type, charset)"
 *
 * Checks every row of the catalogue: a valid payload type, an fd count within
 * %BH_MAX_FDS, a unique id, and exactly one valid, unique field name per
 * top-level payload field. bh_message_info_lookup() runs it once and aborts
 * with the same message if it fails; the unit test calls it directly.
 *
 * Returns: %TRUE if the catalogue is well-formed.
 */
gboolean bh_message_catalogue_check (GError **error);

/**
 * bh_message_info_check:
 * @row: one row, of the catalogue or made up (tests)
 * @error: as for bh_message_catalogue_check()
 *
 * The per-row part of bh_message_catalogue_check(): everything but the
 * uniqueness of the id.
 *
 * Returns: %TRUE if the row is well-formed.
 */
gboolean bh_message_info_check (const BhMessageInfo *row, GError **error);

/**
 * bh_message_info_get_field_names:
 * @info: a catalogue row
 * @out_n: (out) (optional): how many names, the payload's top-level field count
 *
 * Returns: (transfer none) (array zero-terminated=1): the row's field names,
 *   split, for as long as the process lives.
 */
const char *const *bh_message_info_get_field_names (const BhMessageInfo *info, guint *out_n);

/**
 * bh_message_info_lookup:
 * @type: a wire type id (any 16-bit value; unknown ids are allowed)
 *
 * Returns: (nullable) (transfer none): the catalogue row, or %NULL for an id
 *   the catalogue does not know.
 */
const BhMessageInfo *bh_message_info_lookup (guint type);

/**
 * bh_message_type_name:
 * @type: a wire type id
 *
 * Returns: (transfer none): the message's name, or "Unknown" for an id the
 *   catalogue does not know. Never %NULL.
 */
const char *bh_message_type_name (guint type);

/**
 * bh_message_info_foreach:
 * @func: called once per catalogue row, in id order
 * @user_data: passed to @func
 */
void bh_message_info_foreach (void (*func) (const BhMessageInfo *info, gpointer user_data),
                              gpointer user_data);

/* A whole message: what the channel delivers and what the tracer reports. */
typedef struct {
  BhMessageType type;
  guint16 flags;
  guint32 serial;
  guint32 reply_serial; /* 0 unless this answers a request */
  GVariant *payload;    /* (owned) of the catalogue's type, in normal form */
  int fds[BH_MAX_FDS];  /* (owned) close-on-exec; -1 once stolen */
  guint n_fds;
} BhMessage;

/**
 * bh_message_steal_fd:
 * @message: a received message
 * @index: which fd, 0 <= @index < @message->n_fds
 *
 * Takes ownership of one of the message's fds, so that bh_message_free() does
 * not close it.
 *
 * Returns: the fd (transfer full), or -1 if @index is out of range or the fd
 *   was already stolen.
 */
int bh_message_steal_fd (BhMessage *message, guint index);

/**
 * bh_message_free:
 * @message: (nullable) (transfer full): a message
 *
 * Drops the payload and closes every fd that was not stolen.
 */
void bh_message_free (BhMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhMessage, bh_message_free)

G_END_DECLS
