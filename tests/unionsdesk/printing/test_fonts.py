"""Bundled fonts: coverage, fallback runs, refusal of unprintable characters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.errors import UserError
from unionsdesk.printing import fonts
from unionsdesk.printing.fonts import (
    FALLBACK_FONT_NAME,
    MAIN_FONT_NAME,
    MissingGlyphError,
    clean_text,
    ensure_printable,
    font_for,
    has_glyph,
    missing_glyphs,
    paragraph_markup,
    register_fonts,
    split_runs,
    text_width,
)
from unionsdesk.printing.pdf import wrap_text

JI = "\U00020bb7"  # 𠮷, CJK Extension B: not in UMing, in HanaMinB
EMOJI = "\U0001f6f8"  # (flying saucer) in no bundled font


def test_register_is_idempotent() -> None:
    assert register_fonts() == (MAIN_FONT_NAME, FALLBACK_FONT_NAME, "HanaMinA")
    assert register_fonts() == (MAIN_FONT_NAME, FALLBACK_FONT_NAME, "HanaMinA")
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(MAIN_FONT_NAME).face.name == b"UMingCN"  # face 0 of the .ttc
    assert pdfmetrics.getFont(FALLBACK_FONT_NAME).face.name == b"HanaMinB"


def test_coverage() -> None:
    assert has_glyph(MAIN_FONT_NAME, "张")
    assert not has_glyph(MAIN_FONT_NAME, JI)
    assert has_glyph(FALLBACK_FONT_NAME, JI)
    assert font_for("张") == MAIN_FONT_NAME
    assert font_for("¥") == MAIN_FONT_NAME
    assert font_for(JI) == FALLBACK_FONT_NAME
    assert font_for(EMOJI) is None


def test_missing_glyphs() -> None:
    assert missing_glyphs("张三 ¥1,234.00（父子）：壹贰叁") == set()
    assert missing_glyphs(f"吉{JI}祥") == set()
    assert missing_glyphs(f"张{EMOJI}三\U0001f680") == {EMOJI, "\U0001f680"}
    # Invisible characters and look-alike substitutes are not "missing".
    assert missing_glyphs("张\u200b三\ufeff\n\t\u00a0李\ufe0f四\u2212") == set()


def test_clean_text() -> None:
    assert clean_text("张三") == "张三"
    assert clean_text("a\r\nb\rc\nd") == "a b c d"
    assert clean_text("a\r\nb\rc\nd", multiline=True) == "a\nb\nc\nd"
    assert clean_text("张\u200b三\ufeff\t李") == "张三 李"
    assert clean_text("1\u22122\u2010") == "1-2-"
    assert clean_text(f"吉{JI}祥") == f"吉{JI}祥"
    assert clean_text(EMOJI) == EMOJI  # kept, so that ensure_printable refuses it


def test_split_runs() -> None:
    assert split_runs("") == []
    assert split_runs("张三") == [(MAIN_FONT_NAME, "张三")]
    assert split_runs(f"吉{JI}{JI}祥") == [
        (MAIN_FONT_NAME, "吉"),
        (FALLBACK_FONT_NAME, JI + JI),
        (MAIN_FONT_NAME, "祥"),
    ]
    assert split_runs(f"{JI}x") == [(FALLBACK_FONT_NAME, JI), (MAIN_FONT_NAME, "x")]


def test_text_width() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert text_width("张三 ¥12.00", 10) == pytest.approx(
        stringWidth("张三 ¥12.00", MAIN_FONT_NAME, 10)
    )
    assert text_width(JI, 10) == pytest.approx(stringWidth(JI, FALLBACK_FONT_NAME, 10))
    assert text_width("", 10) == 0


def test_ensure_printable_names_the_place() -> None:
    ensure_printable([("第1行", "张三"), ("第2行", f"吉{JI}祥")])
    with pytest.raises(MissingGlyphError) as info:
        ensure_printable([("第1行", "张三"), ("第2行“姓名”", f"李{EMOJI}")])
    assert isinstance(info.value, UserError)
    assert info.value.chars == {EMOJI}
    message = str(info.value)
    assert EMOJI in message and "U+1F6F8" in message and "第2行“姓名”" in message


def test_wrap_text() -> None:
    text = "某某镇人民政府机关工会委员会（第三分会），负责人：张三。 A long English remark here"
    width = 60.0
    lines = wrap_text(text, width, 9)
    assert len(lines) > 2
    assert all(text_width(line, 9) <= width + 0.01 for line in lines)
    assert not any(line[:1] in "，。）：" for line in lines)  # 避头
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap_text("甲\n\n乙", 100, 9) == ["甲", "", "乙"]
    assert wrap_text("", 100, 9) == [""]


def test_paragraph_markup_uses_the_fallback_font(tmp_path: Path, pdftools: Any) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    markup = paragraph_markup(f"吉{JI}祥 <&>\n第二行")
    assert markup == f'吉<font face="{FALLBACK_FONT_NAME}">{JI}</font>祥 &lt;&amp;&gt;<br/>第二行'
    style = ParagraphStyle("cn", fontName=MAIN_FONT_NAME, fontSize=12, leading=16)
    path = tmp_path / "p.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, initialFontName=MAIN_FONT_NAME).build(
        [Paragraph(markup, style)]
    )
    names = {f.name.split("+")[-1] for f in pdftools.assert_fonts_embedded(path)}
    assert names == {"UMingCN-0", "HanaMinB"}
    assert "第二行" in "".join(pdftools.pages_text(path))


def test_import_does_not_load_reportlab() -> None:
    code = (
        "import sys, unionsdesk.printing, unionsdesk.printing.fonts;"
        "assert not [m for m in sys.modules if m.startswith('reportlab')], 'reportlab loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fonts_module_state_is_shared() -> None:
    register_fonts()
    assert fonts._loaded is not None
    assert fonts._fonts() is fonts._loaded


def test_extension_a_names_print() -> None:
    """㐀-range characters (CJK Extension A) that UMing lacks come from HanaMinA."""
    from unionsdesk.printing.fonts import font_for, missing_glyphs

    assert missing_glyphs("李\u3402") == set()
    assert font_for("\u3402") == "HanaMinA"
