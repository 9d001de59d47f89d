/* bh-profile-error.c: the profile's error domain. */
#include "bh-profile-error.h"

G_DEFINE_QUARK (bh-profile-error-quark, bh_profile_error)
