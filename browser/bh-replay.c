/* bulkhead-replay: feed an --ipc-record recording to a fresh sandboxed renderer.
 *
 *   bulkhead-replay [--browser-subprocess-path=RENDERER] [--no-sandbox] FILE.bhrec
 *
 * No browser runs: this program starts the renderer through the browser's own
 * launcher (the same sandbox), plays the recorded messages into it in order —
 * each one only once the renderer has sent as many FrameReady and
 * ResourceRequest messages as it had when the browser sent it, so ReleaseBuffer
 * never overtakes its frame — rebuilds every fd a message carried (sealed
 * memfds from their recorded contents, a fresh data pipe for each navigation
 * with the recorded body streamed into it), and compares each frame the
 * renderer paints, pixel for pixel (SHA-256 of the rows), with the recorded
 * ones. A renderer paints when its timers say (the parser's time slices, the
 * layout idle), so two runs of the same input may paint a different number of
 * intermediate frames; each painted frame is looked for among the recorded
 * ones still ahead, in order, and the last frame must be identical to the
 * last recorded one. A recording that ended in a crash must crash the same way.
 *
 * Exit status: 0 when the last frame is identical (and a recorded crash recurs),
 * 1 when something differs, 2 when the recording cannot be read or the
 * renderer cannot start. The file format: common/bh-trace-record.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-data-pipe.h"
#include "bh-launcher.h"
#include "bh-shm.h"
#include "bh-trace-record.h"

/* How long the renderer may take, by default, to reach the state a message
 * waits for (--step-timeout-ms). */
#define STEP_TIMEOUT_MS 20000

static int step_timeout_ms = STEP_TIMEOUT_MS;

typedef struct {
  guint64 navigation;
  BhDataPipe *producer;
  GQueue chunks; /* GBytes still to write */
  gsize offset;  /* into the head chunk */
  gboolean end;  /* BODY_END seen */
  gboolean complete;
} Body;

static struct {
  GPtrArray *records; /* BhRecord */
  GPtrArray *frames;  /* BhRecord of kind FRAME, in order */
  BhRecord *end;      /* the END record, if any */
  guint next;         /* the next record to play */
  guint32 frames_seen;   /* FrameReady messages from the renderer */
  guint32 frames_matched; /* recorded frames reached: the last identical one's index + 1 */
  guint32 requests_seen;
  guint frames_identical;
  guint frames_extra;     /* painted, but not among the recorded ones ahead */
  gboolean last_identical; /* the latest painted frame is the last recorded one */
  GHashTable *bitmaps; /* buffer id -> BhBitmap */
  GHashTable *bodies;  /* navigation id -> Body */
  BhChannel *channel;
  BhChildProcess *process;
  GMainLoop *loop;
  gboolean died;
  BhTermination termination;
  gint64 waiting_since;
  guint messages_sent;
  guint tick_id;
} P;

static void
body_free (Body *body)
{
  bh_data_pipe_free (body->producer);
  g_queue_clear_full (&body->chunks, (GDestroyNotify) g_bytes_unref);
  g_free (body);
}

static void
print_sha (const guint8 sha[32])
{
  for (guint i = 0; i < 6; i++)
    printf ("%02x", sha[i]);
}

static void
check_frame (const BhMessage *m)
{
  guint32 view, buffer;
  BhBitmap *bitmap;
  guint8 sha[32];
  BhRecord *want;

  g_variant_get_child (m->payload, 0, "u", &view);
  g_variant_get_child (m->payload, 1, "u", &buffer);
  bitmap = g_hash_table_lookup (P.bitmaps, GUINT_TO_POINTER (buffer));
  if (bitmap == NULL)
    return;
  bh_record_frame_sha256 (bitmap->data, bitmap->width, bitmap->height, bitmap->stride_bytes, sha);
  P.last_identical = FALSE;
  for (guint i = P.frames_matched; i < P.frames->len; i++)
    {
      want = g_ptr_array_index (P.frames, i);
      if (want->width == bitmap->width && want->height == bitmap->height && memcmp (want->sha256, sha, 32) == 0)
        {
          printf ("frame %u: identical to recorded frame %u (%ux%u px, sha256 ", P.frames_seen + 1, i + 1,
                  bitmap->width, bitmap->height);
          print_sha (sha);
          printf ("…)%s\n", i > P.frames_matched ? ", the recorded ones before it coalesced" : "");
          P.frames_matched = i + 1;
          P.frames_identical++;
          P.last_identical = P.frames_matched == P.frames->len;
          return;
        }
    }
  printf ("frame %u: not among the recorded frames ahead (%ux%u px, sha256 ", P.frames_seen + 1, bitmap->width,
          bitmap->height);
  print_sha (sha);
  printf ("…)\n");
  P.frames_extra++;
}

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;

  switch (m->type)
    {
    case BH_MSG_BufferCreated:
      {
        guint32 view, buffer, width, height, stride;
        guint64 size;
        BhBitmap *bitmap;

        g_variant_get (m->payload, "(uuuuut)", &view, &buffer, &width, &height, &stride, &size);
        bitmap = bh_bitmap_import (bh_message_steal_fd (m, 0), width, height, stride, size, NULL);
        if (bitmap)
          g_hash_table_replace (P.bitmaps, GUINT_TO_POINTER (buffer), bitmap);
        break;
      }
    case BH_MSG_BufferDestroyed:
      {
        guint32 view, buffer;
        g_variant_get (m->payload, "(uu)", &view, &buffer);
        g_hash_table_remove (P.bitmaps, GUINT_TO_POINTER (buffer));
        break;
      }
    case BH_MSG_FrameReady:
      check_frame (m);
      P.frames_seen++;
      break;
    case BH_MSG_ResourceRequest:
      P.requests_seen++;
      break;
    default:
      break;
    }
}

