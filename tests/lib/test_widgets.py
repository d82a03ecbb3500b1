"""The quick select writes what Django's select writes, escaped, with the choice selected."""

from __future__ import annotations

import re

from django import forms

from kring.lib.widgets import QuickSelect

CHOICES = [("Europe/Brussels", "Europe/Brussels"), ("a<b", 'Tom & "Jerry"'), ("", "none")]


def _options(html: str) -> list[tuple[str, str, bool]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, label, bool(selected)) for value, selected, label in found]


def test_it_renders_the_options_of_a_django_select_with_the_value_selected():
    attrs = {"id": "id_zone", "required": True, "aria-invalid": "true"}
    quick = QuickSelect(choices=CHOICES).render("zone", "a<b", attrs)
    django = forms.Select(choices=CHOICES).render("zone", "a<b", attrs)
    assert _options(quick) == _options(django)
    assert ("a&lt;b", "Tom &amp; &quot;Jerry&quot;", True) in _options(quick)
    opening = quick[: quick.index(">") + 1]
    for part in ('id="id_zone"', " required", 'aria-invalid="true"', 'name="zone"'):
        assert part in opening


def test_it_selects_nothing_for_an_unknown_value_and_is_used_for_time_zones():
    assert not any(s for _, _, s in _options(QuickSelect(choices=CHOICES).render("z", "x")))
    from kring.accounts.forms import SettingsForm
    from kring.workspaces.forms import WorkspaceSettingsForm

    assert isinstance(WorkspaceSettingsForm().fields["time_zone"].widget, QuickSelect)
    assert isinstance(SettingsForm().fields["time_zone"].widget, QuickSelect)


def test_a_remembered_list_marks_only_this_renders_choice_and_follows_the_language():
    first = QuickSelect(choices=CHOICES).render("zone", "Europe/Brussels")
    second = QuickSelect(choices=CHOICES).render("zone", "")
    assert [s for _, _, s in _options(first)] == [True, False, False]
    assert [s for _, _, s in _options(second)] == [False, False, True]
    assert _options(QuickSelect(choices=CHOICES).render("zone", None)) == _options(
        forms.Select(choices=CHOICES).render("zone", None)
    )

    from django.utils import translation
    from django.utils.translation import gettext_lazy

    lazy = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
    with translation.override("en"):
        english = _options(QuickSelect(choices=lazy).render("answer", "no"))
    with translation.override("nl"):
        dutch = _options(QuickSelect(choices=lazy).render("answer", "no"))
    assert english == [("yes", "Yes", False), ("no", "No", True)]
    assert dutch == [("yes", "Ja", False), ("no", "Nee", True)]
