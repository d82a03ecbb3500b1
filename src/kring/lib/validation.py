"""Turning Django validation errors into the one-line messages the CLI and API print."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def error_text(exc: ValidationError) -> str:
    parts = []
    for field, messages in error_dict(exc).items():
        label = "" if field == "__all__" else f"{field}: "
        parts.append(label + " ".join(messages))
    return "; ".join(parts)
