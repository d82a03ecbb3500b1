"""Rotating project teams in a company: departments, and rotations of mixed teams (seed 003 §10)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ROUNDS = 52


class DepartmentAssignment(models.Model):
    """The department a member works in, as the company's managers set it."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="departments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="departments"
    )
    department = models.CharField(_("department"), max_length=80)

    class Meta:
        ordering = ["department", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_department_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.department}"


class Rotation(models.Model):
    """Teams of a given size over rounds: people meet new colleagues from other departments."""

    class Policy(models.TextChoices):
        MIX = "mix", _("Mix departments and meet new colleagues")
        DEPARTMENTS = "departments", _("Mix departments above all")
        NEW = "new", _("Meet new colleagues above all")

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="rotations"
    )
    name = models.CharField(_("name"), max_length=150)
    team_size = models.PositiveSmallIntegerField(
        _("team size"), validators=[MinValueValidator(2), MaxValueValidator(100)]
    )
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)]
    )
    starts_on = models.DateField(_("first round starts on"))
    weeks_per_round = models.PositiveSmallIntegerField(
        _("weeks per round"), default=1, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    policy = models.CharField(
        _("policy"), max_length=11, choices=Policy.choices, default=Policy.MIX
    )
    seed = models.IntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One round of a rotation, with how well its teams mix."""

    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="round_set")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    # The fewest departments any team of this round has (members without one not counted).
    min_departments = models.PositiveSmallIntegerField(default=0)
    # Pairs in one team this round who shared a team in an earlier round of the rotation.
    repeated_pairs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "number"], name="round_number_once")
        ]

    def __str__(self) -> str:
        return f"round {self.number}"


class Team(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="team_name_once_per_round")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    # The department when the rotation was made: the plan was mixed on it.
    department = models.CharField(_("department"), max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id}"
