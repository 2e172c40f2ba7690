"""Excel import (python-calamine) and export (openpyxl write-only).

Import is the pipeline `read_sheet` → `detect_header` → `iter_records` →
`validate_rows` (→ `write_error_workbook`), driven by an `EntitySpec`;
`read_records` does the first three in one call. Export renders a
`unionsdesk.reports.Table` with `write_table`; every string written goes
through `safe_text`. Heavy libraries are imported inside the functions.
"""

from unionsdesk.excel.reader import (
    ExcelReadError,
    HeaderMatch,
    RowError,
    SheetData,
    SkipReport,
    SourceRow,
    ValidationResult,
    detect_header,
    iter_records,
    normalize_header,
    read_records,
    read_sheet,
    validate_rows,
    write_error_workbook,
)
from unionsdesk.excel.writer import (
    Cancelled,
    ExcelWriteError,
    safe_text,
    save_workbook,
    write_table,
    write_tables,
)

__all__ = [
    "Cancelled",
    "ExcelReadError",
    "ExcelWriteError",
    "HeaderMatch",
    "RowError",
    "SheetData",
    "SkipReport",
    "SourceRow",
    "ValidationResult",
    "detect_header",
    "iter_records",
    "normalize_header",
    "read_records",
    "read_sheet",
    "safe_text",
    "save_workbook",
    "validate_rows",
    "write_error_workbook",
    "write_table",
    "write_tables",
]
