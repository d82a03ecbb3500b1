"""The club's ledger: referrals given and followed up, one-to-ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.clubs.actions.meetings import require_member
from kring.clubs.models import (
    OneToOne,
    Referral,
)
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.mail import mail_after_commit
from kring.workspaces.models import Workspace


@transaction.atomic
def referral_give(
    *,
    actor: User,
    workspace: Workspace,
    receiver: User,
    contact: str,
    details: str = "",
    temperature: str = Referral.Temperature.WARM,
    given_on: dt.date | None = None,
    via: str = "",
) -> Referral:
    """Record business passed to a fellow member."""
    require_member(actor, workspace)
    if not workspace.memberships.filter(user=receiver).exists():
        raise ValidationError({"receiver": _("The receiver is not a member of this club.")})
    if receiver == actor:
        raise ValidationError({"receiver": _("A referral to yourself is no referral.")})
    referral = Referral(
        workspace=workspace,
        giver=actor,
        receiver=receiver,
        contact=contact.strip(),
        details=details.strip(),
        temperature=temperature,
        given_on=given_on or clock.today(clock.zone_of(workspace)),
    )
    referral.full_clean()
    referral.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=referral, via=via)
    return referral


@transaction.atomic
def referral_update(
    *,
    actor: User,
    referral: Referral,
    status: str,
    amount_eur: Decimal | None = None,
    via: str = "",
) -> Referral:
    """The receiver says how it went; closed business thanks the giver by e-mail.

    ``amount_eur`` None keeps the amount the referral has: a change of status alone never
    loses it (the club's report counts it only while the business is closed)."""
    if referral.receiver_id != actor.pk:
        raise NotFound("referral", referral.pk)
    if status not in Referral.Status.values:
        raise ValidationError(
            {"status": _("Unknown status %(status)s.") % {"status": repr(status)}}
        )
    if amount_eur is not None and amount_eur < 0:
        raise ValidationError({"amount_eur": _("An amount cannot be negative.")})
    referral.status = status
    if amount_eur is not None:
        referral.amount_eur = amount_eur
    referral.full_clean()
    referral.save(update_fields=["status", "amount_eur", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=referral,
        fields=["status", "amount_eur"],
        via=via,
    )
    if status == Referral.Status.CLOSED:
        mail_after_commit(
            language=referral.giver.language,
            to=referral.giver.email,
            zone=clock.zone_of(referral.giver),
            template="clubs/thanks",
            context={"referral": referral},
        )
    return referral


@transaction.atomic
def one_to_one_log(
    *,
    actor: User,
    workspace: Workspace,
    with_member: User,
    met_on: dt.date | None = None,
    note: str = "",
    via: str = "",
) -> OneToOne:
    require_member(actor, workspace)
    if with_member == actor or not workspace.memberships.filter(user=with_member).exists():
        raise ValidationError({"with_member": _("Choose another member of the club.")})
    meeting = OneToOne(
        workspace=workspace,
        logged_by=actor,
        with_member=with_member,
        met_on=met_on or clock.today(clock.zone_of(workspace)),
        note=note.strip(),
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=meeting, via=via)
    return meeting
