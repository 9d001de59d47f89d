/* bh-download.h: a response saved to a file instead of shown (a download).
 *
 * A navigation whose response the browser cannot show (by its MIME type:
 * an archive, a binary, anything that is not text, markup, a supported image
 * or a plugin's type) or that the server marks `Content-Disposition:
 * attachment` is not committed to any renderer: the tab hands the response,
 * still arriving, to a BhDownload, which writes it into the user's download
 * folder (XDG_DOWNLOAD_DIR, else ~/Downloads) under a name of its own (the
 * header's filename, else the URL's last segment; "name (1).ext" when one is
 * there already), and the tab stays on its page, as in Chromium. No widget:
 * the window lists downloads with their progress, Cancel and Open folder.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  BH_DOWNLOAD_IN_PROGRESS,
  BH_DOWNLOAD_COMPLETE,
  BH_DOWNLOAD_CANCELLED, /* the file is removed */
  BH_DOWNLOAD_FAILED,    /* the network or the disk failed; "error-message" says why */
} BhDownloadState;

#define BH_TYPE_DOWNLOAD (bh_download_get_type ())
G_DECLARE_FINAL_TYPE (BhDownload, bh_download, BH, DOWNLOAD, GObject)

/*
 * Properties (read-only, with notify):
 *   "url"            string  what was fetched (the final URL)
 *   "path"           string  the file it is written to
 *   "received-bytes" guint64 written so far
 *   "total-bytes"    gint64  the Content-Length, -1 when unknown
 *   "state"          BhDownloadState, as an int
 *   "error-message"  string  why it failed, "" otherwise
 */

/**
 * bh_download_start:
 * @url: the response's final URL
 * @content_disposition: (nullable): its Content-Disposition header
 * @total_bytes: its length, -1 when unknown
 * @directory: (nullable): where to save; %NULL for the user's download folder
 * @cancellable: (transfer none): cancels the fetch that feeds it; Cancel
 *   cancels it
 * @error: why the file could not be made
 *
 * Makes the file (with a name no other file there has, O_EXCL) and waits
 * for bytes.
 *
 * Returns: (transfer full) (nullable): the download, %NULL on @error.
 */
BhDownload *bh_download_start (const char *url, const char *content_disposition, gint64 total_bytes,
                               const char *directory, GCancellable *cancellable, GError **error);

/**
 * bh_download_write:
 * @chunk: the next bytes of the body
 *
 * Appends @chunk to the file; a write that fails ends the download as
 * failed and cancels its fetch.
 */
void bh_download_write (BhDownload *download, GBytes *chunk);

/**
 * bh_download_finish:
 * @error: (nullable): why the fetch ended early; %NULL: the body is whole
 *
 * The fetch is over: complete, or failed (or cancelled, when @error is
 * G_IO_ERROR_CANCELLED), its partial file then removed.
 */
void bh_download_finish (BhDownload *download, const GError *error);

/**
 * bh_download_cancel:
 *
 * Stops the download (Cancel in the downloads list): the fetch is cancelled
 * and the partial file removed.
 */
void bh_download_cancel (BhDownload *download);

const char *bh_download_get_url (BhDownload *download);
const char *bh_download_get_path (BhDownload *download);
guint64 bh_download_get_received_bytes (BhDownload *download);
gint64 bh_download_get_total_bytes (BhDownload *download);
BhDownloadState bh_download_get_state (BhDownload *download);
const char *bh_download_get_error_message (BhDownload *download);

/**
 * bh_download_suggest_filename:
 * @url: the response's URL
 * @content_disposition: (nullable): its Content-Disposition
 *
 * The file name to save as: the header's `filename=` (RFC 6266; quoted or
 * not), else the URL path's last segment, percent-decoded, else "download";
 * made safe: no directory part, no leading dot, no control characters, valid
 * UTF-8, at most 200 bytes.
 *
 * Returns: (transfer full): the name.
 */
char *bh_download_suggest_filename (const char *url, const char *content_disposition);

/**
 * bh_download_is_attachment:
 * @content_disposition: (nullable): a Content-Disposition header
 *
 * Returns: whether its disposition type is "attachment" (RFC 6266: case
 *   insensitive, before any parameter).
 */
gboolean bh_download_is_attachment (const char *content_disposition);

/**
 * bh_download_type_is_displayable:
 * @content_type: a MIME type essence, lower case
 *
 * What a tab shows rather than saves: text/ anything, HTML and XML, JSON and
 * scripts (as text), the images the renderer decodes. Plugin types are
 * asked of the plugins separately.
 *
 * Returns: %TRUE when a renderer can show it.
 */
gboolean bh_download_type_is_displayable (const char *content_type);

G_END_DECLS
