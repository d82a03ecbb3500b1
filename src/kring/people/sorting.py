"""Names in the order people look them up: members sorted by surname, the particles placed as
the member's country does (Flemish "Van Acker" under V, Dutch "van Acker" under A)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms

from kring.accounts.models import User
from kring.core.names import sort_key, split_name
from kring.lib.widgets import QuickSelect

__all__ = ["MemberChoiceField", "sorted_members", "user_sort_key"]


def user_sort_key(user: User) -> tuple[str, str]:
    """A member's place in a list: by surname as their country sorts it, then by address."""
    return _name_key(user.name, user.country), user.email


# A club's members are sorted on every page with a drop-down of them (the ledger has two):
# their names are split and folded once per process, not once per list.
@functools.lru_cache(maxsize=4096)
def _name_key(full: str, country: str) -> str:
    name = split_name(full)
    return sort_key(name.given, name.particles, name.surname, country=country)


def sorted_members(users: Iterable[User]) -> list[User]:
    """Members by name, as :func:`user_sort_key` orders them."""
    return sorted(users, key=user_sort_key)


class _SortedIterator(forms.models.ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for user in sorted_members(self.queryset):
            yield self.choice(user)


class MemberChoiceField(forms.ModelChoiceField):
    """A drop-down of members, sorted by name (a queryset cannot sort by a computed key),
    written in one pass (a club's fifty members in two of them on the members page took
    Django's widget templates a hundred option templates)."""

    iterator = _SortedIterator
    widget = QuickSelect
