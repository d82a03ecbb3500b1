"""Introductions through the pooled network: request → the connector accepts → the target opts
in → made → outcome (seed 000, seed 001 §3)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Introduction(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        DECLINED = "declined", _("Declined by the connector")
        ACCEPTED = "accepted", _("Accepted; waiting for the other person")
        OPTED_OUT = "opted_out", _("The other person said no, thanks")
        MADE = "made", _("Introduction made")
        MET = "met", _("You met")
        CLOSED = "closed", _("Business closed")

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="introductions"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_asked"
    )
    connector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_to_make"
    )
    # A person in the connector's file; the requester sees them only as sharing allows.
    target = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions_requested"
    )
    reason = models.CharField(_("why you want to meet"), max_length=600)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    opt_in_digest = models.CharField(max_length=64, blank=True)
    value_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_eur__isnull=True) | models.Q(value_eur__gte=0),
                name="introduction_value_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"introduction {self.pk} ({self.status})"


def _token() -> str:
    return secrets.token_hex(16)


class NetworkVersion(models.Model):
    """A number that goes up whenever something a workspace's pooled network is made of
    changes (kring.network.signals): the key under which its snapshot is kept."""

    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="network_version"
    )
    number = models.PositiveBigIntegerField(default=0)
    # A write that only changes how strong ties are (a contact logged) leaves the number as it
    # is and sets this: the worker builds the next snapshot, then gives the row a new token,
    # so that pages keep answering from the current one meanwhile instead of each building it.
    stale = models.BooleanField(default=False)
    # New with every row (and with every snapshot the worker publishes): a database restored,
    # emptied or rolled back never meets a snapshot made for another one under the same number.
    token = models.CharField(max_length=32, default=_token, editable=False)

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.number}"