static void
error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  /* The renderer hung up or died; the child watch says how. */
}

/* Writes what the ring takes of each body; the rest waits for the next tick. */
static void
pump_bodies (void)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, P.bodies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Body *body = value;
      GBytes *chunk;

      while ((chunk = g_queue_peek_head (&body->chunks)))
        {
          gsize len, written = 0;
          const guint8 *data = g_bytes_get_data (chunk, &len);

          if (body->offset < len &&
              bh_data_pipe_write (body->producer, data + body->offset, len - body->offset, &written, NULL) !=
                BH_DATA_PIPE_OK)
            break;
          body->offset += written;
          if (body->offset >= len)
            {
              g_bytes_unref (g_queue_pop_head (&body->chunks));
              body->offset = 0;
            }
        }
      if (body->end && g_queue_is_empty (&body->chunks) && body->producer)
        {
          if (body->complete)
            bh_data_pipe_finish (body->producer);
          else
            bh_data_pipe_fail (body->producer);
          body->end = FALSE;
        }
    }
}

static void
body_pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  pump_bodies ();
}

/* The fds a recorded message carried, made anew. */
static gboolean
rebuild_fds (BhRecord *rec, int *fds)
{
  for (guint i = 0; i < rec->n_fds; i++)
    fds[i] = -1;
  if (rec->type == BH_MSG_CommitNavigation)
    {
      guint64 navigation;
      guint32 capacity;
      g_autoptr (GError) error = NULL;
      Body *body = g_new0 (Body, 1);

      g_variant_get (rec->payload, "(ut&s&s&su)", NULL, &navigation, NULL, NULL, NULL, &capacity);
      body->navigation = navigation;
      body->producer = bh_data_pipe_new (capacity, fds, &error);
      if (body->producer == NULL)
        {
          g_printerr ("bulkhead-replay: data pipe: %s\n", error->message);
          g_free (body);
          return FALSE;
        }
      bh_data_pipe_set_callback (body->producer, NULL, body_pipe_cb, NULL);
      g_hash_table_replace (P.bodies, GUINT_TO_POINTER ((guint) navigation), body);
      return TRUE;
    }
  for (guint i = 0; i < rec->n_fds; i++)
    {
      g_autoptr (GError) error = NULL;
      gsize len = g_bytes_get_size (rec->fds[i].contents);

      if (rec->fds[i].kind != BH_RECORD_FD_MEMFD || len != rec->fds[i].size)
        {
          g_printerr ("bulkhead-replay: %s carried an fd the recording could not keep\n",
                      bh_message_type_name (rec->type));
          return FALSE;
        }
      fds[i] = bh_blob_new (g_bytes_get_data (rec->fds[i].contents, NULL), len, "bulkhead-replay", &error);
      if (fds[i] < 0)
        {
          g_printerr ("bulkhead-replay: %s\n", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static void
send_record (BhRecord *rec)
{
  int fds[BH_MAX_FDS];
  g_autoptr (GVariant) payload = g_variant_ref (rec->payload);

  if (rec->type == BH_MSG_ControlLane)
    return; /* everything goes on the one lane here */
  if (rec->type == BH_MSG_ProcessIdentity)
    {
      g_variant_unref (payload);
      payload = g_variant_ref_sink (g_variant_new ("(uu)", (guint32) bh_child_process_get_pid (P.process),
                                                   (guint32) getpid ()));
    }
  if (!rebuild_fds (rec, fds))
    {
      g_main_loop_quit (P.loop);
      return;
    }
  bh_channel_send (P.channel, rec->type, g_variant_ref (payload), fds, rec->n_fds);
  for (guint i = 0; i < rec->n_fds; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  P.messages_sent++;
}

static gboolean
tick_cb (gpointer data)
{
  pump_bodies ();
  while (P.next < P.records->len && !P.died)
    {
      BhRecord *rec = g_ptr_array_index (P.records, P.next);

      if (rec->kind == BH_RECORD_MESSAGE)
        {
          /* As far as the renderer had got: by frames painted, or by recorded
           * frames reached (it may have coalesced some). */
          if ((P.frames_seen < rec->frames_seen && P.frames_matched < rec->frames_seen) ||
              P.requests_seen < rec->requests_seen)
            {
              if (P.waiting_since == 0)
                P.waiting_since = g_get_monotonic_time ();
              if (g_get_monotonic_time () - P.waiting_since < (gint64) step_timeout_ms * 1000)
                return G_SOURCE_CONTINUE;
              printf ("gave up waiting for frame %u / request %u before message %u (%s)\n", rec->frames_seen,
                      rec->requests_seen, P.messages_sent + 1, bh_message_type_name (rec->type));
              g_main_loop_quit (P.loop);
              P.tick_id = 0;
              return G_SOURCE_REMOVE;
            }
          P.waiting_since = 0;
          send_record (rec);
        }
      else if (rec->kind == BH_RECORD_BODY || rec->kind == BH_RECORD_BODY_END)
        {
          Body *body = g_hash_table_lookup (P.bodies, GUINT_TO_POINTER ((guint) rec->navigation));

          if (body && rec->kind == BH_RECORD_BODY)
            g_queue_push_tail (&body->chunks, g_bytes_ref (rec->data));
          else if (body)
            {
              body->end = TRUE;
              body->complete = rec->complete;
            }
          pump_bodies ();
        }
      P.next++;
    }
  /* All played: wait for the frames still to come, or the recorded end. */
  if (P.died || (!(P.end && P.end->signal_number != 0) && (P.frames->len == 0 || P.last_identical)))
    {
      g_main_loop_quit (P.loop);
      P.tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (P.waiting_since == 0)
    P.waiting_since = g_get_monotonic_time ();
  if (g_get_monotonic_time () - P.waiting_since > (gint64) step_timeout_ms * 1000)
    {
      printf ("gave up waiting for the last recorded frame: %u of %u reached\n", P.frames_matched, P.frames->len);
      g_main_loop_quit (P.loop);
      P.tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
child_watch_cb (GPid pid, int status, gpointer data)
{
  bh_child_process_decode_wait_status (P.process, status, &P.termination);
  P.died = TRUE;
  g_spawn_close_pid (pid);
  g_main_loop_quit (P.loop);
}

static char *
default_renderer (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : g_strdup (".");
  g_autofree char *candidate = g_build_filename (dir, "..", "renderer", "renderer", NULL);

  return g_canonicalize_filename (candidate, NULL);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE.bhrec - replay an --ipc-record recording");
  g_autoptr (GError) error = NULL;
  g_autofree char *renderer = NULL;
  g_autofree char *site_arg = NULL;
  g_autoptr (GBytes) file = NULL;
  g_autoptr (BhRecordReader) reader = NULL;
  gboolean no_sandbox = FALSE;
  BhLaunchOptions launch;
  BhRecord *rec;
  int child_fd;
  guint n_messages = 0, n_bodies = 0;
  int status;
  GOptionEntry entries[] = {
    { "browser-subprocess-path", 0, 0, G_OPTION_ARG_FILENAME, &renderer, "The renderer to run", "PATH" },
    { "no-sandbox", 0, 0, G_OPTION_ARG_NONE, &no_sandbox, "Run it without its sandbox", NULL },
    { "step-timeout-ms", 0, 0, G_OPTION_ARG_INT, &step_timeout_ms,
      "How long the renderer may take to get where the next message waits for (default 20000)", "MS" },
    { NULL },
  };

  signal (SIGPIPE, SIG_IGN);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("bulkhead-replay: %s\n", error ? error->message : "give one recording (see --help)");
      return 2;
    }
  {
    char *contents;
    gsize len;

    if (!g_file_get_contents (argv[1], &contents, &len, &error))
      {
        g_printerr ("bulkhead-replay: %s\n", error->message);
        return 2;
      }
    file = g_bytes_new_take (contents, len);
  }
  reader = bh_record_reader_new (file, &error);
  if (reader == NULL)
    {
      g_printerr ("bulkhead-replay: %s: %s\n", argv[1], error->message);
      return 2;
    }
  P.records = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_record_free);
  P.frames = g_ptr_array_new ();
  while (bh_record_reader_next (reader, &rec, &error))
    {
      g_ptr_array_add (P.records, rec);
      if (rec->kind == BH_RECORD_FRAME)
        g_ptr_array_add (P.frames, rec);
      else if (rec->kind == BH_RECORD_END)
        P.end = rec;
      else if (rec->kind == BH_RECORD_MESSAGE)
        n_messages++;
      else if (rec->kind == BH_RECORD_BODY)
        n_bodies++;
    }
  if (error)
    {
      g_printerr ("bulkhead-replay: %s: %s\n", argv[1], error->message);
      return 2;
    }
  printf ("%s: a renderer for %s: %u messages, %u body chunks, %u frames%s%s\n", argv[1],
          bh_record_reader_get_site (reader), n_messages, n_bodies, P.frames->len,
          P.end && P.end->signal_number ? ", then it " : "", P.end && P.end->signal_number ? P.end->text : "");

  P.bitmaps = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) bh_bitmap_free);
  P.bodies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) body_free);
  P.loop = g_main_loop_new (NULL, FALSE);
  P.channel = bh_channel_new_pair (BH_TO_BROWSER, &child_fd, &error);
  if (P.channel == NULL)
    {
      g_printerr ("bulkhead-replay: %s\n", error->message);
      return 2;
    }
  if (renderer == NULL)
    renderer = default_renderer ();
  site_arg = g_strdup_printf ("--site=%s", bh_record_reader_get_site (reader));
  {
    const char *args[] = { "--type=renderer", site_arg, NULL };

    bh_launch_options_init (&launch);
    launch.executable = renderer;
    launch.args = args;
    launch.ipc_fd = child_fd;
    launch.no_sandbox = no_sandbox;
    launch.memory_limit_mb = BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB;
    if (!bh_launcher_spawn (&launch, &P.process, &error))
      {
        g_printerr ("bulkhead-replay: cannot start %s: %s\n", renderer, error->message);
        return 2;
      }
  }
  close (child_fd);
  g_child_watch_add (bh_child_process_get_reap_pid (P.process), child_watch_cb, NULL);
  bh_channel_set_handlers (P.channel, message_cb, error_cb, NULL);
  bh_channel_set_peer (P.channel, "renderer", (guint) bh_child_process_get_pid (P.process),
                       bh_record_reader_get_site (reader));
  bh_channel_attach (P.channel, NULL);
  P.tick_id = g_timeout_add (5, tick_cb, NULL);
  g_main_loop_run (P.loop);
  g_clear_handle_id (&P.tick_id, g_source_remove);

  if (P.end && P.end->signal_number != 0)
    {
      /* The recording ended in a crash: the replay must end the same way. */
      if (!P.died)
        {
          printf ("the recorded renderer %s; this one did not\n", P.end->text);
          status = 1;
        }
      else if (P.termination.signal_number == P.end->signal_number)
        {
          g_autofree char *how = bh_termination_to_string (&P.termination);
          printf ("the renderer %s, as recorded, after %u messages; %u of %u frames identical\n", how,
                  P.messages_sent, P.frames_identical, P.frames->len);
          status = 0;
        }
      else
        {
          g_autofree char *how = bh_termination_to_string (&P.termination);
          printf ("the renderer %s; the recorded one %s\n", how, P.end->text);
          status = 1;
        }
    }
  else if (P.died)
    {
      g_autofree char *how = bh_termination_to_string (&P.termination);
      printf ("the renderer %s after %u messages, which the recorded one did not\n", how, P.messages_sent);
      status = 1;
    }
  else
    {
      gboolean ok = P.frames->len == 0 || P.last_identical;

      printf ("replayed %u messages into a fresh %s renderer (pid %d): %u frames painted, %u identical to recorded "
              "ones (of %u), %u not in the recording; the last frame %s\n",
              P.messages_sent, no_sandbox ? "unsandboxed" : "sandboxed", (int) bh_child_process_get_pid (P.process),
              P.frames_seen, P.frames_identical, P.frames->len, P.frames_extra,
              ok ? "identical, pixel for pixel" : "DIFFERS from the recorded one");
      status = ok ? 0 : 1;
    }

  bh_channel_close (P.channel);
  bh_channel_unref (P.channel);
  if (!P.died)
    {
      /* EOF makes it exit; wait for that. */
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      while (!P.died && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
    }
  g_hash_table_unref (P.bodies);
  g_hash_table_unref (P.bitmaps);
  g_ptr_array_unref (P.frames);
  g_ptr_array_unref (P.records);
  bh_child_process_free (P.process);
  g_main_loop_unref (P.loop);
  return status;
}
