"""Workspaces pool their members' networks by consent: personal, club or company."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.lib.clock import validate_zone


class Workspace(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        CLUB = "club", _("Club")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # What the club prints and mails (meeting times on place cards and plans) is read here.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_zone]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(  # type: ignore[var-annotated]  # the through model types it
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def can_manage(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


class Invitation(models.Model):
    """An e-mail invitation; the link carries a random token, of which only a digest is kept."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    # What an organiser knew of the invitee (a member list's name, organisation, sector, offer,
    # seeking); it fills the blanks of their profile when they accept, never overwrites it.
    profile = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"


class Departure(models.Model):
    """A member left (or was removed). ``keep_name``: the member consented that the club's
    history (past tables, referrals) still shows their name; otherwise it says "former member"."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="departures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    left_at = models.DateTimeField(auto_now_add=True)
    keep_name = models.BooleanField(_("keep my name in the club's history"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_departure_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} left {self.workspace_id}"
