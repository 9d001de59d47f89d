/* bh-trace-merge.c: the browser's merged --ipc-debug trace (bh-trace-merge.h). */
#include "bh-trace-merge.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How often held lines are looked at while some are held. */
#define FLUSH_INTERVAL_MS 50

typedef struct {
  char *role;
  char *label;
  BhTraceMergeDrainFunc drain;
  gpointer user_data;
} Child;

typedef struct {
  char *role;
  guint pid;
  char *label; /* "" for the browser */
} Side;

typedef struct {
  gint64 time_us;
  /* The message's identity across both processes: who sent it to whom, and
   * the sender's serial on that channel. */
  guint sender_pid;
  guint receiver_pid;
  guint32 serial;
  char *name;
  char *lane; /* "" for the data lane */
  gboolean sent; /* the sender's line, else the receiver's */
  gboolean pipe;
  Side local;
  Side peer;
  char *arrow;      /* "->", "<-", "=>", "<=" */
  char *text;       /* what follows the peer in the text line */
  JsonObject *json; /* the record's members, for the JSON line */
  gint64 handled_us; /* -1 until the receiver's handling time is known */
} Entry;

static struct {
  gboolean active;
  guint sink_id;
  BhTraceFilter *filter;
  gboolean json;
  char *sides;
  GPtrArray *peers; /* PeerSpec */
  guint browser_pid;
  GHashTable *children; /* pid -> Child */
  GQueue entries;       /* Entry, in time order */
  guint flush_id;
  BhTraceMergeWriteFunc write;
  gpointer write_data;
  gboolean atexit_set;
} M;

typedef struct {
  char *role;
  GPatternSpec *label;
} PeerSpec;

static void
peer_spec_free (PeerSpec *spec)
{
  g_free (spec->role);
  g_pattern_spec_free (spec->label);
  g_free (spec);
}

static GPtrArray *
parse_peers (const char *peers, GError **error)
{
  g_autoptr (GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_spec_free);
  g_auto (GStrv) parts = g_strsplit (peers ? peers : "", ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *colon = strchr (part, ':');
      PeerSpec *spec;

      if (*part == '\0')
        continue;
      if (colon == NULL || colon == part)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--ipc-debug-peer: expected ROLE:SITE-OR-TYPE (renderer:http://alpha.test, "
                       "plugin:application/pdf), got \"%s\"", part);
          return NULL;
        }
      *colon = '\0';
      if (!g_str_equal (part, "renderer") && !g_str_equal (part, "plugin"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--ipc-debug-peer: the role is renderer or plugin, not \"%s\"", part);
          return NULL;
        }
      spec = g_new0 (PeerSpec, 1);
      spec->role = g_strdup (part);
      spec->label = g_pattern_spec_new (*(colon + 1) ? colon + 1 : "*");
      g_ptr_array_add (specs, spec);
    }
  return g_steal_pointer (&specs);
}

gboolean
bh_trace_merge_check_peers (const char *peers, GError **error)
{
  g_autoptr (GPtrArray) specs = parse_peers (peers, error);

  return specs != NULL;
}

/* Whether a line about the child @role/@label is shown. */
static gboolean
peer_matches (const char *role, const char *label)
{
  if (M.peers == NULL || M.peers->len == 0)
    return TRUE;
  for (guint i = 0; i < M.peers->len; i++)
    {
      PeerSpec *spec = g_ptr_array_index (M.peers, i);

      if (g_str_equal (spec->role, role) && g_pattern_spec_match_string (spec->label, label))
        return TRUE;
    }
  return FALSE;
}

static void
child_free (Child *child)
{
  g_free (child->role);
  g_free (child->label);
  g_free (child);
}

static void
entry_free (Entry *e)
{
  g_free (e->name);
  g_free (e->lane);
  g_free (e->local.role);
  g_free (e->local.label);
  g_free (e->peer.role);
  g_free (e->peer.label);
  g_free (e->arrow);
  g_free (e->text);
  g_clear_pointer (&e->json, json_object_unref);
  g_free (e);
}

/* ---- output ------------------------------------------------------------ */

/* A child's text made printable: valid UTF-8, control characters as \xNN. */
static char *
printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

static void
json_write_string (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (out, '"');
}

/* JSON text of @node, doubles as a person writes them (json-glib's generator
 * prints 17 digits). */
static void
json_write_node (GString *out, JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (o);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *l = members; l; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            json_write_string (out, l->data);
            g_string_append_c (out, ':');
            json_write_node (out, json_object_get_member (o, l->data));
          }
        g_string_append_c (out, '}');
        return;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            json_write_node (out, json_array_get_element (a, i));
          }
        g_string_append_c (out, ']');
        return;
      }
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          return;
        case G_TYPE_DOUBLE:
          bh_trace_append_double (out, json_node_get_double (node));
          return;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          return;
        case G_TYPE_STRING:
          json_write_string (out, json_node_get_string (node));
          return;
        default:
          g_string_append (out, "null");
          return;
        }
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

