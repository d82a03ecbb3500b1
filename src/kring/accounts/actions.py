"""Writes to accounts: signing up, passwords, site admins, preferences, API tokens, erasing an
account."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import asdict, dataclass
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts.devices import device_key, device_name
from kring.accounts.models import (
    ApiToken,
    DevicePassword,
    KnownDevice,
    SignIn,
    SingleSignOnIdentity,
    User,
    WorkspaceSignInPolicy,
)
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.mail import mail_after_commit
from kring.workspaces.models import Membership, Workspace

MAX_WEEKLY_BUDGET = 40 * 60  # a networking budget above 40 hours a week is a typo
SIGNUP_DAYS = 3  # how long the link that finishes a sign-up works
_SIGNUP_SALT = "kring.accounts.signup"


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
    """Create an account and its personal workspace.

    Raises ValidationError naming the field: ``email`` (malformed, or an account has it),
    ``password`` (refused by the password validators), ``language``, ``country``.
    """
    email = User.objects.normalize_email(email.strip())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address exists already.")})
    user = User(
        email=email,
        username=email,
        display_name=display_name.strip(),
        language=language,
        country=country,
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors = exc.message_dict
        # The username mirrors the e-mail address: what it refuses, the address caused.
        if "username" in errors:
            refused = errors.pop("username")
            errors.setdefault("email", refused)
        raise ValidationError(errors) from None
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    workspace = Workspace.objects.create(name=user.name, kind=Workspace.Kind.PERSONAL)
    Membership.objects.create(workspace=workspace, user=user, role=Membership.Role.OWNER)
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=user, via=via)
    return user


@dataclass(frozen=True)
class SignUp:
    """A sign-up waiting for its owner to open the link in the mail and choose a password."""

    email: str
    display_name: str
    language: str
    country: str
    next: str = ""  # where to go once the account exists (an invitation, say)


def signup_request(
    *,
    email: str,
    display_name: str = "",
    language: str = "nl",
    country: str = "BE",
    next: str = "",
    finish_url_template: str,
    login_url: str,
    reset_url: str,
) -> None:
    """Start a sign-up without telling anyone but the mailbox whether the address has an
    account: a new address gets a link (``finish_url_template`` with ``{token}``) to choose a
    password, which creates the account; an address with an account gets a note that someone
    tried to sign up with it, with the log-in and password-reset links. The caller answers
    alike in both cases.

    Nothing is stored until the link is opened: the link carries the sign-up, signed, for
    :data:`SIGNUP_DAYS` days. Whoever reads the mailbox chooses the password, so nobody can
    make an account in someone else's name and wait for them to confirm it.
    """
    email = User.objects.normalize_email(email.strip())
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        mail_after_commit(
            language=existing.language,
            to=existing.email,
            template="accounts/signup_exists",
            context={"user": existing, "login_url": login_url, "reset_url": reset_url},
            zone=clock.zone_of(existing),
        )
        return
    signup = SignUp(
        email=email,
        display_name=display_name.strip(),
        language=language,
        country=country,
        next=next,
    )
    candidate = User(
        email=email,
        username=email,
        display_name=signup.display_name,
        language=language,
        country=country,
    )
    candidate.full_clean(exclude=["password"])
    token = signing.dumps(asdict(signup), salt=_SIGNUP_SALT, compress=True)
    mail_after_commit(
        language=language,
        to=email,
        template="accounts/signup_confirm",
        context={
            "name": signup.display_name,
            "url": finish_url_template.format(token=token),
            "days": SIGNUP_DAYS,
        },
    )


def signup_by_token(token: str) -> SignUp:
    """The sign-up a link in the mail carries; not found alike for a forged, expired or used
    link (used: the address has an account now)."""
    try:
        data = signing.loads(token, salt=_SIGNUP_SALT, max_age=dt.timedelta(days=SIGNUP_DAYS))
        signup = SignUp(**data)
    except (signing.BadSignature, TypeError, ValueError):  # expired is a bad signature too
        raise NotFound("sign-up", "") from None
    if User.objects.filter(email__iexact=signup.email).exists():
        raise NotFound("sign-up", "")
    return signup


@transaction.atomic
def signup_finish(*, token: str, password: str, via: str = "") -> tuple[User, SignUp]:
    """Create the account a sign-up link stands for, with the password its owner chose."""
    signup = signup_by_token(token)
    user = user_sign_up(
        email=signup.email,
        password=password,
        display_name=signup.display_name,
        language=signup.language,
        country=signup.country,
        via=via,
    )
    return user, signup


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def user_set_password(
    *,
    user: User,
    password: str,
    actor: User | None = None,
    keep_session_key: str | None = None,
    via: str = "",
) -> User:
    """Give an account a new password (checked by the password validators) and end every
    session of the account but ``keep_session_key`` (the browser that changed it, if any).

    ``actor`` is who did it: the user, or None for the server's operator at the terminal.
    """
    _validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["password"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=user, fields=["password"], via=via
    )
    sessions_end_others(user=user, keep_session_key=keep_session_key, via=via)
    return user


@transaction.atomic
def user_make_admin(*, user: User, actor: User | None = None, via: str = "") -> User:
    """Make an account a site admin: it sees the admin pages and may do everything there."""
    user.is_staff = True
    user.is_superuser = True
    user.full_clean(exclude=["password"])
    user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=user,
        fields=["is_staff", "is_superuser"],
        via=via,
    )
    return user


@transaction.atomic
def user_update_settings(
    *,
    user: User,
    display_name: str | None = None,
    language: str | None = None,
    country: str | None = None,
    time_zone: str | None = None,
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
        ("time_zone", time_zone),
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
            {
                "weekly_budget_minutes": _("Give between 0 and %(max)s minutes a week.")
                % {"max": MAX_WEEKLY_BUDGET}
            }
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
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int, via: str = "") -> None:
    deleted, _by_model = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if not deleted:
        raise NotFound("token", token_id)
    audit_record(
        actor=user, action=AuditEntry.Action.ERASE, entity="apitoken", entity_id=token_id, via=via
    )


@transaction.atomic
def signin_unlock(*, actor: User | None, email: str = "", address: str = "", via: str = "") -> int:
    """Lift the lock on an account (``email``) or an address (``address``): its failed
    attempts are forgotten. Returns how many records of failures went; 0 when nothing was
    locked. ``actor`` is the site admin, or None for the operator at the terminal."""
    if bool(email) == bool(address):
        raise ValueError("signin_unlock takes an e-mail address or an address, one of the two")
    if email:
        account = User.objects.filter(email__iexact=email.strip()).first()
        count = axes_reset(username=email.strip().lower())
    else:
        account = None
        count = axes_reset(ip=address.strip())
    if count:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ERASE,
            entity="lockout",
            entity_id=account.pk if account else None,
            fields=["username"] if email else ["ip_address"],
            via=via,
        )
    return count


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
                {
                    "account": _("Make someone else an owner of %(name)s first.")
                    % {"name": workspace.name}
                }
            )
    user_id = user.pk
    user.delete()
    audit_record(
        actor=None, action=AuditEntry.Action.ERASE, entity="user", entity_id=user_id, via=via
    )


# --- Sessions ------------------------------------------------------------------------------
SEEN_EVERY = dt.timedelta(minutes=5)  # "last seen" is kept to this precision (fewer writes)


def _session_store(session_key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def sign_in_record(
    *,
    user: User,
    session_key: str,
    user_agent: str,
    ip_address: str | None,
    now: dt.datetime,
) -> SignIn:
    """Note a session of the account (a sign-in, or a session from before sign-ins were
    noted, seen again)."""
    sign_in, _created = SignIn.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "user_agent": user_agent[:300],
            "ip_address": ip_address or None,
            "last_seen_at": now,
        },
        create_defaults={
            "user": user,
            "user_agent": user_agent[:300],
            "ip_address": ip_address or None,
            "created_at": now,
            "last_seen_at": now,
        },
    )
    if _created:
        _note_device(user, user_agent=user_agent, ip_address=ip_address, now=now)
    return sign_in


def _note_device(user: User, *, user_agent: str, ip_address: str | None, now: dt.datetime) -> None:
    """Remember the device of a new session; tell the owner of a sign-in from a device the
    account never used before (not of the very first one)."""
    first_ever = not KnownDevice.objects.filter(user=user).exists()
    _device, new = KnownDevice.objects.get_or_create(
        user=user, key=device_key(user_agent), defaults={"first_seen_at": now}
    )
    if new and not first_ever:
        with translation.override(user.language or None):
            device = device_name(user_agent)
        mail_after_commit(
            language=user.language,
            to=user.email,
            template="accounts/new_device",
            context={"user": user, "device": device, "address": ip_address or "?", "when": now},
            zone=clock.zone_of(user),
        )


def sign_in_forget(*, session_key: str) -> None:
    """The session ended by itself (log-out): nothing is left to show."""
    SignIn.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sign_in_end(*, user: User, sign_in_id: int, via: str = "") -> None:
    """End one of the account's sessions: that browser is signed out at its next request."""
    sign_in = SignIn.objects.filter(pk=sign_in_id, user=user).first()
    if sign_in is None:
        raise NotFound("sign-in", sign_in_id)
    _session_store(sign_in.session_key).delete()
    sign_in.delete()
    audit_record(
        actor=user, action=AuditEntry.Action.ERASE, entity="signin", entity_id=sign_in_id, via=via
    )


