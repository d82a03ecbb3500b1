"""The keep-warm planner's storage: each user's cadences and guard, the week's planned touches,
tier-review proposals and the private calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.people.models import Channel, Person, Relationship, Tier


def default_slots() -> list[list[object]]:
    """Tuesday 08:30 and Thursday 16:00: two half-hour networking slots a week."""
    return [[1, "08:30"], [3, "16:00"]]


class PlannerSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planner_settings"
    )
    a_min_days = models.PositiveSmallIntegerField(
        _("A-tier: at least every (days)"), default=14, validators=[MinValueValidator(1)]
    )
    a_max_days = models.PositiveSmallIntegerField(
        _("A-tier: at most every (days)"), default=28, validators=[MinValueValidator(1)]
    )
    b_days = models.PositiveSmallIntegerField(
        _("B-tier: every (days)"), default=90, validators=[MinValueValidator(1)]
    )
    max_unanswered = models.PositiveSmallIntegerField(
        _("unanswered messages before snoozing"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    snooze_days = models.PositiveSmallIntegerField(
        _("snooze for (days)"), default=90, validators=[MinValueValidator(1)]
    )
    slots = models.JSONField(_("networking slots"), default=default_slots)
    digest_enabled = models.BooleanField(_("weekly digest e-mail"), default=True)
    last_digest_week = models.DateField(null=True, blank=True)
    last_review_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"planner settings of {self.user}"


class PlannedTouch(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")
        SNOOZED = "snoozed", _("Snoozed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planned_touches"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="planned_touches")
    week = models.DateField(_("week of"), db_index=True)  # the Monday
    reasons = models.JSONField(default=list)  # reason codes from kring.core.planning
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=5)
    value = models.FloatField(default=0)
    starts_at = models.DateTimeField(_("slot"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    interaction = models.ForeignKey(
        "people.Interaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["week", "starts_at", "-value", "id"]
        constraints = [
            # The follow-up guard's "one planned touch per person per week", kept by the database.
            models.UniqueConstraint(fields=["owner", "person", "week"], name="one_touch_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.person_id} {self.status}"


class TierProposal(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        OVERRIDDEN = "overridden", _("Overridden")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="tier_proposals"
    )
    proposed = models.CharField(max_length=1, choices=Tier.choices)
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_tier = models.CharField(max_length=1, choices=Tier.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.relationship_id} → {self.proposed} ({self.decision})"


class CalendarFeed(models.Model):
    """A private iCalendar URL: the token is random, only its digest is kept, and it can be
    revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed of {self.user}"
