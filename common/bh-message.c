/* bh-message.c: the catalogue as data, and the message type. */
#include "bh-message.h"

#include <unistd.h>

static const BhMessageInfo catalogue[] = {
#define BH_MESSAGE_ROW(name, id, dir, type, fds) { BH_MSG_##name, #name, dir, type, fds },
  BH_MESSAGE_CATALOGUE (BH_MESSAGE_ROW)
#undef BH_MESSAGE_ROW
};

/* Every payload type must parse and every fd count must fit the cap, or the
 * catalogue itself is wrong; checked once, the first time it is used. */
static void
check_catalogue (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
    {
      g_assert (g_variant_type_string_is_valid (catalogue[i].payload_type));
      g_assert (catalogue[i].n_fds <= BH_MAX_FDS);
      g_assert (catalogue[i].type > 0 && catalogue[i].type <= G_MAXUINT16);
      for (gsize j = 0; j < i; j++)
        g_assert (catalogue[j].type != catalogue[i].type);
    }
}

const BhMessageInfo *
bh_message_info_lookup (guint type)
{
  static gsize checked = 0;

  if (g_once_init_enter (&checked))
    {
      check_catalogue ();
      g_once_init_leave (&checked, 1);
    }

  /* The table is short; a linear scan keeps it obviously right. */
  for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if ((guint) catalogue[i].type == type)
      return &catalogue[i];
  return NULL;
}

const char *
bh_message_type_name (guint type)
{
  const BhMessageInfo *info = bh_message_info_lookup (type);

  return info ? info->name : "Unknown";
}

void
bh_message_info_foreach (void (*func) (const BhMessageInfo *info, gpointer user_data),
                         gpointer user_data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
    func (&catalogue[i], user_data);
}

int
bh_message_steal_fd (BhMessage *message, guint index)
{
  int fd;

  g_return_val_if_fail (message != NULL, -1);

  if (index >= message->n_fds)
    return -1;
  fd = message->fds[index];
  message->fds[index] = -1;
  return fd;
}

void
bh_message_free (BhMessage *message)
{
  if (message == NULL)
    return;
  for (guint i = 0; i < message->n_fds && i < BH_MAX_FDS; i++)
    if (message->fds[i] >= 0)
      close (message->fds[i]);
  g_clear_pointer (&message->payload, g_variant_unref);
  g_free (message);
}
