"""Import batches, what earlier imports brought in, and merge proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.people.models import Interaction, Person


class ImportBatch(models.Model):
    """One upload of one or more files: its preview, then its report."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Waiting for your confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    # [{"name", "format", "encoding", "stored"}]: what was uploaded and where it waits.
    files = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)  # the report of the dry run
    report = models.JSONField(default=dict, blank=True)  # the report of the import itself
    error = models.TextField(blank=True)
    # {"code", "params"} of the failure, so that the page says it in the reader's language.
    failure = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.status})"


class ImportedKey(models.Model):
    """A record an import brought in, so that importing the same file again changes nothing.

    The key is a hash of what identifies the record in its source, never its content.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="imported_key_once"),
        ]

    def __str__(self) -> str:
        return self.key


class MergeProposal(models.Model):
    """Two people in one file who are probably one: the user accepts or rejects the merge."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Merged")
        REJECTED = "rejected", _("Kept apart")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merge_proposals"
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "duplicate"], name="merge_proposal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.person_id} ({self.status})"


class Merge(models.Model):
    """A merge Kring made (an imported record folded into a person it surely is) or the
    user made (two people made one), with what it changed, so that it can be undone.

    ``changes`` holds what undoing needs: the imported record, or the person merged away
    (fields, relationship, contact points, tags); the fields the merge filled in; and the
    ids of what it moved (interactions, notes, favours, asks, import keys, …).
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Imported record")
        PEOPLE = "people", _("Two people")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    kind = models.CharField(max_length=6, choices=Kind.choices)
    name = models.CharField(max_length=300)  # who was merged in, as the person's page shows it
    source = models.CharField(max_length=300, blank=True)  # the file and line, for a record
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "undone_at"])]

    def __str__(self) -> str:
        return f"{self.kind} merge into {self.person_id}"
