"""The dashboard, organisations and asks pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.people import actions, queries
from kring.web import forms
from kring.web.views.common import add_action_errors, current_user
from kring.workspaces.models import Workspace
from kring.workspaces.queries import workspaces_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    summary = queries.dashboard_summary(user, now=timezone.now())
    # An account without people gets a way in instead of empty figures: import, add someone,
    # or the clubs it belongs to already (an invitation brings a new member here first).
    groups = (
        [m.workspace for m in workspaces_for(user) if m.workspace.kind != Workspace.Kind.PERSONAL]
        if summary.people == 0
        else []
    )
    return render(request, "web/dashboard.html", {"summary": summary, "groups": groups})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    from django.db.models import Count

    organisations = queries.organisations_for(user).annotate(n_people=Count("people"))
    q = request.GET.get("q", "").strip()
    if q:
        organisations = organisations.filter(name__icontains=q)
    return render(
        request, "web/organisations/list.html", {"organisations": organisations[:500], "q": q}
    )


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = current_user(request)
    organisation = queries.access_organisation_by_id(user, organisation_id)
    people = queries.people_for(user).filter(organisation=organisation).order_by("sort_name")
    return render(
        request,
        "web/organisations/detail.html",
        {"organisation": organisation, "people": people},
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.organisation_create(owner=user, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("organisation", organisation_id=organisation.pk)
    return render(request, "web/organisations/form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = current_user(request)
    organisation = queries.access_organisation_by_id(user, organisation_id)
    others = queries.organisations_for(user).exclude(pk=organisation.pk)
    data = request.POST or None
    form = forms.OrganisationForm(
        data,
        initial={
            **{
                f: getattr(organisation, f) for f in ("name", "sector", "size", "region", "website")
            },
            "tags": ", ".join(t.name for t in organisation.tags.all()),
        },
    )
    competitors = forms.CompetitorsForm(
        data,
        organisations=others,
        initial={"competes_with": list(organisation.competes_with.all())},
    )
    if request.method == "POST" and form.is_valid() and competitors.is_valid():
        try:
            actions.organisation_update(
                actor=user,
                organisation=organisation,
                competes_with=list(competitors.cleaned_data["competes_with"]),
                via="web",
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation", organisation_id=organisation.pk)
    return render(
        request,
        "web/organisations/form.html",
        {"form": form, "competitors": competitors, "organisation": organisation},
    )


@login_required
def asks_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.ask_create(owner=user, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Your ask is saved."))
            return redirect("asks")
    today = timezone.localdate()
    asks = queries.asks_for(user)
    return render(
        request,
        "web/asks.html",
        {
            "form": form,
            "my_asks": asks.filter(person__isnull=True),
            "their_asks": asks.filter(person__isnull=False, valid_to__gte=today)[:100],
            "today": today,
        },
    )


@login_required
def notes_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    notes = queries.notes_for(user)
    q = request.GET.get("q", "").strip()
    for word in q.split():
        from django.db.models import Q

        notes = notes.filter(Q(text__icontains=word) | Q(tags__name__icontains=word)).distinct()
    return render(request, "web/notes.html", {"notes": notes[:200], "q": q})
