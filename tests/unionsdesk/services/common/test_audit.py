"""The 操作日志 shows dictionary fields (学历, 民族 …) by their labels; the stored rows
keep the codes."""

from unionsdesk.db.engine import Database
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common import codes
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members


def test_audit_entries_show_dictionary_labels_not_codes(
    any_db: Database, admin: CurrentUser
) -> None:
    mid = members.search_member_ids(any_db, admin)[3]
    detail = members.get_member(any_db, admin, mid)
    labels = codes.label_maps(any_db, ["education"])["education"]
    code, label = next((c, x) for c, x in labels.items() if c != detail.values["education"])
    assert code != label
    members.save_member(
        any_db, admin, {**detail.values, "education": code},
        membership_id=mid, expected_version=detail.version,
    )  # fmt: skip
    entry = audit_svc.query_audit(any_db, admin, audit_svc.AuditFilter(entity="member"), limit=1)[0]
    assert entry.after is not None and entry.shown_after is not None
    assert entry.after["education"] == code  # the code is stored …
    assert entry.shown_after["education"] == label  # … and its label is shown
    assert "学历：" in entry.describe() and f"→ {label}" in entry.describe()
    recent = audit_svc.recent_activity(any_db, admin, limit=1)[0]
    assert recent.shown_after == entry.shown_after
