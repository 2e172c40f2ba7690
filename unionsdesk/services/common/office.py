"""The office profile and first-time set-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Office, Role, User
from unionsdesk.errors import NotInitialised, UserError, ValidationError
from unionsdesk.fields import OFFICE, USER
from unionsdesk.services.common.base import (
    ADMIN,
    SYSTEM,
    CurrentUser,
    audit,
    snapshot,
    stamp,
    writing,
)
from unionsdesk.services.common.locking import check_version

FIELDS = tuple(f.name for f in OFFICE.fields)


@dataclass(frozen=True)
class OfficeProfile:
    id: int
    name: str
    credit_code: str | None
    region_code: str | None
    address: str | None
    leader: str | None
    phone: str | None
    version: int

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


def _profile(o: Office) -> OfficeProfile:
    return OfficeProfile(id=o.id, version=o.version, **{n: getattr(o, n) for n in FIELDS})


def is_initialised(db: Database) -> bool:
    with db.reading() as s:
        return bool(s.scalar(select(func.count(Office.id)))) and bool(
            s.scalar(select(func.count(User.id)))
        )


def get_office(db: Database) -> OfficeProfile:
    with db.reading() as s:
        office = s.scalar(select(Office).order_by(Office.id))
        if office is None:
            raise NotInitialised("尚未初始化：请先运行“unionsdesk init”或在首次启动时填写单位信息")
        return _profile(office)


def initialise(
    db: Database,
    office: Mapping[str, object],
    admin_login: str,
    admin_password: str,
    admin_name: str = "管理员",
) -> CurrentUser:
    """Create the office profile and the first administrator. Only on an empty database."""
    clean = OFFICE.clean(office)
    user = USER.clean(
        {
            "login": admin_login,
            "display_name": admin_name,
            "role": "admin",
            "password": admin_password,
        }
    )
    if not user["password"]:
        raise ValidationError({"password": "请设置管理员密码"})
    from unionsdesk.services.common.users import hash_password

    with writing(db, SYSTEM, ADMIN) as s:
        if s.scalar(select(func.count(User.id))) or s.scalar(select(func.count(Office.id))):
            raise UserError("该数据库已经初始化过，不能重复初始化")
        row = Office(**clean)
        stamp(row, SYSTEM, new=True)
        s.add(row)
        admin = User(
            login=user["login"],
            display_name=user["display_name"],
            password_hash=hash_password(user["password"]),
            role=s.scalar(select(Role).where(Role.code == "admin")),
        )
        stamp(admin, SYSTEM, new=True)
        s.add(admin)
        s.flush()
        audit(
            s,
            SYSTEM,
            "create",
            "office",
            row.id,
            after=snapshot(row, FIELDS),
            summary="初始化单位信息",
        )
        audit(s, SYSTEM, "create", "user", admin.id, after={"login": admin.login, "role": "admin"})
        from unionsdesk.services.members.unions import ensure_county_union

        ensure_county_union(s, SYSTEM)  # the root of the union tree, from 单位信息
        return CurrentUser(admin.id, admin.login, admin.display_name, "admin")


def save_office(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    expected_version: int | None = None,
) -> OfficeProfile:
    clean = OFFICE.clean(values)
    with writing(db, actor, ADMIN) as s:
        office = s.scalar(select(Office).order_by(Office.id))
        if office is None:
            raise NotInitialised("尚未初始化")
        check_version(office, expected_version, "单位信息", "office")
        before = snapshot(office, FIELDS)
        for name, value in clean.items():
            setattr(office, name, value)
        stamp(office, actor)
        s.flush()
        audit(
            s, actor, "update", "office", office.id, before=before, after=snapshot(office, FIELDS)
        )
        return _profile(office)
