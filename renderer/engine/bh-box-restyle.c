/* bh-box-restyle.c: restyling part of the box tree in place
 *
 * When the user's states change (:hover, :focus), the elements whose state changed and
 * their descendants get their styles computed again, from the cascade the tree was
 * built with, under their ancestors' (computed again from the root along the one
 * path, so that hints and custom properties are as the build had them), twice: for
 * the states the tree was styled for, which gives the styles its boxes hold (interned
 * styles are shared, so the same pointers), and for the states now. When every
 * new style differs from the tree's only in what painting reads (colours, decoration,
 * visibility, opacity, shadows, gradients), the boxes and text runs of those elements
 * take the new styles and their paragraphs drop their layouts: no box moves, and only
 * their rectangles are damaged. Anything else (a size, display, a font) asks for the
 * tree to be built again. The generated content of ::before and ::after keeps its
 * style.
 */
#include "bh-box-private.h"

#include <string.h>

/* Elements whose subtrees one state change restyles at most in place; past it, the
 * tree is built again (the cost is the same order). */
#define BH_MAX_RESTYLED_ELEMENTS 20000

/* Whether @a and @b differ only in properties that do not change layout. */
static gboolean
paint_only (const BhStyle *a, const BhStyle *b)
{
  BhStyle t = *b;

  t.color = a->color;
  t.background_color = a->background_color;
  t.text_decoration = a->text_decoration;
  t.visibility = a->visibility;
  t.opacity = a->opacity;
  memcpy (t.border_color, a->border_color, sizeof t.border_color);
  t.shadow_color = a->shadow_color;
  t.shadow_x = a->shadow_x;
  t.shadow_y = a->shadow_y;
  t.shadow_blur = a->shadow_blur;
  t.shadow_spread = a->shadow_spread;
  t.gradient_from = a->gradient_from;
  t.gradient_to = a->gradient_to;
  t.gradient_angle = a->gradient_angle;
  return memcmp (&t, a, sizeof t) == 0;
}

typedef struct {
  const BhStyle *old_style;
  const BhStyle *new_style;
} Patch;

static const GumboVector *
children_of (const GumboNode *node)
{
  if (node->type == GUMBO_NODE_DOCUMENT)
    return &node->v.document.children;
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    return &node->v.element.children;
  return NULL;
}

/* The frames from the document down to @node's parent, styles computed again. */
static gboolean
ancestor_frames (Builder *b, const GumboNode *node)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  Frame *root = g_new0 (Frame, 1);

  root->node = b->doc->gumbo->document;
  root->style = b->doc->root->style;
  root->table_cellpadding = -1;
  g_ptr_array_add (b->frames, root);
  for (const GumboNode *n = node->parent; n != NULL && n->type != GUMBO_NODE_DOCUMENT; n = n->parent)
    {
      if (path->len > 4 * BH_MAX_BOX_DEPTH)
        return FALSE;
      g_ptr_array_add (path, (gpointer) n);
    }
  for (guint i = path->len; i > 0; i--)
    {
      GumboNode *n = path->pdata[i - 1];
      Frame *f;
      if (n->type != GUMBO_NODE_ELEMENT || bh_box_is_skipped_tag (n->v.element.tag) ||
          (f = bh_box_frame_new (b, n, b->frames->pdata[b->frames->len - 1])) == NULL)
        return FALSE;  /* not rendered: neither is @node */
      g_ptr_array_add (b->frames, f);
    }
  return TRUE;
}

/* Elements whose children the box tree does not hold (bh-box.c's visit_element()). */
static gboolean
keeps_no_children (GumboTag tag)
{
  return tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_BR || tag == GUMBO_TAG_EMBED || tag == GUMBO_TAG_OBJECT ||
         tag == GUMBO_TAG_IFRAME || tag == GUMBO_TAG_INPUT || tag == GUMBO_TAG_HR;
}

/* Computes @top's subtree again under the old states (@then) and the new (@now);
 * records in @patches what changed. FALSE when the tree must be built again. */
