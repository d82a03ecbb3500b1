"""Meetings of a club: plan one, answer, seat everyone, and "my table tonight"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from kring.accounts.models import User
from kring.clubs import actions, queries
from kring.clubs.models import Attendance, Meeting, Referral, SeatingState
from kring.clubs.pdf import table_plan_pdf
from kring.clubs.reports import (
    DIAL_WORDS,
    dial_meaning,
    reason_between,
    reason_for_viewer,
    seating_lines,
)
from kring.core.dates import year_start
from kring.core.importing.encoding import decode_text
from kring.lib import clock
from kring.lib.csv import write_csv
from kring.lib.errors import NotFound
from kring.lib.views import add_action_errors, current_user, is_htmx
from kring.people.sorting import MemberChoiceField
from kring.workspaces.actions import require_manager
from kring.workspaces.models import Membership
from kring.workspaces.queries import access_workspace_by_id


class MeetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=200, required=False)
    tables = forms.CharField(
        label=gettext_lazy("Tables"),
        help_text=gettext_lazy("One per line: name, seats, and optionally the host's e-mail"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, members: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.members = {m.email.lower(): m for m in members}

    def clean_tables(self) -> list[tuple[str, int, User | None]]:
        tables = []
        for number, line in enumerate(self.cleaned_data["tables"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) not in (2, 3) or not parts[1].isdigit() or not parts[0]:
                raise forms.ValidationError(
                    _("Line %(n)s: write a name and a number of seats, e.g. Table 1, 8.")
                    % {"n": number}
                )
            host = None
            if len(parts) == 3 and parts[2]:
                host = self.members.get(parts[2].lower())
                if host is None:
                    raise forms.ValidationError(
                        _("Line %(n)s: %(email)s is not a member.")
                        % {"n": number, "email": parts[2]}
                    )
            tables.append((parts[0], int(parts[1]), host))
        return tables


@login_required
def meetings_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    user = current_user(request)
    workspace, membership = access_workspace_by_id(user, workspace_id)
    form = MeetingForm(request.POST or None, members=list(queries.club_members(workspace)))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.meeting_create(
                actor=user, workspace=workspace, via="web", **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("meeting", meeting_id=meeting.pk)
    meetings = queries.meetings_of(user, workspace.pk).prefetch_related("attendances")
    return render(
        request,
        "clubs/meetings.html",
        {
            "workspace": workspace,
            "membership": membership,
            "form": form,
            "meetings": meetings[:50],
        },
    )


def _explain_tables(meeting: Meeting, tables: list[queries.TableView]) -> None:
    """Give each table (``.why``) the reasons its members have to meet, for the organiser."""
    why = queries.seat_reasons(meeting, tables)
    for view in tables:
        names = {a.key: a.shown for a in view.seated}  # type: ignore[attr-defined]
        keys = sorted(names)
        view.table.why = [  # type: ignore[attr-defined]
            reason_between(names, a, b, code, param)
            for i, a in enumerate(keys)
            for b in keys[i + 1 :]
            for code, param in why.get((a, b), ())
        ]


def _meeting_context(request: HttpRequest, meeting: Meeting, membership: Membership) -> dict:
    tables, unseated = queries.seating_of(meeting)
    context = {
        "meeting": meeting,
        "membership": membership,
        "tables": tables,
        "unseated": unseated,
        "coming": sum(len(t.seated) for t in tables) + len(unseated),
        "seats": sum(t.table.capacity for t in tables),
        "busy": meeting.seating_state in (SeatingState.QUEUED, SeatingState.RUNNING),
        "report_lines": seating_lines(meeting.report or {}),
        "dial_meaning": dial_meaning(meeting.policy),
        "dial_words": [(f"{upto:.2f}", words) for upto, words in DIAL_WORDS],
    }
    if membership.can_manage:
        context["answers"] = queries.attendance_list(meeting)
        context["not_answered"] = queries.not_answered(meeting)
        context["guest_form"] = GuestForm()
        if meeting.seated_at is not None:
            _explain_tables(meeting, tables)
        everyone = [a for t in tables for a in t.seated] + unseated
        context["absent_hosts"] = actions.absent_hosts(
            meeting,
            tables=[t.table for t in tables],
            present={a.user_id for a in everyone if a.user_id},
        )
    return context


@login_required
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, membership = queries.access_meeting_by_id(user, meeting_id)
    context = _meeting_context(request, meeting, membership)
    context["mine"] = queries.attendance_of(user, meeting)
    if meeting.starts_at > clock.now():
        context["wish_choices"] = list(queries.fellow_members(user, meeting.workspace))
        context["wishes"] = queries.wishes_of(user, meeting)
        context["max_wishes"] = actions.MAX_WISHES
    return render(request, "clubs/meeting.html", context)


@login_required
@require_POST
def want_to_meet(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A member names the fellow members they would like to sit with at this meeting."""
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    others = []
    for raw in request.POST.getlist("others"):
        member = queries.member_by_id(meeting.workspace, raw)
        if member is None:
            raise Http404("Not found")
        others.append(member)
    try:
        actions.want_to_meet_set(
            actor=user, meeting=meeting, others=others, now=clock.now(), via="web"
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The seating will try to seat you with them.")
            if others
            else _("You named nobody to meet."),
        )
    return redirect("meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_answer(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    try:
        actions.attendance_answer(
            actor=user, meeting=meeting, answer=request.POST.get("answer", ""), via="web"
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("meeting", meeting_id=meeting.pk)


def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: shows the meeting and records the answer on a click
    (a POST, so that a mail scanner opening the link answers nothing)."""
    try:
        meeting, member = actions.member_by_answer_token(token)
    except NotFound:
        return render(request, "clubs/answer_invalid.html", status=404)
    # The link needs no login: show the meeting's time as the member reads times.
    timezone.activate(clock.zone_of(member))
    answered = None
    if request.method == "POST":
        try:
            answered = actions.attendance_answer(
                actor=member, meeting=meeting, answer=request.POST.get("answer", ""), via="link"
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    current = answered or queries.attendance_of(member, meeting)
    return render(
        request,
        "clubs/answer.html",
        {
            "meeting": meeting,
            "member": member,
            "current": current,
            "suggested": request.GET.get("answer", ""),
            "answered": answered,
        },
    )


@login_required
@require_POST
def meeting_invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    template = request.build_absolute_uri("/meetings/answer/") + "{token}/?answer={answer}"
    try:
        sent = actions.meeting_invite(
            actor=user, meeting=meeting, answer_url_template=template, via="web"
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "An invitation went to %(n)s member.",
                "Invitations went to %(n)s members.",
                sent,
            )
            % {"n": sent},
        )
    return redirect("meeting", meeting_id=meeting.pk)


class GuestForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Guest's name"), max_length=150)
    organisation = forms.CharField(
        label=gettext_lazy("Organisation"), max_length=200, required=False
    )
    sector = forms.CharField(label=gettext_lazy("Sector"), max_length=100, required=False)


@login_required
@require_POST
def guest_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    form = GuestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the guest's name."))
    else:
        try:
            actions.guest_add(actor=user, meeting=meeting, via="web", **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return redirect("meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def attendance_edit(request: HttpRequest, meeting_id: int, attendance_id: int) -> HttpResponse:
    """An organiser changes one answer on the list (a member who rang to cancel, a guest)."""
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    answer = request.POST.get("answer", "")
    require_manager(user, meeting.workspace)  # the organisers' attendance list only
    if attendance_id == 0:  # a member who has not answered yet
        member = queries.member_by_id(meeting.workspace, request.POST.get("member"))
        if member is None:
            raise Http404("Not found")
        try:
            actions.attendance_answer(
                actor=user, meeting=meeting, answer=answer, member=member, via="web"
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("meeting", meeting_id=meeting.pk)
    attendance = queries.access_attendance_by_id(meeting, attendance_id)
    try:
        actions.attendance_set(actor=user, attendance=attendance, answer=answer, via="web")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_seat(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    try:
        policy = float(request.POST.get("policy", meeting.policy))
    except ValueError:
        policy = -1.0
    try:
        ready = actions.meeting_seat_request(
            actor=user,
            meeting=meeting,
            policy=policy,
            keep=request.POST.get("keep") == "1",
            hostless=request.POST.get("hostless") == "1",
            via="web",
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        if ready:
            messages.success(request, _("Everyone has a seat."))
            hostless = (meeting.report or {}).get("hostless") or []
            if hostless:
                messages.warning(
                    request,
                    ngettext(
                        "%(tables)s has no host tonight.",
                        "%(tables)s have no host tonight.",
                        len(hostless),
                    )
                    % {"tables": ", ".join(hostless)},
                )
    return redirect("meeting", meeting_id=meeting.pk)


@login_required
def seating_progress(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Polled by the meeting page while the worker seats a large meeting."""
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    if meeting.seating_state in (SeatingState.QUEUED, SeatingState.RUNNING):
        return render(request, "clubs/_progress.html", {"meeting": meeting})
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def _tables_or_back(request: HttpRequest, meeting: Meeting, membership: Membership) -> HttpResponse:
    if is_htmx(request):
        context = _meeting_context(request, meeting, membership)
        context["partial"] = True
        return render(request, "clubs/_tables.html", context)
    return redirect("meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def seat_move(request: HttpRequest, meeting_id: int, attendance_id: int) -> HttpResponse:
    """Move one person to a table (a drag on the page, or the form) and lock the seat."""
    user = current_user(request)
    meeting, membership = queries.access_meeting_by_id(user, meeting_id)
    attendance = queries.access_attendance_by_id(meeting, attendance_id)
    raw = request.POST.get("table", "")
    table = queries.access_table_by_id(meeting, raw) if raw else None  # none: not seated
    try:
        actions.seat_move(
            actor=user,
            attendance=attendance,
            table=table,
            locked=request.POST.get("locked") == "on",
            via="web",
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return _tables_or_back(request, meeting, membership)


@login_required
@require_POST
def table_lock(request: HttpRequest, meeting_id: int, table_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, membership = queries.access_meeting_by_id(user, meeting_id)
    table = queries.access_table_by_id(meeting, table_id)
    actions.table_lock(
        actor=user, table=table, locked=request.POST.get("locked") == "on", via="web"
    )
    return _tables_or_back(request, meeting, membership)


def _printed(kind: str) -> tuple[Callable[[Meeting], bytes], str]:
    from kring.clubs.badges import name_badges_pdf, place_cards_pdf

    return {
        "plan": (table_plan_pdf, "table-plan"),
        "cards": (place_cards_pdf, "place-cards"),
        "badges": (name_badges_pdf, "name-badges"),
    }[kind]


@login_required
def meeting_print(request: HttpRequest, meeting_id: int, kind: str) -> HttpResponse:
    """The printed table plan, place cards or name badges (PDF)."""
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    render_pdf, name = _printed(kind)
    response = HttpResponse(render_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{meeting.pk}.pdf"'
    return response


@login_required
def my_table(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = current_user(request)
    meeting, _membership = queries.access_meeting_by_id(user, meeting_id)
    mine = queries.attendance_of(user, meeting, coming=True)
    if request.method == "POST":
        mate = queries.access_attendance_by_id(meeting, request.POST.get("mate"))
        try:
            actions.conversation_log(actor=user, meeting=meeting, mate=mate, via="web")
        except ValidationError as exc:  # e.g. the meeting has not taken place yet
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Your conversation with %(name)s is in your file.") % {"name": mate.name},
            )
        return redirect("my_table", meeting_id=meeting.pk)
    mates = queries.sat_with(user, meeting)
    talked = queries.talked_with(user, [m for m, _ in mates])
    why: dict[tuple[str, str], queries.Reasons] = {}
    if mine is not None and mine.table is not None and mates:
        mine.shown = user.name  # type: ignore[attr-defined]
        mine.user = user
        table = queries.TableView(mine.table, [mine, *(m for m, _ in mates)])
        why = queries.seat_reasons(meeting, [table], around=mine.key)

    def reasons(mate: Attendance) -> list[str]:
        assert mine is not None
        pair = tuple(sorted((mine.key, mate.key)))
        return [reason_for_viewer(mine.key, c, p) for c, p in why.get(pair, ())]  # type: ignore[arg-type]

    return render(
        request,
        "clubs/my_table.html",
        {
            "meeting": meeting,
            "mine": mine,
            "mates": [(m, times, talked.get(m.pk, 0), reasons(m)) for m, times in mates],
        },
    )


class ReferralForm(forms.Form):
    receiver = MemberChoiceField(label=gettext_lazy("To member"), queryset=User.objects.none())
    contact = forms.CharField(label=gettext_lazy("For whom"), max_length=200)
    details = forms.CharField(label=gettext_lazy("Contact details"), max_length=300, required=False)
    temperature = forms.ChoiceField(
        label=gettext_lazy("How hot"), choices=Referral.Temperature.choices
    )

    def __init__(self, *args: object, members: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["receiver"].queryset = members  # type: ignore[attr-defined]


class OneToOneForm(forms.Form):
    with_member = MemberChoiceField(label=gettext_lazy("With member"), queryset=User.objects.none())
    met_on = forms.DateField(
        label=gettext_lazy("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: object, members: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["with_member"].queryset = members  # type: ignore[attr-defined]


def _period(request: HttpRequest, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        start = (
            dt.date.fromisoformat(request.GET.get("from", ""))
            if request.GET.get("from")
            else year_start(today)
        )
        end = dt.date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        raise Http404("no such period") from None
    return start, end


@login_required
def ledger_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Referrals given and received, one-to-ones, and the club's report over a period."""
    user = current_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    others = queries.fellow_members(user, workspace)
    kind = request.POST.get("kind", "")
    referral_form = ReferralForm(request.POST if kind == "referral" else None, members=others)
    talk_form = OneToOneForm(request.POST if kind == "one_to_one" else None, members=others)
    if request.method == "POST":
        try:
            if kind == "referral" and referral_form.is_valid():
                actions.referral_give(
                    actor=user, workspace=workspace, via="web", **referral_form.cleaned_data
                )
                messages.success(request, _("Referral recorded."))
                return redirect("club_ledger", workspace_id=workspace.pk)
            if kind == "one_to_one" and talk_form.is_valid():
                actions.one_to_one_log(
                    actor=user, workspace=workspace, via="web", **talk_form.cleaned_data
                )
                messages.success(request, _("One-to-one recorded."))
                return redirect("club_ledger", workspace_id=workspace.pk)
        except ValidationError as exc:
            add_action_errors(referral_form if kind == "referral" else talk_form, exc)
    start, end = _period(request, clock.today(clock.zone_of(user)))
    report = queries.club_report(user, workspace.pk, start=start, end=end)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="club-report-{start}-{end}.csv"'
        write_csv(
            response,
            (
                [r.member, r.given, r.received, r.closed_eur, r.one_to_ones, r.attended]
                for r in report
            ),
            header=[
                "member",
                "referrals given",
                "referrals received",
                "business closed (EUR)",
                "one-to-ones",
                "meetings attended",
            ],
        )
        return response
    given, received = queries.referrals_for(user, workspace.pk)
    top = max((r.given + r.received for r in report), default=0) or 1
    return render(
        request,
        "clubs/ledger.html",
        {
            "workspace": workspace,
            "referral_form": referral_form,
            "talk_form": talk_form,
            "given": given,
            "received": received,
            "statuses": Referral.Status.choices,
            "report": [(r, round(100 * (r.given + r.received) / top)) for r in report],
            "months": queries.club_months(user, workspace.pk, start=start, end=end),
            "start": start,
            "end": end,
        },
    )


@login_required
@require_POST
def referral_update(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = current_user(request)
    referral = queries.access_referral_by_id(user, referral_id)
    raw = request.POST.get("amount_eur", "").strip().replace(",", ".")
    try:
        amount = Decimal(raw) if raw else None
        actions.referral_update(
            actor=user,
            referral=referral,
            status=request.POST.get("status", ""),
            amount_eur=amount,
            via="web",
        )
    except (ValidationError, InvalidOperation) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [_("Give an amount in euro.")])))
    return redirect("club_ledger", workspace_id=referral.workspace_id)


class MembersImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Member list (CSV)"),
        required=False,
        help_text=gettext_lazy(
            "A header with email and any of name, organisation, sector, offer, seeking."
        ),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "email,name,organisation,sector"}),
    )


class SeatingRuleForm(forms.Form):
    first = MemberChoiceField(label=gettext_lazy("Member"), queryset=User.objects.none())
    second = MemberChoiceField(
        label=gettext_lazy("never at a table with"), queryset=User.objects.none()
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args: object, members: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["first"].queryset = members  # type: ignore[attr-defined]
        self.fields["second"].queryset = members  # type: ignore[attr-defined]


def _read_upload(upload: object) -> str:
    text = decode_text(upload.read())  # type: ignore[attr-defined]
    if text is None:
        raise ValidationError({"file": _("The file is not text.")})
    return text


@login_required
def members_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The club's members with their profiles; organisers import a member list and keep
    pairs apart at table."""
    user = current_user(request)
    workspace, membership = access_workspace_by_id(user, workspace_id)
    members = queries.club_members(workspace)
    kind = request.POST.get("kind", "")
    import_form = MembersImportForm(
        request.POST if kind == "import" else None, request.FILES if kind == "import" else None
    )
    rule_form = SeatingRuleForm(request.POST if kind == "rule" else None, members=members)
    if request.method == "POST":
        try:
            if kind == "import" and import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                text = _read_upload(upload) if upload else import_form.cleaned_data["text"]
                template = request.build_absolute_uri("/invite/") + "{token}/"
                sent, skipped = actions.members_import(
                    actor=user,
                    workspace=workspace,
                    text=text,
                    accept_url_template=template,
                    via="web",
                )
                messages.success(
                    request,
                    ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", sent)
                    % {"n": sent}
                    + (
                        " " + _("Already members: %(emails)s.") % {"emails": ", ".join(skipped)}
                        if skipped
                        else ""
                    ),
                )
                return redirect("club_members", workspace_id=workspace.pk)
            if kind == "rule" and rule_form.is_valid():
                actions.seating_rule_add(
                    actor=user, workspace=workspace, via="web", **rule_form.cleaned_data
                )
                messages.success(request, _("They will not share a table."))
                return redirect("club_members", workspace_id=workspace.pk)
        except ValidationError as exc:
            add_action_errors(import_form if kind == "import" else rule_form, exc)
    road = queries.road_to_five(user, workspace.pk)
    context: dict[str, object] = {
        "workspace": workspace,
        "membership": membership,
        "members": [(m, *road.get(m.pk, (0, 0))) for m in members],
    }
    if membership.can_manage:
        context.update(
            import_form=import_form,
            rule_form=rule_form,
            rules=queries.seating_rules_of(workspace),
            apart=[p for p in actions.never_together(user, workspace) if p[2] == "competitors"],
        )
    return render(request, "clubs/members.html", context)


@login_required
@require_POST
def seating_rule_remove(request: HttpRequest, workspace_id: int, rule_id: int) -> HttpResponse:
    user = current_user(request)
    rule = queries.access_seating_rule_by_id(user, workspace_id, rule_id)
    actions.seating_rule_remove(actor=user, rule=rule, via="web")
    return redirect("club_members", workspace_id=rule.workspace_id)
