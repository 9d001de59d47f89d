/* bh-task-manager.h: the task manager window (Shift+Esc).
 *
 * Chromium's task manager, for Bulkhead's processes: one row per process
 * (the browser, each renderer, each plugin host once there are any) with
 * its type, site, tabs, pid, memory (RSS and PSS), CPU, IPC messages in and
 * out and sandbox, updated once a second while the window is on screen, and
 * End process for a selected child. The rows are the browser's one
 * BhProcessList (bh-process-list.h), the same data bulkhead:process.list
 * reports.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-browser.h"
#include "bh-process-list.h"

G_BEGIN_DECLS

/* How often the rows are re-read while the window is mapped. */
#define BH_TASK_MANAGER_REFRESH_MS 1000u

#define BH_TYPE_TASK_MANAGER (bh_task_manager_get_type ())
G_DECLARE_FINAL_TYPE (BhTaskManager, bh_task_manager, BH, TASK_MANAGER, GtkWindow)

/**
 * bh_task_manager_new:
 * @browser: (transfer none): the browser whose processes to show; the
 *   window holds a reference
 *
 * Returns: (transfer full): a new, unshown task manager window.
 */
GtkWidget *bh_task_manager_new (BhBrowser *browser);

/**
 * bh_task_manager_get_process_list:
 *
 * Returns: (transfer none): the rows shown.
 */
BhProcessList *bh_task_manager_get_process_list (BhTaskManager *self);

/**
 * bh_task_manager_select_pid:
 * @pid: a process id
 *
 * Selects the row of @pid, as a click on it would.
 *
 * Returns: %TRUE when a row has that pid.
 */
gboolean bh_task_manager_select_pid (BhTaskManager *self, int pid);

/**
 * bh_task_manager_attach:
 * @application: the browser's GtkApplication
 * @browser: (transfer none): its browser
 *
 * Adds the application action "task-manager" (the window menu's Task
 * Manager item and Shift+Esc, see bh-application.c): it opens the task
 * manager, or raises the one already open. The window is not one of the
 * application's: closing the last browser window still ends the browser,
 * and the task manager goes with it (on the application's "shutdown").
 * Call before g_application_run().
 */
void bh_task_manager_attach (GtkApplication *application, BhBrowser *browser);

G_END_DECLS