static gboolean
restyle_subtree (Builder *then, Builder *now, GumboNode *top, GHashTable *patches, guint *budget)
{
  guint base = now->frames->len;
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint));  /* per frame: next child */
  gboolean ok = TRUE;
  GumboNode *node = top;

  for (;;)
    {
      if (node != NULL && node->type == GUMBO_NODE_ELEMENT && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML &&
          !bh_box_is_skipped_tag (node->v.element.tag))
        {
          Frame *old_f, *new_f;

          if ((*budget)-- == 0)
            {
              ok = FALSE;
              break;
            }
          old_f = bh_box_frame_new (then, node, then->frames->pdata[then->frames->len - 1]);
          new_f = bh_box_frame_new (now, node, now->frames->pdata[now->frames->len - 1]);
          if ((old_f == NULL) != (new_f == NULL))
            {
              bh_box_frame_free (old_f);
              bh_box_frame_free (new_f);
              ok = FALSE;  /* it appears or goes */
              break;
            }
          if (new_f != NULL)
            {
              if (new_f->style != old_f->style)
                {
                  Patch *p;
                  if (!paint_only (old_f->style, new_f->style))
                    {
                      bh_box_frame_free (old_f);
                      bh_box_frame_free (new_f);
                      ok = FALSE;
                      break;
                    }
                  p = g_new (Patch, 1);
                  p->old_style = old_f->style;
                  p->new_style = new_f->style;
                  g_hash_table_replace (patches, node, p);
                }
              /* an image's or a field's children are not in the tree */
              guint first_child = keeps_no_children (node->v.element.tag) ? G_MAXUINT : 0;
              g_ptr_array_add (then->frames, old_f);
              g_ptr_array_add (now->frames, new_f);
              g_array_append_val (next, first_child);
            }
        }
      /* the next element to visit: a child of the innermost frame, else up */
      node = NULL;
      while (now->frames->len > base)
        {
          Frame *f = now->frames->pdata[now->frames->len - 1];
          const GumboVector *children = children_of (f->node);
          guint *i = &g_array_index (next, guint, next->len - 1);
          while (children != NULL && *i < children->length)
            {
              GumboNode *child = children->data[(*i)++];
              if (child->type == GUMBO_NODE_ELEMENT)
                {
                  node = child;
                  break;
                }
            }
          if (node != NULL)
            break;
          bh_box_frame_free (g_ptr_array_steal_index (now->frames, now->frames->len - 1));
          bh_box_frame_free (g_ptr_array_steal_index (then->frames, then->frames->len - 1));
          g_array_set_size (next, next->len - 1);
        }
      if (node == NULL)
        break;
    }
  return ok;
}

static void
clear_frames (Builder *b)
{
  while (b->frames->len > 0)
    bh_box_frame_free (g_ptr_array_steal_index (b->frames, b->frames->len - 1));
}

static void
add_damage (double damage[4], gboolean *any, const BhBox *box)
{
  double grow = 0;

  if ((box->style->shadow_color >> 24) != 0)
    grow = MAX (ABS (box->style->shadow_x), ABS (box->style->shadow_y)) + box->style->shadow_blur +
           MAX (0, box->style->shadow_spread);
  if (!*any)
    {
      damage[0] = box->x - grow - 1;
      damage[1] = box->y - grow - 1;
      damage[2] = box->x + box->w + grow + 1;
      damage[3] = box->y + box->h + grow + 1;
      *any = TRUE;
      return;
    }
  damage[0] = MIN (damage[0], box->x - grow - 1);
  damage[1] = MIN (damage[1], box->y - grow - 1);
  damage[2] = MAX (damage[2], box->x + box->w + grow + 1);
  damage[3] = MAX (damage[3], box->y + box->h + grow + 1);
}

/* Whether a box is painted elsewhere than its place: fixed, sticky, or in a scrolled
 * container (its damage is then the whole viewport's). */
