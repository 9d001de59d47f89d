/* bh-renderer-host-script.h: the checks on a renderer's script messages
 * (ConsoleMessage, ScriptResult, RunDialog, ScriptNavigate), for
 * bh-renderer-host.c. Values only: the host checks views and navigations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Console lines are cut here (as titles are at 4096): the browser shows lines. */
#define BH_MAX_CONSOLE_MESSAGE_CHARS 4096
/* Dialog messages and a prompt's default text are cut here. */
#define BH_MAX_DIALOG_TEXT_CHARS 4096
/* A ScriptResult's JSON: at most this many bytes (the renderer's
 * BH_SCRIPT_MAX_RESULT_BYTES) and this deep. */
#define BH_MAX_SCRIPT_RESULT_BYTES (512u * 1024u)
#define BH_MAX_SCRIPT_RESULT_DEPTH 80

/**
 * bh_renderer_script_check_result:
 * @json: what a renderer sent in ScriptResult
 * @error: (out): why it is a bad message
 *
 * Bounded, UTF-8 (GVariant already said so), nested at most
 * %BH_MAX_SCRIPT_RESULT_DEPTH, parses as JSON (json-glib), and an object whose
 * "type" is "success" (with a "result" object) or "exception" (with an
 * "exceptionDetails" object): the shape WebDriver BiDi's script module answers with.
 */
gboolean bh_renderer_script_check_result (const char *json, GError **error);

/**
 * bh_renderer_script_cut_text:
 * @text: UTF-8 (GVariant checked it)
 *
 * Returns: (transfer full): @text, cut at @max_chars characters.
 */
char *bh_renderer_script_cut_text (const char *text, glong max_chars);

G_END_DECLS
