/* sandbox-child.c: a stand-in for the renderer in tests/test-sandbox.c.
 *
 * It starts up the way a renderer does (out-of-memory convention, fonts
 * initialised, then seccomp unless --no-sandbox) and then does one thing,
 * chosen with --mode:
 *
 *   wait           print "ready", then block until fd 3 reaches EOF
 *   hello          write one byte to fd 3 (spawn-to-first-message benchmark), then as wait
 *   segv           write through a NULL pointer
 *   abort          abort(), as a failed g_assert() does
 *   alloc:MB       g_malloc() and touch MB MiB in 1 MiB blocks; "alloc: ok"
 *   alloc-small:MB the same in 256-byte blocks
 *   alloc-raw:MB   malloc() without checking, as careless C code does: a
 *                  failed allocation becomes a NULL dereference
 *   memfd:MB       write MB MiB into a memfd it never maps (shared memory
 *                  RLIMIT_AS does not see); "alloc: ok"
 *   memfds:MB      the same in memfds of 16 MiB each, all kept open (no one
 *                  file reaches RLIMIT_FSIZE: only a cgroup stops it)
 *   work           what a renderer does after start-up: main loop, a thread,
 *                  a sealed memfd, GSocket on fd 3, Pango text with a font
 *                  loaded after the sandbox is up; "work: ok"
 *   getenv:NAME    print NAME's value
 *   read-early:PATH open PATH before entering seccomp, as start-up code
 *                  does: "read-early: ok" or "read-early: ERRNO" (Landlock
 *                  decides there, the filter not yet)
 *
 * or --sandbox-self-test[=WHAT], which runs bh_sandbox_self_test().
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <pango/pangocairo.h>

#include "bh-sandbox.h"
#include "bh-sandbox-self-test.h"

static char *opt_type;
static char *opt_site;
static int opt_ipc_fd = -1;
static int opt_browser_pid;
static gboolean opt_no_sandbox;
static gboolean opt_no_namespaces;
static char *opt_self_test;
static gboolean opt_self_test_given;
static char *opt_mode;

static gboolean
self_test_cb (const char *name, const char *value, gpointer data, GError **error)
{
  opt_self_test_given = TRUE;
  opt_self_test = g_strdup (value);
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "type", 0, 0, G_OPTION_ARG_STRING, &opt_type, "renderer or plugin", "TYPE" },
  { "site", 0, 0, G_OPTION_ARG_STRING, &opt_site, "ignored", "SITE" },
  { "ipc-fd", 0, 0, G_OPTION_ARG_INT, &opt_ipc_fd, "the IPC socket", "FD" },
  { "browser-pid", 0, 0, G_OPTION_ARG_INT, &opt_browser_pid, "the browser's pid", "PID" },
  { "no-sandbox", 0, 0, G_OPTION_ARG_NONE, &opt_no_sandbox, "skip seccomp", NULL },
  { "no-namespaces", 0, 0, G_OPTION_ARG_NONE, &opt_no_namespaces, "close the filesystem after start-up", NULL },
  { "sandbox-self-test", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, self_test_cb,
    "try to escape", "WHAT" },
  { "mode", 0, 0, G_OPTION_ARG_STRING, &opt_mode, "what to do", "MODE" },
  { NULL }
};

static void
wait_for_eof (int fd)
{
  char buf[64];

  while (read (fd, buf, sizeof buf) != 0 && (errno == EINTR || errno == 0 || errno == EAGAIN))
    errno = 0;
}

static int
allocate (guint64 megabytes, gsize block)
{
  guint64 total = megabytes * 1024 * 1024;
  GPtrArray *blocks = g_ptr_array_new ();

  for (guint64 done = 0; done < total; done += block)
    {
      char *p = g_malloc (block);
      memset (p, 0x5a, block);
      g_ptr_array_add (blocks, p);
    }
  printf ("alloc: ok\n");
  fflush (stdout);
  return 0;
}

static gpointer
thread_cb (gpointer data)
{
  return GINT_TO_POINTER (GPOINTER_TO_INT (data) + 1);
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* What a renderer does once sandboxed; any refused call kills us by SIGSYS. */
static int
do_work (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *desc;
  guint32 *pixels;
  gboolean inked = FALSE;
  int memfd;
  char *map;

  g_timeout_add (10, quit_cb, loop);
  g_main_loop_run (loop);

  thread = g_thread_new ("sandboxed-worker", thread_cb, GINT_TO_POINTER (41));
  if (GPOINTER_TO_INT (g_thread_join (g_steal_pointer (&thread))) != 42)
    return 10;

  memfd = memfd_create ("frame", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (memfd < 0 || ftruncate (memfd, 65536) != 0)
    return 11;
  map = mmap (NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
  if (map == MAP_FAILED)
    return 12;
  memset (map, 1, 65536);
  munmap (map, 65536);
  if (fcntl (memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0 ||
      fcntl (memfd, F_GET_SEALS) != (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
    return 13;
  close (memfd);

  if (opt_ipc_fd >= 0)
    {
      socket = g_socket_new_from_fd (dup (opt_ipc_fd), &error);
      if (socket == NULL)
        return 14;
    }

  /* New channel ends, stream or seqpacket, with the flags callers add. */
  {
    static const int types[] = { SOCK_STREAM | SOCK_CLOEXEC, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
                                 SOCK_STREAM };
    int sv[2];

    for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
      {
        if (socketpair (AF_UNIX, types[i], 0, sv) != 0)
          return 17;
        close (sv[0]);
        close (sv[1]);
      }
  }

  /* Probes that must fail politely, not kill: nscd/NSS, isatty, CPU count,
   * randomness. */
  (void) getpwuid (getuid ());
  (void) isatty (STDERR_FILENO);
  if (g_get_num_processors () < 1)
    return 15;
  (void) g_random_int ();

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 60);
  cr = cairo_create (surface);
  layout = pango_cairo_create_layout (cr);
  desc = pango_font_description_from_string ("Serif Bold Italic 22");
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, "Bulkhead sandbox \xe2\x9c\x93 fi", -1);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_cairo_show_layout (cr, layout);
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  for (int i = 0; i < 400 * 60 && !inked; i++)
    inked = pixels[i] != 0;
  pango_font_description_free (desc);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (!inked)
    return 16;

  printf ("work: ok\n");
  fflush (stdout);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Bulkhead sandbox test child");
  g_autoptr(GError) error = NULL;
  guint64 number;

  bh_sandbox_set_undumpable ();
  bh_sandbox_exit_on_out_of_memory ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sandbox-child: %s\n", error->message);
      return 2;
    }

  /* Start-up a renderer does before it is locked down: fonts. */
  if (g_strcmp0 (opt_mode, "work") == 0)
    {
      PangoFontFamily **families = NULL;
      int n_families = 0;

      pango_font_map_list_families (pango_cairo_font_map_get_default (), &families, &n_families);
      g_free (families);
    }

  if (opt_mode != NULL && g_str_has_prefix (opt_mode, "read-early:"))
    {
      int fd = open (opt_mode + strlen ("read-early:"), O_RDONLY | O_CLOEXEC);

      printf ("read-early: %s\n", fd >= 0 ? "ok" : strerrorname_np (errno));
      fflush (stdout);
      if (fd >= 0)
        close (fd);
    }

  if (!opt_no_sandbox &&
      !bh_sandbox_enter_seccomp (BH_SANDBOX_POLICY_RENDERER,
                                 opt_no_namespaces ? BH_SANDBOX_FILESYSTEM_CLOSED : BH_SANDBOX_FILESYSTEM_READ_ONLY,
                                 &error))
    {
      g_printerr ("sandbox-child: %s\n", error->message);
      return 3;
    }

  if (opt_self_test_given)
    return bh_sandbox_self_test (opt_self_test, (guint) opt_browser_pid, STDOUT_FILENO);

  if (g_strcmp0 (opt_mode, "hello") == 0)
    {
      if (write (opt_ipc_fd, "x", 1) != 1)
        return 4;
      wait_for_eof (opt_ipc_fd);
      return 0;
    }
  if (g_strcmp0 (opt_mode, "wait") == 0)
    {
      printf ("ready\n");
      fflush (stdout);
      wait_for_eof (opt_ipc_fd >= 0 ? opt_ipc_fd : STDIN_FILENO);
      return 0;
    }
  if (g_strcmp0 (opt_mode, "abort") == 0)
    abort ();
  if (g_strcmp0 (opt_mode, "segv") == 0)
    {
      volatile int *volatile nowhere = NULL;
      *nowhere = 1;
      return 5;
    }
  if (opt_mode != NULL && g_str_has_prefix (opt_mode, "alloc:") &&
      g_ascii_string_to_unsigned (opt_mode + strlen ("alloc:"), 10, 1, 65536, &number, NULL))
    return allocate (number, 1024 * 1024);
  if (opt_mode != NULL && g_str_has_prefix (opt_mode, "alloc-small:") &&
      g_ascii_string_to_unsigned (opt_mode + strlen ("alloc-small:"), 10, 1, 65536, &number, NULL))
    return allocate (number, 256);
  if (opt_mode != NULL && g_str_has_prefix (opt_mode, "alloc-raw:") &&
      g_ascii_string_to_unsigned (opt_mode + strlen ("alloc-raw:"), 10, 1, 65536, &number, NULL))
    {
      for (guint64 done = 0; done < number; done++)
        {
          volatile char *p = malloc (1024 * 1024);

          for (gsize i = 0; i < 1024 * 1024; i += 4096)
            p[i] = 1;
        }
      printf ("alloc: ok\n");
      fflush (stdout);
      return 0;
    }
  if (opt_mode != NULL && (g_str_has_prefix (opt_mode, "memfd:") || g_str_has_prefix (opt_mode, "memfds:")) &&
      g_ascii_string_to_unsigned (strchr (opt_mode, ':') + 1, 10, 1, 65536, &number, NULL))
    {
      static char chunk[1024 * 1024];
      gboolean many = g_str_has_prefix (opt_mode, "memfds:");
      int fd = -1;

      memset (chunk, 1, sizeof chunk);
      for (guint64 done = 0; done < number; done++)
        {
          if (fd < 0 || (many && done % 16 == 0))
            fd = memfd_create ("sandbox-child-hog", MFD_CLOEXEC);
          if (fd < 0 || write (fd, chunk, sizeof chunk) != (ssize_t) sizeof chunk)
            return 6;
        }
      printf ("alloc: ok\n");
      fflush (stdout);
      return 0;
    }
  if (g_strcmp0 (opt_mode, "work") == 0)
    return do_work ();
  if (opt_mode != NULL && g_str_has_prefix (opt_mode, "read-early:"))
    return 0;
  if (opt_mode != NULL && g_str_has_prefix (opt_mode, "getenv:"))
    {
      printf ("%s\n", g_getenv (opt_mode + strlen ("getenv:")) ?: "(unset)");
      fflush (stdout);
      return 0;
    }

  g_printerr ("sandbox-child: unknown --mode %s\n", opt_mode ? opt_mode : "(none)");
  return 2;
}
