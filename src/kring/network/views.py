"""The pooled network's pages: introduction paths with the reach funnel, introductions,
asks, briefs, members' cards, and what members share."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.core.asks import InvalidAsk, parse_ask
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.views import add_action_errors, current_user
from kring.network import actions, queries
from kring.network import card as card_module
from kring.network.messages import ask_error
from kring.people import actions as people_actions
from kring.workspaces.queries import access_workspace_by_id


class PathForm(forms.Form):
    organisation = forms.CharField(
        label=_("Anyone at (organisation)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "organisations"}),
    )
    role = forms.CharField(label=_("With a role like"), max_length=150, required=False)
    sector = forms.CharField(label=_("In the sector"), max_length=100, required=False)
    region = forms.CharField(label=_("In the region"), max_length=100, required=False)
    k = forms.IntegerField(label=_("Paths"), min_value=1, max_value=10, initial=5, required=False)
    hops = forms.IntegerField(
        label=_("Hops at most"), min_value=1, max_value=3, initial=3, required=False
    )

    def clean_k(self) -> int:
        return self.cleaned_data.get("k") or 5

    def clean_hops(self) -> int:
        return self.cleaned_data.get("hops") or 3


@login_required
def paths_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    now = clock.now()
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
            "organisation_options": queries.organisation_options(network),
        },
    )


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you want to meet, and what you offer (at most three sentences)"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def introduction_request(
    request: HttpRequest, workspace_id: int, connector_id: int, person_id: int
) -> HttpResponse:
    user = current_user(request)
    found = queries.access_introduction_target(user, workspace_id, connector_id, person_id)
    workspace, connector = found.workspace, found.connector
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.introduction_request(
                requester=user,
                workspace=workspace,
                connector=connector,
                target=found.person,
                reason=form.cleaned_data["reason"],
                accept_url=request.build_absolute_uri(
                    reverse("introductions", args=[workspace.pk])
                ),
                via="web",
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Your request went to %(name)s.") % {"name": connector})
            return redirect("introduction", introduction_id=made.pk)
    return render(
        request,
        "network/request.html",
        {
            "workspace": workspace,
            "connector": connector,
            "label": found.label,
            "form": form,
            "never_gave": queries.never_gave_to(user, connector),
        },
    )


@login_required
def introductions_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    asked, to_make = queries.introductions_for(user, workspace.pk)
    return render(
        request,
        "network/introductions.html",
        {
            "workspace": workspace,
            "asked": [(i, queries.target_label(user, i)) for i in asked],
            "to_make": to_make,
            "ledger": queries.club_ledger(user, workspace.pk),
        },
    )


@login_required
def introduction_detail(request: HttpRequest, introduction_id: int) -> HttpResponse:
    user = current_user(request)
    introduction = queries.access_introduction_by_id(user, introduction_id)
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "accept":
                url = request.build_absolute_uri(reverse("introduction_opt_in", args=["TOKEN"]))
                actions.introduction_accept(
                    actor=user,
                    introduction=introduction,
                    opt_in_url_template=url.replace("TOKEN", "{token}"),
                    via="web",
                )
            elif step == "decline":
                actions.introduction_decline(actor=user, introduction=introduction, via="web")
            elif step in ("met", "closed"):
                raw = request.POST.get("value_eur", "").strip().replace(",", ".")
                try:
                    value = Decimal(raw) if raw else None
                except InvalidOperation:
                    raise ValidationError({"value_eur": _("Give an amount in euro.")}) from None
                actions.introduction_outcome(
                    actor=user, introduction=introduction, outcome=step, value_eur=value, via="web"
                )
            else:
                raise ValidationError({"step": _("Unknown step.")})
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("introduction", introduction_id=introduction.pk)
    return render(
        request,
        "network/introduction.html",
        {
            "introduction": introduction,
            "label": queries.target_label(user, introduction),
            "is_connector": introduction.connector_id == user.pk,
        },
    )


def introduction_opt_in(request: HttpRequest, token: str) -> HttpResponse:
    """The target's answer, by the link in their e-mail: no account needed."""
    try:
        introduction = actions.introduction_by_token(token)
    except NotFound:
        return render(request, "network/opt_in_done.html", {"gone": True}, status=404)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer in ("yes", "no"):
            actions.introduction_opt_in(token=token, yes=answer == "yes")
            return render(request, "network/opt_in_done.html", {"yes": answer == "yes"})
    return render(request, "network/opt_in.html", {"introduction": introduction})


