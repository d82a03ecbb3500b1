"""The plan page, done/skip/snooze, the tier review, insight charts, planner settings and the
private calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kring.accounts.models import User
from kring.core.dates import iso_week
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.views import add_action_errors, current_user, is_htmx
from kring.people.models import Tier
from kring.planner import actions, insight, queries
from kring.planner.calendar import touches_calendar
from kring.planner.forms import (
    BudgetForm,
    DecideForm,
    DoneForm,
    PlannerSettingsForm,
    SnoozeForm,
    TierFilterForm,
)
from kring.planner.models import PlannedTouch


def _week(request: HttpRequest, today: dt.date) -> dt.date:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    if not raw:
        return queries.week_start(today)
    try:
        return queries.week_start(dt.date.fromisoformat(raw))
    except ValueError:
        raise Http404("no such week") from None


def _totals(user: User, touches: list[PlannedTouch]) -> dict[str, Any]:
    """The plan's figures: what is planned, of which budget, and what is still to do."""
    planned = [t for t in touches if t.status == PlannedTouch.Status.PLANNED]
    return {
        "touch_count": len(touches),
        "open_count": len(planned),
        "open_minutes": sum(t.minutes for t in planned),
        "minutes": sum(t.minutes for t in touches),
        "budget": user.weekly_budget_minutes,
    }


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    now = clock.now()
    today = clock.today(clock.zone_of(user), now)
    week = _week(request, today)
    touches = list(queries.touches_for_week(user, week))
    if not touches and week >= queries.week_start(today):
        _plan, touches = actions.week_plan_build(user=user, now=now, week=week, via="web")
    found = actions.planner_settings_get(user)
    sidebar = queries.plan_sidebar(user, today=today)
    context = {
        "week": week,
        "week_number": iso_week(week)[1],
        "previous_week": week - dt.timedelta(days=7),
        "next_week": week + dt.timedelta(days=7),
        "touches": touches,
        **_totals(user, touches),
        "budget_form": BudgetForm(initial={"weekly_budget_minutes": user.weekly_budget_minutes}),
        "can_replan": week >= queries.week_start(today),
        "automate_count": sidebar.automate_count,
        "snoozed": sidebar.snoozed,
        "review_due": insight.review_is_due(found, today, clock.zone_of(user)),
        "done_form": DoneForm(),
        "snooze_form": SnoozeForm(),
    }
    return render(request, "planner/plan.html", context)