static void
json_member_string (GString *out, const char *name, const char *value)
{
  g_string_append_c (out, ',');
  json_write_string (out, name);
  g_string_append_c (out, ':');
  json_write_string (out, value);
}

static void
json_member_int (GString *out, const char *name, gint64 value)
{
  g_string_append_printf (out, ",\"%s\":%" G_GINT64_FORMAT, name, value);
}

static char *
format_entry (const Entry *e)
{
  GString *out = g_string_new (NULL);

  if (!M.json)
    {
      g_string_append_printf (out, "%12.6f %s[%u%s%s] %s %s[%u%s%s] %s", e->time_us / 1e6, e->local.role,
                              e->local.pid, *e->local.label ? " " : "", e->local.label, e->arrow, e->peer.role,
                              e->peer.pid, *e->peer.label ? " " : "", e->peer.label, e->text);
      if (e->handled_us >= 0)
        g_string_append_printf (out, " handled in %.3f ms", e->handled_us / 1e3);
      return g_string_free (out, FALSE);
    }

  /* The identity members are the browser's; the rest is the record's. */
  g_string_append_printf (out, "{\"time_us\":%" G_GINT64_FORMAT, e->time_us);
  json_member_string (out, "role", e->local.role);
  json_member_int (out, "pid", e->local.pid);
  if (*e->local.label)
    json_member_string (out, "site", e->local.label);
  json_member_string (out, "direction", e->sent ? "send" : "recv");
  json_member_string (out, "peerRole", e->peer.role);
  json_member_int (out, "peerPid", e->peer.pid);
  json_member_string (out, "peer", e->peer.label);
  json_member_string (out, "message", e->name);
  if (e->json)
    {
      static const char *const own[] = { "time_us", "role", "pid", "direction", "peerRole", "peerPid", "peer",
                                         "message", "call", "fdsText", "arrow", "text", "site", "handledUs",
                                         NULL };
      g_autoptr (GList) members = json_object_get_members (e->json);

      for (GList *l = members; l; l = l->next)
        {
          if (g_strv_contains (own, l->data))
            continue;
          g_string_append_c (out, ',');
          json_write_string (out, l->data);
          g_string_append_c (out, ':');
          json_write_node (out, json_object_get_member (e->json, l->data));
        }
    }
  if (e->handled_us >= 0)
    json_member_int (out, "handledUs", e->handled_us);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static void
print_entry (const Entry *e)
{
  g_autofree char *line = format_entry (e);

  if (M.write)
    M.write (line, M.write_data);
  else
    {
      /* One write per line. */
      fprintf (stderr, "%s\n", line);
      fflush (stderr);
    }
}

static void
drain_children (void)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GPtrArray) children = g_ptr_array_new ();

  if (M.children == NULL)
    return;
  /* A drain hands lines back to us; the table must not change under the
   * iterator meanwhile, so the drains are collected first. */
  g_hash_table_iter_init (&iter, M.children);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Child *) value)->drain)
      g_ptr_array_add (children, value);
  for (guint i = 0; i < children->len; i++)
    {
      Child *child = g_ptr_array_index (children, i);
      child->drain (child->user_data);
    }
}

/* Prints the lines older than @before_us, in order. */
static void
print_until (gint64 before_us)
{
  Entry *e;

  while ((e = g_queue_peek_head (&M.entries)) && e->time_us <= before_us)
    {
      g_queue_pop_head (&M.entries);
      print_entry (e);
      entry_free (e);
    }
}

static gboolean
flush_cb (gpointer data)
{
  drain_children ();
  print_until (g_get_monotonic_time () - BH_TRACE_MERGE_HOLD_MS * 1000);
  if (g_queue_is_empty (&M.entries))
    {
      M.flush_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Inserts in time order: lines mostly come in order, so from the tail. */
static void
insert_entry (Entry *e)
{
  GList *l;

  for (l = M.entries.tail; l && ((Entry *) l->data)->time_us > e->time_us; l = l->prev)
    ;
  if (l)
    g_queue_insert_after (&M.entries, l, e);
  else
    g_queue_push_head (&M.entries, e);
  if (M.flush_id == 0)
    M.flush_id = g_timeout_add (FLUSH_INTERVAL_MS, flush_cb, NULL);
}

/* The receiver's handling time goes on every line of that message. */
static void
attach_handled (guint sender_pid, guint receiver_pid, guint32 serial, const char *name, const char *lane,
                gint64 handled_us)
{
  for (GList *l = M.entries.tail; l; l = l->prev)
    {
      Entry *e = l->data;

      if (!e->pipe && e->serial == serial && e->sender_pid == sender_pid && e->receiver_pid == receiver_pid &&
          g_str_equal (e->name, name) && g_str_equal (e->lane, lane))
        {
          e->handled_us = MAX (handled_us, 0);
          if (e->sent)
            return;
        }
    }
}

static const char *
get_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n)
                                                                                        : NULL;
}

