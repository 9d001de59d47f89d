/* bh-bidi-browser.c: the BiDi "browser" module
 * (https://w3c.github.io/webdriver-bidi/#module-browser).
 */
#include "bh-bidi-private.h"

/* browser */

static void
browser_close (BhBidiCommand *command)
{
  bh_bidi_server_close_browser (command->server, command);
}


const BhBidiCommandEntry bh_bidi_browser_commands[] = {
  { "browser.close", browser_close },
  { NULL, NULL }
};
