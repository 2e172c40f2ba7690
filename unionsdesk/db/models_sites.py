"""Models of the sites work area (DOMAIN.md §7): 阵地, checklists and inspections, and
the attachments store every area shares (tables created by migration 0008)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from unionsdesk.db.models import Base, Entity, RegisterRow


class Site(RegisterRow):
    """One 阵地: 工会驿站, 职工之家, 职工书屋, 职工活动室, 母婴室 or 职工服务中心."""

    __tablename__ = "site"

    kind: Mapped[str] = mapped_column(String(20), index=True)  # SITE_KINDS
    code: Mapped[str | None] = mapped_column(String(40), unique=True)  # 编号
    name: Mapped[str] = mapped_column(String(200), index=True)
    unit: Mapped[str | None] = mapped_column(String(200))  # 所属工会 as written
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"), index=True)
    host_unit: Mapped[str | None] = mapped_column(String(200))  # 依托单位 / 所在单位
    township: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(300))
    longitude: Mapped[float | None] = mapped_column(Float)  # 经度 (GCJ-02 as the maps show it)
    latitude: Mapped[float | None] = mapped_column(Float)
    build_mode: Mapped[str | None] = mapped_column(String(10))  # 自建/共建
    open_hours: Mapped[str | None] = mapped_column(String(60))
    open_24h: Mapped[bool] = mapped_column(Boolean, default=False)
    area: Mapped[int | None] = mapped_column(Integer)  # ㎡
    facilities: Mapped[str | None] = mapped_column(String(300))  # comma-separated
    manager: Mapped[str | None] = mapped_column(String(50))
    manager_phone: Mapped[str | None] = mapped_column(String(20))
    built_on: Mapped[date | None] = mapped_column(Date)
    investment: Mapped[int | None] = mapped_column(Integer)  # 投入金额, fen
    visits_per_month: Mapped[int | None] = mapped_column(Integer)  # 服务人次/月
    level: Mapped[str | None] = mapped_column(String(10))  # 全国/省/市/县 (示范/模范 level)
    year_named: Mapped[int | None] = mapped_column(Integer)
    assets: Mapped[int | None] = mapped_column(Integer)  # fen
    books: Mapped[int | None] = mapped_column(Integer)  # 职工书屋: 藏书册数
    review_result: Mapped[str | None] = mapped_column(String(40))  # 年度考核
    honours: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="正常")  # 正常/停用


class ChecklistTemplate(Entity):
    """A checklist the office edits in 设置 (驿站 六有, 职工书屋 standard, 六有六规范 …)."""

    __tablename__ = "checklist_template"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    applies_to: Mapped[str] = mapped_column(String(20))  # a site kind, or 乡镇工会
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ChecklistItem(Entity):
    __tablename__ = "checklist_item"

    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Inspection(RegisterRow):
    """One inspection of a site (or of a township union) against a checklist."""

    __tablename__ = "inspection"

    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"), index=True)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    inspector: Mapped[str] = mapped_column(String(100))
    conclusion: Mapped[str | None] = mapped_column(String(200))


class InspectionItem(Entity):
    """One checklist item as it was when inspected (the text is kept)."""

    __tablename__ = "inspection_item"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_item.id"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    met: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(300))


class Attachment(Entity):
    """A file attached to a record of any area (entity name + id). The content lives
    in the attachments store under its SHA-256 (unionsdesk.attachments)."""

    __tablename__ = "attachment"

    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(260))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("entity", "entity_id", "sha256", name="uq_attachment_entity_file"),
    )


class AttachmentBlob(Base):
    """File contents by SHA-256: used on PostgreSQL (every PC sees them) and inside
    SQLite backup files (so a backup stays one file); empty in a live SQLite file."""

    __tablename__ = "attachment_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
