"""Domain errors raised anywhere under a view become the right HTTP answer."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kring.lib.errors import NotFound, PermissionDenied


class DomainErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404("Not found")  # the same words for "missing" and "not yours"
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception))
