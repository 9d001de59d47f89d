/* browser/profile/: what the browser remembers for a person: the profile.
 *
 * Owns: the profile directory (--user-data-dir) and its lock, the SQLite
 * database in it with its schema and migrations (bh-profile.c), the cookie
 * jar (bh-cookie.c: RFC 6265bis parsing and matching; bh-cookie-jar.c: the
 * jar and its table), history and bookmarks (bh-history.c), the HTTP cache
 * (bh-http-cache.c: RFC 9111 freshness, stored responses, eviction),
 * localStorage (bh-web-storage.c: areas per origin, the quota).
 *
 * May use: common/ only (and Debian's libsqlite3, libpsl). It knows no URL
 * loader, no tab and no widget: browser/net/ asks the jar for a request's
 * Cookie header and hands it a response's Set-Cookie lines; browser/process/
 * records committed navigations; browser/ui/ and browser/automation/ read
 * and edit through the APIs here. tools/check-includes keeps the rule.
 */
/* bh-profile.h: one profile: a directory holding one SQLite database, used by
 * one browser at a time; or, with --incognito, a database in memory.
 */
#pragma once

#include <glib-object.h>

#include "bh-profile-error.h"

G_BEGIN_DECLS

/* The schema this browser writes (PRAGMA user_version). bh-profile.c holds
 * one migration per version. */
#define BH_PROFILE_SCHEMA_VERSION 6

/* The database's file name inside the profile directory. */
#define BH_PROFILE_DATABASE_NAME "Bulkhead.sqlite"
/* The lock's file name: holds the pid of the browser using the profile. */
#define BH_PROFILE_LOCK_NAME "lock"

#define BH_TYPE_PROFILE (bh_profile_get_type ())
G_DECLARE_FINAL_TYPE (BhProfile, bh_profile, BH, PROFILE, GObject)

typedef struct _BhCookieJar BhCookieJar;
typedef struct _BhHistory BhHistory;
typedef struct _BhHttpCache BhHttpCache;
typedef struct _BhWebStorage BhWebStorage;

/**
 * bh_profile_default_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/bulkhead` (g_get_user_data_dir()),
 *   the profile used when --user-data-dir is not given.
 */
char *bh_profile_default_dir (void);

/**
 * bh_profile_open:
 * @user_data_dir: (nullable): the profile directory, created (mode 0700) if
 *   missing, as Chromium's --user-data-dir; %NULL for a profile in memory
 *   (--incognito) that writes nothing anywhere
 * @error: %BH_PROFILE_ERROR_IN_USE when another browser is using the
 *   directory (its pid in the message), else another #BhProfileError
 *
 * Opens a profile: takes the directory's lock (flock(2) on
 * `DIR/lock`, held for the browser's life and released by the kernel
 * whatever way the browser ends, so a crash leaves no stale lock), opens
 * `DIR/Bulkhead.sqlite` in WAL mode (synchronous=NORMAL: a transaction
 * once committed survives the browser being killed; only a power cut can
 * lose the last ones) and migrates its schema to
 * %BH_PROFILE_SCHEMA_VERSION. A second browser on the same directory is
 * refused rather than handed the URLs: --headless and BiDi runs have no
 * D-Bus session to hand them over on, and a refusal cannot corrupt anything.
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with @error set.
 */
BhProfile *bh_profile_open (const char *user_data_dir,
                            GError    **error);

/**
 * bh_profile_get_path:
 *
 * Returns: (transfer none) (nullable): the directory, %NULL in memory.
 */
const char *bh_profile_get_path (BhProfile *profile);

/**
 * bh_profile_is_off_the_record:
 *
 * Returns: whether the profile lives in memory only (--incognito).
 */
gboolean bh_profile_is_off_the_record (BhProfile *profile);

/**
 * bh_profile_get_cookie_jar:
 *
 * Returns: (transfer none): the profile's cookies (bh-cookie-jar.h), alive
 *   as long as the profile.
 */
BhCookieJar *bh_profile_get_cookie_jar (BhProfile *profile);

/**
 * bh_profile_get_http_cache:
 *
 * Returns: (transfer none): the profile's HTTP cache (bh-http-cache.h),
 *   alive as long as the profile; in memory with --incognito.
 */
BhHttpCache *bh_profile_get_http_cache (BhProfile *profile);

/**
 * bh_profile_get_history:
 *
 * Returns: (transfer none): the profile's history and bookmarks
 *   (bh-history.h), alive as long as the profile.
 */
BhHistory *bh_profile_get_history (BhProfile *profile);

/**
 * bh_profile_get_web_storage:
 *
 * Returns: (transfer none): the profile's localStorage areas
 *   (bh-web-storage.h), alive as long as the profile; in memory with --incognito.
 */
BhWebStorage *bh_profile_get_web_storage (BhProfile *profile);

G_END_DECLS
