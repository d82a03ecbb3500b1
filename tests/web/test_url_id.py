"""``{% url_id %}``: the same addresses as ``{% url %}``, without resolving the route each time."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kring.web.templatetags.kring import url_id


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string("{% load kring %}" + source).render(context)


@pytest.mark.parametrize(
    ("name", "ids"),
    [("person", (7,)), ("person", (1234567,)), ("introduction_request", (3, 41, 5926))],
)
def test_it_gives_what_url_gives(name, ids):
    assert url_id(name, *ids) == reverse(name, args=ids)
    names = " ".join(f"a{i}" for i in range(len(ids)))
    assert _render(
        f"{{% url_id '{name}' {names} %}}", **{f"a{i}": n for i, n in enumerate(ids)}
    ) == _render(f"{{% url '{name}' {names} %}}", **{f"a{i}": n for i, n in enumerate(ids)})


def test_a_script_prefix_is_kept_apart():
    try:
        set_script_prefix("/club/")
        assert url_id("person", 7) == "/club/people/7/"
    finally:
        set_script_prefix("/")
    assert url_id("person", 7) == "/people/7/"


@pytest.mark.parametrize("bad", [None, -1, "x", "7/", True, 1.5, ""])
def test_anything_but_a_whole_number_is_refused_as_url_would(bad):
    with pytest.raises(NoReverseMatch):
        url_id("person", bad)


def test_the_wrong_number_of_arguments_is_refused():
    with pytest.raises(NoReverseMatch):
        url_id("person", 7, 8)
    with pytest.raises(NoReverseMatch):
        url_id("person")
