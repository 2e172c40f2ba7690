"""Column mappings a clerk confirmed in an import preview, remembered per layout.

A township sends the same roster layout every month; once the clerk has said
which column is which, the next file with the same header row (the same
normalised header texts, for the same entity — `excel.preview.layout_signature`)
is read the same way. Mappings live in the ``setting`` table, one row per
entity and layout, under ``import.columns.<entity>.<hash of the layout>``, as
JSON ``{"signature": …, "columns": {field: column or null}}``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping

from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Setting
from unionsdesk.excel.preview import MATCH_REMEMBERED, PREVIEW_ROWS, ImportPreview, preview
from unionsdesk.fields import EntitySpec
from unionsdesk.services.common.base import WRITE, CurrentUser, writing
from unionsdesk.services.common.settings import put_setting

KEY_PREFIX = "import.columns."


def mapping_key(spec: EntitySpec, signature: str) -> str:
    """The setting key of one layout (fits the 80-character key column)."""
    digest = hashlib.sha256(signature.encode("utf-8")).hexdigest()[:32]
    return f"{KEY_PREFIX}{spec.name}.{digest}"


def _clean_columns(spec: EntitySpec, columns: Mapping[str, object]) -> dict[str, int | None]:
    """Known fields only; a column is a non-negative int or None; no column twice."""
    out: dict[str, int | None] = {}
    used: set[int] = set()
    for name, col in columns.items():
        if name not in spec.by_name:
            continue
        if isinstance(col, int) and not isinstance(col, bool) and col >= 0:
            if col in used:
                continue
            used.add(col)
            out[name] = col
        else:
            out[name] = None
    return out


def remembered(db: Database, spec: EntitySpec, signature: str) -> dict[str, int | None] | None:
    """The mapping confirmed for this layout (field → column, None: no column), or None."""
    with db.reading() as s:
        raw = s.scalar(select(Setting.value).where(Setting.key == mapping_key(spec, signature)))
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("signature") != signature:
        return None
    columns = data.get("columns")
    if not isinstance(columns, dict):
        return None
    return _clean_columns(spec, columns) or None


def remember(
    db: Database,
    actor: CurrentUser,
    spec: EntitySpec,
    signature: str,
    columns: Mapping[str, int | None],
) -> None:
    """Remember ``columns`` for this layout (replacing what was remembered before)."""
    clean = _clean_columns(spec, columns)
    if not clean:
        raise ValueError("an empty column mapping")
    key = mapping_key(spec, signature)
    value = json.dumps(
        {"signature": signature, "columns": clean}, ensure_ascii=False, sort_keys=True
    )
    with writing(db, actor, WRITE) as s:
        put_setting(s, actor, key, value, summary=f"记住{spec.label}导入的列对应")


def preview_import(
    db: Database,
    path: str | os.PathLike[str],
    spec: EntitySpec,
    rows: int = PREVIEW_ROWS,
    *,
    sheet: str | int | None = None,
) -> ImportPreview:
    """`excel.preview.preview` with the mapping remembered for the file's layout applied
    (``applied`` is then MATCH_REMEMBERED). The file is read once."""
    found = preview(path, spec, rows=rows, sheet=sheet)
    columns = remembered(db, spec, found.signature)
    if not columns:
        return found
    width = len(found.columns)
    usable = {n: c for n, c in columns.items() if c is None or c < width}
    return found.remap(usable, source=MATCH_REMEMBERED) if usable else found
