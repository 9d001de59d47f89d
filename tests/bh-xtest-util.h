/* bh-xtest-util.h: a user's hands on a GTK window under Xvfb, for the GUI
 * tests that drive the real browser: pointer moves, clicks and keys through
 * XTest (what xdotool sends), the colour the X server shows at a point, and
 * what another X client (xclip) reads from the primary selection or the
 * clipboard. Each action spins the main loop a little after it, so that
 * GTK has taken the events before the next one. Coordinates are the
 * widget's, logical px. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Seconds a test waits for anything before it fails. */
#define BH_XTEST_WAIT_TIMEOUT_S 30

/* Spins the main loop until @condition holds; fails the test naming it after
 * BH_XTEST_WAIT_TIMEOUT_S. */
#define BH_XTEST_WAIT_FOR(condition) \
  G_STMT_START { \
    gint64 wait_deadline = g_get_monotonic_time () + BH_XTEST_WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > wait_deadline) \
          g_error ("timed out waiting for: %s", #condition); \
        if (!g_main_context_iteration (NULL, FALSE)) \
          g_usleep (1000); \
      } \
  } G_STMT_END

/* (@x, @y) of @widget, in px, as root window coordinates of the X screen. */
void    bh_xtest_widget_to_root (GtkWidget *widget, double x, double y, int *root_x, int *root_y);
/* Gives @window the keyboard (there is no window manager under Xvfb) and
 * waits until GTK sees it active. */
void    bh_xtest_focus_window (GtkWindow *window);
/* GdkModifierType @modifiers' keys (Control, Shift, Alt) down or up. */
void    bh_xtest_modifiers    (guint modifiers, gboolean down);
/* 0xRRGGBB: the colour the X server shows at (@x, @y) of @widget. */
guint32 bh_xtest_screen_pixel (GtkWidget *widget, double x, double y);
/* A key (an X keysym) pressed and released with GdkModifierType @modifiers held. */
void    bh_xtest_press_key    (guint modifiers, guint keysym);
/* ASCII letters, digits and spaces, as keys (capitals with Shift). */
void    bh_xtest_type_text    (const char *text);
void    bh_xtest_move_pointer (GtkWidget *widget, double x, double y);
/* Button @number down or up where the pointer is. */
void    bh_xtest_button       (guint number, gboolean down);
/* @count quick clicks of button 1 (a double or triple click) with @modifiers held. */
void    bh_xtest_click        (GtkWidget *widget, double x, double y, guint count, guint modifiers);
/* One click of button @number (2 middle, 3 right). */
void    bh_xtest_click_button (GtkWidget *widget, double x, double y, guint number);
/* Button 1 pressed at (@x0, @y0), moved in steps, released at (@x1, @y1). */
void    bh_xtest_drag         (GtkWidget *widget, double x0, double y0, double x1, double y1);
/* (transfer full): what xclip reads from "primary" or "clipboard". */
char   *bh_xtest_xclip_read   (const char *selection);
/* (transfer full): a screenshot of the root window into @directory/@name.png
 * (ImageMagick's import) once @widget is painted; the file's path. */
char   *bh_xtest_screenshot   (GtkWidget *widget, const char *directory, const char *name);

G_END_DECLS
