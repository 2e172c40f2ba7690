"""Undo of the newest 困难职工 import and 发放明细 import, like the member import's:
everything the batch made goes, the people it filled in get their details back, and
it is refused while something done since depends on it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import HardshipFile, Payout, Person
from unionsdesk.errors import UserError
from unionsdesk.services.aid import campaigns, hardship, receipts
from unionsdesk.services.aid.hardship_import import import_hardship_files
from unionsdesk.services.aid.payout_import import import_payouts
from unionsdesk.services.common import import_undo
from unionsdesk.services.common.base import CurrentUser

from .test_hardship_import import roster
from .test_payout_import import GOOD, campaign, workbook


def counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(HardshipFile)) or 0,
            s.scalar(select(func.count()).select_from(Payout)) or 0,
            s.scalar(select(func.count()).select_from(Person)) or 0,
        )


def test_undo_the_newest_hardship_import(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    before = counts(any_db)
    f = tmp_path / "files.xlsx"
    roster(f, bad=False)
    result = import_hardship_files(any_db, admin, f)
    assert result.written and result.imported == 3
    newest = import_undo.list_batches(any_db, admin, limit=1)[0]
    assert newest.kind == "hardship" and newest.kind_name == "困难职工档案" and newest.can_undo
    done = import_undo.undo_batch(any_db, admin)
    assert done.memberships_removed == 3 and done.people_removed == 3
    assert "删除困难职工档案：3条" in done.summary_lines()
    assert counts(any_db) == before
    assert not import_undo.list_batches(any_db, admin, limit=1)[0].can_undo  # undone


def test_hardship_undo_refused_after_a_review(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    f = tmp_path / "files.xlsx"
    roster(f, bad=False)
    import_hardship_files(any_db, admin, f)
    file_id = max(r.id for r in hardship.list_files(any_db, admin))
    hardship.review_file(any_db, admin, file_id, True)
    before = counts(any_db)
    with pytest.raises(UserError, match="困难职工档案在导入后已有变动"):
        import_undo.undo_batch(any_db, admin)
    assert counts(any_db) == before


def test_undo_the_newest_payout_import(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    cid = campaign(any_db, admin)
    before = counts(any_db)
    result = import_payouts(any_db, admin, workbook(tmp_path / "p.xlsx", GOOD), campaign_id=cid)
    assert result.written and result.imported == len(GOOD)
    done = import_undo.undo_batch(any_db, admin)
    assert done.memberships_removed == len(GOOD)
    assert counts(any_db) == before and campaigns.list_payouts(any_db, admin, cid) == []


def test_payout_undo_refused_once_the_campaign_moved_on(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    cid = campaign(any_db, admin)
    import_payouts(any_db, admin, workbook(tmp_path / "p.xlsx", GOOD), campaign_id=cid)
    campaigns.set_campaign_status(any_db, admin, cid, "审核")
    with pytest.raises(UserError, match="活动已审核"):
        import_undo.undo_batch(any_db, admin)
    campaigns.set_campaign_status(any_db, admin, cid, "已发放", date(2031, 12, 1))
    line = campaigns.list_payouts(any_db, admin, cid)[0]
    receipts.issue_receipts(any_db, admin, [line.id], on=date(2031, 12, 1))
    with pytest.raises(UserError, match=r"收据|已发放"):
        import_undo.undo_batch(any_db, admin)
    assert len(campaigns.list_payouts(any_db, admin, cid)) == len(GOOD)
