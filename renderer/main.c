/* renderer: placeholder until the engine is wired. */
#include <glib.h>
int main (void) { return 0; }
