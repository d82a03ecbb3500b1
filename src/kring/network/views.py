"""The introduction-paths page of a workspace, with the reach funnel."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.network import queries
from kring.web.views.common import add_action_errors, current_user
from kring.workspaces.queries import access_workspace_by_id


class PathForm(forms.Form):
    organisation = forms.CharField(
        label=_("Anyone at (organisation)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "organisations"}),
    )
    role = forms.CharField(label=_("With a role like"), max_length=150, required=False)
    k = forms.IntegerField(label=_("Paths"), min_value=1, max_value=10, initial=5)
    hops = forms.IntegerField(label=_("Hops at most"), min_value=1, max_value=3, initial=3)


@login_required
def paths_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    now = timezone.now()
    form = PathForm(request.GET or None, initial={"k": 5, "hops": 3})
    paths = None
    target = ""
    network = queries.viewer_network(user, workspace.pk, now=now)
    if request.GET and form.is_valid():
        try:
            paths, target = queries.introduction_paths(
                user, workspace.pk, now=now, network=network, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
    return render(
        request,
        "network/paths.html",
        {
            "workspace": workspace,
            "form": form,
            "paths": paths,
            "target": target,
            "reach": queries.network_reach(user, workspace.pk, now=now, network=network),
            "organisations": queries.organisation_names(network),
        },
    )
