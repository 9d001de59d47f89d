/* bh-fake-renderer.c: a renderer that speaks the protocol, well or badly, on request.
 *
 * The browser tests point --browser-subprocess-path here to drive the renderer
 * host through every case of the trust boundary without an HTML engine:
 *
 *  - by site, at start-up: a site containing "noready" exits with code 3
 *    before ChildReady; "garbage" writes bytes that are no frame;
 *  - by the last path segment of a committed URL: "bad-view", "bad-url",
 *    "bad-frame", "redraw-held", "reused-buffer-id", "unsealed-buffer" (a memfd without seals),
 *    "oversized-buffer" (more bytes claimed than the memfd holds), "huge-buffer"
 *    (a 16384x16384 px buffer, 1 GiB, whatever the view's size, and a frame in it),
 *    "unasked-nodes" (a NodesLocated for an element query never sent),
 *    "unasked-favicon" (a FaviconDecoded for a DecodeFavicon never sent),
 *    "file-favicon" (an UpdateFaviconURL naming a file: URL),
 *    "unasked-pdf" (a PdfPrinted for a print never asked)
 *    break one rule each; anything else is drawn
 *    as a page of one colour, in a frame after DidFinishLoad as the real
 *    renderer does;
 *  - a last segment "cross-site-reads" asks, after its commit, for what a
 *    renderer of its site may not read (another site's HTML, a file:, an
 *    about: page, HTML sent with "Content-Type: image/png" and then
 *    "Content-Type: text/html") and for another site's image, and holds DidFinishLoad until
 *    all are answered; its title then reports, a line per request in that
 *    order, "LABEL ok TYPE SIZE SHA256" or "LABEL failed REASON";
 *  - a last segment "request-budget?hang=PORT" asks for as many subresources as a
 *    view may have in flight (BH_MAX_RESOURCE_REQUESTS_PER_VIEW), from a server on
 *    127.0.0.1:PORT that never answers; a later commit of "after-budget" waits for
 *    every one of those to be answered (cancelled), then asks for as many pages of
 *    its own site and, once all are answered, finishes with the title "budget ok N";
 *  - a last segment "popups" asks for 300 new tabs (OpenURL, new-tab disposition)
 *    once loaded, and 300 more on every mouse button release it is sent, before
 *    acknowledging it;
 *  - a last segment "selection-too-long" (SelectionChanged one byte over
 *    BH_MAX_SELECTION_BYTES) or
 *    "find-reply-unasked" (a FindReply for a Find never sent) breaks that rule;
 *  - every Find is answered with match 3 of 2, past the count it claims;
 *  - a last segment "submit-bad-method", "submit-file-url", "submit-get-with-body" or
 *    "submit-bad-type" sends a SubmitForm the browser would not make a request of;
 *    "scroll-x-negative" a HorizontalScrollChanged to x -5;
 *    "popup-too-many" a ShowPopupMenu of BH_MAX_POPUP_ITEMS + 1 options,
 *    "popup-bad-selected" one whose selected option is past its list,
 *    "context-menu-bad-link" a ShowContextMenu on a link that is no URL,
 *    "tooltip-too-long" a TooltipChanged one character over BH_MAX_TOOLTIP_CHARS;
 *  - a last segment "popup-unasked" sends a well-formed ShowPopupMenu and
 *    ShowContextMenu with no click that asked (the browser ignores them);
 *  - a last segment "clipboard" sends ClipboardWrite "stolen" unasked; every
 *    KeyEvent is answered with ClipboardWrite "copied" before its ack;
 *  - a last segment "cookies" sets "js=1" and "ho=1; HttpOnly" as document.cookie
 *    would (CookieSet), then reads document.cookie (CookieGet, a synchronous
 *    request) and finishes with the title "cookies: " and what CookieValue said;
 *  - about:crash (SIGSEGV), about:kill (SIGKILL), about:hang (stops reading);
 *  - a last segment "oom" allocates until its memory limit stops it;
 *    "memfd-hog" writes 1 GiB into a memfd it never maps, then draws;
 *  - a last segment "bad-script-result" answers a ScriptResult that is not JSON,
 *    "bad-dialog" a RunDialog of kind 7 that is not a request, "big-cookie" a
 *    CookieSet of 5000 bytes, "fetch-file-url" a FetchRequest for a file: URL,
 *    ("fetch-preflight" a cross-origin POST of JSON, and its FetchFailed as the title),
 *    "storage-bad-operation" a StorageChange of operation 7 (each after its commit);
 *  - a last segment "stderr-attack" writes two lines to stderr (one with a
 *    terminal escape), then tries to truncate and overwrite whatever its fd 2
 *    is, then draws.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-child.h"
#include "bh-sandbox.h"
#include "bh-shm.h"

typedef struct {
  guint32 id;
  BhBitmap *bitmap;
  gboolean held;
} Buffer;

/* The cross-site-reads requests; the request id is the index + 1. */
static const char *const read_labels[] = { "beta-html", "file", "about", "beta-image",
                                           "beta-two-types" };

