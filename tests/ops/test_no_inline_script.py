"""The Content-Security-Policy forbids inline script; no template may rely on one (an inline
<script>, an on* handler, a javascript: link), or that part of the page stops working."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "kring"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on* event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: link"),
]
# <script type="application/json"> is data, not script.
DATA = re.compile(r'<script[^>]*type="application/(ld\+)?json"', re.I)


def test_no_template_holds_inline_script():
    found = []
    for template in sorted(TEMPLATES.rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                if DATA.match(text, match.start()):
                    continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_policy_allows_no_inline_script():
    policy = dict(
        part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