def sessions_end_others(*, user: User, keep_session_key: str | None, via: str = "") -> int:
    """End every session of the account but ``keep_session_key``; how many ended."""
    others = SignIn.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    ended = 0
    for sign_in in others:
        _session_store(sign_in.session_key).delete()
        ended += 1
    others.delete()
    if ended:
        audit_record(
            actor=user, action=AuditEntry.Action.ERASE, entity="signin", fields=["all"], via=via
        )
    return ended


# --- Device passwords ----------------------------------------------------------------------
_DEVICE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: typed on a phone


def _device_secret() -> str:
    # Five groups of four from 31 signs: 99 bits, typed on a phone without confusion.
    return "-".join("".join(secrets.choice(_DEVICE_ALPHABET) for _ in range(4)) for _ in range(5))


@transaction.atomic
def device_password_create(
    *, user: User, name: str, now: dt.datetime, via: str = ""
) -> tuple[DevicePassword, str]:
    """Make a device password named ``name``; the password is returned once and only its
    digest is kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the device, so that you know which to revoke.")})
    secret = _device_secret()
    device = DevicePassword(user=user, name=name, digest=_digest(secret), created_at=now)
    device.full_clean()
    device.save()
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=device, via=via)
    return device, secret


@transaction.atomic
def device_password_revoke(*, user: User, device_password_id: int, via: str = "") -> None:
    # Looked up first: a revoke of what is not the caller's writes nothing at all.
    device = DevicePassword.objects.filter(pk=device_password_id, user=user).first()
    if device is None:
        raise NotFound("device password", device_password_id)
    device.delete()
    audit_record(
        actor=user,
        action=AuditEntry.Action.ERASE,
        entity="devicepassword",
        entity_id=device_password_id,
        via=via,
    )


def device_password_authenticate(*, email: str, password: str, now: dt.datetime) -> User | None:
    """The account whose device password this is, if the address is its owner's."""
    device = (
        DevicePassword.objects.select_related("user")
        .filter(digest=_digest(password.strip()), user__email__iexact=email.strip())
        .first()
    )
    if device is None or not device.user.is_active:
        return None
    if device.last_used_at is None or now - device.last_used_at > SEEN_EVERY:
        DevicePassword.objects.filter(pk=device.pk).update(last_used_at=now)
    return device.user


