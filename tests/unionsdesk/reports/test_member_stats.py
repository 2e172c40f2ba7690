from datetime import date

from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person
from unionsdesk.reports.members import member_statistics
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members


def test_totals_are_sums_of_rows_and_match_the_register(
    any_db: Database, admin: CurrentUser
) -> None:
    stats = member_statistics(any_db, admin, year=date.today().year, office="示例县总工会")
    for table in (stats.by_union, stats.by_township):
        assert table.totals is not None
        for i, col in enumerate(table.columns):
            if col.kind == "int":
                assert table.totals[i] == sum(int(r[i]) for r in table.rows)  # type: ignore[call-overload]
        idx = table.column_index
        assert table.totals[idx["members"]] == members.count_members(any_db)
    with any_db.reading() as s:
        women = s.scalar(
            select(func.count())
            .select_from(Membership)
            .join(Person)
            .where(Membership.active, Person.sex == "女")
        )
        migrants = s.scalar(
            select(func.count()).where(Membership.active, Membership.migrant_worker.is_(True))
        )
    t = stats.by_township
    assert t.totals is not None
    assert t.totals[t.column_index["women"]] == women
    assert t.totals[t.column_index["migrant"]] == migrants
    new_form = t.totals[t.column_index["new_form"]]
    parts = sum(
        t.totals[t.column_index[k]] for k in ("cat01", "cat02", "cat03", "cat04", "cat_other")
    )  # type: ignore[misc]
    assert new_form == parts and new_form > 0
    towns = {r[0] for r in t.rows}
    assert "城关镇总工会" in towns and "新就业形态工会联合会" in towns


def test_yearly_aid_summary_totals(any_db: Database, admin: CurrentUser) -> None:
    from unionsdesk.reports.aid import yearly_summary
    from unionsdesk.services.aid.campaigns import list_campaigns, list_payouts

    t = yearly_summary(any_db, admin, date.today().year)
    lines = [
        p
        for c in list_campaigns(any_db, admin, date.today().year)
        for p in list_payouts(any_db, admin, c.id)
    ]
    assert t.totals is not None
    assert t.totals[t.column_index["times"]] == len(lines) > 0
    assert t.totals[t.column_index["amount"]] == sum(p.amount for p in lines)
    assert {r[0] for r in t.rows} == {"冬送温暖/两节慰问", "金秋助学", "医疗救助", "夏送清凉"}
