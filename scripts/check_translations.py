"""Checks that the Dutch catalogue is whole and compiled.

Fails when a message in the .po file has no translation or is marked fuzzy, or when the
committed .mo file does not hold what the .po file says (run `scripts/translations`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "kring" / "locale"


def main() -> int:
    problems = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.untranslated_entries():
            problems.append(f"{po_path}:{entry.linenum}: no translation for {entry.msgid!r}")
        for entry in catalogue.fuzzy_entries():
            problems.append(f"{po_path}:{entry.linenum}: fuzzy translation of {entry.msgid!r}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            problems.append(f"{mo_path}: missing; run scripts/translations")
            continue
        compiled = polib.mofile(str(mo_path))
        expected = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue.translated_entries()
        }
        actual = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in compiled
            if e.msgid
        }
        if expected != actual:
            problems.append(f"{mo_path}: out of date with {po_path.name}; run scripts/translations")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
