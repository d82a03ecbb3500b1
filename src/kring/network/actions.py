"""Writes of introductions: request, accept or decline, the target's double opt-in, made, and
the outcome — with the favours the reciprocity ledger keeps."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.mail import mail_after_commit
from kring.network.models import Introduction
from kring.people.actions import favour_record, person_for_user
from kring.people.models import ContactPoint, Person, Share, ShareLevel
from kring.workspaces.actions import token_digest
from kring.workspaces.models import Workspace

OPEN = (Introduction.Status.REQUESTED, Introduction.Status.ACCEPTED)
REFUSED = (Introduction.Status.DECLINED, Introduction.Status.OPTED_OUT)
MAX_SENTENCES = 3


def _sentences(text: str) -> int:
    return len([part for part in re.split(r"[.!?]+(?:\s|$)", text.strip()) if part.strip()])


def _mail(user_or_language: User | str, to: str, template: str, context: dict) -> None:
    if isinstance(user_or_language, str):
        language, zone = user_or_language, clock.zone()
    else:
        language, zone = user_or_language.language, clock.zone_of(user_or_language)
    mail_after_commit(
        language=language, to=to, template=f"network/{template}", context=context, zone=zone
    )


def _email_of(person: Person) -> str:
    point = person.contact_points.filter(kind=ContactPoint.Kind.EMAIL).first()
    return point.value if point else ""


@transaction.atomic
def introduction_request(
    *,
    requester: User,
    workspace: Workspace,
    connector: User,
    target: Person,
    reason: str,
    accept_url: str,
    via: str = "",
) -> Introduction:
    """Ask a fellow member to introduce you to someone in their file that they share."""
    members = workspace.memberships
    if not members.filter(user=requester).exists():
        raise NotFound("workspace", workspace.pk)
    if connector == requester or not members.filter(user=connector).exists():
        raise NotFound("member", connector.pk)
    shared = Share.objects.filter(
        workspace=workspace, relationship__person=target, relationship__owner=connector
    ).exclude(level=ShareLevel.NONE)
    if target.owner_id != connector.pk or not shared.exists():
        raise NotFound("person", target.pk)  # alike for hidden and missing: no hint
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say in a sentence why you want to meet.")})
    if _sentences(reason) > MAX_SENTENCES:
        raise ValidationError({"reason": _("Keep it to three sentences: why, and what you offer.")})
    earlier = Introduction.objects.filter(requester=requester, target=target)
    if earlier.filter(status__in=REFUSED).exists():
        raise ValidationError({"target": _("This introduction was declined before; leave it.")})
    if earlier.filter(status__in=OPEN).exists():
        raise ValidationError({"target": _("You asked for this introduction already.")})
    introduction = Introduction(
        workspace=workspace, requester=requester, connector=connector, target=target, reason=reason
    )
    introduction.full_clean()
    introduction.save()
    audit_record(actor=requester, action=AuditEntry.Action.CREATE, instance=introduction, via=via)
    _mail(
        connector,
        connector.email,
        "request",
        {"introduction": introduction, "url": accept_url, "target": target},
    )
    return introduction


def _as_connector(actor: User, introduction: Introduction, *statuses: str) -> None:
    if introduction.connector_id != actor.pk:
        raise NotFound("introduction", introduction.pk)
    if introduction.status not in statuses:
        raise ValidationError({"status": _("This introduction is not waiting for that step.")})


@transaction.atomic
def introduction_decline(*, actor: User, introduction: Introduction, via: str = "") -> Introduction:
    _as_connector(actor, introduction, Introduction.Status.REQUESTED)
    introduction.status = Introduction.Status.DECLINED
    introduction.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=introduction,
        fields=["status"],
        via=via,
    )
    _mail(
        introduction.requester,
        introduction.requester.email,
        "declined",
        {"introduction": introduction},
    )
    return introduction


@transaction.atomic
def introduction_accept(
    *, actor: User, introduction: Introduction, opt_in_url_template: str, via: str = ""
) -> Introduction:
    """The connector agrees; the target is asked first (double opt-in) by e-mail."""
    _as_connector(actor, introduction, Introduction.Status.REQUESTED)
    address = _email_of(introduction.target)
    if not address:
        raise ValidationError(
            {"target": _("Your file has no e-mail address for this person: add one first.")}
        )
    token = secrets.token_urlsafe(32)
    introduction.opt_in_digest = token_digest(token)
    introduction.status = Introduction.Status.ACCEPTED
    introduction.save(update_fields=["opt_in_digest", "status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=introduction,
        fields=["status"],
        via=via,
    )
    _mail(
        actor,
        address,
        "opt_in",
        {"introduction": introduction, "url": opt_in_url_template.format(token=token)},
    )
    return introduction


def introduction_by_token(token: str) -> Introduction:
    found = (
        Introduction.objects.select_related("requester", "connector", "target")
        .filter(opt_in_digest=token_digest(token), status=Introduction.Status.ACCEPTED)
        .first()
    )
    if found is None:
        raise NotFound("introduction", "")
    return found


@transaction.atomic
def introduction_opt_in(*, token: str, yes: bool) -> Introduction:
    """The target answers. Yes: the introduction is made — both get an e-mail, and the ledger
    records the connector's favour on both sides."""
    introduction = introduction_by_token(token)
    introduction.opt_in_digest = ""
    if not yes:
        introduction.status = Introduction.Status.OPTED_OUT
        introduction.save(update_fields=["opt_in_digest", "status", "updated_at"])
        _mail(
            introduction.connector,
            introduction.connector.email,
            "opted_out",
            {"introduction": introduction},
        )
        return introduction
    introduction.status = Introduction.Status.MADE
    introduction.save(update_fields=["opt_in_digest", "status", "updated_at"])
    requester, connector, target = (
        introduction.requester,
        introduction.connector,
        introduction.target,
    )
    favour_record(
        owner=connector,
        person=person_for_user(connector, requester),
        direction="given",
        kind="introduction",
        description=f"Introduction #{introduction.pk}",
        via="intro",
    )
    favour_record(
        owner=requester,
        person=person_for_user(requester, connector),
        direction="received",
        kind="introduction",
        description=f"Introduction #{introduction.pk}",
        via="intro",
    )
    context = {"introduction": introduction, "target": target}
    _mail(requester, requester.email, "made", context)
    _mail(connector, _email_of(target), "made_target", context)
    audit_record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        instance=introduction,
        fields=["status"],
        via="opt-in",
    )
    return introduction


