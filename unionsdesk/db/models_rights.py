"""Models of the rights work area (DOMAIN.md §6): 劳动争议调解台账, the 调解委员会 roll,
法律援助, 三师一室 service days and 职工意见建议 (tables created by migration 0007)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from unionsdesk.db.models import RegisterRow


class Mediator(RegisterRow):
    """A member of the 劳动争议调解委员会 with the term (任期) they may mediate in."""

    __tablename__ = "mediator"

    name: Mapped[str] = mapped_column(String(60), index=True)
    role: Mapped[str] = mapped_column(String(10))  # 主任/副主任/委员/调解员
    unit: Mapped[str | None] = mapped_column(String(200))  # 工作单位
    phone: Mapped[str | None] = mapped_column(String(20))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)


class Dispute(RegisterRow):
    """One case of the 劳动争议调解台账. ``case_no`` is allocated without gaps per year
    (series 调解案号 of ``receipt_book``) and formatted once, when the case is taken in."""

    __tablename__ = "dispute"
    __table_args__ = (UniqueConstraint("case_year", "case_seq", name="uq_dispute_case_year"),)

    case_year: Mapped[int] = mapped_column(Integer)
    case_seq: Mapped[int] = mapped_column(Integer)
    case_no: Mapped[str] = mapped_column(String(60), unique=True)  # 〔2026〕示工调字第001号
    received_on: Mapped[date] = mapped_column(Date, index=True)  # 受理日期
    request_mode: Mapped[str] = mapped_column(String(4))  # 书面/口头
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # 申请人
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    job: Mapped[str | None] = mapped_column(String(100))  # 岗位
    respondent: Mapped[str] = mapped_column(String(200))  # 被申请人（单位）
    respondent_code: Mapped[str | None] = mapped_column(String(18))  # 统一社会信用代码
    respondent_rep: Mapped[str | None] = mapped_column(String(50))  # 法定代表人
    respondent_union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"))
    dispute_types: Mapped[str] = mapped_column(String(200))  # labels, "、"-separated
    collective: Mapped[bool] = mapped_column(Boolean, default=False)  # 集体争议
    people_involved: Mapped[int | None] = mapped_column(Integer)  # 涉及人数
    claim_amount: Mapped[int | None] = mapped_column(Integer)  # 涉案金额, fen
    request: Mapped[str | None] = mapped_column(Text)  # 申请事项
    facts: Mapped[str | None] = mapped_column(Text)  # 事实和理由
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"), index=True)
    result: Mapped[str | None] = mapped_column(String(10))  # 达成协议/未达成/撤回/转仲裁
    agreement_amount: Mapped[int | None] = mapped_column(Integer)  # 协议金额, fen
    agreement_terms: Mapped[str | None] = mapped_column(Text)  # 协议内容
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)  # 结案日期
    performance: Mapped[str | None] = mapped_column(String(200))  # 履行情况


class LegalAid(RegisterRow):
    """法律援助: one case of legal aid for a worker."""

    __tablename__ = "legal_aid"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # 受援人
    name: Mapped[str] = mapped_column(String(60))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    cause: Mapped[str] = mapped_column(String(200))  # 案由
    mode: Mapped[str] = mapped_column(String(10))  # 咨询/代书/代理调解/代理仲裁/代理诉讼
    lawyer: Mapped[str | None] = mapped_column(String(60))  # 承办律师
    result: Mapped[str | None] = mapped_column(String(200))
    recovered: Mapped[int | None] = mapped_column(Integer)  # 挽回金额, fen
    closed_on: Mapped[date | None] = mapped_column(Date)


class ServiceDay(RegisterRow):
    """One entry of the 三师一室 service log."""

    __tablename__ = "service_day"

    on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(60))  # 地点（乡镇）
    service_type: Mapped[str] = mapped_column(String(20))  # code_table rights_service
    target: Mapped[str | None] = mapped_column(String(200))  # 服务对象
    matter: Mapped[str] = mapped_column(String(300))  # 事项
    result: Mapped[str | None] = mapped_column(String(300))
    server: Mapped[str | None] = mapped_column(String(100))  # 服务人
    people: Mapped[int | None] = mapped_column(Integer)  # 服务人次


class Suggestion(RegisterRow):
    """职工意见建议: who raised it, where it was sent and how it was answered."""

    __tablename__ = "suggestion"

    received_on: Mapped[date] = mapped_column(Date, index=True)
    proposer: Mapped[str] = mapped_column(String(60))  # 提出人
    unit: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(20))  # 来信/来访/电话/网络/座谈会/职代会
    category: Mapped[str | None] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(100))  # 转办部门
    reply: Mapped[str | None] = mapped_column(Text)  # 答复
    closed_on: Mapped[date | None] = mapped_column(Date)  # 办结日期
    satisfaction: Mapped[str | None] = mapped_column(String(10))  # 满意/基本满意/不满意
