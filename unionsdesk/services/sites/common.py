"""Small helpers the sites-area services share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from unionsdesk.db.models import UnionOrg
from unionsdesk.errors import ValidationError


def pairs(rows: Iterable[Any]) -> dict[Any, Any]:
    """{first column: second column} of a two-column result."""
    return {r[0]: r[1] for r in rows}


def find_union(s: Session, key: str, field: str, label: str) -> UnionOrg:
    """The union a form names: its number, 工会全称, 单位名称, either credit code, or a
    part of the name that only one union has; otherwise a ValidationError on ``field``."""
    key = " ".join(str(key).split())
    if key.isdigit() and len(key) < 10:
        found = s.get(UnionOrg, int(key))
        if found is not None:
            return found
    exact = list(
        s.scalars(
            select(UnionOrg)
            .where(
                or_(
                    UnionOrg.name == key,
                    UnionOrg.unit_name == key,
                    UnionOrg.unit_credit_code == key.upper(),
                    UnionOrg.union_credit_code == key.upper(),
                )
            )
            .limit(6)
        )
    )
    candidates = exact or list(
        s.scalars(select(UnionOrg).where(UnionOrg.name.contains(key)).limit(6))
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError({field: f"{label}：找不到工会“{key}”"})
    names = "、".join(c.name for c in candidates[:5])
    raise ValidationError({field: f"{label}：“{key}”对应多个工会（{names}…），请写全称"})


def union_name(s: Session, union_id: int) -> str:
    u = s.get(UnionOrg, union_id)
    return u.name if u is not None else str(union_id)
