"""The merges into a person, with a button to undo each, for the person's page."""

from __future__ import annotations

from typing import Any

from django import template

from kring.imports.queries import merges_into
from kring.people.models import Person

register = template.Library()


@register.inclusion_tag("imports/_person_merges.html")
def person_merges(person: Person) -> dict[str, Any]:
    """``{% person_merges person %}``: what was merged into this person, each undoable."""
    return {"person": person, "merges": list(merges_into(person)[:20])}