typedef struct {
  guint32 id;
  Buffer buffers[2];
  /* While cross-site-reads waits for its answers. */
  guint64 reads_navigation_id;
  char *reads_url;
  char *reads_results[G_N_ELEMENTS (read_labels)];
  /* request-budget / after-budget: requests without an answer, and the second round. */
  guint budget_outstanding;
  guint budget_answered;
  gboolean budget_waiting;  /* after-budget: waiting for the first round's answers */
  guint64 budget_navigation_id;
  char *budget_url;
  /* The page asks for new tabs (a "popups" page). */
  gboolean popups;
  char *popups_url;
  /* fetch-preflight: the navigation whose FetchFailed becomes the title. */
  guint64 fetch_navigation_id;
} View;

#define POPUPS_PER_BURST 300

static BhChannel *channel;
static GHashTable *views; /* id -> View */
static guint32 next_buffer_id = 1;
static GMainLoop *loop;

static void
view_free (View *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    bh_bitmap_free (view->buffers[i].bitmap);
  for (guint i = 0; i < G_N_ELEMENTS (view->reads_results); i++)
    g_free (view->reads_results[i]);
  g_free (view->reads_url);
  g_free (view->popups_url);
  g_free (view->budget_url);
  g_free (view);
}

static void
create_buffers (View *view, guint width, guint height)
{
  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    {
      Buffer *buffer = &view->buffers[i];
      g_autoptr (GError) error = NULL;

      if (buffer->bitmap != NULL)
        {
          bh_channel_send (channel, BH_MSG_BufferDestroyed, g_variant_new ("(uu)", view->id, buffer->id),
                           NULL, 0);
          g_clear_pointer (&buffer->bitmap, bh_bitmap_free);
        }
      buffer->bitmap = bh_bitmap_new (width, height, &error);
      g_assert_no_error (error);
      buffer->id = next_buffer_id++;
      buffer->held = FALSE;
      bh_channel_send (channel, BH_MSG_BufferCreated,
                       g_variant_new ("(uuuuut)", view->id, buffer->id, width, height,
                                      buffer->bitmap->stride_bytes,
                                      (guint64) buffer->bitmap->size_bytes),
                       &buffer->bitmap->fd, 1);
    }
}

static Buffer *
free_buffer (View *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    if (!view->buffers[i].held)
      return &view->buffers[i];
  return NULL;
}

static void
paint (View *view, Buffer *buffer, guint32 colour)
{
  BhBitmap *b = buffer->bitmap;
  GVariantBuilder damage;

  for (guint y = 0; y < b->height; y++)
    {
      guint32 *row = (guint32 *) (b->data + (gsize) y * b->stride_bytes);

      for (guint x = 0; x < b->width; x++)
        row[x] = colour;
    }
  buffer->held = TRUE;
  g_variant_builder_init (&damage, G_VARIANT_TYPE ("a(iiii)"));
  g_variant_builder_add (&damage, "(iiii)", 0, 0, (gint32) b->width, (gint32) b->height);
  bh_channel_send (channel, BH_MSG_FrameReady,
                   g_variant_new ("(uuiua(iiii))", view->id, buffer->id, 0, b->height, &damage),
                   NULL, 0);
}

static void
finish_load (View *view, guint64 navigation_id, const char *url, const char *last)
{
  Buffer *buffer;

  bh_channel_send (channel, BH_MSG_DidFinishLoad, g_variant_new ("(ut)", view->id, navigation_id), NULL,
                   0);
  buffer = free_buffer (view);
  if (buffer == NULL)
    return;
  paint (view, buffer, 0xff000000u | (g_str_hash (url) & 0x7f7f7fu));
  if (g_str_equal (last, "reused-buffer-id"))
    {
      /* A new bitmap under an id already given (the first one). */
      g_autoptr (GError) error = NULL;
      g_autoptr (BhBitmap) bitmap = bh_bitmap_new (16, 16, &error);
      g_assert_no_error (error);
      bh_channel_send (channel, BH_MSG_BufferCreated,
                       g_variant_new ("(uuuuut)", view->id, 1, 16, 16, bitmap->stride_bytes,
                                      (guint64) bitmap->size_bytes),
                       &bitmap->fd, 1);
    }
  if (g_str_equal (last, "redraw-held"))
    {
      buffer->held = FALSE;
      paint (view, buffer, 0xff00ff00u);
    }
}

/* Asks for what a renderer of http://alpha.test must not get, plus a control,
 * on the committed page's port. */
