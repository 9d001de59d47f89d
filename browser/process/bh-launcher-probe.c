/* bh-launcher-probe.c: what sandbox this machine allows, found once by
 * trying it (bubblewrap, then clone(2) with new namespaces, then Landlock,
 * the cgroup for memory limits), and the words that explain it. The
 * spawning itself is bh-launcher.c's. */
#include "bh-launcher.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-cgroup.h"
#include "bh-landlock.h"
#include "bh-launcher-fs.h"
#include "bh-launcher-private.h"

/* ------------------------------------------------------------------------- */
/* Probe                                                                      */
/* ------------------------------------------------------------------------- */

static BhLauncherProbe *cached_probe;

static void
probe_free (BhLauncherProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->bwrap_path);
  g_free (probe->summary);
  g_free (probe->cause);
  g_free (probe->fix);
  g_free (probe->landlock_cause);
  g_free (probe);
}

static BhLauncherMemoryProbe *cached_memory_probe;

static void
memory_probe_free (BhLauncherMemoryProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->cgroup_parent);
  g_free (probe->cause);
  g_free (probe);
}

void
bh_launcher_probe_reset (void)
{
  g_clear_pointer (&cached_probe, probe_free);
  g_clear_pointer (&cached_memory_probe, memory_probe_free);
}

const BhLauncherMemoryProbe *
bh_launcher_probe_memory (void)
{
  if (cached_memory_probe == NULL)
    {
      BhLauncherMemoryProbe *probe = g_new0 (BhLauncherMemoryProbe, 1);

      if (!bh_cgroup_prepare_parent (&probe->cgroup_parent, &probe->cause))
        g_clear_pointer (&probe->cgroup_parent, g_free);
      cached_memory_probe = probe;
    }
  return cached_memory_probe;
}

char *
bh_launcher_describe_memory_limit (guint memory_limit_mb)
{
  const BhLauncherMemoryProbe *probe = bh_launcher_probe_memory ();

  if (memory_limit_mb == 0)
    return g_strdup_printf ("none (--renderer-memory-limit-mb=0); a child holds at most %u files",
                            (guint) BH_LAUNCHER_CHILD_MAX_FDS);
  if (probe->cgroup_parent != NULL)
    return g_strdup_printf ("%u MiB per child: a cgroup v2 of its own beneath %s whose memory.max counts "
                            "its heap, mappings, shared memory (memfds mapped or not), pipe and socket "
                            "buffers; the kernel's OOM killer ends it there. Also RLIMIT_AS and "
                            "RLIMIT_FSIZE of %u MiB and at most %u files.",
                            memory_limit_mb, probe->cgroup_parent, memory_limit_mb,
                            (guint) BH_LAUNCHER_CHILD_MAX_FDS);
  return g_strdup_printf ("%u MiB per child, by resource limits only: RLIMIT_AS bounds its heap and "
                          "mappings, RLIMIT_FSIZE each shared-memory file it fills without mapping it "
                          "(past it, SIGXFSZ ends it), RLIMIT_NOFILE of %u how many memfds, pipes and "
                          "sockets it holds; so shared memory it keeps unmapped can reach %u files of "
                          "%u MiB. No per-child cgroup: %s.",
                          memory_limit_mb, (guint) BH_LAUNCHER_CHILD_MAX_FDS, (guint) BH_LAUNCHER_CHILD_MAX_FDS,
                          memory_limit_mb, probe->cause != NULL ? probe->cause : "unknown");
}

static gboolean
in_container (void)
{
  g_autofree char *status = NULL;

  if (g_file_test ("/.dockerenv", G_FILE_TEST_EXISTS) || g_file_test ("/run/.containerenv", G_FILE_TEST_EXISTS))
    return TRUE;
  /* A container runtime's seccomp profile is the usual reason user
   * namespaces fail for root. */
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) && strstr (status, "Seccomp:\t2") != NULL)
    return TRUE;
  return FALSE;
}

/* Why creating a user namespace failed (with @err from clone(2)), in words a
 * user can act on. Sets *cause and *fix. */
