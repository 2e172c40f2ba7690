"""Field specs of the honours area (DOMAIN.md §4): 荣誉, 疗休养, 技能竞赛, 五小, 创新工作室, 活动."""

from __future__ import annotations

from datetime import date

from unionsdesk.fields import ID_ALIASES, EntitySpec, FieldSpec, person_name

HOLDER_KINDS = ("个人", "集体")
WORK_STATUSES = ("在职", "离退休")
INNOVATION_CATEGORIES = ("小发明", "小创造", "小革新", "小设计", "小建议")
ACTIVITY_KINDS = ("文体活动", "联谊活动", "三八慰问", "两癌筛查", "职工体检", "其他")
EXCLUSIONS = (  # the four questions of DOMAIN.md §4, answered on entry
    ("q_programme", "已列入政府科技计划", "已列入政府科技计划的项目不参加“五小”评选"),
    ("q_gov_award", "已获政府奖励", "已获政府奖励的项目不参加“五小”评选"),
    ("q_secret", "涉密或有知识产权纠纷", "涉及保密或知识产权纠纷的项目不参加“五小”评选"),
    ("q_won_before", "往年已获奖", "往年已获奖的项目不能再次参评"),
)


def _year(value: int) -> int:
    if not 1950 <= value <= date.today().year:
        raise ValueError(f"年份应在1950到{date.today().year}之间")
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(f"日期{value:%Y-%m-%d}在今天之后")
    return value


def _count(value: int) -> int:
    if value < 0:
        raise ValueError("不能是负数")
    return value


NAME = FieldSpec(
    "name", "姓名", required=True, max_length=60, validator=person_name, width=10,
    aliases=("职工姓名", "劳模姓名"),
)  # fmt: skip
ID_NUMBER = FieldSpec(
    "id_number", "身份证号", kind="idno", required=True, width=20, masked=True, aliases=ID_ALIASES
)
UNIT = FieldSpec(
    "unit", "工作单位", max_length=200, width=22, aliases=("单位", "所在单位", "单位名称")
)

