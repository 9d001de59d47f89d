#!/usr/bin/python3
"""tests/test-bidi-print.py: browsingContext.print and classic Print Page
(issue 15).

Prints real pages (debian-reference-en over loopback, and small data: pages)
from the headless browser and reads the PDFs back with poppler's tools, as a
person would open them: pdfinfo for the page count and the page size,
pdftotext for the words on the pages, pdftoppm for what a page looks like
(backgrounds on or off). Prints TAP.
"""

import asyncio
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

from bhtest import (DOCS, TIMEOUT_S, Browser, Client, HttpServer, Tap, check, count_red,
                    count_non_white, png_decode)

PDFINFO = "/usr/bin/pdfinfo"
PDFTOTEXT = "/usr/bin/pdftotext"
PDFTOPPM = "/usr/bin/pdftoppm"
CM = 72 / 2.54  # PDF points per cm


class State:
    pass


def pdf_facts(pdf):
    """Pages, page size in points and the text of a PDF, as poppler reads it."""
    check(pdf.startswith(b"%PDF-"), f"not a PDF: {pdf[:20]!r}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run([PDFINFO, f.name], capture_output=True, text=True, check=True).stdout
        text = subprocess.run([PDFTOTEXT, "-layout", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return pages, (float(size.group(1)), float(size.group(2))), text


def first_page_png(pdf):
    with tempfile.TemporaryDirectory() as out:
        path = os.path.join(out, "doc.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        subprocess.run([PDFTOPPM, "-png", "-r", "24", "-f", "1", "-l", "1", path,
                        os.path.join(out, "page")], check=True)
        png = [name for name in os.listdir(out) if name.endswith(".png")]
        check(len(png) == 1, png)
        with open(os.path.join(out, png[0]), "rb") as f:
            return png_decode(f.read())


async def print_pdf(s, **params):
    result = await s.client.ok("browsingContext.print", dict(context=s.tab, **params),
                               timeout=TIMEOUT_S * 2)
    return base64.b64decode(result["data"], validate=True)


async def test_defaults(s):
    c = s.client
    s.tab = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
    url = s.http.url("127.0.0.1", "ch01.en.html")
    await c.ok("browsingContext.navigate", {"context": s.tab, "url": url, "wait": "complete"})
    pdf = await print_pdf(s)
    pages, size, text = pdf_facts(pdf)
    # The spec's defaults: US Letter (21.59 x 27.94 cm), portrait.
    check(abs(size[0] - 612) < 1 and abs(size[1] - 792) < 1, f"page size {size}")
    # Chapter 1 of the Debian Reference is tens of screens long.
    check(pages >= 5, f"{pages} pages")
    for words in ("GNU/Linux tutorials", "The shell prompt", "Console basics"):
        check(words in text, f"{words!r} is not in the PDF's text: {text[:300]!r}")
    s.pages = pages
    s.text = text


async def test_page_options(s):
    # A4 landscape: the page is 29.7 x 21 cm.
    pdf = await print_pdf(s, page={"width": 21.0, "height": 29.7}, orientation="landscape",
                          pageRanges=[1])
    pages, size, _ = pdf_facts(pdf)
    check(pages == 1, f"pageRanges [1] gave {pages} pages")
    check(abs(size[0] - 29.7 * CM) < 1 and abs(size[1] - 21.0 * CM) < 1, f"page size {size}")
    pdf = await print_pdf(s, pageRanges=["2-3", "-1", "5-"])
    pages, _, _ = pdf_facts(pdf)
    check(pages == s.pages - 1, f"pages 1-3 and 5-{s.pages} gave {pages} of {s.pages}")
    # Twice the scale, about twice the pages; half the scale, about half.
    big, _, _ = pdf_facts(await print_pdf(s, scale=2))
    small, _, _ = pdf_facts(await print_pdf(s, scale=0.5))
    check(small < s.pages < big, f"scale 0.5: {small}, 1: {s.pages}, 2: {big} pages")
    check(big >= s.pages * 1.6, f"scale 2 gave {big} pages for {s.pages}")
    # Wider margins, narrower content: more pages.
    wide, _, _ = pdf_facts(await print_pdf(s, margin={"left": 5, "right": 5, "top": 1,
                                                      "bottom": 1}))
    check(wide > s.pages, f"5 cm side margins gave {wide} pages for {s.pages}")


async def test_backgrounds(s):
    c = s.client
    page = ("<body style='background: rgb(255,0,0); margin: 0'>"
            "<div style='background: rgb(255,0,0); height: 200px'>red</div></body>")
    await c.ok("browsingContext.navigate",
               {"context": s.tab, "url": "data:text/html," + urllib.parse.quote(page),
                "wait": "complete"})
    _, _, bpp, rows = first_page_png(await print_pdf(s))
    check(count_red(bpp, rows) == 0, "background false (the default) printed red")
    width, height, bpp, rows = first_page_png(await print_pdf(s, background=True))
    red = count_red(bpp, rows)
    # Red inside the 1 cm margins: most of the page.
    check(red > width * height // 2, f"background true: only {red} red pixels of {width * height}")


async def test_errors(s):
    c = s.client
    for params in ({"scale": 3}, {"scale": 0.05}, {"scale": "1"}, {"pageRanges": ["3-1"]},
                   {"pageRanges": ["a"]}, {"pageRanges": [0]}, {"pageRanges": "1"},
                   {"pageRanges": ["1-2-3"]}, {"margin": {"top": -1}}, {"margin": 1},
                   {"page": {"width": 0.01}}, {"orientation": "sideways"},
                   {"background": 1}, {"shrinkToFit": "yes"}):
        await c.error("browsingContext.print", dict(context=s.tab, **params), "invalid argument")
    await c.error("browsingContext.print", {"context": s.tab, "margin": {"left": 11, "right": 11}},
                  "unsupported operation")
    await c.error("browsingContext.print", {"context": s.tab, "pageRanges": [999]},
                  "unsupported operation")
    await c.error("browsingContext.print", {"context": "4242"}, "no such frame")


async def test_view_after_print(s):
    # Printing lays the document out for the page; the tab's view is laid
    # out for its viewport again afterwards.
    c = s.client
    url = s.http.url("127.0.0.1", "index.en.html")
    await c.ok("browsingContext.navigate", {"context": s.tab, "url": url, "wait": "complete"})
    before = base64.b64decode((await c.ok("browsingContext.captureScreenshot",
                                          {"context": s.tab}))["data"])
    await print_pdf(s, scale=0.3, page={"width": 10, "height": 10}, margin={"left": 0, "right": 0})
    after = base64.b64decode((await c.ok("browsingContext.captureScreenshot",
                                         {"context": s.tab}))["data"])
    w1, h1, bpp1, rows1 = png_decode(before)
    w2, h2, bpp2, rows2 = png_decode(after)
    check((w1, h1) == (w2, h2), f"{w1}x{h1} then {w2}x{h2}")
    check(rows1 == rows2, "the tab's picture changed after printing")


def classic(s, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{s.browser.port}{path}", data=data,
                                     method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S * 2) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_classic_print(s):
    status, answer = classic(s, "POST", "/session", {"capabilities": {}})
    check(status == 200, answer)
    session = answer["value"]["sessionId"]
    url = s.http.url("127.0.0.1", "ch01.en.html")
    status, answer = classic(s, "POST", f"/session/{session}/url", {"url": url})
    check(status == 200, answer)
    status, answer = classic(s, "POST", f"/session/{session}/print",
                             {"pageRanges": ["1-2"], "page": {"width": 21.0, "height": 29.7}})
    check(status == 200, answer)
    pages, size, text = pdf_facts(base64.b64decode(answer["value"]))
    check(pages == 2 and abs(size[1] - 29.7 * CM) < 1, f"{pages} pages of {size}")
    check("Console basics" in text, text[:200])
    status, answer = classic(s, "POST", f"/session/{session}/print", {"scale": 5})
    check(status == 400 and answer["value"]["error"] == "invalid argument", (status, answer))
    classic(s, "DELETE", f"/session/{session}")


def main():
    if not os.path.isdir(DOCS):
        print(f"1..0 # SKIP {DOCS} is missing (package debian-reference-en)")
        return 0
    for tool in (PDFINFO, PDFTOTEXT, PDFTOPPM):
        if not os.path.exists(tool):
            print(f"1..0 # SKIP {tool} is missing (package poppler-utils: tools/install-deps --test)")
            return 0
    tap = Tap()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    s = State()
    s.http = HttpServer()
    s.browser = Browser(window_size=(800, 600))
    try:
        s.client = loop.run_until_complete(Client.connect(s.browser))
        for name, function in (
                ("print with the defaults: US Letter, every page, the page's words", test_defaults),
                ("page size, landscape, page ranges, scale, margins", test_page_options),
                ("background false leaves out backgrounds, true prints them", test_backgrounds),
                ("bad parameters: invalid argument; no room or no page: unsupported operation",
                 test_errors),
                ("the tab's view is its own again after printing", test_view_after_print),
                ("classic POST /session/{id}/print", test_classic_print)):
            tap.run(name, function, s)
    finally:
        s.browser.process.terminate()
        s.browser.process.wait()
        s.http.stop()
        if tap.failed:
            print("# browser stderr:", flush=True)
            for line in s.browser.stderr_lines[-40:]:
                print("#   " + line.rstrip(), flush=True)
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