# --- Two-factor sign-in --------------------------------------------------------------------
RECOVERY_CODES = 10
RECOVERY_NAME = "Recovery codes"


def two_factor_device(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator, if two-factor sign-in is on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_begin(*, user: User) -> TOTPDevice:
    """The authenticator being set up: a new secret, shown as a QR code until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(_DEVICE_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_confirm(*, user: User, code: str, via: str = "") -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on with the first code the authenticator shows; returns the
    device and the recovery codes (shown once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_code(code)):
        raise ValidationError({"code": _("That code is not right. Try the newest one.")})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action=AuditEntry.Action.CREATE, entity="twofactor", via=via)
    _mail_two_factor(user, on=True)
    return device, codes


@transaction.atomic
def two_factor_new_recovery_codes(*, user: User, via: str = "") -> list[str]:
    """New recovery codes; the old ones stop working."""
    if two_factor_device(user) is None:
        raise ValidationError(_("Two-factor sign-in is off."))
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        entity="twofactor",
        fields=["recovery"],
        via=via,
    )
    return codes


def two_factor_required(user: User) -> bool:
    """Whether a club or company the user owns or runs asks two-factor sign-in of them."""
    return WorkspaceSignInPolicy.objects.filter(
        require_two_factor=True,
        workspace__memberships__user=user,
        workspace__memberships__role__in=[Membership.Role.OWNER, Membership.Role.ADMIN],
    ).exists()


@transaction.atomic
def two_factor_turn_off(*, user: User, actor: User | None, via: str = "") -> None:
    """Turn two-factor sign-in off: the authenticator and the recovery codes go. The user may
    not while a workspace requires it; the site's operator (``actor`` None, `kring account
    reset-2fa`) may, for a lost device: the user then sets it up again at the next sign-in."""
    if actor is not None and two_factor_required(user):
        raise ValidationError(
            _("A club or company you run requires two-factor sign-in; it stays on.")
        )
    deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action=AuditEntry.Action.ERASE, entity="twofactor", via=via)
        _mail_two_factor(user, on=False)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def _code(text: str) -> str:
    return "".join(text.split()).replace("-", "").lower()


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts this code: the authenticator, or a recovery code (used up)."""
    code = _code(code)
    if not code:
        return None
    return match_token(user, code)


def _mail_two_factor(user: User, *, on: bool) -> None:
    mail_after_commit(
        language=user.language,
        to=user.email,
        template="accounts/two_factor_on" if on else "accounts/two_factor_off",
        context={"user": user},
        zone=clock.zone_of(user),
    )


@transaction.atomic
def workspace_policy_set(
    *,
    actor: User,
    workspace: Workspace,
    require_two_factor: bool,
    sso_only: bool | None = None,
    via: str = "",
) -> WorkspaceSignInPolicy:
    """The owner's rules for signing in to a club or company. Requiring two-factor sign-in
    ends the sessions of its owners and admins who have none, so they set it up at their next
    sign-in; the owner must have it on first. ``sso_only`` (None: as it was) refuses its
    members a password sign-in: they use the single sign-on button, which the server must
    offer and the owner must have used once, so that nobody locks themselves out."""
    if workspace.kind == Workspace.Kind.PERSONAL:
        raise ValidationError(_("A personal workspace has no sign-in rules."))
    if require_two_factor and two_factor_device(actor) is None:
        raise ValidationError(
            {"require_two_factor": _("Turn on two-factor sign-in for yourself first.")}
        )
    policy, _created = WorkspaceSignInPolicy.objects.get_or_create(workspace=workspace)
    changed = ["require_two_factor"]
    if sso_only is not None and sso_only != policy.sso_only:
        if sso_only and not getattr(settings, "OIDC_ISSUER", ""):
            raise ValidationError(
                {"sso_only": _("This server offers no single sign-on; its operator sets it up.")}
            )
        if (
            sso_only
            and not SingleSignOnIdentity.objects.filter(
                user=actor, issuer=getattr(settings, "OIDC_ISSUER", "")
            ).exists()
        ):
            raise ValidationError(
                {"sso_only": _("Sign in once with single sign-on yourself first.")}
            )
        policy.sso_only = sso_only
        changed.append("sso_only")
    was = policy.require_two_factor
    policy.require_two_factor = require_two_factor
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=policy,
        fields=changed,
        via=via,
    )
    if require_two_factor and not was:
        runners = workspace.memberships.filter(
            role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
        ).exclude(user=actor)
        for membership in runners.select_related("user"):
            if two_factor_device(membership.user) is None:
                sessions_end_others(user=membership.user, keep_session_key=None, via=via)
    return policy


# --- Single sign-on ------------------------------------------------------------------------
class SignOnRefused(Exception):
    """A single sign-on the provider vouched for that Kring does not let in, with the reason in
    words for the person (translated where it is raised)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def sso_sign_in(
    *,
    issuer: str,
    subject: str,
    email: str,
    email_verified: bool,
    display_name: str = "",
    language: str = "nl",
    now: dt.datetime,
    via: str = "web",
) -> User:
    """The account a single sign-on stands for, with what the provider vouched for in its
    signed answer: ``issuer`` and ``subject`` (its own id for the person), the e-mail address
    and whether the provider verified it.

    1. An identity linked before is found by issuer and subject, whatever the address is now.
    2. Otherwise an account with the same address is linked, but only when the provider says
       it verified the address: an unverified one is refused, never linked silently (anybody
       can type someone else's address at some providers).
    3. Otherwise a new account is made for a verified address, when ``KRING_OIDC_SIGNUP`` is
       on (as the sign-up page, it is open to anyone the provider vouches for); it has no
       password, so it signs in only this way until its owner asks for a password reset.

    Raises :class:`SignOnRefused` with the reason. Each link and each new account is in the
    audit log.
    """
    subject = subject.strip()
    if not issuer or not subject:
        raise SignOnRefused(_("The sign-in service did not say who you are. Try again."))
    identity = (
        SingleSignOnIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    email = User.objects.normalize_email(email.strip())
    if identity is not None:
        if not identity.user.is_active:
            raise SignOnRefused(_("This account is switched off."))
        fields = ["last_used_at"]
        identity.last_used_at = now
        if email and email_verified and email != identity.email:
            identity.email = email
            fields.append("email")
        identity.save(update_fields=fields)
        return identity.user
    if not email:
        raise SignOnRefused(
            _("The sign-in service did not share your e-mail address, which Kring needs.")
        )
    if not email_verified:
        if User.objects.filter(email__iexact=email).exists():
            raise SignOnRefused(
                _(
                    "The sign-in service has not verified the e-mail address %(email)s, so "
                    "Kring does not link it to the account with that address. Verify the "
                    "address at the service, or sign in with your password."
                )
                % {"email": email}
            )
        raise SignOnRefused(
            _(
                "The sign-in service has not verified the e-mail address %(email)s. Verify it "
                "there first, then sign in again."
            )
            % {"email": email}
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if not settings.OIDC_SIGNUP:
            raise SignOnRefused(
                _(
                    "There is no account with the address %(email)s here. Ask your club or "
                    "company for an invitation."
                )
                % {"email": email}
            )
        user = User(
            email=email,
            username=email,
            display_name=display_name.strip()[:150],
            language=language if language in ("nl", "en") else "nl",
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        workspace = Workspace.objects.create(name=user.name, kind=Workspace.Kind.PERSONAL)
        Membership.objects.create(workspace=workspace, user=user, role=Membership.Role.OWNER)
        audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=user, via=via)
    elif not user.is_active:
        raise SignOnRefused(_("This account is switched off."))
    identity = SingleSignOnIdentity(
        user=user, issuer=issuer, subject=subject, email=email, linked_at=now, last_used_at=now
    )
    identity.full_clean()
    identity.save()
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=identity, via=via)
    return user
