"""Checks that the Dutch catalogue is whole and compiled, and that no English reaches a reader
of Dutch.

Fails when a message in the .po file has no translation or is marked fuzzy, when the committed
.mo file does not hold what the .po file says (run `scripts/translations`), or when a message a
user sees is written in the code as a plain English string instead of through gettext (a
ValidationError, a form error, a flash message, a CLI error).

It also builds what the test suite uses to catch English on Dutch pages
(:func:`english_patterns`, :func:`english_on_page`; the plugin is tests/dutch.py): every English
msgid of the catalogue that has a Dutch translation, and every English sentence the code raises
without gettext (the core's errors, anything not yet wrapped), as a pattern with its
placeholders left open, so that "Tafel D is full." is found from "%(table)s is full.".
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "kring"
LOCALE = SOURCE / "locale"

# English that may stand on a Dutch page: names of things, formats, words both languages use.
KNOWN_ENGLISH = {
    "LinkedIn CSV",
    "Google CSV",
    "Outlook CSV",
    "API token",
    "API tokens",
    "Swagger UI",
}

# Files whose messages are still English only (left to a later change); none now.
NOT_YET: set[str] = set()

# English names of days and months, which a date formatted in English shows (the months
# whose Dutch name is spelt alike, such as april and september, are left out).
ENGLISH_DATE_WORDS = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "June", "July", "August", "October",
)  # fmt: skip

# --- Messages written as plain English strings ---------------------------------------------
_FLASH = {"debug", "info", "success", "warning", "error"}
_RAISED = ("ValidationError", "CommandError", "CliError", "UsageError")


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _texts_in(node: ast.AST) -> list[ast.AST]:
    if _is_text(node):
        return [node]
    if isinstance(node, ast.Dict):
        return [t for v in node.values if v is not None for t in _texts_in(v)]
    if isinstance(node, ast.List | ast.Tuple):
        return [t for e in node.elts for t in _texts_in(e)]
    return []


def _message_arguments(call: ast.Call) -> list[ast.AST]:
    """The arguments of ``call`` that a user reads, when ``call`` shows or raises a message."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name.endswith(_RAISED):
        return list(call.args[:1])
    if name == "add_error" and len(call.args) >= 2:
        return [call.args[1]]
    if (
        name in _FLASH
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "messages"
        and len(call.args) >= 2
    ):
        return [call.args[1]]
    return []


