"""维权查看 belongs to roles: ``role.permissions``; ``app_user.grants`` goes

A role carries the permissions it has beyond its fixed set in ``role.permissions``
(comma-separated; today only ``rights.view``, 维权查看). 管理员 carries 维权查看.

The per-user grants of 0007 are folded into the roles without widening anyone's
access: a role whose every user held 维权查看 gets it; where only some users of a
role held it, their grant is withdrawn (an administrator gives it to the role in
设置 → 用户和角色 if everyone with that role should see the cases) and the audit log
says so, user by user.

Revision ID: 0010
Revises: 0009
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RIGHTS = "rights.view"

role = sa.table("role", sa.column("id"), sa.column("code"), sa.column("name"),
                sa.column("permissions"))  # fmt: skip
app_user = sa.table("app_user", sa.column("id"), sa.column("login"), sa.column("display_name"),
                    sa.column("role_id"), sa.column("grants"))  # fmt: skip
audit_log = sa.table(
    "audit_log",
    *(sa.column(c) for c in ("uuid", "at", "user_login", "action", "entity", "entity_id",
                             "summary", "before", "after")),
)  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("role", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permissions", sa.String(length=200), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.update(role).where(role.c.code == "admin").values(permissions=RIGHTS))
    _fold_user_grants(conn)
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("grants")


def _fold_user_grants(conn: sa.Connection) -> None:
    users = conn.execute(
        sa.select(app_user.c.id, app_user.c.login, app_user.c.display_name, app_user.c.grants,
                  role.c.id, role.c.code, role.c.name)
        .join(role, role.c.id == app_user.c.role_id)
        .order_by(app_user.c.id)
    ).all()  # fmt: skip
    by_role: dict[int, list[bool]] = {}
    for *_u, grants, role_id, _code, _name in users:
        by_role.setdefault(role_id, []).append(RIGHTS in (grants or "").split(","))
    whole = {rid for rid, held in by_role.items() if all(held)}
    now = datetime.now().replace(microsecond=0)

    def log(entity: str, entity_id: int, summary: str, after: str) -> None:
        conn.execute(
            sa.insert(audit_log).values(
                uuid=str(uuid.uuid4()), at=now, user_login="system", action="update",
                entity=entity, entity_id=entity_id, summary=summary[:300],
                before='{"rights_view": false}' if entity == "role" else '{"rights_view": true}',
                after=after,
            )
        )  # fmt: skip

    names = {rid: (code, name) for *_u, rid, code, name in users}
    for rid in sorted(whole):
        code, name = names[rid]
        if code == "admin":
            continue
        conn.execute(sa.update(role).where(role.c.id == rid).values(permissions=RIGHTS))
        log("role", rid, f"维权查看改为按角色授予：角色“{name}”的用户原来都单独有此权限，"
            f"现授予角色“{name}”", '{"rights_view": true}')  # fmt: skip
    for uid, login, name, grants, rid, code, role_name in users:
        if code == "admin" or rid in whole or RIGHTS not in (grants or "").split(","):
            continue
        log("user", uid, f"维权查看改为按角色授予：取消了{name}（{login}）的个人授予；如需查看，"
            f"请在“设置 → 用户和角色”中为角色“{role_name}”授予", '{"rights_view": false}')  # fmt: skip


def downgrade() -> None:
    raise NotImplementedError("UnionsDesk migrations only go forward; restore a backup instead")
