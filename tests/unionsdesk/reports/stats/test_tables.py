"""The statistics tables: golden totals by plain SQL over the demo county, township
= sum of its unions, every figure's drill-down adds up to it, cross-checks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from unionsdesk.db.engine import Database
from unionsdesk.errors import UserError
from unionsdesk.reports.stats.engine import NO_DATA, StatReport
from unionsdesk.reports.stats.period import parse_period
from unionsdesk.reports.stats.tables import FAILED, TABLES, build_report
from unionsdesk.services.common.base import SYSTEM, CurrentUser, reading
from unionsdesk.services.common.users import first_admin

YEAR = date.today().year
TOWNSHIP = "城关镇总工会"


def _sql(db: Database, sql: str, **params: object) -> int:
    with db.reading() as s:
        return int(s.execute(text(sql), params).scalar() or 0)


def _total(report: StatReport, part: int, column: str) -> object:
    t = report.parts[part].table
    assert t.totals is not None
    return t.totals[t.column_index[column]]


def test_org_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "org", str(YEAR))
    end = date(YEAR, 12, 31)
    grassroots = (
        "parent_id IS NOT NULL AND (org_type IS NULL OR org_type NOT IN ('03', '04', '07', '08')) "
        "AND (founded_on IS NULL OR founded_on <= :end) AND (status = '正常' OR status_date > :end)"
    )
    assert _total(r, 0, "unions") == _sql(
        any_db, f"SELECT count(*) FROM union_org WHERE {grassroots}", end=end
    )
    assert _total(r, 0, "staff") == _sql(
        any_db, f"SELECT sum(staff_count) FROM union_org WHERE {grassroots}", end=end
    )
    assert _total(r, 0, "organ") == _sql(
        any_db,
        f"SELECT count(*) FROM union_org WHERE {grassroots} AND unit_category = '500'",
        end=end,
    )
    members = "FROM membership m JOIN person p ON p.id = m.person_id WHERE m.active AND m.joined_on <= :end"
    assert _total(r, 0, "members") == _sql(any_db, f"SELECT count(*) {members}", end=end)
    assert _total(r, 0, "women") == _sql(
        any_db, f"SELECT count(*) {members} AND p.sex = '女'", end=end
    )
    assert _total(r, 0, "migrant") == _sql(
        any_db, f"SELECT count(*) {members} AND m.migrant_worker", end=end
    )
    assert _total(r, 0, "members") > 0 and r.passed, r.failed_checks  # fmt: skip


def test_members_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "members", str(YEAR))
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    joined = _sql(
        any_db, "SELECT count(*) FROM membership WHERE joined_on BETWEEN :a AND :b", a=start, b=end
    )
    assert joined > 0
    assert _total(r, 0, "joined") == joined
    assert _total(r, 0, "kept") == _sql(
        any_db, "SELECT count(*) FROM membership_event WHERE kind = '3' AND \"on\" BETWEEN :a AND :b",
        a=start, b=end,
    )  # fmt: skip
    assert _total(r, 0, "new_form") == _sql(
        any_db,
        "SELECT count(*) FROM membership WHERE joined_on BETWEEN :a AND :b AND new_employment IS NOT NULL",
        a=start, b=end,
    )  # fmt: skip


def test_aid_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "aid", str(YEAR))
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    paid = (
        "FROM payout p JOIN campaign c ON c.id = p.campaign_id "
        "WHERE c.status IN ('已发放', '归档') AND c.paid_on BETWEEN :a AND :b"
    )
    amount = _sql(any_db, f"SELECT sum(p.amount) {paid}", a=start, b=end)
    assert amount > 0
    assert _total(r, 0, "amount") == amount
    assert _total(r, 0, "times") == _sql(any_db, f"SELECT count(*) {paid}", a=start, b=end)
    households = _sql(
        any_db,
        f"SELECT sum(n) FROM (SELECT count(DISTINCT p.person_id) AS n {paid} GROUP BY c.kind) AS k",
        a=start, b=end,
    )  # fmt: skip
    assert _total(r, 0, "households") == households
    on_file = _sql(
        any_db,
        "SELECT count(*) FROM hardship_file WHERE filed_on <= :d "
        "AND ((closed_on IS NULL AND active) OR closed_on > :d)",
        d=end,
    )
    assert _total(r, 1, "end") == on_file > 0
    assert r.passed, r.failed_checks


@pytest.mark.parametrize("key", list(TABLES))
def test_township_is_the_sum_of_its_unions(demo_db: Database, key: str) -> None:
    admin = first_admin(demo_db)
    county = build_report(demo_db, admin, key, str(YEAR))
    town = build_report(demo_db, admin, key, str(YEAR), TOWNSHIP)
    unions = [r.label for r in town.scope.rows if not r.own]
    assert len(unions) >= 2
    for k, part in enumerate(town.parts):
        sums = [0] * len(part.table.columns)
        for name in unions:
            one = build_report(demo_db, admin, key, str(YEAR), str(name)).parts[k].table
            assert one.totals is not None
            for i in range(1, len(sums)):
                sums[i] += int(one.totals[i])  # type: ignore[call-overload]
        assert part.table.totals is not None
        assert list(part.table.totals[1:]) == sums[1:], part.table.title
        if part.spec.rows is None:  # the township's row of the county table is the same
            row = next(r for r in county.parts[k].table.rows if r[0] == TOWNSHIP)
            assert list(row[1:]) == sums[1:]


@pytest.mark.parametrize("key", list(TABLES))
@pytest.mark.parametrize("period", [str(YEAR), f"{YEAR}Q1", f"{YEAR}-01..{YEAR}-06"])
def test_every_figure_drills_down_to_its_rows(any_db: Database, key: str, period: str) -> None:
    """On SQLite and PostgreSQL: the drill-down queries are the figures' own conditions."""
    admin = first_admin(any_db)
    report = build_report(any_db, admin, key, period)
    checked = 0
    with reading(any_db, admin) as s:  # the admin may see private cases (维权查看)
        for p, part in enumerate(report.parts):
            table = part.table
            assert table.totals is not None
            for r, row in enumerate([*table.rows, table.totals]):
                for m in part.spec.measures:
                    figure = row[table.column_index[m.key]]
                    if not figure:
                        continue
                    detail = report.drill(s, p, r, m.key)
                    if m.detail_key is not None:
                        i = detail.column_index[m.detail_key]
                        got = sum(int(d[i] or 0) for d in detail.rows)  # type: ignore[call-overload]
                    else:
                        got = len(detail.rows)
                    assert got == figure, f"{table.title} {row[0]} {m.key}"
                    checked += 1
    if not checked:
        pytest.skip(f"演示数据中还没有“{TABLES[key].short}”的记录")


