/* bh-child-output.h: the lines a child process writes on its stdout and stderr.
 *
 * Every renderer and plugin host gets one pipe as its fds 1 and 2 instead of
 * the browser's own: a sandboxed child could otherwise truncate or overwrite
 * the file the browser's stderr goes to (ftruncate() and lseek() on an
 * inherited fd 2). The browser reads the pipe on its main loop and hands each
 * line to a callback; the child host's writes it to the browser's stderr
 * prefixed with the child's role, site and pid
 * (bh_child_output_format_line()). The pipe is also the flow control: a child
 * that writes faster than the browser reads blocks in write(), as it would
 * on a terminal.
 *
 * The reader knows nothing of what the lines mean, so that other consumers
 * (children's --ipc-debug trace lines, say) can use the same pipe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A longer line is handed over in pieces of this many bytes. */
#define BH_CHILD_OUTPUT_MAX_LINE_BYTES 4096
/* A dispatch reads at most this much before yielding to the main loop, so a
 * child that floods its stderr cannot starve the browser. */
#define BH_CHILD_OUTPUT_MAX_DISPATCH_BYTES (64 * 1024)

/**
 * BhChildOutputLineFunc:
 * @line: (array length=len): one line without its newline, as the child
 *   wrote it: any bytes, not NUL-terminated, not validated
 * @len: its length in bytes, at most %BH_CHILD_OUTPUT_MAX_LINE_BYTES
 * @user_data: as given to bh_child_output_new()
 *
 * Called on the main thread for every line, in order.
 */
typedef void (*BhChildOutputLineFunc) (const char *line, gsize len, gpointer user_data);

typedef struct _BhChildOutput BhChildOutput;

/**
 * bh_child_output_new:
 * @fd: (transfer full): the read end of the child's pipe; made non-blocking
 * @func: called for each line
 * @user_data: for @func
 * @notify: (nullable): frees @user_data with the reader
 *
 * Watches @fd on the default main context. At EOF (every writer is gone) the
 * last partial line, if any, is handed over and the fd is closed.
 *
 * Returns: (transfer full): the reader; free it with bh_child_output_free().
 */
BhChildOutput *bh_child_output_new (int fd, BhChildOutputLineFunc func, gpointer user_data,
                                    GDestroyNotify notify);

/**
 * bh_child_output_drain:
 *
 * Reads, without blocking, everything the pipe holds now and hands over its
 * lines (a partial one too when the pipe is at EOF). For a child just reaped,
 * whose last words would otherwise wait for the next main-loop iteration or
 * be lost at shutdown.
 */
void bh_child_output_drain (BhChildOutput *output);

/**
 * bh_child_output_is_closed:
 *
 * Returns: %TRUE once EOF was read and the fd closed.
 */
gboolean bh_child_output_is_closed (const BhChildOutput *output);

/**
 * bh_child_output_free:
 * @output: (nullable) (transfer full):
 *
 * Drains (bh_child_output_drain()), hands over a last partial line, stops
 * watching and closes the fd.
 */
void bh_child_output_free (BhChildOutput *output);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhChildOutput, bh_child_output_free)

/**
 * bh_child_output_format_line:
 * @prefix: what names the child, e.g. "renderer http://alpha.test 1234"
 * @line: (array length=len): a line from the child
 * @len: its length
 *
 * The line as the browser prints it: "[PREFIX] LINE". The child is not
 * trusted with the browser's terminal: bytes that are not printable UTF-8
 * (control characters such as ESC, a tab aside, and invalid sequences) are
 * written as "\xNN".
 *
 * Returns: (transfer full): the text, without a newline.
 */
char *bh_child_output_format_line (const char *prefix, const char *line, gsize len);

G_END_DECLS
