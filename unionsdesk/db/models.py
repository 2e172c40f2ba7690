"""SQLAlchemy 2 typed models.

Every entity row has an integer ``id``, a ``uuid`` (so rows made in a township
and merged at the county never collide), who/when columns and a ``version``
used for optimistic locking. Money is integer fen. Timestamps are the office's
local time (one office, one time zone).
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return new_uuids(1)[0]


_RAND_BITS = 74  # rand_a (12) + rand_b (62) of a version 7 UUID


def new_uuids(count: int) -> list[str]:
    """``count`` time-ordered UUIDs (version 7, RFC 9562): the current Unix time in
    milliseconds, then a random 74-bit number counted up within the batch.

    Sorted by creation, so the unique ``uuid`` indexes grow at their end instead of
    at a random page per row (a 100 000-row import writes 300 000 of them); still
    unique across PCs, as version 4 is, from the random part."""
    ms = time.time_ns() // 1_000_000 & (1 << 48) - 1
    start = int.from_bytes(os.urandom(10), "big") >> (80 - _RAND_BITS + 1)  # top bit clear
    head = ms << 80 | 7 << 76
    low = (1 << 62) - 1
    out = []
    high, prefix = -1, ""
    for v in range(start, start + count):
        if v >> 62 != high:  # time and rand_a: the same for (almost) the whole batch
            high = v >> 62
            h = f"{head | high << 64:032x}"
            prefix = f"{h[:8]}-{h[8:12]}-{h[12:16]}-"
        b = v & low  # variant bits 10, then rand_b
        out.append(f"{prefix}{0x8000 | b >> 48:04x}-{b & 0xFFFFFFFFFFFF:012x}")
    return out


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Entity(Base):
    """Columns shared by every entity table."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


class Office(Entity):
    """The office's own profile (one row)."""

    __tablename__ = "office"

    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    region_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(String(300))
    leader: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))


class Role(Entity):
    __tablename__ = "role"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(20))
    # Permissions the role carries beyond its fixed set, comma-separated (rights.view,
    # 维权查看); given and taken in 设置 → 用户和角色.
    permissions: Mapped[str | None] = mapped_column(String(200))


class User(Entity):
    __tablename__ = "app_user"

    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    role: Mapped[Role] = relationship(lazy="joined")


