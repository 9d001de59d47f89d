/* plugin-host: one untrusted process per plugin type (issue #8 fills in the plugins). */
#include <glib.h>
#include <stdio.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-child.h"

static GMainLoop *loop;

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;

  if (m->type == BH_MSG_Ping)
    bh_channel_reply (channel, m, BH_MSG_Pong, NULL, NULL, 0);
}

static void
error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  /* EOF is how the browser says goodbye; anything else is worth a line. */
  if (!g_error_matches (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED))
    g_printerr ("plugin-host[%d]: channel ended: %s\n", getpid (), error->message);
  g_main_loop_quit (loop);
}

int
main (int argc, char **argv)
{
  g_auto (BhChildArgs) args;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhChannel) channel = NULL;

  if (!bh_child_parse_args (&argc, &argv, &args, &error))
    {
      g_printerr ("plugin-host: %s\n", error->message);
      return 2;
    }
  bh_child_die_with_parent (args.browser_pid);
  channel = bh_child_connect (&args, "plugin", &error);
  if (channel == NULL)
    {
      g_printerr ("plugin-host: %s\n", error->message);
      return 2;
    }
  loop = g_main_loop_new (NULL, FALSE);
  bh_channel_set_handlers (channel, message_cb, error_cb, NULL);
  bh_channel_attach (channel, NULL);
  bh_channel_send (channel, BH_MSG_ChildReady,
                   g_variant_new ("(uss)", (guint32) getpid (), "plugin", "none"), NULL, 0);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  return 0;
}
