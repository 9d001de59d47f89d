/* bh-connection-queue.c: at most 6 connections to one server at once.
 *
 * At most BH_MAX_CONNECTIONS_PER_SERVER connections to one server at once,
 * as Chromium (g_max_sockets_per_group for HTTP/1.1 in
 * net/socket/client_socket_pool_manager.cc) and Firefox
 * (network.http.max-persistent-connections-per-server) do, and as RFC 9112
 * §9.4 asks of clients, and at most BH_MAX_CONNECTIONS in all (Chromium's
 * g_max_sockets_per_pool). Further fetches wait their turn, first come
 * first served, whatever their server.
 *
 * Without it a page's burst of subresources overflows small servers: Python's
 * http.server listens with a backlog of 5, so Linux queues 6 connections it
 * has not accepted yet and silently drops the SYN of a 7th, which TCP resends
 * only after its initial retransmission timeout, 1 s (RFC 6298 §2.1): those
 * fetches finish a second late. A response proves that its connection was
 * accepted, so 6 at once never overflow such a queue. One stalled fetch
 * keeps one of the 6, never the others' turn.
 */
#include "bh-connection-queue.h"

typedef struct {
  guint active;   /* tickets holding one of the server's connections */
} ServerSlots;

/* BhConnectionTicket *, waiting, in arrival order, whatever their server. */
static GQueue waiting = G_QUEUE_INIT;
static guint active_total;

/* The host connected to (after the host rules) and port, "127.0.0.1:8080",
 * to ServerSlots. Main thread only, as is all of lws. */
static GHashTable *server_slots;

static void
server_slots_free (gpointer data)
{
  ServerSlots *slots = data;

  g_assert (slots->active == 0);
  g_free (slots);
}

static gboolean
server_has_waiters (const char *key)
{
  for (GList *l = waiting.head; l != NULL; l = l->next)
    if (g_str_equal (((BhConnectionTicket *) l->data)->server_key, key))
      return TRUE;
  return FALSE;
}

gboolean
bh_connection_ticket_acquire (BhConnectionTicket *ticket,
                              const char         *host,
                              guint               port)
{
  ServerSlots *slots;

  g_return_val_if_fail (ticket != NULL && ticket->server_key == NULL, FALSE);

  if (server_slots == NULL)
    server_slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, server_slots_free);

  ticket->server_key = g_strdup_printf ("%s:%u", host, port);
  slots = g_hash_table_lookup (server_slots, ticket->server_key);
  if (slots == NULL)
    {
      slots = g_new0 (ServerSlots, 1);
      g_hash_table_insert (server_slots, g_strdup (ticket->server_key), slots);
    }

  if (slots->active < BH_MAX_CONNECTIONS_PER_SERVER && active_total < BH_MAX_CONNECTIONS)
    {
      slots->active++;
      active_total++;
      ticket->holds = TRUE;
      return TRUE;
    }

  g_queue_push_tail (&waiting, ticket);
  return FALSE;
}

gboolean
bh_connection_ticket_holds (const BhConnectionTicket *ticket)
{
  return ticket->holds;
}

void
bh_connection_ticket_release (BhConnectionTicket *ticket)
{
  g_autofree char *key = NULL;
  ServerSlots *slots;

  g_return_if_fail (ticket != NULL);

  key = g_steal_pointer (&ticket->server_key);
  if (key == NULL)
    return;

  slots = g_hash_table_lookup (server_slots, key);
  g_assert (slots != NULL);

  if (!ticket->holds)
    {
      g_queue_remove (&waiting, ticket);
      if (slots->active == 0 && !server_has_waiters (key))
        g_hash_table_remove (server_slots, key);
      return;
    }

  ticket->holds = FALSE;
  slots->active--;
  active_total--;
  /* The oldest waiter that may go now: of this server, or of any when the
   * browser-wide cap held it (its server's entry lives while it waits). */
  for (GList *l = waiting.head; l != NULL; l = l->next)
    {
      BhConnectionTicket *next = l->data;
      ServerSlots *next_slots = g_hash_table_lookup (server_slots, next->server_key);

      if (next_slots->active >= BH_MAX_CONNECTIONS_PER_SERVER || active_total >= BH_MAX_CONNECTIONS)
        continue;
      g_queue_delete_link (&waiting, l);
      next_slots->active++;
      active_total++;
      next->holds = TRUE;
      next->granted (next);
      break;
    }

  if (slots->active == 0 && !server_has_waiters (key))
    g_hash_table_remove (server_slots, key);
}