def test_drill_masks_ids_for_readonly(demo_db: Database) -> None:
    admin = first_admin(demo_db)
    report = build_report(demo_db, admin, "org", str(YEAR))
    with demo_db.reading() as s:
        rows = report.drill(s, 0, 1, "members", mask_ids=True).rows
    assert rows and all("*" in str(r[2]) for r in rows)


def test_dispute_rows_need_rights_view(demo_db: Database) -> None:
    """The 维权 figures are public, the cases behind them are not: without 维权查看 the
    drill-down is refused, with it the rows add up to the figure."""
    from unionsdesk.errors import PermissionDenied
    from unionsdesk.services.common.users import login

    admin = first_admin(demo_db)
    report = build_report(demo_db, admin, "rights", str(YEAR))
    part = report.parts[0]
    table = part.table
    assert table.totals is not None
    key = next(m.key for m in part.spec.measures if table.totals[table.column_index[m.key]])
    total_row = len(part.keys)
    clerk = login(demo_db, "jingban", "demo1234")
    assert not clerk.can("rights.view")
    with reading(demo_db, clerk) as s, pytest.raises(PermissionDenied, match="维权查看"):
        report.drill(s, 0, total_row, key)
    with demo_db.reading() as s, pytest.raises(PermissionDenied):  # nobody asking: refused
        report.drill(s, 0, total_row, key)
    with reading(demo_db, admin) as s:
        assert report.drill(s, 0, total_row, key).rows


def test_failed_check_marks_the_table(demo_db: Database) -> None:
    admin = first_admin(demo_db)
    with demo_db.writing() as s:  # a file closed without a 解困/退档 date
        s.execute(
            text("UPDATE hardship_file SET active = :f, status = '退出' WHERE id = 1"), {"f": False}
        )
    r = build_report(demo_db, admin, "aid", str(YEAR))
    assert not r.passed
    assert any("期末" in reason for reason in r.failed_checks)
    for t in r.tables:
        assert t.stamp == FAILED
        assert any(FAILED in n for n in t.notes)


def test_empty_database_gives_empty_tables(empty_db: Database) -> None:
    for key in TABLES:
        r = build_report(empty_db, SYSTEM, key, str(YEAR), office="")
        for t in r.tables:
            assert any(NO_DATA in n for n in t.notes)


