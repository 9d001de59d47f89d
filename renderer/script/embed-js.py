#!/usr/bin/env python3
"""Writes JavaScript files, joined in order, as one C string constant:
embed-js.py OUT NAME IN...

The realm's prelude is one function expression split over files along its
seams (the DOM, style, forms, mutation observers, the window, URL, fetch):
the first opens it, the last closes it."""
import sys

out, name, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "w", encoding="utf-8") as f:
    f.write("/* Generated from %s by embed-js.py: do not edit. */\n" % ", ".join(s.split("/")[-1] for s in sources))
    f.write("static const char %s[] =\n" % name)
    for src in sources:
        for line in open(src, encoding="utf-8").read().splitlines():
            f.write('  "%s\\n"\n' % line.replace("\\", "\\\\").replace('"', '\\"'))
    f.write(";\n")
