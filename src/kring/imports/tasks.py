"""Large imports run in the worker (`kring worker`), with progress the page polls."""

from __future__ import annotations

from django_tasks import task

from kring.imports.actions import batch_commit
from kring.imports.models import ImportBatch


@task()
def import_batch_task(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("owner").get(pk=batch_id)
    return batch_commit(actor=batch.owner, batch=batch).status