@transaction.atomic
def introduction_outcome(
    *,
    actor: User,
    introduction: Introduction,
    outcome: str,
    value_eur: Decimal | None = None,
    via: str = "",
) -> Introduction:
    """The requester says what came of it; closed business is credited to the connector."""
    if introduction.requester_id != actor.pk:
        raise NotFound("introduction", introduction.pk)
    if introduction.status not in (Introduction.Status.MADE, Introduction.Status.MET):
        raise ValidationError({"status": _("Record the outcome once the introduction is made.")})
    if outcome not in (Introduction.Status.MET, Introduction.Status.CLOSED):
        raise ValidationError({"outcome": _("The outcome is 'met' or 'closed'.")})
    if value_eur is not None and value_eur < 0:
        raise ValidationError({"value_eur": _("A value cannot be negative.")})
    introduction.status = outcome
    introduction.value_eur = value_eur if outcome == Introduction.Status.CLOSED else None
    introduction.save(update_fields=["status", "value_eur", "updated_at"])
    if outcome == Introduction.Status.CLOSED:
        favour_record(
            owner=actor,
            person=person_for_user(actor, introduction.connector),
            direction="received",
            kind="referral",
            value_eur=value_eur,
            description=f"Business closed after introduction #{introduction.pk}",
            via=via,
        )
        _mail(
            introduction.connector,
            introduction.connector.email,
            "thanks",
            {"introduction": introduction},
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=introduction,
        fields=["status", "value_eur"],
        via=via,
    )
    return introduction
