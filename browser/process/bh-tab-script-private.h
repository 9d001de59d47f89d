/* bh-tab-script-private.h: what bh-tab.c calls of bh-tab-script.c. */
#pragma once

#include "bh-cookie-jar.h"
#include "bh-web-storage.h"
#include "bh-renderer-host-private.h"
#include "bh-tab-script.h"

G_BEGIN_DECLS

/* From bh_tab_class_init(): the script signals. */
void bh_tab_script_class_init (GObjectClass *object_class);

/* The document the tab's script ran in is gone (commit, renderer death,
 * dispose): pending evaluations fail with @code, an open dialog is dismissed. */
void bh_tab_script_document_gone (BhTab *tab, BhTabScriptError code);

/* The view client's script callbacks (bh-renderer-host-private.h). */
void bh_tab_script_console_message (gpointer owner, guint level, const char *text);
void bh_tab_script_result (gpointer owner, guint32 request_id, const char *json);
void bh_tab_script_run_dialog (gpointer owner, guint32 dialog_id, guint kind, const char *message,
                               const char *default_text);
void bh_tab_script_navigate (gpointer owner, guint kind, const char *url, int delta);
char *bh_tab_script_get_cookie (gpointer owner);
void bh_tab_script_set_cookie (gpointer owner, const char *cookie);
GVariant *bh_tab_script_storage_load (gpointer owner, gboolean session);
void bh_tab_script_storage_change (gpointer owner, gboolean session, guint operation, const char *key,
                                   const char *value);

/* For each commit (bh-tab-navigation.c): automation's preload scripts, NULL when
 * they were never set (nothing to send). (transfer none) */
const char *const *bh_tab_script_get_preload_scripts (BhTab *tab);

/* bh-tab.c: the profile's cookie jar. */
BhCookieJar *bh_tab_get_cookie_jar (BhTab *tab);
/* bh-tab.c: the profile's localStorage areas, or NULL. */
BhWebStorage *bh_tab_get_web_storage (BhTab *tab);

/* bh-tab.c: the tab's renderer and view, or NULL. */
BhRendererHost *bh_tab_get_renderer_view (BhTab *tab, guint *out_view_id);
/* bh-tab.c: a navigation the page asked for, with OpenURL's rules. */
void bh_tab_renderer_open_url (gpointer owner, const char *url, BhDisposition disposition, gboolean user_activation);
/* bh-tab.c: history.pushState()/replaceState(): the URL of the current entry
 * changes without a navigation; FALSE when @url is not of the document's origin. */
gboolean bh_tab_set_same_document_url (BhTab *tab, const char *url, gboolean push);

G_END_DECLS
