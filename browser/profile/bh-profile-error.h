/* bh-profile-error.h: why a profile could not be opened or written. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BH_PROFILE_ERROR (bh_profile_error_quark ())
GQuark bh_profile_error_quark (void);

typedef enum {
  BH_PROFILE_ERROR_IN_USE,   /* another browser holds the profile's lock */
  BH_PROFILE_ERROR_IO,       /* the directory or a file could not be made or opened */
  BH_PROFILE_ERROR_DATABASE, /* SQLite failed: a damaged or unreadable database */
  BH_PROFILE_ERROR_TOO_NEW,  /* the database's schema is newer than this browser */
} BhProfileError;

G_END_DECLS