@login_required
def member_card(request: HttpRequest, workspace_id: int, member_id: int) -> HttpResponse:
    user = current_user(request)
    now = clock.now()
    zone = clock.zone_of(user)
    card = queries.member_card(user, workspace_id, member_id, today=clock.today(zone, now))
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            card_module.card_pdf(card, printed_at=clock.local(now, zone)),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = 'inline; filename="kring-card.pdf"'
        return response
    return render(
        request,
        "network/card.html",
        {"card": card, "workspace_id": workspace_id, "member_id": member_id},
    )


@login_required
def brief_page(
    request: HttpRequest, workspace_id: int, owner_id: int, person_id: int
) -> HttpResponse:
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    found = queries.brief(user, workspace.pk, owner_id, person_id, now=clock.now())
    return render(request, "network/brief.html", {"brief": found, "workspace": workspace})


# Asks your network can answer shown at first on the asks page.
ANSWERABLE_SHOWN = 10


class AskSentenceForm(forms.Form):
    same_for_everyone = True  # its empty HTML is cached: kring.web.templatetags
    text = forms.CharField(
        label=_("Whom or what are you looking for this month? One sentence."), max_length=500
    )
    role = forms.CharField(label=_("Role"), max_length=150, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)


@login_required
def club_asks(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Write this month's ask (Kring proposes its fields), see who fits it with the warmest
    path, and see the asks of others your own network can answer."""
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    now = clock.now()
    form = AskSentenceForm(request.POST or None)
    proposed = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("step") == "propose":
            try:
                fields = parse_ask(data["text"])
            except InvalidAsk as exc:
                form.add_error("text", ask_error(exc))
            else:
                form = AskSentenceForm(
                    initial={
                        "text": data["text"],
                        "role": fields.role,
                        "sector": fields.sector,
                        "region": fields.region,
                        "organisation_name": fields.organisation,
                    }
                )
                proposed = True
        else:
            try:
                people_actions.ask_create(owner=user, via="web", **data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Your ask is saved; here is who fits it."))
                return redirect("club_asks", workspace_id=workspace.pk)
    today = clock.today(clock.zone_of(user), now)
    mine = queries.own_asks_with_candidates(user, workspace.pk, now=now)
    # The asks that close first; all of them on ?answerable=all (a club of fifty has dozens).
    answerable = queries.asks_you_can_answer(user, workspace.pk, today=today)
    shown = answerable if request.GET.get("answerable") == "all" else answerable[:ANSWERABLE_SHOWN]
    return render(
        request,
        "network/asks.html",
        {
            "workspace": workspace,
            "form": form,
            "proposed": proposed,
            "mine": mine,
            "answerable": shown,
            "answerable_hidden": len(answerable) - len(shown),
        },
    )


@login_required
def shared_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """What the members share, searched and a page at a time: at club scale it runs into
    thousands of rows."""
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    q = request.GET.get("q", "").strip()
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        raise Http404("no such page") from None
    rows, total = queries.shared_contacts(user, workspace.pk, q=q, page=page, now=clock.now())
    last = max(1, -(-total // queries.SHARED_PAGE_SIZE))
    if page > last:
        raise Http404("no such page")
    return render(
        request,
        "network/shared.html",
        {
            "workspace": workspace,
            "rows": rows,
            "total": total,
            "q": q,
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < last else None,
            "last_page": last,
        },
    )
