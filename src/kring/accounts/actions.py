"""Writes to accounts: signing up, preferences, API tokens, erasing an account."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kring.accounts.models import ApiToken, User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.lib.errors import NotFound
from kring.workspaces.models import Membership, Workspace

MAX_WEEKLY_BUDGET = 40 * 60  # a networking budget above 40 hours a week is a typo


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    password: str,
    display_name: str = "",
    language: str = "nl",
    country: str = "BE",
    via: str = "",
) -> User:
    """Create an account and its personal workspace."""
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this e-mail address exists already."})
    user = User(
        email=email,
        username=email,
        display_name=display_name.strip(),
        language=language,
        country=country,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    workspace = Workspace.objects.create(name=user.name, kind=Workspace.Kind.PERSONAL)
    Membership.objects.create(workspace=workspace, user=user, role=Membership.Role.OWNER)
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=user, via=via)
    return user


@transaction.atomic
def user_update_settings(
    *,
    user: User,
    display_name: str | None = None,
    language: str | None = None,
    country: str | None = None,
    weekly_budget_minutes: int | None = None,
    organisation: str | None = None,
    sector: str | None = None,
    offer: str | None = None,
    seeking: str | None = None,
    ideal_customer: str | None = None,
    own_addresses: list[str] | None = None,
    via: str = "",
) -> User:
    changed = []
    for name, value in (
        ("display_name", display_name),
        ("language", language),
        ("country", country),
        ("weekly_budget_minutes", weekly_budget_minutes),
        ("organisation", organisation),
        ("sector", sector),
        ("offer", offer),
        ("seeking", seeking),
        ("ideal_customer", ideal_customer),
        ("own_addresses", own_addresses),
    ):
        if value is not None:
            setattr(user, name, value)
            changed.append(name)
    if weekly_budget_minutes is not None and not 0 <= weekly_budget_minutes <= MAX_WEEKLY_BUDGET:
        raise ValidationError(
            {"weekly_budget_minutes": f"Give between 0 and {MAX_WEEKLY_BUDGET} minutes a week."}
        )
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed or None)
    audit_record(
        actor=user, action=AuditEntry.Action.UPDATE, instance=user, fields=changed, via=via
    )
    return user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, label: str = "", via: str = "") -> tuple[ApiToken, str]:
    """Make an API token; the key is returned once and only its digest is kept."""
    key = "kr_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, label=label.strip()[:100], digest=_digest(key), prefix=key[:8]
    )
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=token, via=via)
    return token, key


def api_token_authenticate(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int, via: str = "") -> None:
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if not deleted:
        raise NotFound("token", token_id)
    audit_record(
        actor=user, action=AuditEntry.Action.ERASE, entity="apitoken", entity_id=token_id, via=via
    )


@transaction.atomic
def account_erase(*, user: User, via: str = "") -> None:
    """Erase an account and everything in it (GDPR art. 17).

    Workspaces the user alone owns go with it when nobody else is in them; a club with other
    members must first get another owner.
    """
    for membership in user.memberships.select_related("workspace"):
        workspace = membership.workspace
        others = workspace.memberships.exclude(user=user)
        if not others.exists():
            workspace.delete()
        elif (
            membership.role == Membership.Role.OWNER
            and not others.filter(role=Membership.Role.OWNER).exists()
        ):
            raise ValidationError(
                {"account": f"Make someone else an owner of {workspace.name} first."}
            )
    user_id = user.pk
    user.delete()
    audit_record(
        actor=None, action=AuditEntry.Action.ERASE, entity="user", entity_id=user_id, via=via
    )