@pytest.mark.parametrize(
    ("text_", "message"),
    [
        (f"{YEAR}Q5", "季度应为 1 到 4"),
        (f"{YEAR + 1}", "尚未开始"),
        (f"{YEAR}-13", "月份应为 1 到 12"),
        (f"{YEAR}-06..{YEAR}-02", "早于开始月份"),
        ("去年", "看不懂统计期间"),
        ("", "请给出统计期间"),
    ],
)
def test_bad_periods(text_: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_period(text_, date(YEAR, 12, 4))


def test_periods() -> None:
    today = date(2026, 12, 4)
    q3 = parse_period("2026Q3", today)
    assert (q3.start, q3.end, q3.label) == (date(2026, 7, 1), date(2026, 9, 30), "2026年第三季度")
    h1 = parse_period("2026-01..2026-06", today)
    assert (h1.start, h1.end, h1.label) == (date(2026, 1, 1), date(2026, 6, 30), "2026年1月至6月")
    assert parse_period("2026年第二季度", today) == parse_period("2026q2", today)
    assert parse_period("2026", today).previous() == parse_period("2025", today)
    assert q3.previous() == parse_period("2026Q2", today)
    assert h1.previous().start == date(2025, 7, 1)
    assert parse_period("2026-02", today).end == date(2026, 2, 28)


def test_unknown_scope_offers_the_closest_names(demo_db: Database) -> None:
    admin = first_admin(demo_db)
    with pytest.raises(UserError, match="找不到工会“城关镇工会”，是不是：城关镇总工会"):
        build_report(demo_db, admin, "org", str(YEAR), "城关镇工会")
    with pytest.raises(UserError, match="对应多个工会"):
        build_report(demo_db, admin, "org", str(YEAR), "示例县")
    with pytest.raises(UserError, match="没有统计表“nosuch”，可用：org（工会组织建设）"):
        build_report(demo_db, admin, "nosuch", str(YEAR))


def test_rights_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "rights", str(YEAR))
    a, b = date(YEAR, 1, 1), date(YEAR, 12, 31)
    received = _sql(
        any_db, "SELECT count(*) FROM dispute WHERE received_on BETWEEN :a AND :b", a=a, b=b
    )
    if not received:
        pytest.skip("演示数据中还没有劳动争议")
    assert _total(r, 0, "received") == received
    assert _total(r, 0, "agreement") == _sql(
        any_db,
        "SELECT sum(agreement_amount) FROM dispute WHERE closed_on BETWEEN :a AND :b "
        "AND result = '达成协议'",
        a=a, b=b,
    )  # fmt: skip
    assert _total(r, 0, "pending") == _sql(
        any_db,
        "SELECT count(*) FROM dispute WHERE received_on <= :b AND (closed_on IS NULL OR closed_on > :b)",
        b=b,
    )
    assert _total(r, 1, "received") == _sql(
        any_db, "SELECT count(*) FROM legal_aid WHERE received_on BETWEEN :a AND :b", a=a, b=b
    )


def test_mutual_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "mutual", str(YEAR))
    a, b = date(YEAR, 1, 1), date(YEAR, 12, 31)
    amount = _sql(
        any_db,
        "SELECT sum(amount) FROM mutual_enrolment WHERE starts_on BETWEEN :a AND :b",
        a=a,
        b=b,
    )
    if not amount:
        pytest.skip("演示数据中还没有互助保障参保登记")
    assert _total(r, 0, "amount") == amount
    assert _total(r, 0, "paid_amount") == _sql(
        any_db,
        "SELECT sum(approved) FROM mutual_claim WHERE status = '已给付' AND paid_on BETWEEN :a AND :b",
        a=a, b=b,
    )  # fmt: skip


def test_sites_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "sites", str(YEAR))
    a, b = date(YEAR, 1, 1), date(YEAR, 12, 31)
    in_use = _sql(
        any_db,
        "SELECT count(*) FROM site WHERE status = '正常' AND (built_on IS NULL OR built_on <= :b)",
        b=b,
    )
    if not in_use:
        pytest.skip("演示数据中还没有服务阵地")
    assert _total(r, 0, "total") == in_use
    assert _total(r, 1, "paid") == _sql(
        any_db, "SELECT sum(amount) FROM grant_payment WHERE paid_on BETWEEN :a AND :b", a=a, b=b
    )
    assert _total(r, 1, "approved") == _sql(
        any_db, "SELECT count(*) FROM grant_project WHERE approved_on BETWEEN :a AND :b", a=a, b=b
    )


def test_funds_golden_totals(any_db: Database, admin: CurrentUser) -> None:
    r = build_report(any_db, admin, "funds", str(YEAR))
    paid = _sql(any_db, "SELECT sum(paid) FROM levy WHERE year = :y", y=YEAR)
    if not paid:
        pytest.skip("演示数据中还没有拨缴经费")
    assert _total(r, 0, "paid") == paid
    assert _total(r, 0, "payers") == _sql(
        any_db,
        "SELECT sum(n) FROM (SELECT count(DISTINCT payer_key) AS n FROM levy WHERE year = :y "
        "GROUP BY union_id) AS k",
        y=YEAR,
    )
    assert _total(r, 1, "due") == _sql(
        any_db, "SELECT count(*) FROM dues WHERE year = :y AND NOT waived", y=YEAR
    )