static void
request_cross_site_reads (View *view, guint64 navigation_id, const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *beta_html = NULL;
  g_autofree char *beta_image = NULL;
  g_autofree char *beta_two_types = NULL;
  const char *urls[G_N_ELEMENTS (read_labels)];

  g_assert (uri != NULL);
  beta_html = g_strdup_printf ("http://beta.test:%d/page.html", g_uri_get_port (uri));
  beta_image = g_strdup_printf ("http://beta.test:%d/image.png", g_uri_get_port (uri));
  urls[0] = beta_html;
  urls[1] = "file:///etc/passwd";
  urls[2] = "about:start";
  urls[3] = beta_image;
  /* HTML behind two Content-Type headers, image/png first (issue #12). */
  beta_two_types = g_strdup_printf ("http://beta.test:%d/secret.two-types", g_uri_get_port (uri));
  urls[4] = beta_two_types;

  view->reads_navigation_id = navigation_id;
  g_free (view->reads_url);
  view->reads_url = g_strdup (url);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_clear_pointer (&view->reads_results[i], g_free);
      bh_channel_send (channel, BH_MSG_ResourceRequest, g_variant_new ("(uus)", view->id, i + 1, urls[i]),
                       NULL, 0);
    }
}

/* Request ids from here on are request-budget's. */
#define BUDGET_REQUEST_ID_BASE 1000u

static void
budget_send (View *view, const char *url_prefix)
{
  static guint32 next_id = BUDGET_REQUEST_ID_BASE;

  for (guint i = 0; i < BH_MAX_RESOURCE_REQUESTS_PER_VIEW; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s%u", url_prefix, i);

      view->budget_outstanding++;
      bh_channel_send (channel, BH_MSG_ResourceRequest, g_variant_new ("(uus)", view->id, next_id++, url), NULL,
                       0);
    }
}

/* after-budget's second round: its own site's pages. */
static void
budget_second_round (View *view)
{
  g_autoptr (GUri) uri = g_uri_parse (view->budget_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *prefix = g_strdup_printf ("http://%s:%d/budget-", g_uri_get_host (uri), g_uri_get_port (uri));

  view->budget_waiting = FALSE;
  view->budget_answered = 0;
  budget_send (view, prefix);
}

static void
budget_answered (View *view)
{
  g_assert (view->budget_outstanding > 0);
  view->budget_outstanding--;
  view->budget_answered++;
  if (view->budget_waiting && view->budget_outstanding == 0)
    budget_second_round (view);
  else if (!view->budget_waiting && view->budget_url != NULL && view->budget_outstanding == 0 &&
           view->budget_answered == BH_MAX_RESOURCE_REQUESTS_PER_VIEW)
    {
      g_autofree char *title = g_strdup_printf ("budget ok %u", view->budget_answered);

      bh_channel_send (channel, BH_MSG_TitleChanged,
                       g_variant_new ("(uts)", view->id, view->budget_navigation_id, title), NULL, 0);
      finish_load (view, view->budget_navigation_id, view->budget_url, "after-budget");
      g_clear_pointer (&view->budget_url, g_free);
    }
}

/* Records one answer; the last one reports them all in the title. */
static void
resource_answered (BhMessage *message)
{
  guint32 id, request_id;
  g_autofree char *result = NULL;
  g_autoptr (GString) report = NULL;
  View *view;

  g_variant_get_child (message->payload, 0, "u", &id);
  g_variant_get_child (message->payload, 1, "u", &request_id);
  view = g_hash_table_lookup (views, GUINT_TO_POINTER (id));
  if (view != NULL && request_id >= BUDGET_REQUEST_ID_BASE)
    {
      budget_answered (view);
      return;
    }
  if (view == NULL || view->reads_url == NULL || request_id == 0 ||
      request_id > G_N_ELEMENTS (read_labels) || view->reads_results[request_id - 1] != NULL)
    g_error ("fake-renderer: an answer to no request (view %u, request %u)", id, request_id);

  if (message->type == BH_MSG_ResourceResponse)
    {
      const char *type;
      guint64 size;
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *sum = NULL;

      g_variant_get (message->payload, "(uu&st)", NULL, NULL, &type, &size);
      bytes = bh_blob_map (message->fds[0], size, &error);
      g_assert_no_error (error);
      sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      result = g_strdup_printf ("%s ok %s %" G_GUINT64_FORMAT " %s", read_labels[request_id - 1], type,
                                size, sum);
    }
  else
    {
      const char *reason;

      g_variant_get (message->payload, "(uu&s)", NULL, NULL, &reason);
      result = g_strdup_printf ("%s failed %s", read_labels[request_id - 1], reason);
    }
  view->reads_results[request_id - 1] = g_steal_pointer (&result);

  report = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (read_labels); i++)
    {
      if (view->reads_results[i] == NULL)
        return;
      g_string_append_printf (report, "%s%s", i > 0 ? "\n" : "", view->reads_results[i]);
    }
  bh_channel_send (channel, BH_MSG_TitleChanged,
                   g_variant_new ("(uts)", view->id, view->reads_navigation_id, report->str), NULL, 0);
  finish_load (view, view->reads_navigation_id, view->reads_url, "cross-site-reads");
  g_clear_pointer (&view->reads_url, g_free);
}

