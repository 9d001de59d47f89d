#!/usr/bin/env python3
"""Writes a JavaScript file as a C string constant: embed-js.py IN OUT NAME."""
import sys

src, out, name = sys.argv[1:4]
text = open(src, encoding="utf-8").read()
with open(out, "w", encoding="utf-8") as f:
    f.write("/* Generated from %s by embed-js.py: do not edit. */\n" % src.split("/")[-1])
    f.write("static const char %s[] =\n" % name)
    for line in text.splitlines():
        f.write('  "%s\\n"\n' % line.replace("\\", "\\\\").replace('"', '\\"'))
    f.write(";\n")
