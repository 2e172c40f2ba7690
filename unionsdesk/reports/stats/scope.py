"""The scope of a statistics table: the whole county, one township's (or industry
union's) subtree, or one union; and the rows a table shows inside that scope (the
unions just below the scope's root, each with its subtree)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.models import UnionOrg
from unionsdesk.errors import UserError
from unionsdesk.services.members.unions import NO_UNION

WHOLE_COUNTY = "全县"


@dataclass(frozen=True)
class UnionRow:
    """One row of a table by union: ``ids`` are the unions it adds up (a subtree);
    ``unassigned`` is the row of records without a union (whole county only)."""

    label: str
    ids: frozenset[int]
    unassigned: bool = False
    own: bool = False  # the scope's root union itself (its own records, not its subtree)


@dataclass(frozen=True)
class Scope:
    label: str  # 全县, or the union's name
    root: int | None  # None: the whole county
    ids: frozenset[int] | None  # every union inside; None: everything (incl. no union)
    rows: tuple[UnionRow, ...]

    @property
    def county(self) -> bool:
        return self.root is None


def _tree(s: Session) -> dict[int, tuple[str, int | None]]:
    return {
        uid: (name, parent)
        for uid, name, parent in s.execute(
            select(UnionOrg.id, UnionOrg.name, UnionOrg.parent_id).order_by(UnionOrg.id)
        )
    }


def _subtree(children: dict[int | None, list[int]], root: int) -> frozenset[int]:
    out, todo = [], [root]
    while todo:
        uid = todo.pop()
        out.append(uid)
        todo.extend(children.get(uid, []))
    return frozenset(out)


def resolve_scope(s: Session, text: str | None) -> Scope:
    """``text``: empty/全县 for the whole county, else a union's name, unit name,
    credit code or number. An unknown name gets the closest names in the message."""
    tree = _tree(s)
    children: dict[int | None, list[int]] = {}
    for uid, (_name, parent) in tree.items():
        children.setdefault(parent if parent in tree else None, []).append(uid)
    key = (text or "").strip()
    if key in ("", WHOLE_COUNTY, "全部", "全县（市、区）"):
        roots = children.get(None, [])
        if len(roots) == 1:  # the county union itself: rows are its townships
            root = roots[0]
            rows = _rows_under(tree, children, root)
        else:
            rows = [UnionRow(tree[r][0], _subtree(children, r)) for r in roots]
        rows.append(UnionRow(NO_UNION, frozenset(), unassigned=True))
        return Scope(WHOLE_COUNTY, None, None, tuple(rows))
    root = _find(s, tree, key)
    return Scope(
        tree[root][0],
        root,
        _subtree(children, root),
        tuple(_rows_under(tree, children, root)),
    )


def _rows_under(
    tree: dict[int, tuple[str, int | None]], children: dict[int | None, list[int]], root: int
) -> list[UnionRow]:
    below = children.get(root, [])
    if not below:
        return [UnionRow(tree[root][0], frozenset({root}))]
    rows = [UnionRow(f"{tree[root][0]}（本级）", frozenset({root}), own=True)]
    rows += [UnionRow(tree[c][0], _subtree(children, c)) for c in below]
    return rows


def _find(s: Session, tree: dict[int, tuple[str, int | None]], key: str) -> int:
    if key.isdigit() and len(key) < 10 and int(key) in tree:
        return int(key)
    upper = key.upper()
    exact = list(
        s.scalars(
            select(UnionOrg.id).where(
                (UnionOrg.name == key)
                | (UnionOrg.unit_name == key)
                | (UnionOrg.unit_credit_code == upper)
                | (UnionOrg.union_credit_code == upper)
            )
        )
    )
    if len(exact) == 1:
        return exact[0]
    names = {uid: name for uid, (name, _) in tree.items()}
    partial = exact or [uid for uid, name in names.items() if key in name]
    if len(partial) == 1:
        return partial[0]
    if partial:
        shown = "、".join(names[u] for u in partial[:6])
        raise UserError(
            f"“{key}”对应多个工会（{shown}{'…' if len(partial) > 6 else ''}），请写全称"
        )
    close = difflib.get_close_matches(key, list(names.values()), n=5, cutoff=0.3)
    if not close:  # short keys: names sharing the most characters
        scored = sorted(names.values(), key=lambda n: -len(set(n) & set(key)))
        close = [n for n in scored[:5] if set(n) & set(key)]
    hint = f"，是不是：{'、'.join(close)}？" if close else "。"
    raise UserError(f"找不到工会“{key}”{hint}（不写范围即统计全县）")
