/* bh-document-states.c: live :hover and :focus
 *
 * The element under the mouse and the one with the focus are the document's states
 * (BhElementStates), which selectors read while the box tree is built. When they
 * change, the tree is restyled only if some rule's selector could match differently
 * (bh_cascade_state_matters(), asked for each element whose state changed). Those
 * elements and their subtrees are restyled in place when only painting changes
 * (bh-box-restyle.c), damaging their boxes; otherwise the tree is built again and
 * compared with the one before box by box (geometry, a hash of each style and of each
 * paragraph's runs): the boxes whose style changed are damaged, the whole page when
 * anything moved.
 */
#include "bh-document-private.h"

#include <string.h>

/* The element a fragment names (HTML "the indicated part of the document"): the
 * first with that id, else the first <a> with that name. */
static const GumboNode *
find_indicated (BhDocument *doc, const char *fragment)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  const GumboNode *by_name = NULL;

  if (doc->gumbo == NULL || fragment == NULL || *fragment == '\0')
    return NULL;
  g_ptr_array_add (stack, doc->gumbo->document);
  while (stack->len > 0)
    {
      const GumboNode *n = g_ptr_array_steal_index (stack, stack->len - 1);
      const GumboVector *children = n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
                                    : n->type == GUMBO_NODE_ELEMENT ? &n->v.element.children : NULL;
      if (n->type == GUMBO_NODE_ELEMENT)
        {
          const char *v = bh_gumbo_get_attribute (n, "id");
          if (v != NULL && strcmp (v, fragment) == 0)
            return n;
          if (by_name == NULL && n->v.element.tag == GUMBO_TAG_A &&
              (v = bh_gumbo_get_attribute (n, "name")) != NULL && strcmp (v, fragment) == 0)
            by_name = n;
        }
      for (guint i = children != NULL ? children->length : 0; i > 0; i--)
        g_ptr_array_add (stack, children->data[i - 1]);
    }
  return by_name;
}

/**
 * bh_document_set_target_url:
 * @doc: a document
 * @url: (nullable): the URL now shown, whose fragment names the :target element
 *
 * Sets the element :target matches (Selectors 4 section 7.3): the one the fragment
 * names, percent-decoded; none without a fragment. bh_document_restyle_states()
 * applies it. A document takes its own URL's at its first box tree.
 */
void
bh_document_set_target_url (BhDocument *doc, const char *url)
{
  const char *hash;
  g_autofree char *fragment = NULL;

  g_return_if_fail (doc != NULL);
  hash = url != NULL ? strchr (url, '#') : NULL;
  if (hash != NULL)
    fragment = g_uri_unescape_string (hash + 1, NULL);
  doc->states.target = fragment != NULL ? find_indicated (doc, fragment) : NULL;
}

/**
 * bh_document_set_hover_point:
 * @doc: a laid-out document
 * @x_px: document px from the left
 * @doc_y_px: document px from the top; a negative @x_px or @doc_y_px is outside
 *
 * Sets the element under the mouse to the innermost one at the point (hit testing
 * in paint order); bh_document_restyle_states() applies it.
 */
void
bh_document_set_hover_point (BhDocument *doc, double x_px, double doc_y_px)
{
  g_return_if_fail (doc != NULL);
  doc->states.hover = x_px >= 0 && doc_y_px >= 0 && doc->root != NULL ? bh_layout_node_at (doc, x_px, doc_y_px) : NULL;
}

typedef struct {
  const GumboNode *node;
  guint8 kind;
  gboolean fixed;           /* it or an ancestor is position: fixed: painted where the viewport is */
  double x, y, w, h;        /* what it may paint: the border box and its shadow, document px */
  guint32 style_hash;
  guint32 runs_hash;        /* paragraphs: their runs' styles and objects' sizes */
} BoxSnapshot;

