from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.people.models import Tier


class DoneForm(forms.Form):
    answered = forms.TypedChoiceField(
        label=_("Did they answer?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not applicable"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Snooze for"),
        choices=[(30, _("a month")), (90, _("three months")), (180, _("six months"))],
        coerce=int,
    )


class DecideForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)


TIER_CHANGES = [(f"{a}-{b}", f"{a} → {b}") for a in "ABC" for b in "ABC" if a != b]


class TierFilterForm(forms.Form):
    """The tier review's filters; the same fields narrow "accept all"."""

    change = forms.ChoiceField(
        label=_("Change"), choices=[("", _("Every change")), *TIER_CHANGES], required=False
    )
    tier = forms.ChoiceField(
        label=_("Proposed tier"), choices=[("", _("Every tier")), *Tier.choices], required=False
    )


class BudgetForm(forms.Form):
    weekly_budget_minutes = forms.IntegerField(
        label=_("Weekly networking time (minutes)"), min_value=0, max_value=2400
    )


class PlannerSettingsForm(forms.Form):
    weekly_budget_minutes = forms.IntegerField(
        label=_("Weekly networking time (minutes)"), min_value=0, max_value=2400
    )
    a_min_days = forms.IntegerField(label=_("A-tier: due after (days)"), min_value=1, max_value=365)
    a_max_days = forms.IntegerField(
        label=_("A-tier: overdue after (days)"), min_value=1, max_value=365
    )
    b_days = forms.IntegerField(label=_("B-tier: every (days)"), min_value=1, max_value=730)
    max_unanswered = forms.IntegerField(
        label=_("Unanswered messages before snoozing"), min_value=1, max_value=10
    )
    snooze_days = forms.IntegerField(label=_("Snooze for (days)"), min_value=1, max_value=730)
    slots = forms.CharField(
        label=_("Networking slots"),
        help_text=_("One per line: weekday (0 = Monday) and time, e.g. 1 08:30"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    digest_enabled = forms.BooleanField(label=_("Send me the weekly digest"), required=False)

    def clean_slots(self) -> list[list[Any]]:
        slots = []
        for number, line in enumerate(self.cleaned_data["slots"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[0].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write a weekday number and a time, e.g. 1 08:30.")
                    % {"n": number}
                )
            slots.append([int(parts[0]), parts[1]])
        return slots

    @staticmethod
    def slots_text(slots: list[list[Any]]) -> str:
        return "\n".join(f"{day} {clock}" for day, clock in slots)
