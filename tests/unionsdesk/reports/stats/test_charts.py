"""The 首页 charts: every non-zero point opens rows that add up to it; the same charts
as vector drawings in a PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

from unionsdesk.db.engine import Database
from unionsdesk.printing.grid import DrawingPage
from unionsdesk.printing.table_pdf import render_tables_pdf
from unionsdesk.reports.stats.charts import dashboard_data, drawings_for, drill_point
from unionsdesk.services.common.users import first_admin
from unionsdesk.table import Column, Table


def test_every_point_drills_to_its_rows(any_db: Database) -> None:
    admin = first_admin(any_db)
    charts = dashboard_data(any_db, admin)
    assert [c.key for c in charts] == [
        "members_by_township", "new_members", "aid_by_project", "aid_by_month",
        "hardship_on_file", "open_cases", "grants",
    ]  # fmt: skip
    checked = 0
    for chart in charts:
        for series in chart.series:
            for value, drill in zip(series.values, series.drills, strict=True):
                if not value or drill is None:
                    continue
                rows = drill_point(any_db, admin, drill)
                if chart.unit == "万元":
                    i = rows.column_index["amount"]
                    got = sum(int(r[i]) for r in rows.rows) / 1_000_000  # type: ignore[call-overload]
                else:
                    got = len(rows.rows)
                assert abs(got - value) < 1e-9, (chart.title, drill)
                checked += 1
    assert checked >= 20


def test_charts_in_pdf_are_vector_drawings(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    charts = dashboard_data(demo_db, admin)
    page = DrawingPage("统计图", drawings_for(charts))
    table = Table("表", (Column("a", "项目"), Column("n", "数", "int")), [["甲", 1]]).with_totals()
    pdf = render_tables_pdf([table], tmp_path / "c.pdf", drawings=[page], contents="目录")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "会员人数（按乡镇/产业工会" in text and "在档困难职工户数" in text  # text, not pictures
    assert "第 3 页" in text.split("\f")[0]  # contents: 目录, 表, then the charts from page 3
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) <= 2  # the header of an empty list: no raster images
