"""What the privacy sweeps read of an answer: the text a reader sees, not the random CSRF
tokens in which a marker may turn up by chance."""

from __future__ import annotations

from django.http import HttpResponse

from tests.privacy import readable_text

TOKEN = "a" * 20 + "ZQWIM" + "b" * 39  # 64 letters, as Django's masked tokens are


def test_csrf_tokens_are_not_read_and_the_text_around_them_is():
    page = (
        f'<body hx-headers=\'{{"X-CSRFToken": "{TOKEN}"}}\'>'
        f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}"></form>'
        "<p>Jan Peeters</p></body>"
    )
    text = readable_text(HttpResponse(page))
    assert "zqwim" not in text.casefold()
    assert "Jan Peeters" in text
    assert "zqwim" in readable_text(HttpResponse(page + "<p>Zqwim</p>")).casefold()
