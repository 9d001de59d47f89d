/* bh-renderer-print.h: the renderer's answer to PrintToPdf (bh-messages.h): the
 * view's current document laid out for the page and painted, page by page, into a
 * cairo PDF surface; the PDF goes back in a sealed memfd.
 */
#pragma once

#include "bh-channel.h"
#include "bh-document.h"

G_BEGIN_DECLS

/**
 * bh_renderer_answer_print_to_pdf:
 * @doc: (nullable): the view's document; without one the answer says so
 * @payload: PrintToPdf's payload, its type already checked
 *
 * Lays @doc out at the page's content width (the page less its margins, in CSS px
 * of 1/96 in, divided by the scale), paints it into a PDF one page height at a time,
 * as Chromium pages a document that has no page breaks of its own, and sends
 * PdfPrinted. A document whose content is wider than the page is shrunk to fit when
 * asked (the WebDriver spec's shrinkToFit). Pages outside the ranges asked for are
 * left out; more than BH_MAX_PRINT_PAGES are cut. The layout is the page's after
 * this: the caller lays the document out for its view again.
 */
void bh_renderer_answer_print_to_pdf (BhChannel *channel, BhDocument *doc, GVariant *payload);

G_END_DECLS
