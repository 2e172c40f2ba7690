"""Helpers for the printing tests: read real PDFs back with poppler-utils."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

_TOOLS = ("pdftotext", "pdffonts", "pdfinfo")


def _run(*args: str) -> str:
    if any(shutil.which(tool) is None for tool in _TOOLS):
        pytest.skip("poppler-utils (pdftotext, pdffonts, pdfinfo) are not installed")
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    embedded: bool
    subset: bool


def pages_text(path: Path) -> list[str]:
    """The text of each page (``pdftotext -layout``)."""
    text = _run("pdftotext", "-layout", str(path), "-")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def fonts(path: Path) -> list[PdfFont]:
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    out: list[PdfFont] = []
    for line in lines:
        # name type… encoding emb sub uni object ID: read the yes/no columns from the right.
        parts = line.split()
        out.append(
            PdfFont(
                name=parts[0],
                type=" ".join(parts[1:-6]),
                embedded=parts[-5] == "yes",
                subset=parts[-4] == "yes",
            )
        )
    return out


def page_count(path: Path) -> int:
    for line in _run("pdfinfo", str(path)).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")


def page_size(path: Path) -> tuple[float, float]:
    for line in _run("pdfinfo", str(path)).splitlines():
        if line.startswith("Page size:"):
            parts = line.split()
            return float(parts[2]), float(parts[4])
    raise AssertionError("pdfinfo printed no page size")


def word_boxes(path: Path) -> list[tuple[str, float, float]]:
    """(word, xMin, yMin) of every word on page 1, y measured from the top."""
    import re

    html = _run("pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-")
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')
    return [(m[3], float(m[1]), float(m[2])) for m in pattern.finditer(html)]


def assert_fonts_embedded(path: Path) -> list[PdfFont]:
    found = fonts(path)
    assert found, "the PDF has no fonts"
    for font in found:
        assert font.embedded, f"{font.name} is not embedded"
        assert "STSong" not in font.name
        assert "Helvetica" not in font.name
    return found


class Pdf:
    """The helpers above, handed to tests by the ``pdftools`` fixture."""

    pages_text = staticmethod(pages_text)
    fonts = staticmethod(fonts)
    page_count = staticmethod(page_count)
    page_size = staticmethod(page_size)
    word_boxes = staticmethod(word_boxes)
    assert_fonts_embedded = staticmethod(assert_fonts_embedded)


@pytest.fixture(name="pdftools")
def pdftools_fixture() -> type[Pdf]:
    return Pdf
