"""Permission-checked reads of import batches and merge proposals."""

from __future__ import annotations

from django.db.models import QuerySet

from kring.accounts.models import User
from kring.imports.models import ImportBatch, Merge, MergeProposal
from kring.lib.errors import NotFound
from kring.people.models import Person


def access_batch_by_id(user: User, batch_id: object) -> ImportBatch:
    try:
        return ImportBatch.objects.get(
            pk=int(batch_id),  # type: ignore[call-overload]
            owner=user,
        )
    except (ImportBatch.DoesNotExist, TypeError, ValueError):
        raise NotFound("import", batch_id) from None


def access_proposal_by_id(user: User, proposal_id: object) -> MergeProposal:
    try:
        return (
            MergeProposal.objects.select_related(
                "person__organisation", "duplicate__organisation", "person__relationship"
            )
            .prefetch_related("person__contact_points", "duplicate__contact_points")
            .get(
                pk=int(proposal_id),  # type: ignore[call-overload]
                owner=user,
            )
        )
    except (MergeProposal.DoesNotExist, TypeError, ValueError):
        raise NotFound("proposal", proposal_id) from None


def access_merge_by_id(user: User, merge_id: object) -> Merge:
    """A merge of the user's that can still be undone."""
    try:
        return Merge.objects.get(
            pk=int(merge_id),  # type: ignore[call-overload]
            owner=user,
            undone_at__isnull=True,
        )
    except (Merge.DoesNotExist, TypeError, ValueError):
        raise NotFound("merge", merge_id) from None


def merges_into(person: Person) -> QuerySet[Merge]:
    """The merges into ``person`` that can still be undone, newest first."""
    return Merge.objects.filter(person=person, undone_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def batches_for(user: User) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(owner=user).order_by("-created_at", "-id")


def open_proposals_for(user: User) -> QuerySet[MergeProposal]:
    return (
        MergeProposal.objects.filter(owner=user, status=MergeProposal.Status.OPEN)
        .select_related("person__organisation", "duplicate__organisation")
        .order_by("-score", "id")
    )