static guint32
hash_bytes (guint32 h, const void *data, gsize len)
{
  const guchar *p = data;

  for (gsize i = 0; i < len; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

static void
snapshot_box (GArray *out, BhBox *box, gboolean fixed)
{
  const BhStyle *s = box->style;
  double grow = 0;
  BoxSnapshot snap = { box->node, box->kind, fixed, box->x, box->y, box->w, box->h,
                       hash_bytes (2166136261u, s, sizeof *s), 2166136261u };

  if ((s->shadow_color >> 24) != 0)
    grow = MAX (ABS (s->shadow_x), ABS (s->shadow_y)) + s->shadow_blur + MAX (0, s->shadow_spread);
  snap.x -= grow + 1;
  snap.y -= grow + 1;
  snap.w += 2 * grow + 2;
  snap.h += 2 * grow + 2;
  if (box->para != NULL)
    for (guint i = 0; i < box->para->runs->len; i++)
      {
        const BhRun *run = &g_array_index (box->para->runs, BhRun, i);
        snap.runs_hash = hash_bytes (snap.runs_hash, run->style, sizeof *run->style);
        snap.runs_hash = hash_bytes (snap.runs_hash, &run->start, sizeof run->start);
        if (run->object != NULL)
          {
            snap.runs_hash = hash_bytes (snap.runs_hash, &run->object->w, sizeof run->object->w);
            snap.runs_hash = hash_bytes (snap.runs_hash, &run->object->h, sizeof run->object->h);
          }
      }
  g_array_append_val (out, snap);
}

/* Every box in tree order. Boxes nest at most BH_MAX_BOX_DEPTH deep, so recursion is
 * bounded. */
static void
snapshot_tree (GArray *out, BhBox *box, gboolean fixed)
{
  fixed = fixed || box->style->position == BH_POSITION_FIXED;
  snapshot_box (out, box, fixed);
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    snapshot_tree (out, child, fixed);
}

static void
add_rect (double damage[4], gboolean *any, const BoxSnapshot *s)
{
  if (!*any)
    {
      damage[0] = s->x;
      damage[1] = s->y;
      damage[2] = s->x + s->w;
      damage[3] = s->y + s->h;
      *any = TRUE;
      return;
    }
  damage[0] = MIN (damage[0], s->x);
  damage[1] = MIN (damage[1], s->y);
  damage[2] = MAX (damage[2], s->x + s->w);
  damage[3] = MAX (damage[3], s->y + s->h);
}

/* Adds to @changes the elements of one hover chain that are not in the other. */
static void
add_chain_difference (GPtrArray *changes, const GumboNode *from, const GumboNode *other)
{
  int steps = 0;

  for (const GumboNode *n = from; n != NULL && steps < 4096; n = n->parent, steps++)
    {
      gboolean shared = FALSE;
      int k = 0;
      for (const GumboNode *m = other; m != NULL && k < 4096; m = m->parent, k++)
        if (m == n)
          {
            shared = TRUE;
            break;
          }
      if (shared)
        break;  /* the rest of the chain is shared too */
      if (n->type == GUMBO_NODE_ELEMENT)
        g_ptr_array_add (changes, (gpointer) n);
    }
}

/* The elements a rule may match differently for the states now than for those the
 * tree was styled for, added to @out; none when nothing can change. */
static void
states_matter (BhDocument *doc, GPtrArray *out)
{
  const BhElementStates *now = &doc->states, *then = &doc->styled_states;

  if (doc->cascade == NULL)
    return;
  if (now->hover != then->hover && (bh_cascade_get_states_used (doc->cascade) & BH_STATE_HOVER))
    {
      g_autoptr(GPtrArray) hovered = g_ptr_array_new ();
      add_chain_difference (hovered, now->hover, then->hover);
      add_chain_difference (hovered, then->hover, now->hover);
      for (guint i = 0; i < hovered->len; i++)
        if (bh_cascade_state_matters (doc->cascade, hovered->pdata[i], BH_STATE_HOVER))
          g_ptr_array_add (out, hovered->pdata[i]);
    }
  if (now->target != then->target && (bh_cascade_get_states_used (doc->cascade) & BH_STATE_TARGET))
    {
      if (now->target != NULL && bh_cascade_state_matters (doc->cascade, now->target, BH_STATE_TARGET))
        g_ptr_array_add (out, (gpointer) now->target);
      if (then->target != NULL && bh_cascade_state_matters (doc->cascade, then->target, BH_STATE_TARGET))
        g_ptr_array_add (out, (gpointer) then->target);
    }
  if (now->focus != then->focus && (bh_cascade_get_states_used (doc->cascade) & BH_STATE_FOCUS))
    {
      /* :focus-within looks at the ancestors too: the chains, as for hover */
      g_autoptr(GPtrArray) focused = g_ptr_array_new ();
      add_chain_difference (focused, now->focus, then->focus);
      add_chain_difference (focused, then->focus, now->focus);
      for (guint i = 0; i < focused->len; i++)
        if (bh_cascade_state_matters (doc->cascade, focused->pdata[i], BH_STATE_FOCUS))
          g_ptr_array_add (out, focused->pdata[i]);
    }
}

/**
 * bh_document_restyle_states:
 * @doc: a laid-out document
 * @damage: (out caller-allocates): what changed, document px: left, top, right, bottom
 *
 * Applies the states that changed since the box tree was styled: the element under
 * the mouse (bh_document_set_hover_point()) and the focused form control. When a
 * :hover or :focus rule matches differently, the tree is restyled and laid out again
 * at its size, and @damage is set to the boxes that paint differently; when some box
 * moved, to the whole document (0, 0, G_MAXDOUBLE, G_MAXDOUBLE), as it is when a
 * changed box is position: fixed.
 *
 * Returns: %TRUE when the page must be painted again within @damage.
 */
gboolean
bh_document_restyle_states (BhDocument *doc, double damage[4])
{
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  gboolean any = FALSE, whole = FALSE;

  g_return_val_if_fail (doc != NULL, FALSE);
  doc->states.focus = bh_forms_focused_node (doc);
  if (doc->root != NULL && !doc->tree_dirty)
    states_matter (doc, changed);
  if (changed->len == 0)
    {
      /* the styles do not depend on what changed: they hold for the states now */
      if (!doc->tree_dirty)
        doc->styled_states = doc->states;
      return FALSE;
    }
  switch (bh_box_restyle_elements (doc, changed, damage))
    {
    case BH_RESTYLE_NONE:
      doc->styled_states = doc->states;
      return FALSE;
    case BH_RESTYLE_PAINT:
      doc->styled_states = doc->states;
      return TRUE;
    default:
      break;  /* built again below */
    }

  before = g_array_new (FALSE, FALSE, sizeof (BoxSnapshot));
  snapshot_tree (before, doc->root, FALSE);
  doc->tree_dirty = TRUE;
  bh_document_layout (doc, doc->layout_width, doc->layout_scale);
  after = g_array_new (FALSE, FALSE, sizeof (BoxSnapshot));
  snapshot_tree (after, doc->root, FALSE);

  if (before->len != after->len)
    whole = TRUE;
  for (guint i = 0; i < after->len && !whole; i++)
    {
      const BoxSnapshot *a = &g_array_index (before, BoxSnapshot, i);
      const BoxSnapshot *b = &g_array_index (after, BoxSnapshot, i);
      if (a->node != b->node || a->kind != b->kind || a->x != b->x || a->y != b->y || a->w != b->w || a->h != b->h)
        whole = TRUE;
      else if (a->style_hash != b->style_hash || a->runs_hash != b->runs_hash)
        {
          if (a->fixed || b->fixed)
            whole = TRUE;
          add_rect (damage, &any, b);
        }
    }
  if (whole)
    {
      damage[0] = damage[1] = 0;
      damage[2] = damage[3] = G_MAXDOUBLE;
      return TRUE;
    }
  return any;
}
