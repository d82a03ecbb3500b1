"""What the privacy tests share: an answer made comparable, so that "hidden" and "does not exist"
can be shown to answer alike byte for byte, apart from what differs by design (the CSRF token,
which is masked anew on every page, and the address or search words the caller sent)."""

from __future__ import annotations

import base64
import html
import json
import re
import urllib.parse
import zlib

from django.http import HttpResponse

_CSRF = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")'),
    re.compile(rb'("X-CSRFToken": ")[^"]*(")'),
]


def body_of(response: HttpResponse) -> bytes:
    """The whole body, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content


def comparable(response: HttpResponse, *sent: object) -> tuple[int, str, bytes]:
    """Status, content type and body with the CSRF tokens blanked and each of ``sent`` (the
    URL, an id, a search word the caller chose) replaced by a placeholder."""
    body = body_of(response)
    for pattern in _CSRF:
        body = pattern.sub(rb"\1-\2", body)
    for text in sorted((str(t) for t in sent), key=len, reverse=True):
        if text.isdigit():  # an id: only where it stands as a number of its own
            body = re.sub(rb"(?<![0-9])" + text.encode() + rb"(?![0-9])", b"<sent>", body)
        elif text:
            for form in _forms(text):
                body = body.replace(form.encode(), b"<sent>")
    return response.status_code, response.get("Content-Type", ""), body


def _forms(text: str) -> set[str]:
    """``text`` as it may come back: plain, HTML-escaped, in JSON, in a URL."""
    escaped = html.escape(text, quote=True)
    return {
        text,
        escaped,
        escaped.replace("&#x27;", "&#39;"),
        json.dumps(text)[1:-1],
        urllib.parse.quote(text),
        urllib.parse.quote_plus(text),
    }


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF, from its (maybe compressed) content streams."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        if raw.endswith(b"~>"):  # ReportLab's default: ASCII85 around Flate
            raw = base64.a85decode(raw.removeprefix(b"<~")[:-2])
        try:
            chunks.append(zlib.decompress(raw))
        except zlib.error:
            chunks.append(raw)
    drawn = re.findall(rb"\((.*?)\)\s*Tj", b"\n".join(chunks), re.S)
    return " ".join(part.decode("latin-1") for part in drawn)


def readable_text(response: HttpResponse) -> str:
    """What a reader of the answer sees: the body as text, a PDF through the text it draws.
    The CSRF tokens are blanked: 64 random letters and digits, new on every answer, that no
    reader sees and in which a five-letter marker turns up by chance about once in 200,000
    answers (the access sweep sends tens of thousands; "Zqwim" on a people list that cannot
    show it, in one run on 2 December, was most likely that)."""
    body = body_of(response)
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(body)
    for pattern in _CSRF:
        body = pattern.sub(rb"\1-\2", body)
    return body.decode("utf-8", errors="replace")
