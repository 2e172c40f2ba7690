"""Printing: PDF forms and tables with the bundled, embedded fonts (reportlab).

- `render_table_pdf`: a report `Table` on A4 (header on every page, 本页小计, 合计, 大写, signatures).
- `render_signoff_pdf`: the 慰问金发放签收表 (`SignoffSheet`, `SignoffRow`).
- `render_receipts_pdf`: 领款收据 in three parts (`Receipt`); `render_calibration_pdf` for 套打.
- `missing_glyphs` / `MissingGlyphError`: text the bundled fonts cannot print is refused.

reportlab is imported inside the functions that draw, so importing this package is cheap.
"""

from unionsdesk.printing.fonts import MissingGlyphError, missing_glyphs, register_fonts
from unionsdesk.printing.pdf import Cancelled, PrintError
from unionsdesk.printing.receipt import Receipt, render_calibration_pdf, render_receipts_pdf
from unionsdesk.printing.signoff import SignoffRow, SignoffSheet, render_signoff_pdf
from unionsdesk.printing.table_pdf import render_table_pdf

__all__ = [
    "Cancelled",
    "MissingGlyphError",
    "PrintError",
    "Receipt",
    "SignoffRow",
    "SignoffSheet",
    "missing_glyphs",
    "register_fonts",
    "render_calibration_pdf",
    "render_receipts_pdf",
    "render_signoff_pdf",
    "render_table_pdf",
]
