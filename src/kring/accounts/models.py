"""Accounts: a user logs in with an e-mail address and keeps a few preferences."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.lib.clock import validate_zone
from kring.workspaces.models import Workspace


class Country(models.TextChoices):
    BELGIUM = "BE", _("Belgium")
    NETHERLANDS = "NL", _("Netherlands")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class KringUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # Logging in with "Jan@Example.be" finds jan@example.be.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who logs in. The e-mail address is the login; ``username`` mirrors it."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.BELGIUM
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_zone]
    )
    weekly_budget_minutes = models.PositiveIntegerField(
        _("weekly networking time (minutes)"), default=120
    )
    # The member profile a club shows (organisation, sector) and the "how you can help me"
    # card (seed 000): what I offer, whom I seek, my ideal customer.
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    offer = models.CharField(_("what I offer"), max_length=300, blank=True)
    seeking = models.CharField(_("whom I am looking for"), max_length=300, blank=True)
    ideal_customer = models.CharField(
        _("my ideal customer, in one sentence"), max_length=300, blank=True
    )
    # The addresses that are the user in imported calendars and messages (a work address
    # beside the login); empty means the login address alone.
    own_addresses = models.JSONField(_("my e-mail addresses"), default=list, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects: ClassVar[KringUserManager] = KringUserManager()

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def addresses(self) -> list[str]:
        """The user's own e-mail addresses: the setting, or the login address by default."""
        return [a for a in self.own_addresses if isinstance(a, str) and a] or [self.email]


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.label or 'token'})"


class SignIn(models.Model):
    """A browser session of the account, as its owner sees it in settings: which device,
    from which address, last seen when. Ending it ends the Django session of the same key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} {self.ip_address} {self.created_at:%Y-%m-%d %H:%M}"


class KnownDevice(models.Model):
    """A device (a browser on a system) the account has signed in from. A sign-in from a
    device not in this list is mailed to the account's owner; the first ever is not."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    key = models.CharField(max_length=120)  # accounts.devices.device_key: "Firefox|Windows"
    first_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="accounts_known_device_once")
        ]

    def __str__(self) -> str:
        return self.key


class DevicePassword(models.Model):
    """A password of its own for one device or client (a calendar or contacts app, a script):
    it works only where a device signs in with HTTP Basic (the API), never on the log-in page,
    and is revoked alone. Only a SHA-256 digest is kept; the password is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_passwords")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkspaceSignInPolicy(models.Model):
    """How the admins and members of a club or company must sign in, set by its owner."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="sign_in_policy"
    )
    require_two_factor = models.BooleanField(
        _("owners and admins must use two-factor sign-in"), default=False
    )
    sso_only = models.BooleanField(_("members sign in only with single sign-on"), default=False)

    def __str__(self) -> str:
        return f"policy of {self.workspace_id}"


class SingleSignOnIdentity(models.Model):
    """An account at the single sign-on provider, linked to a Kring account: found again by
    the provider's issuer and its own id for the person (``sub``), which never changes, so a
    later change of e-mail address at the provider still finds the same account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sso_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    email = models.EmailField(blank=True)  # as the provider last said it, for the owner to see
    linked_at = models.DateTimeField()
    last_used_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_sso_identity_once")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