def plain_messages(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """Messages in ``path`` a user reads that do not go through gettext: (line, code)."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for argument in _message_arguments(node):
                found += [(t.lineno, ast.unparse(t)) for t in _texts_in(argument)]
    return found


def _interface_files() -> list[Path]:
    # The core speaks English by design (its errors carry codes the interface translates);
    # migrations are history.
    return [
        p
        for p in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in p.parts
        and p.relative_to(SOURCE).parts[0] != "core"
        and p.relative_to(SOURCE).as_posix() not in NOT_YET
    ]


# --- English on a Dutch page ---------------------------------------------------------------
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[^{}]*\}")
_HOLE = "\x00"


@dataclass(frozen=True)
class English:
    """One English message as a pattern: ``text`` for the report, ``anchor`` a literal piece
    every match contains (a fast test before the regular expression)."""

    text: str
    anchor: str
    pattern: re.Pattern[str]


def _english(text: str, shape: str) -> English | None:
    """The pattern of ``shape`` (placeholders as holes), or None when its literal words are
    too few to tell English from Dutch ("%(n)s of %(m)s": "of" is Dutch too). Holes at either
    end are left out: they would only make the search slow."""
    pieces = shape.strip().strip(_HOLE).strip().split(_HOLE)
    words = re.findall(r"[A-Za-z]{2,}", " ".join(pieces))
    if len(words) < 2 or sum(map(len, words)) < 6 or text in KNOWN_ENGLISH:
        return None
    parts = []
    for i, piece in enumerate(pieces):
        parts.append(r"\s+".join(re.escape(w) for w in piece.split()) if piece.strip() else "")
        if piece[:1].isspace() and i:
            parts[-1] = r"\s*" + parts[-1]
        if piece[-1:].isspace() and i < len(pieces) - 1:
            parts[-1] += r"\s*"
    body = r".{1,120}?".join(parts)
    first, last = pieces[0].lstrip()[:1], pieces[-1].rstrip()[-1:]
    if first.isalpha():
        body = r"(?<![A-Za-zÀ-ÿ])" + body
    if last.isalpha():
        body += r"(?![A-Za-zÀ-ÿ])"
    anchor = max((p.strip() for p in pieces), key=len)
    return English(text, anchor, re.compile(body))


def _from_msgid(msgid: str) -> English | None:
    return _english(msgid, _PLACEHOLDER.sub(_HOLE, msgid))


def _from_source(node: ast.AST) -> English | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _english(node.value, node.value)
    if isinstance(node, ast.JoinedStr):
        shape = "".join(v.value if isinstance(v, ast.Constant) else _HOLE for v in node.values)
        return _english(ast.unparse(node), shape)
    return None


def _raised_texts(tree: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            found += _texts_in(node.exc.args[0])
        elif isinstance(node, ast.Call):
            for argument in _message_arguments(node):
                found += _texts_in(argument)
    return found


def _dutch_texts() -> list[str]:
    texts = []
    for po_path in sorted(LOCALE.glob("nl/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)).translated_entries():
            texts.append(entry.msgstr)
            texts += entry.msgstr_plural.values()
    return texts


@cache
def english_patterns() -> tuple[English, ...]:
    """Every English message a Dutch reader must not see: the catalogue's msgids that have a
    Dutch translation of their own, and the sentences the code raises in English (the core's
    errors, and any message not yet wrapped in gettext). A pattern that also matches some
    Dutch translation is left out: it cannot tell the two languages apart."""
    found: dict[str, English] = {}
    for po_path in sorted(LOCALE.glob("nl/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)).translated_entries():
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                pairs = [
                    (entry.msgid, entry.msgstr_plural.get(0, "")),
                    (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
                ]
            for msgid, msgstr in pairs:
                if msgid != msgstr and (english := _from_msgid(msgid)):
                    found.setdefault(english.text, english)
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in _raised_texts(ast.parse(path.read_text(encoding="utf-8"))):
            if english := _from_source(node):
                found.setdefault(english.text, english)
    for word in ENGLISH_DATE_WORDS:  # a date formatted without the reader's locale
        found.setdefault(word, English(word, word, re.compile(rf"(?<![A-Za-z]){word}(?![A-Za-z])")))
    dutch = _dutch_texts()
    return tuple(
        e
        for e in found.values()
        if not any(e.anchor in text and e.pattern.search(text) for text in dutch)
    )


_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "input", "label", "legend", "li", "main",
    "nav", "ol", "option", "p", "pre", "section", "select", "summary", "table", "td",
    "textarea", "th", "title", "tr", "ul",
}  # fmt: skip
_READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
_SHOWN = ("submit", "button", "reset")  # inputs whose value is their label


class _Text(HTMLParser):
    """What a reader sees of an HTML page: its text, block by block, and the attributes read
    aloud or shown on hover; not scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag in _BLOCK:
            self.parts.append("\n")
        for name, value in attrs:
            if value and (
                name in _READ_ATTRIBUTES
                or (tag == "input" and name == "value" and dict(attrs).get("type") in _SHOWN)
            ):
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden = max(0, self.hidden - 1)
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def page_text(page: str) -> str:
    """The text a reader sees of an HTML page, one line per block."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)


def english_on_page(text: str) -> list[str]:
    """The English messages found in ``text`` (a page's visible text, or a PDF's), each as
    the line it stands on."""
    found = []
    for english in english_patterns():
        if english.anchor and english.anchor not in text:
            continue
        if match := english.pattern.search(text):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            found.append(text[start : end if end >= 0 else len(text)].strip()[:200])
    return found


def english_in_html(page: str) -> list[str]:
    """The English messages shown by an HTML page."""
    return english_on_page(page_text(page))


# --- Text written in templates outside {% translate %} -------------------------------------
# Words a template may show as they are, in either language.
TEMPLATE_WORDS = {
    *("Kring", "CSV", "LinkedIn", "Nederlands", "English", "Authorization", "Bearer", "min"),
}
_TEMPLATE_CODE = (
    re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
)


def untranslated_template_text(source: str) -> list[str]:
    """Lines of visible text a template writes outside the translate tags."""
    for pattern in _TEMPLATE_CODE:
        source = pattern.sub("\n", source)
    found = []
    for line in page_text(source).splitlines():
        words = set(re.findall(r"[A-Za-z]{3,}", line)) - TEMPLATE_WORDS
        if words:
            found.append(line)
    return found


# --- The check -----------------------------------------------------------------------------
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
    for path in _interface_files():
        for line, code in plain_messages(path):
            problems.append(
                f"{path.relative_to(ROOT)}:{line}: a message in plain English, not through "
                f"gettext: {code}"
            )
    for template in sorted(SOURCE.glob("*/templates/**/*.html")):
        for line in untranslated_template_text(template.read_text(encoding="utf-8")):
            problems.append(
                f"{template.relative_to(ROOT)}: text outside the translate tags: {line!r}"
            )
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