@login_required
@require_POST
def plan_rebuild(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    now = clock.now()
    week = _week(request, clock.today(clock.zone_of(user), now))
    actions.week_plan_build(user=user, now=now, week=week, via="web")
    messages.success(request, _("The week was planned again."))
    return redirect(f"{reverse('plan')}?week={week.isoformat()}")


def _touch_response(request: HttpRequest, touch: PlannedTouch) -> HttpResponse:
    """The touch's new row; for htmx with the week's totals swapped in beside it."""
    if is_htmx(request):
        user = current_user(request)
        touches = list(queries.touches_for_week(user, touch.week))
        return render(
            request,
            "planner/_touch_changed.html",
            {
                "t": touch,
                "done_form": DoneForm(),
                "snooze_form": SnoozeForm(),
                **_totals(user, touches),
            },
        )
    return redirect(f"{reverse('plan')}?week={touch.week.isoformat()}")


@login_required
@require_POST
def plan_budget(request: HttpRequest) -> HttpResponse:
    """A new weekly time: saved, and the week planned again within it."""
    user = current_user(request)
    now = clock.now()
    week = _week(request, clock.today(clock.zone_of(user), now))
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            actions.weekly_budget_set(
                user=user,
                minutes=form.cleaned_data["weekly_budget_minutes"],
                now=now,
                week=week,
                via="web",
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Your weekly time was saved and the week planned again."))
    else:
        messages.error(request, "; ".join(str(m) for m in form.errors["weekly_budget_minutes"]))
    return redirect(f"{reverse('plan')}?week={week.isoformat()}")


@login_required
@require_POST
def touch_done(request: HttpRequest, touch_id: int) -> HttpResponse:
    user = current_user(request)
    touch = queries.access_touch_by_id(user, touch_id)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            actions.touch_done(actor=user, touch=touch, via="web", **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return _touch_response(request, touch)


@login_required
@require_POST
def touch_skip(request: HttpRequest, touch_id: int) -> HttpResponse:
    user = current_user(request)
    touch = queries.access_touch_by_id(user, touch_id)
    try:
        actions.touch_skip(actor=user, touch=touch, via="web")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return _touch_response(request, touch)


@login_required
@require_POST
def touch_snooze(request: HttpRequest, touch_id: int) -> HttpResponse:
    user = current_user(request)
    touch = queries.access_touch_by_id(user, touch_id)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        try:
            actions.touch_snooze(
                actor=user,
                touch=touch,
                days=form.cleaned_data["days"],
                now=clock.now(),
                via="web",
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return _touch_response(request, touch)


@login_required
def tier_review(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if request.method == "POST":
        made = actions.tier_review_propose(user=user, now=clock.now(), via="web")
        messages.success(request, _("%(n)s proposals to review.") % {"n": len(made)})
        return redirect("tier_review")
    filters = TierFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {"change": "", "tier": ""}
    proposals = queries.pending_proposals(user, **chosen)
    return render(
        request,
        "planner/tier_review.html",
        {
            "proposals": proposals[:300],
            "matching": proposals.count(),
            "changes": queries.pending_changes(user),
            "filters": filters,
            "chosen": chosen,
            "tiers": Tier.choices,
            "last_review": actions.planner_settings_get(user).last_review_at,
        },
    )


@login_required
@require_POST
def tier_accept_all(request: HttpRequest) -> HttpResponse:
    """Accept every pending proposal the review's filters show, in one go."""
    user = current_user(request)
    filters = TierFilterForm(request.POST)
    if not filters.is_valid():
        messages.error(request, _("Choose a change and a tier from the lists."))
        return redirect("tier_review")
    try:
        accepted = actions.tier_review_accept_all(
            actor=user, proposals=queries.pending_proposals(user, **filters.cleaned_data), via="web"
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext("%(n)s proposal accepted.", "%(n)s proposals accepted.", len(accepted))
            % {"n": len(accepted)},
        )
    return redirect("tier_review")


@login_required
@require_POST
def tier_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = current_user(request)
    proposal = queries.access_proposal_by_id(user, proposal_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            actions.tier_review_decide(
                actor=user, proposal=proposal, tier=form.cleaned_data["tier"], via="web"
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, _("Choose a tier A, B or C."))
    if is_htmx(request):
        return HttpResponse("")
    return redirect("tier_review")


@login_required
def insight_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "planner/insight.html",
        {"insight": insight.network_insight(user, now=clock.now())},
    )


@login_required
def planner_settings(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    found = actions.planner_settings_get(user)
    initial = {
        "weekly_budget_minutes": user.weekly_budget_minutes,
        **{
            name: getattr(found, name)
            for name in (
                "a_min_days",
                "a_max_days",
                "b_days",
                "max_unanswered",
                "snooze_days",
                "digest_enabled",
            )
        },
        "slots": PlannerSettingsForm.slots_text(found.slots),
    }
    form = PlannerSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        budget = data.pop("weekly_budget_minutes")
        try:
            actions.planner_settings_update(user=user, via="web", **data)
            if budget != user.weekly_budget_minutes:
                actions.weekly_budget_set(user=user, minutes=budget, now=clock.now(), via="web")
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Planner settings saved."))
            return redirect("planner_settings")
    return render(
        request, "planner/settings.html", {"form": form, "has_feed": queries.has_live_feed(user)}
    )


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    _feed, token = actions.feed_create(user=current_user(request), via="web")
    url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    return render(request, "planner/feed_created.html", {"url": url})


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    actions.feed_revoke(user=current_user(request), via="web")
    messages.success(request, _("The calendar link no longer works."))
    return redirect("planner_settings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no login, the secret token is the key; wrong and revoked look alike."""
    try:
        user = queries.user_by_feed_token(token)
    except NotFound:
        # Plain words, the same for a wrong and a revoked token: no hint which it was.
        return HttpResponseNotFound("Not found", content_type="text/plain")
    now = clock.now()
    week = queries.week_start(clock.today(clock.zone_of(user), now))
    touches = list(queries.touches_for_week(user, week))
    touches += list(queries.touches_for_week(user, week + dt.timedelta(days=7)))
    response = HttpResponse(
        touches_calendar(user, touches, now=now), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="kring.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
