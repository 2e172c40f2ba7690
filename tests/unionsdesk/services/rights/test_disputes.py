"""劳动争议调解: the 15-day rule, gapless 案号, closing rules, mediator terms, privacy."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.db.models_rights import Dispute
from unionsdesk.db.open import open_database
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import PermissionDenied, ValidationError
from unionsdesk.registers import get
from unionsdesk.services.common import users
from unionsdesk.services.common.base import RIGHTS, CurrentUser
from unionsdesk.services.rights import disputes
from unionsdesk.services.rights.disputes import days_open, deadline_state
from unionsdesk.services.rights.registers import DISPUTES, LEGAL_AID, MEDIATORS, set_suggestion_days

TODAY = date.today()
YEAR = TODAY.year


def make_id(birth: str = "19850312", seq: str = "123") -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


def case(**extra: object) -> dict[str, object]:
    return {
        "received_on": TODAY, "request_mode": "口头", "name": "申请甲",
        "id_number": make_id(), "phone": "13907961234", "job": "操作工",
        "respondent": "示例县恒达有限公司", "dispute_types": "劳动报酬，经济补偿/赔偿金",
        "claim_amount": "12000", "request": "请求支付拖欠工资12000元", "facts": "被申请人拖欠三个月工资。",
        **extra,
    }  # fmt: skip


# --- the 15-day rule --------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "today", "days", "state"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), 0, "normal"),
        (date(2026, 3, 1), date(2026, 3, 12), 11, "normal"),
        (date(2026, 3, 1), date(2026, 3, 13), 12, "amber"),
        (date(2026, 3, 1), date(2026, 3, 15), 14, "amber"),
        (date(2026, 3, 1), date(2026, 3, 16), 15, "red"),
        # across a month end: 1月25日 + 15 calendar days
        (date(2026, 1, 25), date(2026, 2, 5), 11, "normal"),
        (date(2026, 1, 25), date(2026, 2, 6), 12, "amber"),
        (date(2026, 1, 25), date(2026, 2, 9), 15, "red"),
        # across the leap day of 2028: Feb 29 counts
        (date(2028, 2, 20), date(2028, 3, 2), 11, "normal"),
        (date(2028, 2, 20), date(2028, 3, 3), 12, "amber"),
        (date(2028, 2, 20), date(2028, 3, 6), 15, "red"),
        # and a non-leap year for comparison: no Feb 29
        (date(2027, 2, 20), date(2027, 3, 7), 15, "red"),
        (date(2027, 2, 20), date(2027, 3, 6), 14, "amber"),
    ],
)
def test_day_count_edges(received: date, today: date, days: int, state: str) -> None:
    assert days_open(received, today) == days
    assert deadline_state(received, None, today) == state
    assert deadline_state(received, today, today) == "closed"


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def new_case(db: Database, actor: CurrentUser, **extra: object):  # type: ignore[no-untyped-def]
    return DISPUTES.create(db, actor, case(**extra))


def test_list_shows_day_count_and_state(any_db: Database, admin: CurrentUser) -> None:
    made = {n: new_case(any_db, admin, received_on=days_ago(n)) for n in (11, 12, 15)}
    rows = {r.id: r for r in DISPUTES.fetch_rows(any_db, admin, [m.id for m in made.values()])}
    got = {n: (rows[m.id].values["days"], rows[m.id].values["status"]) for n, m in made.items()}
    assert got == {11: (11, "调解中"), 12: (12, "即将到期"), 15: (15, "可申请仲裁")}
    assert rows[made[15].id].values["state"] == "red"
    # the 办理情况 filter finds the case past day 15, not the others
    red = set(DISPUTES.search_ids(any_db, admin, "", {"open": "可申请仲裁"}))
    assert made[15].id in red and made[12].id not in red
    reminders = disputes.open_cases_by_age(any_db, admin, limit=1000)
    assert made[15].id in [r.id for r in reminders]
    assert [r.received_on for r in reminders] == sorted(r.received_on for r in reminders)
    # the export carries 受理日期, 已用天数 and 状态
    table = DISPUTES.table(any_db, admin)
    labels = [c.label for c in table.columns]
    assert {"受理日期", "已用天数", "状态", "案号"} <= set(labels)
    line = next(
        r for r in table.rows if r[table.column_index["case_no"]] == made[15].values["case_no"]
    )
    assert line[table.column_index["days"]] == "15" or line[table.column_index["days"]] == 15
    assert table.totals is not None and table.totals[table.column_index["days"]] is None


# --- 案号 ------------------------------------------------------------------------------


def _last_seq(db: Database) -> int:
    with db.reading() as s:
        return max(s.scalars(select(Dispute.case_seq).where(Dispute.case_year == YEAR)), default=0)


def test_case_numbers_in_office_format_gapless(any_db: Database, admin: CurrentUser) -> None:
    n = _last_seq(any_db)
    a = new_case(any_db, admin)
    b = new_case(any_db, admin, request_mode="书面")
    assert a.values["case_no"] == f"〔{YEAR}〕示工调字第{n + 1:03d}号"
    assert b.values["case_no"] == f"〔{YEAR}〕示工调字第{n + 2:03d}号"
    # a refused save does not use a number
    with pytest.raises(ValidationError):
        new_case(any_db, admin, dispute_types="打架")
    disputes.set_case_format(any_db, admin, "示工调〔{年}〕{号}号")
    c = new_case(any_db, admin)
    assert c.values["case_no"] == f"示工调〔{YEAR}〕{n + 3:03d}号"
    with pytest.raises(ValidationError, match="序号"):
        disputes.set_case_format(any_db, admin, "〔{年}〕第号")
    # changing a case keeps its number
    again = DISPUTES.update(any_db, admin, a.id, {**case(), "job": "电工"}, a.version)
    assert again.values["case_no"] == a.values["case_no"]


def test_two_writers_get_gapless_unique_case_numbers(any_db: Database, admin: CurrentUser) -> None:
    n = _last_seq(any_db)
    errors: list[BaseException] = []

    def clerk(k: int) -> None:
        db = open_database(any_db.url)  # its own engine, as a second PC would have
        try:
            for i in range(12):
                new_case(db, admin, id_number=make_id(seq=f"{k}{i:02d}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=clerk, args=(k,)) for k in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with any_db.reading() as s:
        seqs = sorted(s.scalars(select(Dispute.case_seq).where(Dispute.case_year == YEAR)))
        nos = set(s.scalars(select(Dispute.case_no).where(Dispute.case_year == YEAR)))
    assert seqs == list(range(1, n + 25))
    assert len(nos) == n + 24


# --- closing ---------------------------------------------------------------------------


def test_closing_needs_result_and_agreement_amount(any_db: Database, admin: CurrentUser) -> None:
    d = new_case(any_db, admin, received_on=days_ago(9))
    with pytest.raises(ValidationError) as err:
        DISPUTES.update(
            any_db, admin, d.id, case(received_on=days_ago(9), closed_on=TODAY), d.version
        )
    assert "结案须填写调解结果" in str(err.value)
    with pytest.raises(ValidationError, match="协议金额"):
        DISPUTES.update(
            any_db, admin, d.id, case(received_on=days_ago(9), result="达成协议"), d.version
        )
    with pytest.raises(ValidationError, match="金额格式不正确"):
        DISPUTES.update(
            any_db, admin, d.id, case(result="达成协议", agreement_amount="八千元"), d.version
        )
    done = DISPUTES.update(
        any_db, admin, d.id,
        case(received_on=days_ago(9), result="达成协议", agreement_amount="8000", closed_on=TODAY), d.version,
    )  # fmt: skip
    assert done.values["agreement_amount"] == 800000 and done.values["closed_on"] == TODAY
    row = DISPUTES.fetch_rows(any_db, admin, [d.id])[0]
    assert (row.values["days"], row.values["status"]) == (9, "已结案（达成协议）")
    # a 结果 without a date closes the case today
    e = new_case(any_db, admin, received_on=days_ago(3))
    closed = DISPUTES.update(
        any_db, admin, e.id, case(received_on=days_ago(3), result="撤回"), e.version
    )
    assert closed.values["closed_on"] == TODAY


def test_bad_credit_code_and_types_name_the_field(any_db: Database, admin: CurrentUser) -> None:
    with pytest.raises(ValidationError) as err:
        new_case(any_db, admin, respondent_code="91360830MA12345678", dispute_types="吵架")
    assert set(err.value.errors) == {"respondent_code", "dispute_types"}
    assert "统一社会信用代码" in err.value.errors["respondent_code"]


# --- mediators ---------------------------------------------------------------------------


def test_mediator_whose_term_ended_cannot_be_assigned(any_db: Database, admin: CurrentUser) -> None:
    MEDIATORS.create(any_db, admin, {"name": "任满甲", "role": "调解员", "term_start": date(YEAR - 3, 1, 1),
                                     "term_end": days_ago(1)})  # fmt: skip
    MEDIATORS.create(any_db, admin, {"name": "在任乙", "role": "调解员", "term_start": date(YEAR - 1, 1, 1),
                                     "term_end": date(YEAR + 2, 12, 31)})  # fmt: skip
    with pytest.raises(ValidationError, match=f"任期已于{days_ago(1):%Y年%m月%d日}结束"):
        new_case(any_db, admin, mediator="任满甲")
    with pytest.raises(ValidationError, match="名册中没有"):
        new_case(any_db, admin, mediator="无此人")
    d = new_case(any_db, admin, mediator="在任乙")
    assert d.values["mediator"] == "在任乙"


# --- privacy ------------------------------------------------------------------------------


def _clerk(db: Database, admin: CurrentUser) -> CurrentUser:
    users.create_user(db, admin, {"login": "wq_clerk", "display_name": "维权经办", "role": "clerk",
                                  "password": "secret123"})  # fmt: skip
    return users.login(db, "wq_clerk", "secret123")


def test_clerk_without_rights_view_is_refused_by_the_services(
    any_db: Database, admin: CurrentUser
) -> None:
    d = new_case(any_db, admin)
    clerk = _clerk(any_db, admin)
    assert not clerk.can(RIGHTS)
    for call in (
        lambda: DISPUTES.search_ids(any_db, clerk),
        lambda: DISPUTES.fetch_rows(any_db, clerk, [d.id]),
        lambda: DISPUTES.get(any_db, clerk, d.id),
        lambda: DISPUTES.create(any_db, clerk, case()),
        lambda: DISPUTES.update(any_db, clerk, d.id, case(), d.version),
        lambda: DISPUTES.table(any_db, clerk),
        lambda: LEGAL_AID.search_ids(any_db, clerk),
        lambda: disputes.open_cases_by_age(any_db, clerk) or DISPUTES.table(any_db, clerk),
    ):
        with pytest.raises(PermissionDenied, match="维权查看"):
            call()
    assert disputes.open_cases_by_age(any_db, clerk) == []
    # service days and suggestions are not private
    assert get("service-days").search_ids(any_db, clerk)
    # given to the role 经办人 in 设置 → 用户和角色: effective at the next login
    users.set_role_permission(any_db, admin, "clerk", RIGHTS, True)
    granted = users.login(any_db, "wq_clerk", "secret123")
    assert granted.can(RIGHTS)
    assert d.id in DISPUTES.search_ids(any_db, granted)


def test_every_view_of_full_detail_is_audited(any_db: Database, admin: CurrentUser) -> None:
    d = new_case(any_db, admin)
    DISPUTES.get(any_db, admin, d.id)
    DISPUTES.get(any_db, admin, d.id)
    with any_db.reading() as s:
        views = list(
            s.scalars(select(AuditLog.summary).where(AuditLog.action == "view", AuditLog.entity_id == d.id,
                                                     AuditLog.entity == "dispute"))
        )  # fmt: skip
    assert views == [f"查看调解案件“{d.values['case_no']}”"] * 2


def test_summary_counts(any_db: Database, admin: CurrentUser) -> None:
    since = days_ago(0)
    before = disputes.dispute_summary(any_db, admin, days_ago(30), TODAY)
    new_case(any_db, admin, received_on=days_ago(16))
    new_case(any_db, admin, result="撤回", received_on=days_ago(2), closed_on=days_ago(1))
    new_case(any_db, admin, collective=True, people_involved=12)
    sm = disputes.dispute_summary(any_db, admin, days_ago(30), TODAY)
    assert since == TODAY
    assert (sm.received - before.received, sm.closed - before.closed, sm.pending - before.pending,
            sm.overdue - before.overdue, sm.collective - before.collective) == (3, 1, 2, 1, 1)  # fmt: skip


def test_suggestion_overdue_after_setting_days(any_db: Database, admin: CurrentUser) -> None:
    reg = get("suggestions")
    g = reg.create(
        any_db,
        admin,
        {"received_on": days_ago(20), "proposer": "职工甲", "content": "建议增设驿站"},
    )
    assert reg.fetch_rows(any_db, admin, [g.id])[0].values["overdue"] == "超期（20天）"
    set_suggestion_days(any_db, admin, 30)
    assert reg.fetch_rows(any_db, admin, [g.id])[0].values["overdue"] == "办理中"
    with pytest.raises(ValidationError, match="答复"):
        reg.create(
            any_db,
            admin,
            {"received_on": days_ago(3), "proposer": "甲", "content": "x", "closed_on": TODAY},
        )
