"""Models of the honours work area (DOMAIN.md §4; tables created by migration 0006).

Every register row can be voided (作废: kept, greyed, left out of lists and
totals) and remembers the import batch that brought it in (undo).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from unionsdesk.db.models import Entity, RegisterRow


class Honour(RegisterRow):
    """荣誉: a person's (person_id) or a collective's (name + union) honour."""

    __tablename__ = "honour"
    __table_args__ = (Index("ix_honour_doc_no", "doc_no"),)  # 文号 searched by its beginning

    collective: Mapped[bool] = mapped_column(Boolean, default=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # the person's or collective's name
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"), index=True)
    unit: Mapped[str | None] = mapped_column(String(200))  # 工作单位 as written
    title: Mapped[str] = mapped_column(String(20), index=True)  # code honour_title
    level: Mapped[str] = mapped_column(String(20))  # code honour_level
    awarded_by: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    doc_no: Mapped[str | None] = mapped_column(String(100))
    kept: Mapped[bool] = mapped_column(Boolean, default=True)
    work_status: Mapped[str | None] = mapped_column(String(10))  # 在职/离退休
    hardship: Mapped[bool] = mapped_column(Boolean, default=False)  # 困难劳模
    allowance: Mapped[int | None] = mapped_column(Integer)  # 荣誉津贴, fen a year


class Trip(RegisterRow):
    """劳模疗休养: one trip (年度, 期次)."""

    __tablename__ = "trip"

    year: Mapped[int] = mapped_column(Integer, index=True)
    batch: Mapped[str] = mapped_column(String(40))  # 期次
    place: Mapped[str] = mapped_column(String(200))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    quota: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[int | None] = mapped_column(Integer)  # 费用标准, fen a person


class TripMember(RegisterRow):
    __tablename__ = "trip_member"

    trip_id: Mapped[int] = mapped_column(ForeignKey("trip.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(200))
    health: Mapped[str | None] = mapped_column(String(20))  # code health
    last_trip_year: Mapped[int | None] = mapped_column(Integer)


class Contest(RegisterRow):
    """技能竞赛."""

    __tablename__ = "contest"

    name: Mapped[str] = mapped_column(String(200))
    trade: Mapped[str | None] = mapped_column(String(100))  # 工种
    organiser: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # code honour_level
    held_on: Mapped[date] = mapped_column(Date, index=True)


class ContestResult(RegisterRow):
    __tablename__ = "contest_result"

    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str] = mapped_column(String(40))  # 名次/等次
    prize: Mapped[int | None] = mapped_column(Integer)  # 奖金, fen
    grants_title: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(String(20))  # code honour_title granted
    honour_id: Mapped[int | None] = mapped_column(ForeignKey("honour.id"))


class Innovation(RegisterRow):
    """五小 project."""

    __tablename__ = "innovation"

    name: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(10))  # 小发明 …
    authors: Mapped[str] = mapped_column(String(300))  # 完成人, 、-separated
    unit: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)  # 评选年度
    completed_on: Mapped[date | None] = mapped_column(Date)
    in_use_on: Mapped[date | None] = mapped_column(Date)
    benefit: Mapped[int | None] = mapped_column(Integer)  # 经济效益, fen
    social_benefit: Mapped[str | None] = mapped_column(Text)
    award: Mapped[str | None] = mapped_column(String(20))


class InnovationAuthor(Entity):
    """完成人 of a 五小 project who are on the Person register (by ID number)."""

    __tablename__ = "innovation_author"

    innovation_id: Mapped[int] = mapped_column(ForeignKey("innovation.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)


class Studio(RegisterRow):
    """劳模(工匠)创新工作室."""

    __tablename__ = "studio"

    name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # 领衔人
    leader: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(200))  # 依托单位
    level: Mapped[str] = mapped_column(String(20))  # code honour_level
    year: Mapped[int] = mapped_column(Integer)
    members: Mapped[int | None] = mapped_column(Integer)
    results: Mapped[int | None] = mapped_column(Integer)
    funding: Mapped[int | None] = mapped_column(Integer)  # fen


class Activity(RegisterRow):
    """活动: 文体活动, 联谊, 三八慰问, 两癌筛查/体检 …"""

    __tablename__ = "activity"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    organiser: Mapped[str | None] = mapped_column(String(200))


class ActivityMember(RegisterRow):
    __tablename__ = "activity_member"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(200))
