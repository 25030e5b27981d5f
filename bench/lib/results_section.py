#!/usr/bin/env python3
"""Writes one benchmark's report into bench/RESULTS.md under its own "## TITLE" section.

    results_section.py RESULTS.md TITLE INTRO REPORT [--replace]

The section is created (heading + INTRO) at the end of the file when missing. REPORT is appended to
the section, or, with --replace, takes the place of everything in it below INTRO. Other sections,
including the tracking harness's generated part, are left byte for byte. The file is written to a
temporary name and renamed, so an interrupted run never leaves half a file.
"""
import os
import sys


def main(path, title, intro, report, replace):
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmark results\n"
    heading = f"## {title}\n"
    padded = "\n" + text
    if "\n" + heading not in padded:
        text = text.rstrip("\n") + "\n\n" + heading + "\n" + intro.strip("\n") + "\n"
        padded = "\n" + text
    start = padded.index("\n" + heading)  # offset in text of the heading line
    following = text.find("\n## ", start + len(heading))
    end = len(text) if following < 0 else following + 1
    section = text[start:end].rstrip("\n")
    if replace:
        section = heading + "\n" + intro.strip("\n")
    section += "\n\n" + report.strip("\n") + "\n"
    rest = text[end:]
    text = text[:start] + section + ("\n" + rest if rest else "")
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--replace"]
    if len(args) != 4:
        sys.exit(__doc__.strip())
    main(*args, replace="--replace" in sys.argv[1:])
