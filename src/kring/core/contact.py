"""Phone numbers and e-mail addresses in one canonical form."""

from __future__ import annotations

import re

import phonenumbers

__all__ = ["InvalidContact", "format_phone", "normalise_email", "normalise_phone"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InvalidContact(ValueError):
    """A phone number or e-mail address that cannot be understood."""


def normalise_phone(raw: str, default_region: str = "BE") -> str:
    """Return ``raw`` in E.164, reading national numbers in ``default_region`` (BE or NL).

    Raises
    ------
    InvalidContact
        If the text is not a valid phone number.

    Examples
    --------
    >>> normalise_phone("0470 12 34 56", "BE")
    '+32470123456'
    >>> normalise_phone("06-12345678", "NL")
    '+31612345678'
    """
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException:
        raise InvalidContact(f"{raw!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """An E.164 number as people read it: "+32 470 12 34 56"."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(raw: str) -> str:
    """Trim and lower-case the domain of an address; refuse what is no address.

    >>> normalise_email(" Jan.Peeters@Example.BE ")
    'Jan.Peeters@example.be'
    """
    text = raw.strip()
    if not _EMAIL.match(text):
        raise InvalidContact(f"{raw!r} is not an e-mail address")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"
