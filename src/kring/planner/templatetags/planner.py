from __future__ import annotations

from django import template

from kring.planner.reasons import left_out_text, reason_text, tier_reason_text

register = template.Library()


@register.filter
def reasons_text(codes: list[str]) -> str:
    return "; ".join(reason_text(code) for code in codes)


@register.filter
def reason_label(code: str) -> str:
    return reason_text(code)


@register.filter
def left_out_label(code: str) -> str:
    return left_out_text(code)


@register.filter
def tier_reason_label(code: str) -> str:
    return tier_reason_text(code)
