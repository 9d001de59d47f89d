/* bh-webdriver.h: classic WebDriver (https://w3c.github.io/webdriver/) on
 * the HTTP side of --remote-debugging-port, for clients such as
 * WebdriverIO and Selenium that start with POST /session.
 *
 * The BiDi server's lws protocol hands every plain HTTP request here
 * (bh-bidi.c), after the same Host and Origin checks as a WebSocket
 * handshake. The commands run through the BiDi handlers wherever BiDi has
 * the command (bh_bidi_command_new_for_reply()), so both protocols do one
 * thing one way, and element references are the same in both
 * (bh-bidi-elements.c). Every answer is JSON, {"value": ...}, errors the
 * spec's error objects with the spec's HTTP status.
 */
#pragma once

#include <libwebsockets.h>

#include "bh-bidi-private.h"

G_BEGIN_DECLS

typedef struct _BhWebDriver BhWebDriver;
typedef struct _BhWebDriverRequest BhWebDriverRequest;

/* The classic sessions of one server. */
BhWebDriver *bh_webdriver_new (BhBidiServer *server);
void bh_webdriver_free (BhWebDriver *webdriver);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhWebDriver, bh_webdriver_free)

/**
 * bh_webdriver_has_session:
 *
 * Whether @session_id is a live classic session: a WebSocket handshake on
 * /session/ID (its webSocketUrl) attaches to it.
 */
gboolean bh_webdriver_has_session (BhWebDriver *webdriver, const char *session_id);

/**
 * bh_webdriver_request_new:
 * @method: the request's method
 * @path: its path, as sent
 *
 * LWS_CALLBACK_HTTP: a request starts. Its body (if any) follows with
 * bh_webdriver_request_receive(), then bh_webdriver_request_run().
 *
 * Returns: (transfer full): the request, for the lws session's slot
 */
BhWebDriverRequest *bh_webdriver_request_new (BhWebDriver *webdriver, struct lws *wsi,
                                              const char *method, const char *path);

/* LWS_CALLBACK_HTTP_BODY: more of the body (a body over 1 MiB is refused). */
void bh_webdriver_request_receive (BhWebDriverRequest *request, const void *data, gsize length);

/* The body is whole (or there is none): the command runs, now or later. */
void bh_webdriver_request_run (BhWebDriverRequest *request);

/**
 * bh_webdriver_request_refuse:
 * @status: an HTTP status
 * @error: a WebDriver error code
 *
 * Answers at once without running anything (a refused Host, say).
 */
void bh_webdriver_request_refuse (BhWebDriverRequest *request, guint status, const char *error,
                                  const char *message);

/* LWS_CALLBACK_HTTP_WRITEABLE: writes the answer; -1 to close. */
int bh_webdriver_request_write (BhWebDriverRequest *request);

/* The connection went (LWS_CALLBACK_CLOSED_HTTP): the answer goes nowhere.
 * Consumes the slot's reference. */
void bh_webdriver_request_closed (BhWebDriverRequest *request);

G_END_DECLS
