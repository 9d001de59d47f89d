/* bh-connection-queue.h: the request queue: how many connections the
 * browser holds to one server at once, and who waits for one.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many connections to one server at once; see
 * bh-connection-queue.c for the sources. */
#define BH_MAX_CONNECTIONS_PER_SERVER 6
/* ...and at most this many in all (Chromium's g_max_sockets_per_pool). */
#define BH_MAX_CONNECTIONS 256

typedef struct _BhConnectionTicket BhConnectionTicket;

/**
 * BhConnectionGrantedFunc:
 * @ticket: the ticket that waited and now holds a connection
 *
 * Called when a waiting ticket gets its turn, from inside
 * bh_connection_ticket_release() of another ticket, which may run inside a
 * libwebsockets callback: defer any connecting to the main loop.
 */
typedef void (*BhConnectionGrantedFunc) (BhConnectionTicket *ticket);

/**
 * BhConnectionTicket:
 * @granted: called when a waiting ticket gets its turn
 *
 * A request's place in the queue of one server, embedded in the request
 * (the HTTP job). Zero-initialise it and set @granted; the queue keeps no
 * reference to its owner, so the owner must release the ticket before it
 * is freed.
 */
struct _BhConnectionTicket {
  BhConnectionGrantedFunc granted;
  /* < private > */
  char *server_key;
  gboolean holds;
};

/**
 * bh_connection_ticket_acquire:
 * @ticket: a ticket not in any queue
 * @host: the host connected to (after the host rules), lower case
 * @port: the TCP port
 *
 * Takes one of the connections to @host:@port, or a place in the queue,
 * first come first served, when the server has
 * %BH_MAX_CONNECTIONS_PER_SERVER or the browser %BH_MAX_CONNECTIONS. Main
 * thread only.
 *
 * Returns: %TRUE when the request may connect now; %FALSE when it waits
 *   for @ticket->granted.
 */
gboolean bh_connection_ticket_acquire (BhConnectionTicket *ticket,
                                       const char         *host,
                                       guint               port);

/**
 * bh_connection_ticket_holds:
 * @ticket: a ticket
 *
 * Returns: whether @ticket holds a connection (rather than waits, or is in
 *   no queue).
 */
gboolean bh_connection_ticket_holds (const BhConnectionTicket *ticket);

/**
 * bh_connection_ticket_release:
 * @ticket: a ticket, in a queue or not
 *
 * The request is done with the server: its connection goes to the next
 * ticket waiting for that server (whose @granted is called), or it leaves
 * the queue. Does nothing for a ticket in no queue.
 */
void bh_connection_ticket_release (BhConnectionTicket *ticket);

G_END_DECLS
