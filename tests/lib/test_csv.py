"""The one CSV writer: text that a spreadsheet would run as a formula is written as text;
numbers Kring computed stay numbers."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import doctest
import io
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kring.lib import csv as kring_csv
from kring.lib.csv import FORMULA_STARTS, Phones, cell_text, csv_text

SRC = Path(__file__).resolve().parents[2] / "src" / "kring"


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_it_keeps_its_docstring_examples_true():
    assert doctest.testmod(kring_csv).failed == 0


def test_it_writes_formula_text_as_text():
    cells = ['=HYPERLINK("http://evil.example","Click")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    assert _read(csv_text([cells]))[0] == ["'" + c for c in cells]
    assert cell_text("  =1+1") == "'  =1+1"  # a spreadsheet that trims spaces still sees text


def test_it_leaves_ordinary_text_alone():
    cells = ["Jan van der Berg", "R&D manager", "O'Brien", "a = b", "", "1+1", "e-mail"]
    assert _read(csv_text([cells]))[0] == cells


def test_it_keeps_numbers_kring_computed_as_numbers():
    row = [Decimal("-12.50"), -3, 2.5, 0, True, dt.date(2026, 12, 31), None]
    assert _read(csv_text([row]))[0] == ["-12.50", "-3", "2.5", "0", "yes", "2026-12-31", ""]
    # The same characters as text are someone's input: neutralised.
    assert cell_text("-12.50") == "'-12.50"


def test_it_keeps_normalised_phone_numbers_and_only_those():
    assert cell_text(Phones("+32470123456 +31612345678")) == "+32470123456 +31612345678"
    assert cell_text(Phones("+1")) == "'+1"
    assert cell_text(Phones("+32470123456 =1+1")) == "'+32470123456 =1+1"
    assert cell_text("+32470123456") == "'+32470123456"  # not marked as Kring's: text


def test_it_ends_lines_with_crlf_and_quotes_what_needs_it():
    assert csv_text([["a", 'say "hi", then'], [1, "x\ny"]]) == (
        'a,"say ""hi"", then"\r\n1,"x\ny"\r\n'
    )


@given(st.text())
def test_no_written_text_cell_starts_like_a_formula(text):
    written = _read(csv_text([[text, "end"]]))[0][0]
    assert not written.lstrip(" ").startswith(FORMULA_STARTS)
    # Nothing is lost: the apostrophe is the only change.
    assert written in (text, "'" + text)


def test_every_csv_export_goes_through_the_one_writer():
    """A new export that writes CSV itself would skip the formula rule: only lib/csv.py may
    make a csv writer."""
    makers = {"writer", "DictWriter"}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "lib" / "csv.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in makers
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not found, found
