"""Template filters for Kring's pages."""

from __future__ import annotations

from django import template

from kring.core.contact import format_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number as people read it: +32 470 12 34 56."""
    return format_phone(value)
