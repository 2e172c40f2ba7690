"""Check a screenshot: not blank, and drawn like a reference (e.g. the source checkout's).

    python check_png.py SHOT.png [REFERENCE.png]

Exit 0 when SHOT has real content (many colours, some dark text pixels) and, with a
reference of the same window, at least 90 % of its pixels equal the reference's: the
installed build draws the same Chinese text with the same bundled fonts.
"""

from __future__ import annotations

import sys

from PIL import Image, ImageChops


def main(argv: list[str]) -> int:
    shot = Image.open(argv[1]).convert("RGB")
    w, h = shot.size
    colors = shot.getcolors(maxcolors=w * h) or []
    dark = sum(n for n, (r, g, b) in colors if r + g + b < 200)
    share = dark / (w * h)
    print(f"{argv[1]}: {w}x{h}, {len(colors)} colours, dark pixels {share:.2%}")
    if len(colors) < 40 or not 0.002 < share < 0.6:
        print("FAIL: the screenshot looks blank")
        return 1
    if len(argv) > 2:
        ref = Image.open(argv[2]).convert("RGB")
        if ref.size != shot.size:
            print(f"FAIL: size {shot.size} differs from the reference's {ref.size}")
            return 1
        diff = ImageChops.difference(shot, ref).convert("L")
        same = sum(n for n, v in (diff.getcolors(maxcolors=256) or []) if v < 16) / (w * h)
        print(f"same as the reference: {same:.2%} of the pixels")
        if same < 0.9:
            print("FAIL: drawn differently from the reference")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