HONOUR = EntitySpec(
    "honour",
    "荣誉",
    (
        FieldSpec("collective", "集体荣誉", kind="bool", width=6, aliases=("是否集体",)),
        FieldSpec(
            "name",
            "姓名/集体名称",
            required=True,
            max_length=200,
            width=14,
            aliases=("姓名", "集体名称", "获奖集体", "获奖人"),
        ),
        FieldSpec(
            "id_number",
            "身份证号",
            kind="idno",
            width=20,
            masked=True,
            aliases=ID_ALIASES,
            placeholder="个人荣誉必填",
        ),
        UNIT,
        FieldSpec(
            "title",
            "荣誉名称",
            kind="code",
            code_category="honour_title",
            required=True,
            width=14,
            aliases=("荣誉称号", "称号"),
        ),
        FieldSpec(
            "level",
            "级别",
            kind="code",
            code_category="honour_level",
            required=True,
            width=7,
            aliases=("荣誉级别",),
        ),
        FieldSpec("awarded_by", "授予机关", max_length=200, width=16, aliases=("授予单位",)),
        FieldSpec(
            "year",
            "授予年份",
            kind="int",
            required=True,
            validator=_year,
            width=8,
            aliases=("年份", "获奖年份", "授予时间"),
        ),
        FieldSpec("doc_no", "文号", max_length=100, width=16, aliases=("表彰文号", "授予文号")),
        FieldSpec("kept", "保持荣誉", kind="bool", width=7, aliases=("是否保持荣誉",)),
        FieldSpec(
            "work_status",
            "在职/离退休",
            choices=WORK_STATUSES,
            width=9,
            aliases=("在职或离退休", "人员状态"),
        ),
        FieldSpec("hardship", "困难劳模", kind="bool", width=7, aliases=("是否困难劳模",)),
        FieldSpec(
            "allowance", "荣誉津贴(元/年)", kind="money", width=11, aliases=("荣誉津贴", "津贴")
        ),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

TRIP = EntitySpec(
    "trip",
    "疗休养",
    (
        FieldSpec("year", "年度", kind="int", required=True, validator=_year, width=6),
        FieldSpec("batch", "期次", required=True, max_length=40, width=8, placeholder="如 第1期"),
        FieldSpec(
            "place",
            "地点/疗休养基地",
            required=True,
            max_length=200,
            width=20,
            aliases=("地点", "疗休养基地"),
        ),
        FieldSpec("start_on", "开始日期", kind="date", required=True, width=11),
        FieldSpec("end_on", "结束日期", kind="date", required=True, width=11),
        FieldSpec("quota", "名额", kind="int", validator=_count, width=6, aliases=("人数",)),
        FieldSpec("cost", "费用标准(元/人)", kind="money", width=11, aliases=("费用标准",)),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

TRIP_MEMBER = EntitySpec(
    "trip_member",
    "疗休养人员",
    (
        NAME,
        ID_NUMBER,
        UNIT,
        FieldSpec("health", "健康状况", kind="code", code_category="health", width=9),
        FieldSpec("last_trip_year", "上次疗休养年份", kind="int", width=9),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

CONTEST = EntitySpec(
    "contest",
    "技能竞赛",
    (
        FieldSpec("name", "竞赛名称", required=True, max_length=200, width=24, aliases=("名称",)),
        FieldSpec("trade", "工种", max_length=100, width=10, aliases=("竞赛工种", "项目")),
        FieldSpec("organiser", "主办单位", max_length=200, width=16, aliases=("主办",)),
        FieldSpec(
            "level", "级别", kind="code", code_category="honour_level", required=True, width=7
        ),
        FieldSpec(
            "held_on",
            "举办日期",
            kind="date",
            required=True,
            validator=_not_future,
            width=11,
            aliases=("日期", "竞赛日期"),
        ),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

CONTEST_RESULT = EntitySpec(
    "contest_result",
    "竞赛成绩",
    (
        NAME,
        ID_NUMBER,
        UNIT,
        FieldSpec(
            "rank",
            "名次/等次",
            required=True,
            max_length=40,
            width=9,
            aliases=("名次", "等次", "获奖等次"),
        ),
        FieldSpec("prize", "奖金", kind="money", width=10, aliases=("奖金(元)",)),
        FieldSpec("grants_title", "授予称号", kind="bool", width=7, aliases=("是否授予称号",)),
        FieldSpec(
            "title",
            "所授称号",
            kind="code",
            code_category="honour_title",
            width=12,
            aliases=("称号",),
        ),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

INNOVATION = EntitySpec(
    "innovation",
    "五小",
    (
        FieldSpec("name", "项目名称", required=True, max_length=200, width=22, aliases=("名称",)),
        FieldSpec(
            "category",
            "类别",
            required=True,
            choices=INNOVATION_CATEGORIES,
            width=8,
            aliases=("五小类别",),
        ),
        FieldSpec(
            "authors",
            "完成人",
            required=True,
            max_length=300,
            width=14,
            placeholder="多人用顿号分开",
            aliases=("主要完成人", "完成人姓名"),
        ),
        FieldSpec(
            "author_ids",
            "完成人身份证号",
            max_length=400,
            width=20,
            masked=True,
            placeholder="与完成人顺序一致，用顿号分开",
        ),
        FieldSpec(
            "unit",
            "单位",
            required=True,
            max_length=200,
            width=20,
            aliases=("完成单位", "工作单位", "所在单位"),
        ),
        FieldSpec(
            "year",
            "评选年度",
            kind="int",
            required=True,
            validator=_year,
            width=8,
            aliases=("年度",),
        ),
        FieldSpec("completed_on", "完成时间", kind="date", validator=_not_future, width=11),
        FieldSpec("in_use_on", "投用时间", kind="date", validator=_not_future, width=11),
        FieldSpec("benefit", "经济效益(元)", kind="money", width=12, aliases=("经济效益",)),
        FieldSpec("social_benefit", "社会效益", kind="text", width=20),
        FieldSpec("award", "获奖等级", max_length=20, width=8, aliases=("等级",)),
        *(FieldSpec(name, label, kind="bool", width=8) for name, label, _why in EXCLUSIONS),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

STUDIO = EntitySpec(
    "studio",
    "创新工作室",
    (
        FieldSpec("name", "工作室名称", required=True, max_length=200, width=24, aliases=("名称",)),
        FieldSpec(
            "leader",
            "领衔人",
            required=True,
            max_length=60,
            validator=person_name,
            width=9,
            aliases=("领衔人姓名",),
        ),
        FieldSpec(
            "id_number",
            "领衔人身份证号",
            kind="idno",
            required=True,
            width=20,
            masked=True,
            aliases=("身份证号", *ID_ALIASES),
        ),
        FieldSpec("unit", "依托单位", required=True, max_length=200, width=20, aliases=("单位",)),
        FieldSpec(
            "level",
            "命名级别",
            kind="code",
            code_category="honour_level",
            required=True,
            width=8,
            aliases=("级别",),
        ),
        FieldSpec(
            "year",
            "命名年份",
            kind="int",
            required=True,
            validator=_year,
            width=8,
            aliases=("年份",),
        ),
        FieldSpec("members", "成员数", kind="int", validator=_count, width=6),
        FieldSpec("results", "成果数", kind="int", validator=_count, width=6),
        FieldSpec("funding", "资助金额", kind="money", width=11, aliases=("资助金额(元)",)),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

ACTIVITY = EntitySpec(
    "activity",
    "活动",
    (
        FieldSpec("name", "活动名称", required=True, max_length=200, width=24),
        FieldSpec("kind", "活动类型", required=True, choices=ACTIVITY_KINDS, width=9),
        FieldSpec("held_on", "日期", kind="date", required=True, width=11),
        FieldSpec("place", "地点", max_length=200, width=16),
        FieldSpec("organiser", "组织单位", max_length=200, width=16),
        FieldSpec("notes", "备注", kind="text", width=16),
    ),
)

ACTIVITY_MEMBER = EntitySpec(
    "activity_member",
    "活动参加人员",
    (NAME, ID_NUMBER, UNIT, FieldSpec("notes", "备注", kind="text", width=16)),
)
