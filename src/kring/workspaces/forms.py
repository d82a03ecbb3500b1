"""Forms for the workspace pages. They only parse and validate input; writes go through actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.lib import clock
from kring.lib.widgets import QuickSelect
from kring.workspaces.models import Membership, Workspace


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Workspace.Kind.CLUB, _("Club")), (Workspace.Kind.COMPANY, _("Company"))],
    )


class WorkspaceSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=clock.zone_choices,
        widget=QuickSelect,
        help_text=_("Meeting times on place cards, table plans and invitations use this zone."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
