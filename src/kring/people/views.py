"""Pages about people: the list, one person's page, adding, editing, erasing, exporting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts import actions as account_actions
from kring.lib import clock
from kring.lib.views import add_action_errors, current_user, is_htmx, safe_redirect
from kring.people import actions, forms, queries
from kring.people.export import person_as_dict
from kring.people.models import ShareLevel, Tier
from kring.workspaces.queries import access_workspace_by_id

LAST_CONTACT_FILTERS = {
    "30": ("contacted_within_days", 30),
    "90": ("contacted_within_days", 90),
    "not90": ("not_contacted_within_days", 90),
    "not365": ("not_contacted_within_days", 365),
}


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    params = request.GET
    extra = {}
    last = params.get("last", "")
    if last in LAST_CONTACT_FILTERS:
        name, days = LAST_CONTACT_FILTERS[last]
        extra[name] = days
    people = queries.people_search(
        user,
        q=params.get("q", "").strip(),
        tier=params.get("tier", "") if params.get("tier", "") in Tier.values else "",
        sector=params.get("sector", ""),
        region=params.get("region", ""),
        now=clock.now(),
        **extra,
    )
    page = Paginator(people, 50).get_page(params.get("page"))
    query_string = params.copy()  # the filters, for the pagination links
    query_string.pop("page", None)
    sectors, regions = queries.sectors_and_regions(user)
    context = {
        "page": page,
        "params": params,
        "tiers": Tier.choices,
        "sectors": sectors,
        "regions": regions,
        "last_choices": [
            ("30", _("Contacted in the last 30 days")),
            ("90", _("Contacted in the last 90 days")),
            ("not90", _("Not contacted for 90 days")),
            ("not365", _("Not contacted for a year")),
        ],
        "query_string": query_string,
    }
    template = "people/_results.html" if is_htmx(request) else "people/list.html"
    return render(request, template, context)


def _person_context(request: HttpRequest, person_id: int, **extra: object) -> dict:
    user = current_user(request)
    person = queries.access_person_by_id(user, person_id)
    # The latest entries of the timeline; all of them on ?timeline=all.
    everything = request.GET.get("timeline") == "all"
    history = queries.person_history(
        user, person, now=clock.now(), limit=None if everything else queries.TIMELINE_LENGTH
    )
    context = {
        "person": person,
        "relationship": person.relationship,
        "emails": queries.person_emails(person),
        "phones": queries.person_phones(person),
        "timeline": history.timeline,
        "timeline_hidden": history.hidden,
        "familiarity": history.familiarity,
        "strength": history.strength,
        "favours": history.favours,
        "log_form": forms.QuickLogForm(),
        "note_form": forms.NoteForm(),
        "favour_form": forms.FavourForm(),
        "ask_form": forms.AskForm(),
        "share_rows": queries.share_rows(user, person),
        "share_levels": ShareLevel.choices,
    }
    context.update(extra)
    return context


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return render(request, "people/detail.html", _person_context(request, person_id))


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = forms.NewPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.person_create(owner=user, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect("person", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    person = queries.access_person_by_id(user, person_id)
    initial = {
        **{name: getattr(person, name) for name in actions.PERSON_FIELDS},
        "organisation_name": person.organisation.name if person.organisation else "",
        "emails": "\n".join(queries.person_emails(person)),
        "phones": "\n".join(queries.person_phones(person)),
        "tags": ", ".join(t.name for t in person.tags.all()),
    }
    form = forms.PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.person_update(actor=user, person=person, via="web", **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("person", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})


@login_required
def relationship_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    relationship = queries.access_relationship_by_person_id(user, person_id)
    form = forms.RelationshipForm(
        request.POST or None,
        initial={name: getattr(relationship, name) for name in actions.RELATIONSHIP_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.relationship_update(
                actor=user, relationship=relationship, via="web", **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("person", person_id=person_id)
    return render(
        request,
        "people/relationship_form.html",
        {"form": form, "person": relationship.person},
    )


@login_required
@require_POST
def person_log(request: HttpRequest, person_id: int) -> HttpResponse:
    """The quick "log a 5-minute contact" form; answers htmx with the new timeline."""
    user = current_user(request)
    person = queries.access_person_by_id(user, person_id)
    form = forms.QuickLogForm(request.POST)
    if form.is_valid():
        try:
            actions.interaction_log(
                owner=user, people=[person], now=clock.now(), via="web", **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            form = forms.QuickLogForm()
            if not is_htmx(request):
                messages.success(request, _("Contact logged."))
                return redirect("person", person_id=person.pk)
    context = _person_context(request, person_id, log_form=form)
    if is_htmx(request):
        return render(request, "people/_timeline_and_log.html", context)
    return render(request, "people/detail.html", context, status=400)


def _person_subform(
    request: HttpRequest, person_id: int, form_class: type, write: object, form_key: str
) -> HttpResponse:
    user = current_user(request)
    person = queries.access_person_by_id(user, person_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(user, person, form.cleaned_data)  # type: ignore[operator]
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("person", person_id=person.pk)
    context = _person_context(request, person_id, **{form_key: form})
    return render(request, "people/detail.html", context, status=400)


@login_required
@require_POST
def person_note(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_subform(
        request,
        person_id,
        forms.NoteForm,
        lambda user, person, data: actions.note_create(
            owner=user, person=person, via="web", **data
        ),
        "note_form",
    )


@login_required
@require_POST
def person_favour(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_subform(
        request,
        person_id,
        forms.FavourForm,
        lambda user, person, data: actions.favour_record(
            owner=user, person=person, via="web", **data
        ),
        "favour_form",
    )


@login_required
@require_POST
def person_ask(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_subform(
        request,
        person_id,
        forms.AskForm,
        lambda user, person, data: actions.ask_create(owner=user, person=person, via="web", **data),
        "ask_form",
    )


@login_required
@require_POST
def person_share(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    relationship = queries.access_relationship_by_person_id(user, person_id)
    workspace, _membership = access_workspace_by_id(user, request.POST.get("workspace"))
    try:
        actions.share_set(
            actor=user,
            relationship=relationship,
            workspace=workspace,
            level=request.POST.get("level", ""),
            via="web",
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Sharing updated."))
    return redirect("person", person_id=person_id)


@login_required
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    person = queries.access_person_by_id(user, person_id)
    if request.method == "POST":
        name = person.full_name
        actions.person_erase(actor=user, person=person, via="web")
        messages.success(request, _("%(name)s was erased completely.") % {"name": name})
        return redirect("people")
    return render(request, "people/erase.html", {"person": person})


@login_required
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    person = queries.access_person_by_id(user, person_id)
    data = person_as_dict(user, person)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@login_required
@require_POST
def interaction_erase(request: HttpRequest, interaction_id: int) -> HttpResponse:
    user = current_user(request)
    interaction = queries.access_interaction_by_id(user, interaction_id)
    back = request.POST.get("person")
    actions.interaction_erase(actor=user, interaction=interaction, via="web")
    messages.success(request, _("Interaction removed."))
    if back and back.isdigit():
        return redirect("person", person_id=int(back))
    return redirect("dashboard")


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    q = request.GET.get("q", "").strip()
    organisations = queries.organisations_search(user, q=q)
    return render(
        request, "people/organisations/list.html", {"organisations": organisations[:500], "q": q}
    )


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = current_user(request)
    organisation = queries.access_organisation_by_id(user, organisation_id)
    people = queries.people_at(user, organisation)
    return render(
        request,
        "people/organisations/detail.html",
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
    return render(request, "people/organisations/form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = current_user(request)
    organisation = queries.access_organisation_by_id(user, organisation_id)
    others = queries.competitor_choices(user, organisation)
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
        "people/organisations/form.html",
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
    today = clock.today(clock.zone_of(user))
    asks = queries.asks_page(user, today=today)
    return render(
        request,
        "people/asks.html",
        {"form": form, "my_asks": asks.mine, "their_asks": asks.theirs, "today": today},
    )


@login_required
@require_POST
def ask_withdraw(request: HttpRequest, ask_id: int) -> HttpResponse:
    """Withdraw one of the user's asks; back to the page it was withdrawn on."""
    user = current_user(request)
    ask = queries.access_ask_by_id(user, ask_id)
    try:
        actions.ask_withdraw(actor=user, ask=ask, today=clock.today(clock.zone_of(user)), via="web")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Your ask was withdrawn."))
    return safe_redirect(request, request.POST.get("next"), "asks")


@login_required
def notes_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    q = request.GET.get("q", "").strip()
    notes = queries.notes_search(user, q=q)
    return render(request, "people/notes.html", {"notes": notes[:200], "q": q})


@login_required
def account_erase(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != user.email.lower():
            error = _("Type your e-mail address to confirm.")
        else:
            try:
                account_actions.account_erase(user=user, via="web")
            except ValidationError as exc:
                error = "; ".join(exc.messages)
            else:
                logout(request)
                messages.success(request, _("Your account and everything in it were erased."))
                return redirect("login")
    return render(request, "people/account_erase.html", {"error": error})