class AuditLog(Base):
    """Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    user_login: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class CodeEntry(Entity):
    """One value of an editable list (字典) such as 民族 or 致困原因."""

    __tablename__ = "code_table"
    __table_args__ = (UniqueConstraint("category", "code", name="uq_code_table_category_code"),)

    category: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Setting(Entity):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[str] = mapped_column(Text)


# --- members and grassroots unions (DOMAIN.md §3) ------------------------------


class Person(Entity):
    """One real person, keyed by the normalised 18-digit ID number.

    Members, hardship files, honours, insurance and aid all point here, which
    is what lets the program see the same worker twice.
    """

    __tablename__ = "person"

    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(200), index=True)  # "zhangsan"
    name_initials: Mapped[str] = mapped_column(String(60), index=True)  # "zs"
    sex: Mapped[str] = mapped_column(String(2))  # 男/女, from the ID number
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(20))  # code_table ethnicity
    education: Mapped[str | None] = mapped_column(String(20))
    political: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    hukou_type: Mapped[str | None] = mapped_column(String(20))
    hukou_place: Mapped[str | None] = mapped_column(String(200))
    native_place: Mapped[str | None] = mapped_column(String(100))  # 籍贯
    tech_level: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)


class UnionOrg(Entity):
    """A union in the county tree: county → township/industry → grassroots."""

    __tablename__ = "union_org"

    name: Mapped[str] = mapped_column(String(200), index=True)  # 工会全称
    unit_name: Mapped[str | None] = mapped_column(String(200))  # 所在单位名称
    unit_credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    union_credit_code: Mapped[str | None] = mapped_column(String(18))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"), index=True)
    org_type: Mapped[str | None] = mapped_column(String(20))  # code_table org_type
    unit_category: Mapped[str | None] = mapped_column(String(20))  # code_table unit_category
    industry: Mapped[str | None] = mapped_column(String(20))  # code_table industry
    township: Mapped[str | None] = mapped_column(String(60))  # 所在乡镇(街道)
    address: Mapped[str | None] = mapped_column(String(300))
    founded_on: Mapped[date | None] = mapped_column(Date)  # 建会日期
    last_election_on: Mapped[date | None] = mapped_column(Date)  # 最近换届日期
    term_years: Mapped[int | None] = mapped_column(Integer)  # 届期（年）
    chair_name: Mapped[str | None] = mapped_column(String(50))
    chair_phone: Mapped[str | None] = mapped_column(String(20))
    chair_fulltime: Mapped[bool | None] = mapped_column(Boolean)
    auditor_name: Mapped[str | None] = mapped_column(String(50))  # 经审
    auditor_phone: Mapped[str | None] = mapped_column(String(20))
    staff_count: Mapped[int | None] = mapped_column(Integer)
    female_staff: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="正常")  # 正常/撤销/合并
    status_date: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"))


class UnionStatusEvent(Entity):
    __tablename__ = "union_status_event"

    union_id: Mapped[int] = mapped_column(ForeignKey("union_org.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))


class Membership(Entity):
    """Person × union. At most one active membership per person (partial unique index)."""

    __tablename__ = "membership"
    __table_args__ = (
        Index(
            "uq_membership_active_person",
            "person_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("union_org.id"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)  # 入会日期
    status: Mapped[str] = mapped_column(String(20))  # code_table member_status
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    status_date: Mapped[date | None] = mapped_column(Date)
    card_no: Mapped[str | None] = mapped_column(String(40))  # 会员证号
    employment_status: Mapped[str | None] = mapped_column(String(20))  # 就业状况
    job: Mapped[str | None] = mapped_column(String(100))  # 职业/岗位
    migrant_worker: Mapped[bool] = mapped_column(Boolean, default=False)  # 农民工
    new_employment: Mapped[str | None] = mapped_column(String(20))  # 新就业形态类别 code
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class MembershipEvent(Entity):
    """入会/转入/转出/保留/除名/退会 with date and reason (history)."""

    __tablename__ = "membership_event"

    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # code_table membership_change
    on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    other_union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"))


class ImportBatch(Entity):
    """One import: lets a clerk see what came from which file and undo the last one."""

    __tablename__ = "import_batch"

    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    # JSON: the stored details of the people the import changed, as they were before
    # (services.import_undo); NULL for batches imported before migration 0005.
    prior_values: Mapped[str | None] = mapped_column(Text)


# --- hardship files, aid campaigns, pay-outs, receipts (DOMAIN.md §1, §2) ------


class HardshipFile(Entity):
    """困难职工档案 (建档立卡). At most one active file per person."""

    __tablename__ = "hardship_file"
    __table_args__ = (
        Index(
            "uq_hardship_file_active_person",
            "person_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("union_org.id"), index=True)
    file_no: Mapped[str | None] = mapped_column(String(40))  # 职工编号
    category: Mapped[str] = mapped_column(String(20))  # code_table hardship_category
    migrant: Mapped[bool] = mapped_column(Boolean, default=False)  # 困难农民工
    main_reason: Mapped[str] = mapped_column(String(20))  # code_table hardship_reason
    other_reasons: Mapped[str | None] = mapped_column(String(40))  # up to 3 codes, comma-separated
    reason_note: Mapped[str | None] = mapped_column(String(200))
    health: Mapped[str | None] = mapped_column(String(20))
    work_status: Mapped[str | None] = mapped_column(String(20))
    housing: Mapped[str | None] = mapped_column(String(40))
    medical_insurance: Mapped[str | None] = mapped_column(String(40))
    marital: Mapped[str | None] = mapped_column(String(20))
    household_size: Mapped[int] = mapped_column(Integer, default=1)
    household_income: Mapped[int] = mapped_column(Integer, default=0)  # fen per year
    rigid_expense: Mapped[int] = mapped_column(Integer, default=0)  # fen per year
    address: Mapped[str | None] = mapped_column(String(300))
    bank_name: Mapped[str | None] = mapped_column(String(60))
    bank_account: Mapped[str | None] = mapped_column(String(30))
    filed_on: Mapped[date] = mapped_column(Date)  # 建档日期
    review_status: Mapped[str] = mapped_column(String(10), default="待审核")  # 待审核/已审核/退回
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    last_annual_review: Mapped[date | None] = mapped_column(Date)  # 年审
    status: Mapped[str] = mapped_column(String(10), default="建档")  # 建档/帮扶中/解困脱困/退出
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # the 困难职工 import that made the file (services.import_undo); None when typed in
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class HouseholdMember(Entity):
    __tablename__ = "household_member"

    file_id: Mapped[int] = mapped_column(ForeignKey("hardship_file.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))  # 与户主关系
    name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str | None] = mapped_column(String(18))
    health: Mapped[str | None] = mapped_column(String(20))
    occupation: Mapped[str | None] = mapped_column(String(60))  # 人员身份/职业
    monthly_income: Mapped[int] = mapped_column(Integer, default=0)  # fen
    school: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str | None] = mapped_column(String(40))


class Campaign(Entity):
    """帮扶慰问活动/项目: one 发放批次."""

    __tablename__ = "campaign"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # code_table aid_type
    year: Mapped[int] = mapped_column(Integer, index=True)
    funding_source: Mapped[str | None] = mapped_column(String(60))
    budget: Mapped[int] = mapped_column(Integer, default=0)  # fen
    standards: Mapped[str | None] = mapped_column(Text)  # JSON: category → fen
    approval_ref: Mapped[str | None] = mapped_column(String(100))  # 批准文号
    status: Mapped[str] = mapped_column(String(10), default="草拟")  # 草拟/审核/已发放/归档
    paid_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Payout(Entity):
    """One pay-out line: a person in a campaign."""

    __tablename__ = "payout"
    __table_args__ = (
        UniqueConstraint("campaign_id", "person_id", name="uq_payout_campaign_person"),
    )

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"), index=True)
    hardship_file_id: Mapped[int | None] = mapped_column(ForeignKey("hardship_file.id"))
    category: Mapped[str | None] = mapped_column(String(40))  # 慰问类别/困难类别
    amount: Mapped[int] = mapped_column(Integer)  # fen
    form: Mapped[str] = mapped_column(String(10), default="现金")  # 现金/银行转账/实物
    item: Mapped[str | None] = mapped_column(String(100))  # 实物
    reason: Mapped[str | None] = mapped_column(String(200))
    override_reason: Mapped[str | None] = mapped_column(String(200))  # outside the standard
    school: Mapped[str | None] = mapped_column(String(100))  # 金秋助学
    grade: Mapped[str | None] = mapped_column(String(40))
    illness: Mapped[str | None] = mapped_column(String(100))  # 医疗救助
    out_of_pocket: Mapped[int | None] = mapped_column(Integer)  # fen
    # the 发放明细 import that made the line (services.import_undo); None when added in the program
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class ReceiptBook(Entity):
    """A receipt series per year; numbers are allocated without gaps."""

    __tablename__ = "receipt_book"
    __table_args__ = (UniqueConstraint("series", "year", name="uq_receipt_book_series_year"),)

    series: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Receipt(Entity):
    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("book_id", "number", name="uq_receipt_book_number"),)

    book_id: Mapped[int] = mapped_column(ForeignKey("receipt_book.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    payout_id: Mapped[int] = mapped_column(ForeignKey("payout.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="issued")  # issued/void
    void_reason: Mapped[str | None] = mapped_column(String(200))
    print_count: Mapped[int] = mapped_column(Integer, default=0)


class SignoffSheet(Entity):
    """A printed 发放签收表: its rows are frozen once printed."""

    __tablename__ = "signoff_sheet"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    rows: Mapped[str] = mapped_column(Text)  # JSON snapshot of the printed lines
    print_count: Mapped[int] = mapped_column(Integer, default=1)


class RegisterRow(Entity):
    """Columns every register table has: 作废 and the import batch."""

    __abstract__ = True

    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def import_batch_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("import_batch.id"), index=True)


# Each later work area keeps its tables in a module of its own; importing them here
# puts them in Base.metadata (copy-db, checks) whatever module a caller imported first.
from unionsdesk.db import (  # noqa: E402
    models_funds,
    models_honours,
    models_mutual,
    models_rights,
    models_sites,
)

__all_area_models__ = (models_honours, models_rights, models_mutual, models_sites, models_funds)
