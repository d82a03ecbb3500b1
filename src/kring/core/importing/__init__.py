"""Reading what people already have: LinkedIn exports, vCards, Google and Outlook CSV, calendars.

Framework-free: files in, plain records out (:class:`ContactRecord`, :class:`InteractionRecord`)
with :class:`Problem` for each row that cannot be read, and :class:`ImportFileError` for a file
that cannot be read at all; both carry a code and parameters the interface translates
(:data:`MESSAGES` has their English text). Everything streams: a file is never held in memory
whole (an .ics file excepted). :mod:`kring.core.importing.matching` decides who is already known.
"""

from kring.core.importing.reader import FORMATS, SourceFile, open_source
from kring.core.importing.records import (
    MESSAGES,
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    PersonRef,
    Problem,
    message_text,
)

__all__ = [
    "FORMATS",
    "MESSAGES",
    "ContactRecord",
    "ImportFileError",
    "InteractionRecord",
    "PersonRef",
    "Problem",
    "SourceFile",
    "message_text",
    "open_source",
]
