"""Project teams of a company: departments, rotations of mixed teams, "my team this round"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kring.core.importing.encoding import decode_text
from kring.lib import clock
from kring.lib.csv import write_csv
from kring.lib.views import add_action_errors, current_user
from kring.teams import actions, queries
from kring.teams.models import MAX_ROUNDS, Rotation
from kring.workspaces.models import Workspace
from kring.workspaces.queries import access_workspace_by_id, members_of

MAX_UPLOAD = 1_000_000  # bytes: a department list of thousands of people is far smaller


class RotationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    # No min/max here: the action refuses bad numbers with a message that says why.
    team_size = forms.IntegerField(
        label=gettext_lazy("Team size"), widget=forms.NumberInput(attrs={"min": 2})
    )
    rounds = forms.IntegerField(
        label=gettext_lazy("Rounds"),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_ROUNDS}),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("First round starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weeks_per_round = forms.IntegerField(
        label=gettext_lazy("Weeks per round"),
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": 52}),
    )
    policy = forms.ChoiceField(
        label=gettext_lazy("Policy"), choices=Rotation.Policy.choices, initial=Rotation.Policy.MIX
    )


class DepartmentImportForm(forms.Form):
    csv = forms.CharField(
        label=gettext_lazy("Paste lines e-mail,department"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "ann@example.com,Sales"}),
    )
    csv_file = forms.FileField(label=gettext_lazy("or upload a CSV file"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("csv_file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            # UTF-8 or UTF-16, or Excel on Windows' own code page; a binary file reads as
            # nothing and is refused below.
            data["csv"] = decode_text(upload.read()) or ""
        if not str(data.get("csv", "")).strip():
            raise forms.ValidationError(_("Paste some lines or choose a file."))
        return data


@login_required
def teams_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    workspace, membership = access_workspace_by_id(user, workspace_id)
    kind = request.POST.get("kind", "")
    today = clock.today(clock.zone_of(workspace))
    rotation_form = RotationForm(
        request.POST if kind == "rotation" else None, initial={"starts_on": today}
    )
    import_form = DepartmentImportForm(
        request.POST if kind == "import" else None, request.FILES if kind == "import" else None
    )
    members = list(members_of(workspace))
    if request.method == "POST":
        try:
            if kind == "rotation" and rotation_form.is_valid():
                rotation = actions.rotation_create(
                    actor=user, workspace=workspace, via="web", **rotation_form.cleaned_data
                )
                return redirect("rotation", rotation_id=rotation.pk)
            if kind == "import" and import_form.is_valid():
                changed = actions.departments_import(
                    actor=user, workspace=workspace, text=import_form.cleaned_data["csv"], via="web"
                )
                messages.success(request, _("%(n)s departments changed.") % {"n": changed})
                return redirect("teams", workspace_id=workspace.pk)
            if kind == "departments":
                changed = actions.departments_set(
                    actor=user,
                    workspace=workspace,
                    departments={
                        m.user_id: request.POST.get(f"department-{m.user_id}", "") for m in members
                    },
                    via="web",
                )
                messages.success(request, _("%(n)s departments changed.") % {"n": changed})
                return redirect("teams", workspace_id=workspace.pk)
        except ValidationError as exc:
            if kind == "departments":
                messages.error(request, "; ".join(exc.messages))
            else:
                add_action_errors(rotation_form if kind == "rotation" else import_form, exc)
    departments = queries.departments_of(workspace)
    rotations = queries.rotations_of(user, workspace.pk)
    return render(
        request,
        "teams/teams.html",
        {
            "workspace": workspace,
            "membership": membership,
            "is_company": workspace.kind == Workspace.Kind.COMPANY,
            "members": [(m, departments.get(m.user_id, "")) for m in members],
            "department_count": len(set(departments.values())),
            "rotations": [(r, queries.rotation_state(r, today)) for r in rotations],
            "rotation_form": rotation_form,
            "import_form": import_form,
        },
    )


@login_required
def rotation_page(request: HttpRequest, rotation_id: int) -> HttpResponse:
    user = current_user(request)
    rotation, membership = queries.access_rotation_by_id(user, rotation_id)
    rounds = queries.rounds_of(rotation)
    state = queries.rotation_state(rotation, clock.today(clock.zone_of(rotation.workspace)))
    now = state.number
    this_round = next((r for r in rounds if r.round.number == now), None)
    my_team = queries.team_of(user, this_round) if this_round else None
    return render(
        request,
        "teams/rotation.html",
        {
            "rotation": rotation,
            "membership": membership,
            "rounds": [(r, queries.team_of(user, r)) for r in rounds],
            "current": now,
            "state": state.state,
            "my_team": my_team,
        },
    )


@login_required
def rotation_csv(request: HttpRequest, rotation_id: int) -> HttpResponse:
    user = current_user(request)
    rotation, _membership = queries.access_rotation_by_id(user, rotation_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = slugify(rotation.name) or "rotation"
    response["Content-Disposition"] = f'attachment; filename="{filename}-{rotation.pk}.csv"'
    write_csv(
        response,
        (
            [view.round.number, team.name, member.user.name, member.department]
            for view in queries.rounds_of(rotation)
            for team in view.teams
            for member in team.members.all()
        ),
        header=["round", "team", "member", "department"],
    )
    return response


@login_required
@require_POST
def rotation_delete(request: HttpRequest, rotation_id: int) -> HttpResponse:
    user = current_user(request)
    rotation, _membership = queries.access_rotation_by_id(user, rotation_id)
    workspace_id = rotation.workspace_id
    actions.rotation_delete(actor=user, rotation=rotation, via="web")
    messages.success(request, _("Rotation deleted."))
    return redirect("teams", workspace_id=workspace_id)
