"""What every app's API router shares: the caller, the error shape, field renaming."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Schema

from kring.lib.validation import error_dict

if TYPE_CHECKING:  # the user model, for types only: lib never imports an app at run time
    from kring.accounts.models import User


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


# Every endpoint that looks a row up can answer with these; declared so that the published
# schema covers them.
FAILS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def api_user(request: HttpRequest) -> User:
    """The account the request's token belongs to (the API's auth ran before)."""
    user = request.auth  # type: ignore[attr-defined]
    assert user is not None and user.is_authenticated
    return user


@contextmanager
def as_fields(**names: str) -> Iterator[None]:
    """Report an action's errors under the API's field names (``receiver`` -> ``receiver_id``)."""
    try:
        yield
    except ValidationError as exc:
        renamed = {names.get(field, field): texts for field, texts in error_dict(exc).items()}
        raise ValidationError(renamed) from None