/* A hostile page's burst: hundreds of new tabs, one OpenURL each. */
static void
open_popups (View *view)
{
  for (guint i = 0; i < POPUPS_PER_BURST; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s-%u", view->popups_url, i + 1);

      bh_channel_send (channel, BH_MSG_OpenURL, g_variant_new ("(usu)", view->id, url, 1u), NULL, 0);
    }
}

/* The "cookies" page: as document.cookie does, two sets, then a synchronous get. */
static gboolean
document_cookie_cb (gpointer data)
{
  View *view = data;
  g_autoptr (BhMessage) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  const char *cookies;

  bh_channel_send (channel, BH_MSG_CookieSet, g_variant_new ("(uts)", view->id, view->reads_navigation_id, "js=1"),
                   NULL, 0);
  bh_channel_send (channel, BH_MSG_CookieSet,
                   g_variant_new ("(uts)", view->id, view->reads_navigation_id, "ho=1; HttpOnly"), NULL, 0);
  if (!bh_channel_call_sync (channel, BH_MSG_CookieGet, g_variant_new ("(ut)", view->id, view->reads_navigation_id),
                             NULL, 0, 10000, &reply, &error) ||
      reply->type != BH_MSG_CookieValue)
    g_error ("fake-renderer: CookieGet: %s", error != NULL ? error->message : "not a CookieValue");
  g_variant_get (reply->payload, "(&s)", &cookies);
  title = g_strdup_printf ("cookies: %s", cookies);
  bh_channel_send (channel, BH_MSG_TitleChanged, g_variant_new ("(uts)", view->id, view->reads_navigation_id, title),
                   NULL, 0);
  finish_load (view, view->reads_navigation_id, view->reads_url, "cookies");
  g_clear_pointer (&view->reads_url, g_free);
  return G_SOURCE_REMOVE;
}

