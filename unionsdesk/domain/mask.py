"""Masking of personal numbers for lists, 公示 copies and roles without pii.view."""

from __future__ import annotations


def mask_id(number: str | None) -> str:
    """3607**********1234: the first four and last four characters stay."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """138****8000; landlines keep the area code and the last four digits."""
    if not phone:
        return ""
    if "-" in phone:
        area, _, rest = phone.partition("-")
        return f"{area}-{'*' * max(len(rest) - 4, 0)}{rest[-4:]}"
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_account(number: str | None) -> str:
    """Bank card: only the last four digits."""
    if not number:
        return ""
    return "*" * max(len(number) - 4, 0) + number[-4:]
