"""首页's work figures: what is on the clerk's desk, counted in a few indexed queries
(on a worker thread in the window)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, HardshipFile, Payout
from unionsdesk.services.aid.hardship import REVIEW_DAYS
from unionsdesk.services.common.base import CurrentUser, reading


@dataclass(frozen=True)
class WorkFigures:
    files: int  # 困难户 on file (建档/帮扶中)
    review_overdue: int  # of them, 年审 more than a year ago
    year_amount: int  # fen paid out this year (confirmed campaigns)
    year_people: int  # 人次 paid this year
    files_to_review: int  # files 待审核
    campaigns_to_confirm: int  # campaigns in 审核, waiting for the reviewer

    @property
    def waiting(self) -> int:
        return self.files_to_review + self.campaigns_to_confirm


def work_figures(db: Database, actor: CurrentUser, today: date | None = None) -> WorkFigures:
    today = today or date.today()
    due = today - timedelta(days=REVIEW_DAYS)
    with reading(db, actor) as s:
        open_files = HardshipFile.active & HardshipFile.status.in_(("建档", "帮扶中"))
        files = s.scalar(select(func.count()).select_from(HardshipFile).where(open_files)) or 0
        overdue = (
            s.scalar(
                select(func.count())
                .select_from(HardshipFile)
                .where(
                    open_files,
                    func.coalesce(HardshipFile.last_annual_review, HardshipFile.filed_on) < due,
                )
            )
            or 0
        )
        to_review = (
            s.scalar(
                select(func.count())
                .select_from(HardshipFile)
                .where(HardshipFile.active, HardshipFile.review_status == "待审核")
            )
            or 0
        )
        amount, people = s.execute(
            select(func.coalesce(func.sum(Payout.amount), 0), func.count(Payout.id))
            .join(Campaign, Campaign.id == Payout.campaign_id)
            .where(Campaign.year == today.year, Campaign.status.in_(("已发放", "归档")))
        ).one()
        waiting = (
            s.scalar(select(func.count()).select_from(Campaign).where(Campaign.status == "审核"))
            or 0
        )
    return WorkFigures(files, overdue, int(amount), int(people), to_review, waiting)
