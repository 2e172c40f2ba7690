"""Users, roles, passwords (argon2) and login with lock-out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Role, User, now
from unionsdesk.errors import AuthError, UserError, ValidationError
from unionsdesk.fields import USER
from unionsdesk.services.common.base import (
    ADMIN,
    GRANTABLE,
    PERMISSION_NAMES,
    RIGHTS,
    ROLE_NAMES,
    ROLE_PERMISSIONS,
    CurrentUser,
    audit,
    reading,
    stamp,
    writing,
)
from unionsdesk.services.common.locking import check_version

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MAX_FAILURES = 5
LOCK_SECONDS = 60


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    role: str
    role_name: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    version: int
    role_permissions: frozenset[str] = frozenset()  # the role's GRANTABLE permissions

    @property
    def rights_view(self) -> bool:
        """维权查看, which comes with the role (管理员 always)."""
        return self.role == "admin" or RIGHTS in self.role_permissions


@dataclass(frozen=True)
class RoleRow:
    """A role and what it may do: its fixed permissions and those given to it."""

    id: int
    code: str
    name: str
    permissions: frozenset[str]  # GRANTABLE ones given to the role (管理员: all)
    users: int  # how many active users have the role
    version: int

    @property
    def fixed(self) -> frozenset[str]:
        return ROLE_PERMISSIONS.get(self.code, frozenset())

    def can(self, permission: str) -> bool:
        return permission in self.fixed or permission in self.permissions

    @property
    def rights_view(self) -> bool:
        return self.can(RIGHTS)


def role_permissions(role: Role) -> frozenset[str]:
    """The GRANTABLE permissions ``role`` carries (``role.permissions``)."""
    stored = {p for p in (role.permissions or "").split(",") if p in GRANTABLE}
    return frozenset(stored | (set(GRANTABLE) if role.code == "admin" else set()))


def _row(u: User) -> UserRow:
    return UserRow(
        u.id, u.login, u.display_name, u.role.code, u.role.name, u.active,
        u.locked_until, u.last_login_at, u.version, role_permissions(u.role),
    )  # fmt: skip


def _snap(u: User) -> dict[str, Any]:
    return {
        "login": u.login,
        "display_name": u.display_name,
        "role": u.role.code,
        "active": u.active,
    }


def _current(u: User) -> CurrentUser:
    extra = role_permissions(u.role) - ROLE_PERMISSIONS.get(u.role.code, frozenset())
    return CurrentUser(u.id, u.login, u.display_name, u.role.code, extra)


def count_users(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(User.id))) or 0


def login(
    db: Database, login_name: str, password: str, *, at: datetime | None = None
) -> CurrentUser:
    """Check a password. Five wrong tries lock the account for a minute."""
    moment = at or now()
    name = login_name.strip().lower()
    error: str | None = None
    with db.writing() as s:
        user = s.scalar(select(User).where(User.login == name))
        if user is None or not user.active:
            audit(s, CurrentUser(None, name or "?", name, "readonly"), "login_failed", "user", None)
            error = "用户名或密码不正确"
        elif user.locked_until is not None and user.locked_until > moment:
            wait = int((user.locked_until - moment).total_seconds()) + 1
            error = f"密码错误次数过多，账户已锁定，请{wait}秒后再试"
        elif not verify_password(user.password_hash, password):
            user.failed_attempts += 1
            if user.failed_attempts >= MAX_FAILURES:
                user.locked_until = moment + timedelta(seconds=LOCK_SECONDS)
                user.failed_attempts = 0
                error = f"密码连续错误{MAX_FAILURES}次，账户锁定{LOCK_SECONDS}秒"
            else:
                left = MAX_FAILURES - user.failed_attempts
                error = f"用户名或密码不正确（再错{left}次将锁定{LOCK_SECONDS}秒）"
            audit(s, _current(user), "login_failed", "user", user.id)
        else:
            user.failed_attempts = 0
            user.locked_until = None
            user.last_login_at = moment
            audit(s, _current(user), "login", "user", user.id)
            return _current(user)
    raise AuthError(error)


def first_admin(db: Database) -> CurrentUser:
    """The first active administrator (for --screenshot and tests; no password)."""
    with db.reading() as s:
        user = s.scalar(
            select(User).join(Role).where(Role.code == "admin", User.active).order_by(User.id)
        )
        if user is None:
            raise UserError("数据库中还没有管理员账户，请先初始化")
        return _current(user)


def list_users(db: Database, actor: CurrentUser) -> list[UserRow]:
    with reading(db, actor, ADMIN) as s:
        return [_row(u) for u in s.scalars(select(User).order_by(User.id))]


def _role(s: Session, code: str) -> Role:
    role = s.scalar(select(Role).where(Role.code == code))
    if role is None:
        raise ValidationError({"role": f"没有这个角色：{code}"})
    return role


def create_user(db: Database, actor: CurrentUser, values: dict[str, object]) -> UserRow:
    clean = USER.clean(values)
    if not clean.get("password"):
        raise ValidationError({"password": "新用户必须设置密码"})
    with writing(db, actor, ADMIN) as s:
        if s.scalar(select(User.id).where(User.login == clean["login"])) is not None:
            raise ValidationError({"login": f"登录名“{clean['login']}”已被使用"})
        user = User(
            login=clean["login"],
            display_name=clean["display_name"],
            password_hash=hash_password(clean["password"]),
            role=_role(s, clean["role"]),
            active=True if values.get("active") is None else bool(clean["active"]),
        )
        stamp(user, actor, new=True)
        s.add(user)
        s.flush()
        audit(
            s, actor, "create", "user", user.id, after=_snap(user), summary=f"新增用户 {user.login}"
        )
        return _row(user)


def _admins_left(s: Session, excluding: int) -> int:
    return (
        s.scalar(
            select(func.count(User.id))
            .join(Role)
            .where(Role.code == "admin", User.active, User.id != excluding)
        )
        or 0
    )


def update_user(
    db: Database,
    actor: CurrentUser,
    user_id: int,
    values: dict[str, object],
    expected_version: int | None = None,
) -> UserRow:
    """Change name, role or active flag (and the password if one is given)."""
    names = ("display_name", "role", "active", "password")
    clean = USER.clean(values, only=[n for n in names if n in values])
    with writing(db, actor, ADMIN) as s:
        user = s.get(User, user_id)
        if user is None:
            raise UserError("该用户不存在")
        check_version(user, expected_version, f"用户“{user.login}”", "user")
        before = _snap(user)
        if "display_name" in clean:
            user.display_name = clean["display_name"]
        if "role" in clean:
            user.role = _role(s, clean["role"])
        if "active" in clean:
            user.active = clean["active"]
        demoted = user.role.code != "admin" or not user.active
        if (
            before["role"] == "admin"
            and before["active"]
            and demoted
            and _admins_left(s, user.id) == 0
        ):
            raise UserError("不能停用或降级最后一个管理员")
        if clean.get("password"):
            user.password_hash = hash_password(clean["password"])
            user.failed_attempts = 0
            user.locked_until = None
            audit(s, actor, "reset_password", "user", user.id, summary=f"重置密码 {user.login}")
        stamp(user, actor)
        after = _snap(user)
        if after != before:
            audit(s, actor, "update", "user", user.id, before=before, after=after)
        s.flush()
        return _row(user)


def change_own_password(db: Database, actor: CurrentUser, old: str, new: str) -> None:
    new_clean = USER["password"].clean(new)
    if not new_clean:
        raise ValidationError({"password": "新密码不能为空"})
    with writing(db, actor, "data.read") as s:
        user = s.get(User, actor.id)
        if user is None or not verify_password(user.password_hash, old):
            raise AuthError("原密码不正确")
        user.password_hash = hash_password(new_clean)
        stamp(user, actor)
        audit(s, actor, "change_password", "user", user.id, summary="修改本人密码")


# --- roles ----------------------------------------------------------------------------


def list_roles(db: Database, actor: CurrentUser) -> list[RoleRow]:
    """The roles in their fixed order (管理员, 经办人, 审核人, 只读), each with what it may do."""
    order = list(ROLE_NAMES)
    with reading(db, actor, ADMIN) as s:
        q = select(User.role_id, func.count(User.id)).where(User.active).group_by(User.role_id)
        counts: dict[int, int] = {rid: n for rid, n in s.execute(q)}
        roles = sorted(
            s.scalars(select(Role)),
            key=lambda r: order.index(r.code) if r.code in order else len(order),
        )
        return [
            RoleRow(r.id, r.code, r.name, role_permissions(r), counts.get(r.id, 0), r.version)
            for r in roles
        ]


def set_role_permission(
    db: Database,
    actor: CurrentUser,
    role_code: str,
    permission: str,
    granted: bool,
    expected_version: int | None = None,
) -> RoleRow:
    """Give (``granted``) or take ``permission`` (one of GRANTABLE, e.g. 维权查看) to every
    user of the role. 管理员 always keeps it. Users have it from their next login."""
    if permission not in GRANTABLE:
        raise UserError(f"“{PERMISSION_NAMES.get(permission, permission)}”不能按角色授予或取消")
    words = PERMISSION_NAMES[permission].split("（")[0]
    with writing(db, actor, ADMIN) as s:
        role = _role(s, role_code)
        check_version(role, expected_version, f"角色“{role.name}”", "role")
        if role.code == "admin":
            raise UserError(f"管理员始终拥有“{words}”权限，不能取消")
        before = role_permissions(role)
        after = before | {permission} if granted else before - {permission}
        if after != before:
            role.permissions = ",".join(sorted(after)) or None
            stamp(role, actor)
            s.flush()
            field = "rights_view" if permission == RIGHTS else permission
            audit(s, actor, "update", "role", role.id,
                  before={field: permission in before}, after={field: permission in after},
                  summary=(f"为角色“{role.name}”授予“{words}”权限" if granted
                           else f"取消角色“{role.name}”的“{words}”权限"))  # fmt: skip
        users = s.scalar(select(func.count(User.id)).where(User.role_id == role.id, User.active))
        return RoleRow(role.id, role.code, role.name, after, users or 0, role.version)
