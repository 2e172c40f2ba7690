"""Printed 维权 forms read back with pdftotext/pdffonts, the CLI commands, and the 人员档案
section that shows no private record."""

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.domain.idcard import check_char
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.person_file import person_file
from unionsdesk.services.rights import forms
from unionsdesk.services.rights.registers import DISPUTES, MEDIATORS

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils 未安装")
TODAY = date.today()


def _text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return "".join(out.stdout.split())  # CJK text read back without the layout's spaces


def _fonts(path: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def _agreed_case(db: Database, admin: CurrentUser) -> str:
    MEDIATORS.create(db, admin, {"name": "协议调解员", "role": "调解员", "term_start": TODAY - timedelta(days=400),
                                 "term_end": TODAY + timedelta(days=400)})  # fmt: skip
    first = "36083019850312457"
    rec = DISPUTES.create(db, admin, {
        "received_on": TODAY - timedelta(days=5), "request_mode": "口头", "name": "协议甲",
        "id_number": first + check_char(first), "phone": "13907960001", "job": "焊工",
        "respondent": "示例县恒达有限公司", "dispute_types": "劳动报酬", "claim_amount": "12000",
        "request": "请求支付拖欠工资", "facts": "被申请人拖欠三个月工资。", "mediator": "协议调解员",
        "result": "达成协议", "agreement_amount": "10300", "closed_on": TODAY,
        "agreement_terms": "被申请人于十日内一次性支付申请人工资10300元。",
    })  # fmt: skip
    return str(rec.values["case_no"])


def test_agreement_and_request_pdfs(demo_db: Database, tmp_path: Path) -> None:
    from unionsdesk.services.common.users import first_admin

    admin = first_admin(demo_db)
    case_no = _agreed_case(demo_db, admin)
    out = forms.print_mediation_agreement(demo_db, admin, case_no, tmp_path / "协议书.pdf")
    text = _text(out)
    for words in ("劳动争议调解协议书", case_no, "协议甲", "示例县恒达有限公司", "人民币壹万零叁佰元整",
                  "¥10,300.00", "申请人（签字）", "被申请人（盖章）", "调解员（签字）", "调解委员会印章",
                  "示例县总工会劳动争议调解委员会", f"{TODAY:%Y年%m月%d日}", "协议调解员"):  # fmt: skip
        assert words in text, words
    assert "补打" not in text
    fonts = _fonts(out)
    assert "Helvetica" not in fonts and fonts.count("yes yes") >= 1  # embedded, subset
    again = forms.print_mediation_agreement(demo_db, admin, case_no, tmp_path / "协议书2.pdf")
    assert "补打" in _text(again)
    req = forms.print_mediation_request(demo_db, admin, case_no, tmp_path / "申请书.pdf")
    text = _text(req)
    for words in (
        "劳动争议调解申请书",
        "申请事项",
        "请求支付拖欠工资",
        "口头申请",
        "当场记录",
        "记录人（签字）",
    ):
        assert words in text, words


def test_cli_print_and_export(
    demo_db_file: Path, demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from unionsdesk.services.common.users import first_admin

    case_no = _agreed_case(demo_db, first_admin(demo_db))
    db = str(demo_db_file)
    assert main(["print", "mediation-agreement", case_no, str(tmp_path / "a.pdf"), "--db", db]) == 0
    assert "人民币壹万零叁佰元整" in _text(tmp_path / "a.pdf")
    assert main(["print", "mediation-request", case_no, str(tmp_path / "r.pdf"), "--db", db]) == 0
    assert (
        main(
            ["print", "mediation-agreement", "〔1999〕无此号", str(tmp_path / "x.pdf"), "--db", db]
        )
        == 2
    )
    assert "没有案号" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(["print", "list", "disputes", str(tmp_path / "l.pdf"), "--db", db]) == 0
    assert "劳动争议调解台账" in _text(tmp_path / "l.pdf")
    assert main(["export", "disputes", str(tmp_path / "d.xlsx"), "--db", db]) == 0
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "d.xlsx").active
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "案号")
    assert header[:4] == ("案号", "受理日期", "已用天数", "状态")


def test_person_file_shows_private_records_only_with_rights_view(demo_db: Database) -> None:
    from unionsdesk.demo import DEMO_PASSWORD
    from unionsdesk.services.common.users import first_admin, login

    admin = first_admin(demo_db)
    record = DISPUTES.get(demo_db, admin, DISPUTES.search_ids(demo_db, admin)[0])
    assert record.person_id is not None
    pf = person_file(demo_db, admin, record.person_id)
    section = next(t for t in pf.sections if t.title == "劳动争议调解")
    assert record.values["case_no"] in str(section.rows)
    clerk = person_file(demo_db, login(demo_db, "jingban", DEMO_PASSWORD), record.person_id)
    assert "劳动争议调解" not in [t.title for t in clerk.sections]
    assert "劳动争议调解" in clerk.hidden
    assert record.values["case_no"] not in str([t.rows for t in clerk.sections])
