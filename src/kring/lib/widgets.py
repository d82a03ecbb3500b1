"""Form widgets that cost little on a page."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A ``<select>`` of flat choices written in one pass instead of one template per option:
    the time zone list has about 600 options and took most of a page's time through Django's
    widget templates. The same markup as forms.Select. The options' HTML is remembered for
    the last few lists of choices (by their text, so another language is another list); a
    render only marks the chosen ones."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        flat = []
        for choice, label in self.choices:
            if isinstance(label, list | tuple):  # option groups: leave them to Django
                return super().render(name, value, attrs, renderer)
            flat.append(("" if choice is None else str(choice), str(label)))
        options = _options_html(tuple(flat))
        for chosen in {str(v) for v in self.format_value(value)}:
            opening = f'<option value="{escape(chosen)}">'
            options = options.replace(opening, f"{opening[:-1]} selected>")
        # Every label and value was escaped in _options_html.
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


@lru_cache(maxsize=16)
def _options_html(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(
        f'<option value="{escape(key)}">{escape(label)}</option>' for key, label in choices
    )