static void
commit (View *view, guint64 navigation_id, const char *url)
{
  const char *slash = strrchr (url, '/');
  g_autofree char *segment = NULL;
  const char *last;

  if (g_str_equal (url, "about:crash"))
    {
      signal (SIGSEGV, SIG_DFL);
      raise (SIGSEGV);
    }
  if (g_str_equal (url, "about:kill"))
    raise (SIGKILL);
  if (g_str_equal (url, "about:hang"))
    {
      /* Stops serving its channel: the browser's pings go unanswered. */
      for (;;)
        pause ();
    }
  /* "huge-buffer.html" is "huge-buffer": a file server gives an extensionless
   * file application/octet-stream, which the browser downloads. */
  segment = g_strdup (slash != NULL ? slash + 1 : url);
  if (g_str_has_suffix (segment, ".html"))
    segment[strlen (segment) - strlen (".html")] = '\0';
  last = segment;

  if (g_str_equal (last, "oom"))
    {
      /* Until the address-space limit makes g_malloc() fail. */
      for (;;)
        {
          char *block = g_malloc (16 * 1024 * 1024);

          memset (block, 1, 16 * 1024 * 1024);
        }
    }

  if (g_str_equal (last, "stderr-attack"))
    {
      static const char lines[] = "a line from the renderer\n\033[2Jan escape\n";
      G_GNUC_UNUSED ssize_t written = write (STDERR_FILENO, lines, sizeof lines - 1);
      /* On the browser's own log file these two would wipe it; on a pipe they fail. */
      G_GNUC_UNUSED int truncated = ftruncate (STDERR_FILENO, 0);
      G_GNUC_UNUSED off_t offset = lseek (STDERR_FILENO, 0, SEEK_SET);

      written = write (STDERR_FILENO, "OVERWRITTEN\n", 12);
    }
  if (g_str_equal (last, "memfd-hog"))
    {
      /* Shared memory that no mapping counts: RLIMIT_AS does not see it. */
      static char chunk[1024 * 1024];
      int fd = memfd_create ("memfd-hog", MFD_CLOEXEC);

      memset (chunk, 0x5a, sizeof chunk);
      for (guint mib = 0; fd >= 0 && mib < 512; mib++)
        if (write (fd, chunk, sizeof chunk) != (ssize_t) sizeof chunk)
          break;
      if (fd >= 0)
        close (fd);
    }

  if (g_str_equal (last, "bad-url"))
    {
      bh_channel_send (channel, BH_MSG_DidCommitNavigation,
                       g_variant_new ("(uts)", view->id, navigation_id, "http://evil.test/"), NULL, 0);
      return;
    }
  bh_channel_send (channel, BH_MSG_DidCommitNavigation,
                   g_variant_new ("(uts)", view->id, navigation_id, url), NULL, 0);
  if (g_str_equal (last, "bad-script-result"))
    {
      bh_channel_send (channel, BH_MSG_ScriptResult, g_variant_new ("(uus)", view->id, 1, "{\"type\":\"success\","),
                       NULL, 0);
      return;
    }
  if (g_str_equal (last, "bad-dialog"))
    {
      bh_channel_send (channel, BH_MSG_RunDialog, g_variant_new ("(utuss)", view->id, navigation_id, 7, "hi", ""),
                       NULL, 0);
      return;
    }
  if (g_str_equal (last, "big-cookie"))
    {
      g_autofree char *cookie = g_strnfill (5000, 'c');
      bh_channel_send (channel, BH_MSG_CookieSet, g_variant_new ("(uts)", view->id, navigation_id, cookie), NULL, 0);
      return;
    }
  if (g_str_equal (last, "fetch-file-url"))
    {
      /* fetch() of a file: URL, which an honest renderer never asks for (another
       * site's http URL is honest: the browser's CORS check decides). */
      bh_channel_send (channel, BH_MSG_FetchRequest,
                       g_variant_new ("(utusss@ay)", view->id, navigation_id, 1u, "GET", "file:///etc/passwd", "",
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1)),
                       NULL, 0);
      return;
    }
  if (g_str_equal (last, "fetch-preflight"))
    {
      /* A cross-origin POST whose type needs a CORS preflight: honest, refused
       * with FetchFailed (whose reason becomes the title), never sent. */
      view->fetch_navigation_id = navigation_id;
      bh_channel_send (channel, BH_MSG_FetchRequest,
                       g_variant_new ("(utusss@ay)", view->id, navigation_id, 1u, "POST", "http://alpha.test/x",
                                      "application/json", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "{}", 2, 1)),
                       NULL, 0);
      return;
    }
  if (g_str_equal (last, "storage-bad-operation"))
    {
      bh_channel_send (channel, BH_MSG_StorageChange,
                       g_variant_new ("(utuuss)", view->id, navigation_id, 0u, 7u, "k", "v"), NULL, 0);
      return;
    }
  if (g_str_equal (last, "unasked-favicon"))
    {
      static const guint8 red[4] = { 0, 0, 255, 255 };

      bh_channel_send (channel, BH_MSG_FaviconDecoded,
                       g_variant_new ("(uuuu@ay)", view->id, 41, 1, 1,
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, red, 4, 1)),
                       NULL, 0);
      return;
    }
  if (g_str_equal (last, "file-favicon"))
    {
      bh_channel_send (channel, BH_MSG_UpdateFaviconURL,
                       g_variant_new ("(uts)", view->id, navigation_id, "file:///etc/passwd"), NULL, 0);
      return;
    }
  if (g_str_equal (last, "unasked-nodes"))
    {
      GVariantBuilder nodes;

      /* An answer to an element query the browser never sent. */
      g_variant_builder_init (&nodes, G_VARIANT_TYPE ("a(udddd)"));
      g_variant_builder_add (&nodes, "(udddd)", 1, 0.0, 0.0, 10.0, 10.0);
      bh_channel_send (channel, BH_MSG_NodesLocated,
                       g_variant_new ("(uuba(udddd))", view->id, 77, TRUE, &nodes), NULL, 0);
      return;
    }
  if (g_str_equal (last, "unasked-pdf"))
    {
      static const char pdf[] = "%PDF-1.5\n%%EOF\n";
      int fd = bh_blob_new (pdf, sizeof pdf - 1, "fake-pdf", NULL);

      bh_channel_send (channel, BH_MSG_PdfPrinted,
                       g_variant_new ("(uuuts)", view->id, 78, 1, (guint64) (sizeof pdf - 1), ""), &fd, 1);
      close (fd);
      return;
    }
  if (g_str_equal (last, "bad-view"))
    {
      bh_channel_send (channel, BH_MSG_TitleChanged,
                       g_variant_new ("(uts)", view->id + 1000, navigation_id, "stolen"), NULL, 0);
      return;
    }
  /* Issue 13's messages, each breaking one rule the browser checks. */
  if (g_str_equal (last, "selection-too-long"))
    {
      g_autofree char *text = g_strnfill (BH_MAX_SELECTION_BYTES + 1, 'x');

      bh_channel_send (channel, BH_MSG_SelectionChanged, g_variant_new ("(us)", view->id, text), NULL, 0);
      return;
    }
  /* Copy without the user asking: the browser ignores it (no activation). */
  if (g_str_equal (last, "clipboard"))
    bh_channel_send (channel, BH_MSG_ClipboardWrite, g_variant_new ("(us)", view->id, "stolen"), NULL, 0);
  /* Form submissions the browser must refuse as a request it would not build. */
  if (g_str_equal (last, "submit-bad-method") || g_str_equal (last, "submit-file-url") ||
      g_str_equal (last, "submit-get-with-body") || g_str_equal (last, "submit-bad-type"))
    {
      gboolean get_body = g_str_equal (last, "submit-get-with-body");
      const char *method = g_str_equal (last, "submit-bad-method") ? "DELETE" : get_body ? "GET" : "POST";
      const char *target = g_str_equal (last, "submit-file-url") ? "file:///etc/passwd" : "http://beta.test/x";
      const char *type = g_str_equal (last, "submit-bad-type") ? "text/html"
                         : get_body ? "" : "application/x-www-form-urlencoded";

      bh_channel_send (channel, BH_MSG_SubmitForm,
                       g_variant_new ("(usss@ay)", view->id, target, method, type,
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "a=b", 3, 1)),
                       NULL, 0);
      return;
    }
  if (g_str_equal (last, "scroll-x-negative"))
    {
      bh_channel_send (channel, BH_MSG_HorizontalScrollChanged, g_variant_new ("(ui)", view->id, -5), NULL, 0);
      return;
    }
  /* A <select>'s popup, the context menu and tooltips (ids 161-165). */
  if (g_str_equal (last, "popup-too-many") || g_str_equal (last, "popup-bad-selected") ||
      g_str_equal (last, "popup-unasked"))
    {
      guint n = g_str_equal (last, "popup-too-many") ? BH_MAX_POPUP_ITEMS + 1 : 3;
      GVariantBuilder items;

      g_variant_builder_init (&items, G_VARIANT_TYPE ("a(sb)"));
      for (guint i = 0; i < n; i++)
        g_variant_builder_add (&items, "(sb)", "option", TRUE);
      bh_channel_send (channel, BH_MSG_ShowPopupMenu,
                       g_variant_new ("(uuiiiiia(sb))", view->id, 1, 10, 10, 100, 20,
                                      g_str_equal (last, "popup-bad-selected") ? 3 : 0, &items),
                       NULL, 0);
      if (!g_str_equal (last, "popup-unasked"))
        return;
      bh_channel_send (channel, BH_MSG_ShowContextMenu,
                       g_variant_new ("(uiisssb)", view->id, 5, 5, "http://beta.test/", "", "", FALSE), NULL, 0);
    }
  if (g_str_equal (last, "context-menu-bad-link"))
    {
      bh_channel_send (channel, BH_MSG_ShowContextMenu,
                       g_variant_new ("(uiisssb)", view->id, 5, 5, "not a url", "", "", FALSE), NULL, 0);
      return;
    }
  if (g_str_equal (last, "tooltip-too-long"))
    {
      g_autofree char *text = g_strnfill (BH_MAX_TOOLTIP_CHARS + 1, 't');

      bh_channel_send (channel, BH_MSG_TooltipChanged, g_variant_new ("(us)", view->id, text), NULL, 0);
      return;
    }
  if (g_str_equal (last, "find-reply-unasked"))
    {
      bh_channel_send (channel, BH_MSG_FindReply, g_variant_new ("(uuuu)", view->id, 7, 3, 1), NULL, 0);
      return;
    }
  {
    g_autofree char *title = g_strdup_printf ("Fake %s", last);

    bh_channel_send (channel, BH_MSG_TitleChanged, g_variant_new ("(uts)", view->id, navigation_id, title),
                     NULL, 0);
  }
  bh_channel_send (channel, BH_MSG_LoadProgress, g_variant_new ("(utd)", view->id, navigation_id, 0.5),
                   NULL, 0);
  if (g_str_equal (last, "unsealed-buffer") || g_str_equal (last, "oversized-buffer"))
    {
      /* The view's own size, so that only the rule under test is broken. */
      guint width = view->buffers[0].bitmap->width, height = view->buffers[0].bitmap->height;
      guint stride = width * 4;
      gboolean sealed = g_str_equal (last, "oversized-buffer");
      int fd = memfd_create ("fake-buffer", MFD_CLOEXEC | (sealed ? MFD_ALLOW_SEALING : 0));

      /* Oversized: the memfd holds half of what the bitmap's size claims. */
      if (fd < 0 || ftruncate (fd, (off_t) stride * height / (sealed ? 2 : 1)) != 0 ||
          (sealed && fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0))
        g_error ("fake-renderer: cannot make the buffer: %s", g_strerror (errno));
      bh_channel_send (channel, BH_MSG_BufferCreated,
                       g_variant_new ("(uuuuut)", view->id, next_buffer_id++, width, height, stride,
                                      (guint64) stride * height),
                       &fd, 1);
      close (fd);
      return;
    }
  if (g_str_equal (last, "huge-buffer"))
    {
      /* The memfd is sparse: only the corner painted costs memory, here. */
      g_autoptr (GError) error = NULL;
      g_autoptr (BhBitmap) bitmap = bh_bitmap_new (BH_BITMAP_MAX_DIMENSION, BH_BITMAP_MAX_DIMENSION, &error);
      guint32 buffer_id = next_buffer_id++;
      GVariantBuilder damage;

      g_assert_no_error (error);
      for (guint y = 0; y < 16; y++)
        memset (bitmap->data + (gsize) y * bitmap->stride_bytes, 0x80, 16 * 4);
      bh_channel_send (channel, BH_MSG_BufferCreated,
                       g_variant_new ("(uuuuut)", view->id, buffer_id, bitmap->width, bitmap->height,
                                      bitmap->stride_bytes, (guint64) bitmap->size_bytes),
                       &bitmap->fd, 1);
      g_variant_builder_init (&damage, G_VARIANT_TYPE ("a(iiii)"));
      g_variant_builder_add (&damage, "(iiii)", 0, 0, 16, 16);
      bh_channel_send (channel, BH_MSG_FrameReady,
                       g_variant_new ("(uuiua(iiii))", view->id, buffer_id, 0, bitmap->height, &damage), NULL, 0);
      bh_channel_send (channel, BH_MSG_DidFinishLoad, g_variant_new ("(ut)", view->id, navigation_id), NULL, 0);
      return;
    }
  if (g_str_equal (last, "bad-frame"))
    {
      bh_channel_send (channel, BH_MSG_FrameReady,
                       g_variant_new ("(uuiua(iiii))", view->id, 4242u, 0, 100u, NULL), NULL, 0);
      return;
    }
  if (g_str_equal (last, "cross-site-reads"))
    {
      request_cross_site_reads (view, navigation_id, url);
      return;
    }
  if (g_str_equal (last, "cookies"))
    {
      /* From the main loop, as a script's task runs, not inside this dispatch. */
      view->reads_navigation_id = navigation_id;
      g_free (view->reads_url);
      view->reads_url = g_strdup (url);
      g_idle_add (document_cookie_cb, view);
      return;
    }
  if (g_str_has_prefix (last, "request-budget?hang="))
    {
      g_autofree char *prefix = g_strdup_printf ("http://127.0.0.1:%s/r-", last + strlen ("request-budget?hang="));

      budget_send (view, prefix);
      finish_load (view, navigation_id, url, last);
      return;
    }
  if (g_str_equal (last, "after-budget"))
    {
      view->budget_navigation_id = navigation_id;
      g_free (view->budget_url);
      view->budget_url = g_strdup (url);
      view->budget_waiting = TRUE;
      if (view->budget_outstanding == 0)
        budget_second_round (view);
      return;
    }
  finish_load (view, navigation_id, url, last);
  view->popups = g_str_equal (last, "popups");
  g_free (view->popups_url);
  view->popups_url = g_strdup (url);
  if (view->popups)
    open_popups (view);
}

