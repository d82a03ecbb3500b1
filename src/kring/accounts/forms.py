"""Forms for the account pages. They only parse and validate input; writes go through actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Country, Language
from kring.lib import clock
from kring.lib.widgets import QuickSelect


class SignUpForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)


class SignUpFinishForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput, min_length=10
    )


class SettingsForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=clock.zone_choices,
        widget=QuickSelect,
        required=False,  # left out: the zone stays as it is
        help_text=_("Kring shows every time in this zone: pages, e-mails, printouts, exports."),
    )
    weekly_budget_minutes = forms.IntegerField(
        label=_("Weekly networking time (minutes)"), min_value=0, max_value=40 * 60
    )
    organisation = forms.CharField(label=_("My organisation"), max_length=200, required=False)
    sector = forms.CharField(label=_("My sector"), max_length=100, required=False)
    offer = forms.CharField(label=_("What I offer"), max_length=300, required=False)
    seeking = forms.CharField(label=_("Whom I am looking for"), max_length=300, required=False)
    ideal_customer = forms.CharField(
        label=_("My ideal customer, in one sentence"), max_length=300, required=False
    )

    own_addresses = forms.CharField(
        label=_("My e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One a line: imported calendars and messages never take these for someone else."
        ),
    )

    def clean_own_addresses(self) -> list[str]:
        addresses = self.cleaned_data.get("own_addresses", "").replace(",", "\n").split()
        for address in addresses:
            forms.EmailField().clean(address)
        return list(dict.fromkeys(a.casefold() for a in addresses))

    def clean_time_zone(self) -> str | None:
        return self.cleaned_data.get("time_zone") or None


class DevicePasswordForm(forms.Form):
    name = forms.CharField(
        label=_("Device"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Calendar on my phone")}),
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class SignInPolicyForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Owners and admins must use two-factor sign-in"), required=False
    )
    sso_only = forms.BooleanField(
        label=_("Members sign in only with single sign-on"), required=False
    )

    def __init__(self, *args: Any, sso_offered: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sso_offered:  # the server has no single sign-on: nothing to choose
            del self.fields["sso_only"]
