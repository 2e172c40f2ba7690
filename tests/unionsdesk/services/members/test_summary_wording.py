"""Issue 13's wording fixes: the error summary is not cut mid-sentence, a campaign's
status reads right ("已发放", not "已已发放"), and the template's example row is
counted among the skipped rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from unionsdesk.db.engine import Database
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import UserError
from unionsdesk.excel.reader import RowError
from unionsdesk.services.aid import campaigns
from unionsdesk.services.common.users import first_admin
from unionsdesk.services.members.member_import import (
    TEMPLATE_EXAMPLE_NAME,
    ImportResult,
    _template_example_id,
    import_members,
)


def test_date_errors_are_summed_up_in_whole_sentences() -> None:
    result = ImportResult(file_name="x.xlsx")
    result.errors = [
        RowError(3, "入会日期", v, f"入会日期：无法识别的日期：“{v}”（请写作“2019-05-01”）")
        for v in ("2019.13.01", "去年", "19-5-1")
    ]
    assert result.invalid_by_reason() == {"入会日期：无法识别的日期（请写作“2019-05-01”）": 3}
    line = next(x for x in result.summary_lines() if "无法识别的日期" in x)
    assert "无法识别的日期（请写作“2019-05-01”）：3处" in line


def test_a_paid_campaign_says_so_once(demo_db: Database) -> None:
    admin = first_admin(demo_db)
    c = campaigns.save_campaign(
        demo_db, admin, {"name": "措辞测试", "kind": "日常慰问", "year": 2026, "approval_ref": "x"}
    )
    first = "36083019700101992"
    person = {"name": "措辞", "id_number": first + check_char(first), "amount": "100"}
    campaigns.add_payout(demo_db, admin, c.id, person)
    campaigns.set_campaign_status(demo_db, admin, c.id, "审核")
    campaigns.set_campaign_status(demo_db, admin, c.id, "已发放")
    second = "36083019700101993"
    with pytest.raises(UserError, match="活动已发放，发放名单不能再修改") as exc:
        campaigns.add_payout(
            demo_db, admin, c.id, {**person, "id_number": second + check_char(second)}
        )
    assert "已已" not in str(exc.value)


def test_the_template_example_row_is_counted_as_skipped(demo_db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "入会日期"])
    ws.append([TEMPLATE_EXAMPLE_NAME, _template_example_id(), "2020-01-01"])
    path = tmp_path / "template.xlsx"
    wb.save(path)
    with demo_db.reading() as s:
        from sqlalchemy import select

        from unionsdesk.db.models import UnionOrg

        union = s.scalar(select(UnionOrg.id).where(UnionOrg.status == "正常").limit(1))
    result = import_members(demo_db, first_admin(demo_db), path, union_id=union)
    assert result.imported == 0 and not result.errors
    assert "模板中的示例行1行（第2行）" in result.skipped_summary