static void
message_cb (BhChannel *ch, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) owned = message;

  switch (message->type)
    {
    case BH_MSG_Ping:
      bh_channel_reply (ch, message, BH_MSG_Pong, g_variant_new ("()"), NULL, 0);
      break;
    case BH_MSG_CreateView:
      {
        guint32 id, width, height;
        double scale;
        View *view = g_new0 (View, 1);

        g_variant_get (message->payload, "(uuud)", &id, &width, &height, &scale);
        view->id = id;
        g_hash_table_insert (views, GUINT_TO_POINTER (id), view);
        create_buffers (view, width, height);
      }
      break;
    case BH_MSG_DestroyView:
      {
        guint32 id;

        g_variant_get (message->payload, "(u)", &id);
        g_hash_table_remove (views, GUINT_TO_POINTER (id));
      }
      break;
    case BH_MSG_Resize:
      {
        guint32 id, width, height;
        double scale;
        View *view;

        g_variant_get (message->payload, "(uuud)", &id, &width, &height, &scale);
        view = g_hash_table_lookup (views, GUINT_TO_POINTER (id));
        if (view != NULL)
          {
            /* As the real renderer does: new buffers, and a frame at the new size. */
            create_buffers (view, width, height);
            paint (view, free_buffer (view), 0xff336699u);
          }
      }
      break;
    case BH_MSG_CommitNavigation:
      {
        guint32 id, capacity;
        guint64 navigation_id;
        const char *url, *type, *charset;
        View *view;

        /* The body's data pipe is not read: its fds close with the message,
         * and the browser stops sending. */
        g_variant_get (message->payload, "(ut&s&s&su)", &id, &navigation_id, &url, &type, &charset, &capacity);
        view = g_hash_table_lookup (views, GUINT_TO_POINTER (id));
        if (view != NULL)
          commit (view, navigation_id, url);
      }
      break;
    case BH_MSG_ResourceResponse:
    case BH_MSG_ResourceFailed:
      resource_answered (message);
      break;
    case BH_MSG_FetchFailed:
      {
        guint32 id, request_id;
        const char *reason;
        View *view;

        g_variant_get (message->payload, "(uu&s)", &id, &request_id, &reason);
        view = g_hash_table_lookup (views, GUINT_TO_POINTER (id));
        if (view != NULL && view->fetch_navigation_id != 0)
          {
            g_autofree char *title = g_strdup_printf ("fetch failed: %s", reason);

            bh_channel_send (channel, BH_MSG_TitleChanged,
                             g_variant_new ("(uts)", view->id, view->fetch_navigation_id, title), NULL, 0);
          }
      }
      break;
    case BH_MSG_ReleaseBuffer:
      {
        guint32 id, buffer_id;
        View *view;

        g_variant_get (message->payload, "(uu)", &id, &buffer_id);
        view = g_hash_table_lookup (views, GUINT_TO_POINTER (id));
        for (guint i = 0; view != NULL && i < G_N_ELEMENTS (view->buffers); i++)
          if (view->buffers[i].id == buffer_id)
            view->buffers[i].held = FALSE;
      }
      break;
    case BH_MSG_Find:
      {
        guint32 id, request;

        /* Match 3 of 2: past the count it claims. */
        g_variant_get (message->payload, "(uu&sbb)", &id, &request, NULL, NULL, NULL);
        bh_channel_send (channel, BH_MSG_FindReply, g_variant_new ("(uuuu)", id, request, 2, 3), NULL, 0);
      }
      break;
    case BH_MSG_PrintToPdf:
      {
        static const char not_pdf[] = "<html>not a PDF</html>";
        guint32 id, request;
        int fd = bh_blob_new (not_pdf, sizeof not_pdf - 1, "fake-pdf", NULL);

        /* A print answered with something that is not a PDF. */
        g_variant_get_child (message->payload, 0, "u", &id);
        g_variant_get_child (message->payload, 1, "u", &request);
        bh_channel_send (channel, BH_MSG_PdfPrinted,
                         g_variant_new ("(uuuts)", id, request, 1, (guint64) (sizeof not_pdf - 1), ""), &fd, 1);
        close (fd);
      }
      break;
    case BH_MSG_MouseEvent:
    case BH_MSG_ScrollEvent:
    case BH_MSG_KeyEvent:
    case BH_MSG_ScrollTo:
    case BH_MSG_FocusChanged:
      {
        guint32 id;
        View *view;

        g_variant_get_child (message->payload, 0, "u", &id);
        view = g_hash_table_lookup (views, GUINT_TO_POINTER (id));
        /* Any key is a Copy: what the user asked for reaches the clipboard. */
        if (view != NULL && message->type == BH_MSG_KeyEvent)
          bh_channel_send (channel, BH_MSG_ClipboardWrite, g_variant_new ("(us)", id, "copied"), NULL, 0);
        if (view != NULL && view->popups && message->type == BH_MSG_MouseEvent)
          {
            guint32 kind;

            g_variant_get_child (message->payload, 1, "u", &kind);
            if (kind == 2)
              open_popups (view);
          }
        bh_channel_send (channel, BH_MSG_InputEventAck, g_variant_new ("(uu)", id, message->serial), NULL,
                         0);
      }
      break;
    default:
      break;
    }
}