static void
diagnose_user_namespaces (int err, char **cause, char **fix)
{
  g_autofree char *max_userns = bh_launcher_read_sysctl ("/proc/sys/user/max_user_namespaces");
  g_autofree char *debian_clone = bh_launcher_read_sysctl ("/proc/sys/kernel/unprivileged_userns_clone");
  g_autofree char *apparmor = bh_launcher_read_sysctl ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");

  if (!g_file_test ("/proc/self/ns/user", G_FILE_TEST_EXISTS))
    {
      *cause = g_strdup ("the kernel has no user namespaces (built without CONFIG_USER_NS)");
      *fix = g_strdup ("use a kernel with CONFIG_USER_NS=y");
    }
  else if (g_strcmp0 (max_userns, "0") == 0)
    {
      *cause = g_strdup ("user namespaces are not available: /proc/sys/user/max_user_namespaces is 0");
      *fix = g_strdup ("as root: sysctl -w user.max_user_namespaces=15000");
    }
  else if (g_strcmp0 (debian_clone, "0") == 0 && geteuid () != 0)
    {
      *cause = g_strdup ("unprivileged user namespaces are turned off (kernel.unprivileged_userns_clone=0)");
      *fix = g_strdup ("as root: sysctl -w kernel.unprivileged_userns_clone=1");
    }
  else if (g_strcmp0 (apparmor, "1") == 0 && geteuid () != 0)
    {
      *cause = g_strdup ("AppArmor restricts unprivileged user namespaces "
                         "(kernel.apparmor_restrict_unprivileged_userns=1)");
      *fix = g_strdup ("install an AppArmor profile that grants \"userns,\" to the browser, as Chromium "
                       "does (docs/security/apparmor-userns-restrictions.md), or as root: "
                       "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
    }
  else if (in_container ())
    {
      *cause = g_strdup_printf ("running in a container that forbids new namespaces (%s): its seccomp "
                                "profile or missing CAP_SYS_ADMIN", g_strerror (err));
      *fix = g_strdup ("run the container with --security-opt seccomp=unconfined (Docker, Podman) or "
                       "allow user namespaces in it");
    }
  else if (err == ENOSPC || err == EUSERS)
    {
      *cause = g_strdup_printf ("the user namespace limit is reached (%s)", g_strerror (err));
      *fix = g_strdup ("raise user.max_user_namespaces");
    }
  else
    {
      *cause = g_strdup_printf ("creating namespaces failed: %s", g_strerror (err));
      *fix = g_strdup ("check the kernel's user namespace settings, or run with --no-sandbox at your own risk");
    }
}

/* Runs bwrap with the children's options around /usr/bin/true. */
static gboolean
probe_bwrap (const char *bwrap_path, char **cause)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ops = bh_fs_plan_new (NULL, NULL);
  g_autofree char *err_text = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, g_strdup (bwrap_path));
  bh_launcher_bwrap_add_namespace_args (argv, TRUE);
  bh_fs_plan_to_bwrap_args (ops, argv);
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup ("/usr/bin/true"));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, NULL, &err_text, &wait_status, &error))
    {
      *cause = g_strdup_printf ("bubblewrap could not run: %s", error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (wait_status, NULL))
    {
      *cause = g_strdup_printf ("bubblewrap failed: %s",
                                err_text != NULL && err_text[0] != '\0' ? g_strstrip (err_text)
                                                                         : "no message");
      return FALSE;
    }
  return TRUE;
}

