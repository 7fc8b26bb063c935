#!/usr/bin/python3
"""Renders an HTML file in headless Chromium and checks what a person would see: the screenshot
is not blank (enough non-white pixels, and pixels in the charts' first two series colours), the
page logged nothing to the console (no script errors), every inline <svg> is well-formed XML, and
every chart's axis ticks read sensibly: distinct on each axis, whole numbers on count axes and
inside [0, 1] on share (accuracy) axes. Standard library only (the PNG is decoded with zlib).

    render_check.py PAGE.html SHOT.png [--expect-console-errors | --expect-axis-errors]
"""
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib


def decode_png(path):
    """RGB(A) 8-bit PNG -> (width, height, channels, rows of bytes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), f"unexpected PNG type {depth}/{colour}"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def axis_problems(svg_text):
    """What is wrong with one chart's tick labels (the classes and data attributes svg_chart.cpp
    writes), as a list of messages."""
    svg = ET.fromstring(svg_text)
    problems = []
    for axis in ("x", "y"):
        kind = svg.get(f"data-{axis}-axis", "real")
        labels = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")
                  if t.get("class") == f"{axis}-tick"]
        if len(set(labels)) != len(labels):
            problems.append(f"{axis} ticks repeat: {labels}")
        values = [float(label) for label in labels]
        if kind == "share" and any(v < 0 or v > 1 for v in values):
            problems.append(f"{axis} is a share but its ticks leave [0, 1]: {labels}")
        if kind == "count" and any("." in label for label in labels):
            problems.append(f"{axis} counts but its ticks are not whole numbers: {labels}")
    return problems


def main():
    page, shot = sys.argv[1], sys.argv[2]
    expect_errors = "--expect-console-errors" in sys.argv
    expect_axis_errors = "--expect-axis-errors" in sys.argv
    run = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-first-run", "--enable-logging=stderr", "--v=0",
         f"--screenshot={shot}", "--window-size=1200,2400", "file://" + page],
        capture_output=True, text=True, timeout=120)
    console = [l for l in run.stderr.splitlines() if ":CONSOLE" in l]
    if expect_errors:  # the negative control: the check must see a broken page's errors
        if not console:
            sys.exit("FAIL: a page with a script error logged nothing: the console check is blind")
        print(f"ok: {len(console)} console message(s) seen on the broken page")
        return
    if run.returncode != 0:
        sys.exit(f"FAIL: chromium exited {run.returncode}:\n{run.stderr[-2000:]}")
    if console:
        sys.exit("FAIL: console messages:\n" + "\n".join(console))

    html = open(page, encoding="utf-8").read()
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    problems = [p for svg in svgs for p in axis_problems(svg)]  # raises on malformed SVG
    if expect_axis_errors:  # the negative control: the tick check must see a bad chart
        if not problems:
            sys.exit("FAIL: a chart with bad ticks passed: the axis check is blind")
        print(f"ok: {len(problems)} axis problem(s) seen on the bad chart")
        return
    if problems:
        sys.exit("FAIL: chart axes:\n" + "\n".join(problems))

    width, height, channels, rows = decode_png(shot)
    total = width * height
    ink = blue = red = 0
    for row in rows:
        for x in range(0, width * channels, channels):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 240 or g < 240 or b < 240:
                ink += 1
            if abs(r - 0x1f) < 24 and abs(g - 0x77) < 24 and abs(b - 0xb4) < 24:
                blue += 1
            if abs(r - 0xd6) < 24 and abs(g - 0x27) < 24 and abs(b - 0x28) < 24:
                red += 1
    print(f"{page}: {len(svgs)} svg, {width}x{height} screenshot, {ink / total:.1%} ink, "
          f"{blue} series-1 and {red} series-2 pixels")
    if ink < total * 0.02:
        sys.exit(f"FAIL: the screenshot is (nearly) blank: {ink} of {total} pixels drawn")
    if blue < 500 or red < 500:
        sys.exit("FAIL: the charts' series colours are missing from the screenshot")


if __name__ == "__main__":
    main()