static void
error_cb (BhChannel *ch, const GError *error, gpointer user_data)
{
  /* The browser closed the channel: that is the signal to exit. */
  g_main_loop_quit (loop);
}

int
main (int argc, char **argv)
{
  BhChildArgs args;
  g_autoptr (GError) error = NULL;
  int raw_fd;

  if (!bh_child_parse_args (&argc, &argv, &args, &error))
    {
      g_printerr ("fake-renderer: %s\n", error->message);
      return 2;
    }
  if (args.site != NULL && strstr (args.site, "noready") != NULL)
    return 3;
  bh_sandbox_exit_on_out_of_memory ();
  bh_sandbox_set_undumpable ();
  bh_child_die_with_parent (args.browser_pid);

  raw_fd = dup (args.ipc_fd);
  channel = bh_child_connect (&args, "renderer", &error);
  if (channel == NULL)
    {
      g_printerr ("fake-renderer: %s\n", error->message);
      return 2;
    }
  views = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) view_free);
  loop = g_main_loop_new (NULL, FALSE);
  bh_channel_set_handlers (channel, message_cb, error_cb, NULL);
  bh_channel_attach (channel, NULL);
  bh_channel_send (channel, BH_MSG_ChildReady, g_variant_new ("(uss)", (guint32) getpid (), "renderer",
                                                              "none (fake renderer)"),
                   NULL, 0);
  if (args.site != NULL && strstr (args.site, "garbage") != NULL)
    {
      static const guint8 junk[64] = { 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0xff, 0xff };

      if (write (raw_fd, junk, sizeof junk) < 0)
        return 2;
    }
  close (raw_fd);
  g_main_loop_run (loop);

  g_hash_table_unref (views);
  bh_channel_unref (channel);
  g_main_loop_unref (loop);
  bh_child_args_clear (&args);
  return 0;
}