static gboolean
in_viewport_box (const BhBox *box)
{
  for (const BhBox *b = box; b != NULL; b = b->parent)
    if (b->style->position == BH_POSITION_FIXED || b->style->position == BH_POSITION_STICKY ||
        (b != box && b->scroll != NULL && (b->scroll->x != 0 || b->scroll->y != 0)))
      return TRUE;
  return FALSE;
}

/**
 * bh_box_restyle_elements: (skip)
 * @doc: a document with a box tree
 * @changed: (element-type GumboNode): elements whose state changed
 * @damage: (out caller-allocates): for BH_RESTYLE_PAINT, what to paint again
 *
 * Returns: BH_RESTYLE_NONE when no style changed, BH_RESTYLE_PAINT when the tree was
 *   patched, BH_RESTYLE_REBUILD when it must be built again.
 */
BhRestyle
bh_box_restyle_elements (BhDocument *doc, GPtrArray *changed, double damage[4])
{
  g_autoptr(GHashTable) patches = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  Builder then = { .doc = doc, .cascade = doc->cascade, .style_set = doc->style_set, .states = &doc->styled_states };
  Builder now = { .doc = doc, .cascade = doc->cascade, .style_set = doc->style_set, .states = &doc->states };
  guint budget = BH_MAX_RESTYLED_ELEMENTS;
  gboolean ok = TRUE, any = FALSE, whole = FALSE;

  if (doc->cascade == NULL || doc->style_set == NULL || doc->gumbo == NULL || doc->root == NULL)
    return BH_RESTYLE_REBUILD;
  then.frames = g_ptr_array_new ();
  now.frames = g_ptr_array_new ();
  for (guint i = 0; i < changed->len && ok; i++)
    {
      GumboNode *node = changed->pdata[i];
      gboolean covered = FALSE;
      /* one under another changed element is restyled with it */
      for (guint k = 0; k < changed->len && !covered; k++)
        for (const GumboNode *a = node->parent; a != NULL && !covered; a = a->parent)
          if (a == changed->pdata[k])
            covered = TRUE;
      if (covered)
        continue;
      ok = ancestor_frames (&then, node) && ancestor_frames (&now, node) &&
           restyle_subtree (&then, &now, node, patches, &budget);
      clear_frames (&then);
      clear_frames (&now);
    }
  g_ptr_array_unref (then.frames);
  g_ptr_array_unref (now.frames);
  if (!ok)
    return BH_RESTYLE_REBUILD;
  if (g_hash_table_size (patches) == 0)
    return BH_RESTYLE_NONE;

  /* the boxes and runs of the restyled elements take their new styles */
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      BhBox *box = doc->boxes->pdata[i];
      const GumboNode *owner = box->node != NULL ? box->node
                               : box->kind == BH_BOX_PARAGRAPH && box->parent != NULL ? box->parent->node : NULL;
      Patch *p = owner != NULL ? g_hash_table_lookup (patches, owner) : NULL;
      gboolean touched = FALSE;

      if (p != NULL && box->style == p->old_style)
        {
          box->style = p->new_style;
          touched = TRUE;
        }
      if (box->para != NULL)
        for (guint r = 0; r < box->para->runs->len; r++)
          {
            BhRun *run = &g_array_index (box->para->runs, BhRun, r);
            Patch *rp = run->node != NULL ? g_hash_table_lookup (patches, run->node) : NULL;
            if (rp != NULL && run->style == rp->old_style)
              {
                run->style = rp->new_style;
                if (run->object != NULL && run->object->style == rp->old_style)
                  run->object->style = rp->new_style;
                touched = TRUE;
              }
          }
      if (!touched)
        continue;
      if (box->para != NULL)
        {
          /* same text, same metrics: the layout is made again with the new colours */
          bh_paragraph_drop_layout (box->para);
          box->para->layout_width = -1;
        }
      if (in_viewport_box (box))
        whole = TRUE;
      add_damage (damage, &any, box);
    }
  if (whole)
    {
      damage[0] = damage[1] = 0;
      damage[2] = damage[3] = G_MAXDOUBLE;
    }
  return any || whole ? BH_RESTYLE_PAINT : BH_RESTYLE_NONE;
}
