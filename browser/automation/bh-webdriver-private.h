/* bh-webdriver-private.h: what bh-webdriver.c (requests, sessions,
 * navigation, windows) and bh-webdriver-elements.c (elements, input,
 * screenshots, cookies, script) share of classic WebDriver.
 */
#pragma once

#include "bh-webdriver.h"
#include "bh-webdriver-route.h"

G_BEGIN_DECLS

/* The key of a web element reference (https://w3c.github.io/webdriver/#elements). */
#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"
/* One HTTP write: a socket buffer's worth. */
#define WRITE_CHUNK_BYTES (64 * 1024)

#define ERROR_NO_SUCH_WINDOW "no such window"
#define ERROR_NO_SUCH_ALERT "no such alert"
#define ERROR_UNKNOWN_METHOD "unknown method"
#define ERROR_ELEMENT_NOT_INTERACTABLE "element not interactable"
#define ERROR_UNEXPECTED_ALERT_OPEN "unexpected alert open"

typedef struct {
  char *id;
  char *context;            /* the current top-level browsing context (window handle) */
  gint64 implicit_ms, page_load_ms, script_ms;
} Session;

struct _BhWebDriver {
  BhBidiServer *server;     /* not a reference: the server owns us */
  GHashTable *sessions;     /* id -> Session */
  GPtrArray *requests;      /* BhWebDriverRequest, not references: those in flight */
};

struct _BhWebDriverRequest {
  grefcount ref_count;
  BhWebDriver *webdriver;   /* NULL once the server is gone */
  struct lws *wsi;          /* NULL once the connection closed */
  char *method;
  char *path;
  GByteArray *body;
  gboolean too_big;
  gboolean answered;
  guint status;
  GBytes *answer;
  gboolean headers_written;
  gsize offset;
};

/* One command being carried out: what the handlers pass along. */
typedef struct _Call Call;
struct _Call {
  grefcount ref_count;
  BhWebDriverRequest *request; /* a reference */
  BhWebDriverRoute route;
  JsonObject *body;         /* {} when there was none */
  /* Kept between the steps of a command. */
  BhTab *tab;               /* a reference */
  guint node;
  guint64 serial;
  double x, y, width, height;
  void (*func) (Call *call);  /* the command, run once the page has loaded */
};

/* Answers (bh-webdriver.c). */
const char *bh_webdriver_classic_error (const char *bidi_error);
BhBidiServer *bh_webdriver_call_server (Call *call);
Session *bh_webdriver_call_session (Call *call);
void bh_webdriver_call_fail (Call *call, const char *error, const char *message);
/* @value: (transfer full) (nullable): null when %NULL */
void bh_webdriver_call_answer (Call *call, JsonNode *value);
JsonNode *bh_webdriver_array_node (JsonArray *array);
JsonNode *bh_webdriver_string_node (const char *text);
/* The current window, or NULL having answered "no such window". */
BhTab *bh_webdriver_current_tab (Call *call);
/* Runs BiDi's @method with @params (consumed); @reply gets the call. */
void bh_webdriver_run_bidi (Call *call, const char *method, JsonObject *params,
                            BhBidiReplyFunc reply);
/* A command that carries @call to the BiDi element helpers. */
BhBidiCommand *bh_webdriver_carrier (Call *call, BhBidiReplyFunc reply);
/* A BiDi error as classic's, a result as "value" (null for {}). */
void bh_webdriver_reply_null_cb (gpointer data, JsonNode *result, const char *error,
                                 const char *message);

/* Commands (bh-webdriver-elements.c). */
void bh_webdriver_find_element (Call *call);
void bh_webdriver_find_element_from_element (Call *call);
void bh_webdriver_get_element_text (Call *call);
void bh_webdriver_get_element_tag_name (Call *call);
void bh_webdriver_get_element_attribute (Call *call);
void bh_webdriver_get_element_property (Call *call);
void bh_webdriver_get_element_rect (Call *call);
void bh_webdriver_is_element_displayed (Call *call);
void bh_webdriver_is_element_enabled (Call *call);
void bh_webdriver_is_element_selected (Call *call);
void bh_webdriver_element_click (Call *call);
void bh_webdriver_element_clear (Call *call);
void bh_webdriver_element_send_keys (Call *call);
void bh_webdriver_take_screenshot (Call *call);
void bh_webdriver_take_element_screenshot (Call *call);
void bh_webdriver_print_page (Call *call);
void bh_webdriver_perform_actions (Call *call);
void bh_webdriver_release_actions (Call *call);
void bh_webdriver_get_cookies (Call *call);
void bh_webdriver_add_cookie (Call *call);
void bh_webdriver_delete_cookies (Call *call);
void bh_webdriver_execute_script (Call *call);
void bh_webdriver_get_page_source (Call *call);

G_END_DECLS