static gboolean
get_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

/* Takes one record, the browser's own or a child's: @local is who wrote it,
 * @peer the other end. Returns FALSE if it is malformed. */
static gboolean
take_record (JsonObject *o, const Side *local, const Side *peer)
{
  const char *direction = get_string (o, "direction");
  const char *name = get_string (o, "message");
  const char *lane = get_string (o, "lane") ? get_string (o, "lane") : "";
  gint64 time_us, serial = 0, handled_us;
  gboolean pipe, sent;
  Entry *e;

  if (direction == NULL || name == NULL || !get_int (o, "time_us", &time_us))
    return FALSE;
  if (!bh_trace_filter_matches (M.filter, name))
    return TRUE;
  pipe = g_str_equal (name, BH_TRACE_DATA_PIPE_NAME);
  if (!pipe && !get_int (o, "serial", &serial))
    return FALSE;
  if (g_str_equal (direction, "handled"))
    {
      /* The handler ran in @local, for a message from @peer. */
      if (!get_int (o, "handledUs", &handled_us))
        return FALSE;
      attach_handled (peer->pid, local->pid, (guint32) serial, name, lane, handled_us);
      return TRUE;
    }
  if (!g_str_equal (direction, "send") && !g_str_equal (direction, "recv"))
    return FALSE;
  sent = g_str_equal (direction, "send");
  if (!pipe && !bh_trace_sides_shows (M.sides, sent ? BH_TRACE_SENT : BH_TRACE_RECEIVED))
    return TRUE;
  /* The child is the side that is not the browser. */
  if (local->pid == M.browser_pid ? !peer_matches (peer->role, peer->label) : !peer_matches (local->role, local->label))
    return TRUE;

  e = g_new0 (Entry, 1);
  e->time_us = time_us;
  e->name = printable (name);
  e->lane = g_strdup (lane);
  e->sent = sent;
  e->pipe = pipe;
  e->serial = (guint32) serial;
  e->sender_pid = sent ? local->pid : peer->pid;
  e->receiver_pid = sent ? peer->pid : local->pid;
  e->local = (Side) { g_strdup (local->role), local->pid, g_strdup (local->label) };
  e->peer = (Side) { g_strdup (peer->role), peer->pid, g_strdup (peer->label) };
  e->handled_us = -1;
  e->json = json_object_ref (o);
  if (pipe)
    {
      const char *arrow = get_string (o, "arrow");
      const char *text = get_string (o, "text");

      e->arrow = g_strdup (arrow && g_str_equal (arrow, "<=") ? "<=" : "=>");
      e->text = printable (text ? text : BH_TRACE_DATA_PIPE_NAME);
    }
  else
    {
      const char *call = get_string (o, "call");
      const char *fds = get_string (o, "fdsText");
      gint64 reply = 0, bytes = 0;
      GString *text = g_string_new (NULL);
      g_autofree char *call_text = printable (call ? call : name);

      get_int (o, "replySerial", &reply);
      get_int (o, "bytes", &bytes);
      e->arrow = g_strdup (sent ? "->" : "<-");
      g_string_append (text, call_text);
      if (fds && *fds)
        {
          g_autofree char *fds_text = printable (fds);
          g_string_append_printf (text, " fds=%s", fds_text);
        }
      g_string_append_printf (text, " serial=%u", (guint32) serial);
      if (reply)
        g_string_append_printf (text, " reply_to=%u", (guint32) reply);
      g_string_append_printf (text, " bytes=%" G_GINT64_FORMAT, bytes);
      if (*lane)
        {
          g_autofree char *lane_text = printable (lane);
          g_string_append_printf (text, " lane=%s", lane_text);
        }
      e->text = g_string_free (text, FALSE);
    }
  insert_entry (e);
  return TRUE;
}

