"""Every audit row reads in Chinese: action and entity names, field labels, stored
status words, money in yuan with two decimals, the operator's name (not the login)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from unionsdesk.db.engine import Database
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.services.aid import campaigns, receipts
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common import settings, users
from unionsdesk.services.common.audit_text import (
    ACTION_NAMES,
    ENTITY_NAMES,
    ENTITY_SPECS,
    is_money,
)
from unionsdesk.services.common.base import CurrentUser

SOURCE = Path(__file__).resolve().parents[4] / "unionsdesk"
CALL = re.compile(r"\baudit\(\s*\w+,\s*\w+,\s*\"([a-z_]+)\",\s*(?:\"([a-z_]+)\")?", re.S)
MONEY = re.compile(r"^-?¥[\d,]+\.\d\d$")


def ascii_only(text: str) -> bool:
    return bool(text) and all(ord(c) < 128 for c in text)


def test_every_action_and_entity_the_services_write_has_a_chinese_name() -> None:
    from unionsdesk.registers import all_registers

    all_registers()  # the registers add their entities' names and specs
    written = {
        m.groups() for path in SOURCE.rglob("*.py") for m in CALL.finditer(path.read_text("utf-8"))
    }
    assert len(written) > 20
    for action, entity in sorted(written, key=str):
        assert not ascii_only(ACTION_NAMES.get(action, action)), f"操作 {action}"
        if entity:  # (an entity named by a variable is checked on the rows below)
            assert not ascii_only(ENTITY_NAMES.get(entity, entity)), f"对象 {entity}"
    for entity, spec in ENTITY_SPECS.items():
        for f in spec.fields:
            assert not ascii_only(f.label), f"{entity}.{f.name}"


def _work(db: Database, admin: CurrentUser) -> None:
    """A round of the aid workflow on top of the demo's: void, reprint, send back."""
    reviewer = users.login(db, "shenhe", DEMO_PASSWORD)
    draft = next(c for c in campaigns.list_campaigns(db, admin) if c.status == "草拟")
    campaigns.set_campaign_status(db, admin, draft.id, "审核")
    campaigns.set_campaign_status(db, reviewer, draft.id, "草拟", reason="名单待核")
    line = campaigns.list_payouts(db, admin, draft.id)[0]
    campaigns.remove_payout(db, admin, line.id, "不符合条件")
    campaigns.set_campaign_status(db, admin, draft.id, "审核")
    campaigns.set_campaign_status(db, reviewer, draft.id, "已发放", date.today())
    made = receipts.issue_receipts(db, admin, [campaigns.list_payouts(db, admin, draft.id)[0].id])
    receipts.record_print(db, admin, [made[0].id])
    receipts.record_print(db, admin, [made[0].id])
    receipts.void_receipt(db, admin, made[0].id, "写错")
    settings.set_print_offsets(db, admin, 1.5, -2)


def test_every_audit_row_reads_in_chinese(any_db: Database, admin: CurrentUser) -> None:
    _work(any_db, admin)
    entries = audit_svc.query_audit(any_db, admin, limit=100_000)
    seen: set[tuple[str, str]] = set()
    for e in entries:
        assert not ascii_only(e.action_name) and not ascii_only(e.entity_name), e
        if e.user_login in ("admin", "shenhe", "system"):
            assert e.operator in ("演示管理员", "王审核", "系统"), e.operator
        text = e.describe()
        assert not re.search(r"\b(issued|void|payout|added|campaign|None)\b", text), text
        for values in (e.shown_before or {}, e.shown_after or {}):
            for key, value in values.items():
                seen.add((e.entity, key))
                label = audit_svc.field_label(e.entity, key)
                assert not ascii_only(label), f"{e.entity}.{key} 的标签：{label}"
                shown = audit_svc.show_field(e.entity, key, value)
                if is_money(e.entity, key) and isinstance(value, int):
                    assert MONEY.match(shown), f"{e.entity}.{key}：{shown}"
                assert shown not in ("issued", "void"), f"{e.entity}.{key}：{shown}"
                assert not shown.startswith("{"), f"{e.entity}.{key}：{shown}"
    # the rows the issue quoted, as a clerk now reads them
    assert {("receipt", "payout"), ("campaign", "budget"), ("campaign", "standards")} <= seen
    void = next(e for e in entries if e.action == "void" and e.entity == "receipt")
    assert audit_svc.describe_change("receipt", void.shown_before, void.shown_after) == (
        "状态：已开具 → 已作废"
    )
    budget = next(e for e in entries if e.entity == "campaign" and e.action == "create")
    assert audit_svc.show_field("campaign", "budget", budget.after["budget"]) == "¥800,000.00"  # type: ignore[index]
    standards = audit_svc.show_field("campaign", "standards", budget.after["standards"])  # type: ignore[index]
    assert "深度困难 ¥" in standards and "{" not in standards
    issued = next(e for e in entries if e.action == "issue" and e.entity == "receipt")
    assert "开具收据 No." in issued.describe() and "¥" in issued.describe()
