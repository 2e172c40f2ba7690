"""A realistic sample office for trying the program (``unionsdesk demo``)."""

from __future__ import annotations

from unionsdesk.db.engine import Database
from unionsdesk.domain.creditcode import check_char
from unionsdesk.services import office as office_svc
from unionsdesk.services import settings as settings_svc
from unionsdesk.services import users as users_svc
from unionsdesk.services.base import CurrentUser, audit, writing

DEMO_PASSWORD = "demo1234"
DEMO_ADMIN = "admin"
DEMO_USERS = (
    ("jingban", "李经办", "clerk"),
    ("shenhe", "王审核", "reviewer"),
    ("chaxun", "赵查询", "readonly"),
)
_CREDIT17 = "81360830MC1234567"
DEMO_OFFICE = {
    "name": "示例县总工会",
    "credit_code": _CREDIT17 + check_char(_CREDIT17),
    "region_code": "360830",
    "address": "示例县城关镇人民路18号",
    "leader": "陈主席",
    "phone": "0796-8123456",
}


def create_demo(db: Database) -> CurrentUser:
    """Fill an empty database with the sample office and its users."""
    admin = office_svc.initialise(db, DEMO_OFFICE, DEMO_ADMIN, DEMO_PASSWORD, "演示管理员")
    for login, name, role in DEMO_USERS:
        users_svc.create_user(
            db,
            admin,
            {"login": login, "display_name": name, "role": role, "password": DEMO_PASSWORD},
        )
    settings_svc.set_print_offsets(db, admin, 0, 0)
    with writing(db, admin) as s:
        audit(s, admin, "demo", "database", None, summary="生成示例县总工会数据")
    return admin
