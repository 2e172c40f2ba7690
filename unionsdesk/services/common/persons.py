"""The Person master: one row per real person, shared by every area.

The identity rule: a person is found by ID number, and nothing that brings in rows
(an import, a pay-out line, a new file) ever changes the name registered for that
number. A different name is an error for that row (`name_conflict`); a deliberate
rename goes through the person's own form, with its audit row."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.models import Person
from unionsdesk.domain import idcard
from unionsdesk.domain.pinyin import pinyin_keys
from unionsdesk.errors import ValidationError
from unionsdesk.services.common.base import CurrentUser, stamp

UPDATABLE = (
    "name", "ethnicity", "political", "education", "phone", "hukou_type", "hukou_place", "native_place",
    "tech_level",
)  # fmt: skip


def name_conflict(stored: str, given: object, *, row: bool = True) -> str | None:
    """The reason a record naming ``given`` for an ID number registered as ``stored``
    is refused, or None when the names agree (or none was given)."""
    if not stored or not given or str(given) == stored:
        return None
    if row:
        return f"身份证号已登记为{stored}，本行姓名为{given}"
    return f"身份证号已登记为{stored}，填写的姓名为{given}；如确需更名，请在会员信息中修改"


def upsert_person(
    s: Session, actor: CurrentUser, values: Mapping[str, Any], *, keep_blank: bool = True
) -> tuple[Person, bool]:
    """Find the person by ID number (creating them if new) and update what was given.

    With ``keep_blank`` a blank value never overwrites stored data. A name other than
    the registered one is refused (`name_conflict`), never stored. Returns
    (person, created)."""
    card = idcard.parse(str(values["id_number"]))
    person = s.scalar(select(Person).where(Person.id_number == card.number))
    created = person is None
    if person is not None:
        conflict = name_conflict(person.name, values.get("name"), row=False)
        if conflict is not None:
            raise ValidationError({"name": conflict})
    if person is None:
        person = Person(id_number=card.number)
        stamp(person, actor, new=True)
        s.add(person)
    for name in UPDATABLE:
        if name in values and not (keep_blank and values[name] in (None, "")):
            setattr(person, name, values[name])
    person.sex, person.birth_date = card.sex, card.birth_date
    person.name_pinyin, person.name_initials = pinyin_keys(person.name)
    stamp(person, actor)
    s.flush()
    return person, created


def chunks(items: Sequence[Any], size: int = 900) -> Iterator[Sequence[Any]]:
    """Pieces small enough for one ``IN (...)`` (SQLite allows 999 parameters)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def people_by_number(s: Session, numbers: Sequence[str]) -> dict[str, tuple[int, str]]:
    """ID number → (person id, name) for those of ``numbers`` already on record."""
    out: dict[str, tuple[int, str]] = {}
    for part in chunks(numbers):
        q = select(Person.id_number, Person.id, Person.name).where(Person.id_number.in_(part))
        out.update({number: (pid, name) for number, pid, name in s.execute(q)})
    return out
