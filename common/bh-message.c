/* bh-message.c: the catalogue as data, and the message type. */
#include "bh-message.h"

#include <gio/gio.h>
#include <unistd.h>

static const BhMessageInfo catalogue[] = {
#define BH_MESSAGE_ROW(name, id, dir, type, fds, fields) { BH_MSG_##name, #name, dir, type, fds, fields },
  BH_MESSAGE_CATALOGUE (BH_MESSAGE_ROW)
#undef BH_MESSAGE_ROW
};

/* catalogue[i]'s field names, split; built by ensure_checked(). */
static char **field_names[G_N_ELEMENTS (catalogue)];

/* A payload type's top-level fields: a tuple's items, else the one value. */
static guint
count_fields (const char *type_string)
{
  const GVariantType *type = G_VARIANT_TYPE (type_string);

  return g_variant_type_is_tuple (type) ? (guint) g_variant_type_n_items (type) : 1;
}

static gboolean
is_field_name (const char *name)
{
  if (!g_ascii_islower (*name))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Splits "view, navigation, url" into its names; "" is no names. */
static char **
split_field_names (const char *text)
{
  g_auto (GStrv) parts = NULL;

  if (*text == '\0')
    return g_new0 (char *, 1);
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    g_strstrip (parts[i]);
  return g_steal_pointer (&parts);
}

gboolean
bh_message_info_check (const BhMessageInfo *row, GError **error)
{
  g_auto (GStrv) names = NULL;
  guint n_fields, n_names;

  if (!g_variant_type_string_is_valid (row->payload_type))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "bh-messages.h: %s: \"%s\" is not a GVariant type string", row->name, row->payload_type);
      return FALSE;
    }
  if (row->n_fds > BH_MAX_FDS || row->type <= 0 || row->type > G_MAXUINT16)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "bh-messages.h: %s: id %d or fd count %u out of range (1..65535, 0..%u)", row->name,
                   (int) row->type, row->n_fds, BH_MAX_FDS);
      return FALSE;
    }
  names = split_field_names (row->field_names);
  n_names = g_strv_length (names);
  n_fields = g_str_equal (row->payload_type, "()") ? 0 : count_fields (row->payload_type);
  if (n_names != n_fields)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "bh-messages.h: %s: payload type %s has %u field%s but %u field name%s %s given (\"%s\"); "
                   "name every field, in order, in the row's last column",
                   row->name, row->payload_type, n_fields, n_fields == 1 ? "" : "s", n_names,
                   n_names == 1 ? "" : "s", n_names == 1 ? "is" : "are", row->field_names);
      return FALSE;
    }
  for (guint i = 0; i < n_names; i++)
    {
      if (!is_field_name (names[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "bh-messages.h: %s: field name \"%s\" is not lower_snake_case", row->name, names[i]);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (names[i], names[j]))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "bh-messages.h: %s: field name \"%s\" is used twice", row->name, names[i]);
            return FALSE;
          }
    }
  return TRUE;
}

gboolean
bh_message_catalogue_check (GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
    {
      if (!bh_message_info_check (&catalogue[i], error))
        return FALSE;
      for (gsize j = 0; j < i; j++)
        if (catalogue[j].type == catalogue[i].type)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "bh-messages.h: %s and %s share the id %d", catalogue[j].name, catalogue[i].name,
                         (int) catalogue[i].type);
            return FALSE;
          }
    }
  return TRUE;
}

/* The catalogue must be well-formed or every process misreads the wire: it is
 * checked once, the first time it is used, and the field names split then. */
static void
ensure_checked (void)
{
  static gsize checked = 0;

  if (g_once_init_enter (&checked))
    {
      g_autoptr (GError) error = NULL;

      if (!bh_message_catalogue_check (&error))
        g_error ("%s", error->message);
      for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
        field_names[i] = split_field_names (catalogue[i].field_names);
      g_once_init_leave (&checked, 1);
    }
}

const BhMessageInfo *
bh_message_info_lookup (guint type)
{
  ensure_checked ();

  /* The table is short; a linear scan keeps it obviously right. */
  for (gsize i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if ((guint) catalogue[i].type == type)
      return &catalogue[i];
  return NULL;
}

const char *const *
bh_message_info_get_field_names (const BhMessageInfo *info, guint *out_n)
{
  gsize i;

  g_return_val_if_fail (info >= catalogue && info < catalogue + G_N_ELEMENTS (catalogue), NULL);

  ensure_checked ();
  i = (gsize) (info - catalogue);
  if (out_n)
    *out_n = g_strv_length (field_names[i]);
  return (const char *const *) field_names[i];
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
