"""A club's meetings: tables, who comes, and where everyone sits (seed 002)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.lib import clock


class SeatingState(models.TextChoices):
    """Where a seating run is (it runs in the worker for large meetings)."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Seating everyone")
    FAILED = "failed", _("Seating failed")


class Meeting(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    policy = models.FloatField(
        _("policy"),
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0: meet as many new people as possible; 1: deepen known ties"),
    )
    seated_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    seating_state = models.CharField(max_length=8, choices=SeatingState.choices, blank=True)
    seating_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.local_starts_at:%Y-%m-%d})"

    @property
    def local_starts_at(self) -> dt.datetime:
        """The start as the club's clocks show it: what printouts and exports write."""
        return clock.local(self.starts_at, clock.zone_of(self.workspace))


class MeetingTable(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=40)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="table_name_once")]

    def __str__(self) -> str:
        return self.name


class Guest(models.Model):
    """A visitor a member brings once or twice; not a member, no account."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One member's (or guest's) answer for one meeting, and their seat."""

    class Answer(models.TextChoices):
        YES = "yes", _("Attending")
        NO = "no", _("Not attending")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    answer = models.CharField(max_length=3, choices=Answer.choices)
    table = models.ForeignKey(
        MeetingTable, on_delete=models.SET_NULL, null=True, blank=True, related_name="seated"
    )
    locked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_answer_per_member"),
            models.UniqueConstraint(fields=["meeting", "guest"], name="one_visit_per_guest"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, guest__isnull=False)
                | models.Q(user__isnull=False, guest__isnull=True),
                name="attendance_member_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.answer} {self.meeting_id}"

    @property
    def name(self) -> str:
        if self.user is not None:
            return self.user.name
        return self.guest.name if self.guest is not None else ""

    @property
    def key(self) -> str:
        """The name the seating engine knows this person by."""
        return f"u{self.user_id}" if self.user_id else f"g{self.guest_id}"


class WantToMeet(models.Model):
    """A member would like to sit with another member at one meeting (filled in before it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="wishes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member", "other"], name="wish_once"),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("other")), name="no_wish_to_meet_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} wants to meet {self.other_id}"


class SeatingRule(models.Model):
    """Two members an organiser never seats together (a conflict, a competitor not in the
    record); competitor links between members' organisations count on their own."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="seating_rules"
    )
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "first", "second"], name="rule_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="rule_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"never {self.first_id} with {self.second_id}"


class Referral(models.Model):
    """Business one member passes to another (the club ledger, as BNI chapters keep it)."""

    class Temperature(models.TextChoices):
        HOT = "hot", _("Hot: expects a call")
        WARM = "warm", _("Warm: knows you will call")
        COLD = "cold", _("Cold: a name to try")

    class Status(models.TextChoices):
        GIVEN = "given", _("Given")
        CONTACTED = "contacted", _("Contacted")
        MEETING = "meeting", _("Meeting planned")
        CLOSED = "closed", _("Business closed")
        LOST = "lost", _("No business")

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="referrals"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received"
    )
    contact = models.CharField(_("for whom"), max_length=200)
    details = models.CharField(_("contact details"), max_length=300, blank=True)
    temperature = models.CharField(
        _("how hot"), max_length=4, choices=Temperature.choices, default=Temperature.WARM
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.GIVEN)
    amount_eur = models.DecimalField(
        _("closed for (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    given_on = models.DateField(_("date"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="no_referral_to_oneself"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_eur__isnull=True) | models.Q(amount_eur__gte=0),
                name="referral_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.status})"


class OneToOne(models.Model):
    """Two members met one-to-one to learn each other's business."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="one_to_ones"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    with_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    met_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-met_on", "-id"]

    def __str__(self) -> str:
        return f"one-to-one {self.pk}"
