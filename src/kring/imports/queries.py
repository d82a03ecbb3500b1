"""Permission-checked reads of import batches and merge proposals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kring.accounts.models import User
from kring.imports.models import ImportBatch, Merge, MergeProposal
from kring.lib.errors import NotFound
from kring.people.models import Person
from kring.people.queries import person_emails, person_phones


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


def merge_proposals_for(
    user: User, *, status: str = MergeProposal.Status.OPEN
) -> QuerySet[MergeProposal]:
    """The user's merge proposals in a status (default: open), the likeliest first, with both
    people's organisations and contact points loaded."""
    return (
        MergeProposal.objects.filter(owner=user, status=status)
        .select_related("person__organisation", "duplicate__organisation")
        .prefetch_related("person__contact_points", "duplicate__contact_points")
        .order_by("-score", "id")
    )


def open_proposal_count(batch: ImportBatch) -> int:
    """How many of a batch's merge proposals wait for a decision."""
    return batch.proposals.filter(status=MergeProposal.Status.OPEN).count()


def open_proposals_of_batch(user: User, batch: ImportBatch) -> int:
    """How many merge proposals of one of the user's imports are still open."""
    if batch.owner_id != user.pk:
        raise NotFound("import", batch.pk)
    return open_proposals_for(user).filter(batch=batch).count()


@dataclass(frozen=True)
class ProposalSide:
    person: Person
    emails: list[str]
    phones: list[str]
    interactions: int


def proposal_sides(user: User, proposal: MergeProposal) -> list[ProposalSide]:
    """The two people a merge proposal would make one, side by side."""
    if proposal.owner_id != user.pk:
        raise NotFound("proposal", proposal.pk)
    return [
        ProposalSide(
            person,
            person_emails(person),
            person_phones(person),
            person.interactions.filter(owner=user).count(),
        )
        for person in (proposal.person, proposal.duplicate)
    ]
