"""`now` comes from one place: ``kring.lib.clock``. Everything else takes it as an argument,
and reads calendar days in an explicit zone (never the server's or the request's by accident)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kring.lib import clock

SRC = Path(__file__).resolve().parents[1] / "src" / "kring"
FORBIDDEN = re.compile(
    r"\b(?:timezone\.now|timezone\.localdate|timezone\.localtime|datetime\.now|datetime\.utcnow"
    r"|date\.today|time\.time|get_current_timezone|get_default_timezone)\("
)


def test_it_reads_the_clock_in_one_place_only():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if (path.name == "clock.py" and path.parent.name == "lib") or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not offenders, "read the clock through kring.lib.clock:\n" + "\n".join(offenders)


def test_it_refuses_a_time_zone_that_does_not_exist():
    from django.core.exceptions import ValidationError

    clock.validate_zone("Europe/Brussels")
    with pytest.raises(ValidationError, match="Europe/Brussel"):
        clock.validate_zone("Europe/Brussel")
    # A bad stored name never stops a page: the site's zone stands in.
    assert clock.zone("Mars/Olympus").key == "Europe/Brussels"
    assert "Europe/Amsterdam" in clock.zone_names()