/* Starts /usr/bin/true through the clone(2) path and waits for it. */
static gboolean
probe_clone (char **cause, char **fix)
{
  BhLaunchOptions opts;
  g_autoptr(BhChildProcess) child = NULL;
  g_autoptr(GError) error = NULL;
  int err = 0;
  int wait_status;

  bh_launch_options_init (&opts);
  opts.executable = "/usr/bin/true";
  opts.memory_limit_mb = 0;
  if (!bh_launcher_spawn_internal (&opts, BH_LAUNCHER_NAMESPACES_CLONE, NULL, 0, &child, &err, &error))
    {
      if (err != 0 && (err == EPERM || err == EACCES || err == ENOSPC || err == EUSERS || err == EINVAL))
        diagnose_user_namespaces (err, cause, fix);
      else
        {
          *cause = g_strdup_printf ("setting up namespaces failed: %s", error->message);
          *fix = g_strdup ("report this, with the message, as a Bulkhead bug");
        }
      return FALSE;
    }
  while (waitpid (bh_child_process_get_reap_pid (child), &wait_status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    {
      *cause = g_strdup_printf ("a test child in new namespaces failed (wait status 0x%x)", wait_status);
      *fix = g_strdup ("report this as a Bulkhead bug");
      return FALSE;
    }
  return TRUE;
}

const BhLauncherProbe *
bh_launcher_probe (void)
{
  BhLauncherProbe *probe;
  g_autofree char *bwrap_cause = NULL;
  g_autofree char *clone_cause = NULL;
  g_autofree char *clone_fix = NULL;

  if (cached_probe != NULL)
    return cached_probe;

  probe = g_new0 (BhLauncherProbe, 1);
  probe->bwrap_path = g_find_program_in_path ("bwrap");
  if (probe->bwrap_path == NULL && g_file_test ("/usr/bin/bwrap", G_FILE_TEST_IS_EXECUTABLE))
    probe->bwrap_path = g_strdup ("/usr/bin/bwrap");

  if (g_strcmp0 (g_getenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES"), "1") == 0)
    {
      probe->namespaces = BH_LAUNCHER_NAMESPACES_NONE;
      probe->cause = g_strdup ("namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1");
      probe->fix = g_strdup ("unset BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
    }
  else
    {
      if (g_strcmp0 (g_getenv ("BULKHEAD_SANDBOX_TEST_NO_BWRAP"), "1") == 0)
        bwrap_cause = g_strdup ("bubblewrap skipped (BULKHEAD_SANDBOX_TEST_NO_BWRAP=1)");
      else if (probe->bwrap_path == NULL)
        bwrap_cause = g_strdup ("bubblewrap (bwrap) is not installed");
      else if (probe_bwrap (probe->bwrap_path, &bwrap_cause))
        probe->namespaces = BH_LAUNCHER_NAMESPACES_BUBBLEWRAP;

      if (probe->namespaces != BH_LAUNCHER_NAMESPACES_BUBBLEWRAP)
        {
          if (probe_clone (&clone_cause, &clone_fix))
            {
              probe->namespaces = BH_LAUNCHER_NAMESPACES_CLONE;
              probe->cause = g_steal_pointer (&bwrap_cause);
              probe->fix = g_strdup (probe->bwrap_path == NULL ? "install bubblewrap (apt install bubblewrap)"
                                                                 : "none needed: the launcher's own namespaces "
                                                                   "give the same confinement");
            }
          else
            {
              probe->namespaces = BH_LAUNCHER_NAMESPACES_NONE;
              probe->cause = g_steal_pointer (&clone_cause);
              probe->fix = g_steal_pointer (&clone_fix);
            }
        }
    }

  switch (probe->namespaces)
    {
    case BH_LAUNCHER_NAMESPACES_BUBBLEWRAP:
      probe->summary = g_strdup ("namespaces via bubblewrap + seccomp-bpf");
      break;
    case BH_LAUNCHER_NAMESPACES_CLONE:
      probe->summary = g_strdup ("namespaces via clone(2) + seccomp-bpf");
      break;
    case BH_LAUNCHER_NAMESPACES_NONE:
      probe->landlock_abi = bh_landlock_probe (&probe->landlock_cause);
      probe->summary = probe->landlock_abi > 0 ? g_strdup_printf ("seccomp + Landlock: %s", probe->cause)
                                               : g_strdup_printf ("seccomp only: %s", probe->cause);
      break;
    }

  cached_probe = probe;
  return probe;
}

char *
bh_launcher_probe_describe (const BhLauncherProbe *probe)
{
  g_return_val_if_fail (probe != NULL, NULL);

  switch (probe->namespaces)
    {
    case BH_LAUNCHER_NAMESPACES_BUBBLEWRAP:
      return g_strdup_printf ("sandbox: namespaces via bubblewrap (%s) + seccomp-bpf", probe->bwrap_path);
    case BH_LAUNCHER_NAMESPACES_CLONE:
      return g_strdup_printf ("sandbox: namespaces via clone(2) + seccomp-bpf (bubblewrap not used: %s)",
                              probe->cause);
    case BH_LAUNCHER_NAMESPACES_NONE:
    default:
      if (probe->landlock_abi > 0)
        {
          g_autofree char *landlock = bh_landlock_describe (probe->landlock_abi);

          return g_strdup_printf ("sandbox: seccomp + %s (no namespaces: %s. Fix: %s)", landlock, probe->cause,
                                  probe->fix != NULL ? probe->fix : "none known");
        }
      return g_strdup_printf ("sandbox: seccomp only: %s. Fix: %s", probe->cause,
                              probe->fix != NULL ? probe->fix : "none known");
    }
}

