"""Workspaces: create a club or company, invite members, see what members share."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.views import add_action_errors, current_user
from kring.workspaces import actions, forms, home
from kring.workspaces.models import Membership, Workspace
from kring.workspaces.queries import (
    access_membership_by_id,
    access_workspace_by_id,
    members_of,
    open_invitations,
    workspaces_for,
)


@login_required
def workspace_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = actions.workspace_create(owner=user, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("workspace", workspace_id=workspace.pk)
    return render(
        request, "workspaces/list.html", {"memberships": workspaces_for(user), "form": form}
    )


@login_required
def workspace_detail(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    workspace, membership = access_workspace_by_id(user, workspace_id)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST":
        if not membership.can_manage:
            messages.error(request, _("Only the workspace's owner or an admin can invite."))
        elif form.is_valid():
            url = request.build_absolute_uri(reverse("invitation", args=["TOKEN"]))
            try:
                actions.invitation_create(
                    actor=user,
                    workspace=workspace,
                    accept_url_template=url.replace("TOKEN", "{token}"),
                    via="web",
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("workspace", workspace_id=workspace.pk)
    return render(
        request,
        "workspaces/detail.html",
        {
            "workspace": workspace,
            "membership": membership,
            "members": members_of(workspace),
            # The roles a manager can give, translated once for the page's drop-downs (one
            # per member); none when the viewer cannot change roles here.
            "roles": (
                [(code, str(label)) for code, label in Membership.Role.choices]
                if membership.can_manage and workspace.kind != Workspace.Kind.PERSONAL
                else []
            ),
            "form": form,
            "settings_form": forms.WorkspaceSettingsForm(
                initial={"name": workspace.name, "time_zone": workspace.time_zone}
            ),
            "invitations": open_invitations(workspace, membership),
            "panels": home.panels(user, workspace, now=clock.now()),
        },
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, workspace_id: int, membership_id: int) -> HttpResponse:
    user = current_user(request)
    target = access_membership_by_id(user, workspace_id, membership_id)
    try:
        actions.membership_set_role(
            actor=user, membership=target, role=request.POST.get("role", ""), via="web"
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Role changed."))
    return redirect("workspace", workspace_id=workspace_id)


@login_required
@require_POST
def workspace_settings(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The owner or an admin renames the workspace or sets its time zone."""
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    form = forms.WorkspaceSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("workspace", workspace_id=workspace_id)
    try:
        actions.workspace_update(actor=user, workspace=workspace, via="web", **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Settings saved."))
    return redirect("workspace", workspace_id=workspace_id)


@login_required
@require_POST
def workspace_leave(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    _workspace, membership = access_workspace_by_id(user, workspace_id)
    try:
        actions.membership_remove(
            actor=user,
            membership=membership,
            keep_name=request.POST.get("keep_name") == "on",
            via="web",
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("workspace", workspace_id=workspace_id)
    messages.success(request, _("You left the workspace."))
    return redirect("workspaces")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = actions.invitation_by_token(token)
    except NotFound:
        return render(request, "workspaces/invitation_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        membership: Membership = actions.invitation_accept(
            user=current_user(request), token=token, via="web"
        )
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.workspace.name})
        return redirect("workspace", workspace_id=membership.workspace_id)
    return render(request, "workspaces/invitation.html", {"invitation": invite})