static JsonObject *
parse_record (const char *text, gssize len)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* The browser's own events, through the same records a child writes. */
static void
merge_sink (const BhTraceEvent *event, gpointer user_data)
{
  g_autofree char *record = NULL;
  g_autoptr (JsonObject) o = NULL;
  Side local = { (char *) "browser", M.browser_pid, (char *) "" };
  Side peer = { (char *) (event->peer_role ? event->peer_role : "peer"), event->peer_pid,
                (char *) (event->peer_label ? event->peer_label : "") };

  if (!bh_trace_filter_matches (M.filter, bh_trace_event_name (event)))
    return;
  /* The child wrote its line for this message before sending it: take it
   * before the browser's handling of it. */
  if (event->direction == BH_TRACE_RECEIVED && M.children)
    {
      Child *child = g_hash_table_lookup (M.children, GUINT_TO_POINTER (event->peer_pid));

      if (child && child->drain)
        child->drain (child->user_data);
    }
  if (event->direction == BH_TRACE_HANDLED)
    {
      attach_handled (event->peer_pid, M.browser_pid, event->message->serial, bh_trace_event_name (event),
                      event->lane ? event->lane : "", event->handled_us);
      return;
    }
  record = bh_trace_format_record (event, 200);
  o = parse_record (record + strlen (BH_TRACE_RECORD_PREFIX), -1);
  if (o)
    take_record (o, &local, &peer);
}

gboolean
bh_trace_merge_take_child_line (guint pid, const char *line, gsize len)
{
  gsize prefix = strlen (BH_TRACE_RECORD_PREFIX);
  g_autoptr (JsonObject) o = NULL;
  Child *child;
  Side local, peer;

  if (!M.active || len < prefix || memcmp (line, BH_TRACE_RECORD_PREFIX, prefix) != 0)
    return FALSE;
  child = M.children ? g_hash_table_lookup (M.children, GUINT_TO_POINTER (pid)) : NULL;
  if (child == NULL)
    return FALSE;
  o = parse_record (line + prefix, (gssize) (len - prefix));
  local = (Side) { child->role, pid, child->label };
  peer = (Side) { (char *) "browser", M.browser_pid, (char *) "" };
  if (o == NULL || !take_record (o, &local, &peer))
    g_debug ("%s %u wrote a malformed trace record", child->role, pid);
  return TRUE;
}

void
bh_trace_merge_add_child (guint pid, const char *role, const char *label, BhTraceMergeDrainFunc drain,
                          gpointer user_data)
{
  Child *child;

  if (!M.active)
    return;
  child = g_new0 (Child, 1);
  child->role = g_strdup (role);
  child->label = g_strdup (label ? label : "");
  child->drain = drain;
  child->user_data = user_data;
  g_hash_table_replace (M.children, GUINT_TO_POINTER (pid), child);
}

void
bh_trace_merge_remove_child (guint pid)
{
  if (M.children)
    g_hash_table_remove (M.children, GUINT_TO_POINTER (pid));
}

void
bh_trace_merge_flush (void)
{
  if (!M.active)
    return;
  drain_children ();
  print_until (G_MAXINT64);
  g_clear_handle_id (&M.flush_id, g_source_remove);
}

static void
flush_at_exit (void)
{
  bh_trace_merge_flush ();
}

gboolean
bh_trace_merge_is_active (void)
{
  return M.active;
}

const char *
bh_trace_merge_get_sides (void)
{
  return M.sides ? M.sides : "send";
}

gboolean
bh_trace_merge_setup (const char *filter, const char *format, const char *sides, const char *peers,
                      GError **error)
{
  GPtrArray *specs;

  g_return_val_if_fail (!M.active, FALSE);

  if (!bh_trace_sides_is_valid (sides))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--ipc-debug-sides: expected send, recv or both, got \"%s\"", sides);
      return FALSE;
    }
  if ((specs = parse_peers (peers, error)) == NULL)
    return FALSE;
  M.peers = specs;
  M.active = TRUE;
  M.filter = bh_trace_filter_new (filter);
  M.json = g_strcmp0 (format, "json") == 0;
  M.sides = g_strdup (sides ? sides : "send");
  M.browser_pid = (guint) getpid ();
  M.children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) child_free);
  bh_trace_set_local ("browser", M.browser_pid);
  M.sink_id = bh_trace_add_sink_full (merge_sink, NULL, BH_TRACE_SINK_HANDLED);
  if (!M.atexit_set)
    {
      M.atexit_set = TRUE;
      atexit (flush_at_exit);
    }
  return TRUE;
}

void
bh_trace_merge_set_writer (BhTraceMergeWriteFunc func, gpointer user_data)
{
  M.write = func;
  M.write_data = user_data;
}

void
bh_trace_merge_reset (void)
{
  bh_trace_merge_flush ();
  if (M.sink_id)
    bh_trace_remove_sink (M.sink_id);
  M.sink_id = 0;
  M.active = FALSE;
  g_clear_pointer (&M.filter, bh_trace_filter_free);
  g_clear_pointer (&M.sides, g_free);
  g_clear_pointer (&M.peers, g_ptr_array_unref);
  g_clear_pointer (&M.children, g_hash_table_unref);
  g_queue_clear_full (&M.entries, (GDestroyNotify) entry_free);
}
