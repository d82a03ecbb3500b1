"""Form widgets that cost little on a page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A ``<select>`` of flat choices written in one pass instead of one template per option:
    the time zone list has about 600 options and took most of a page's time through Django's
    widget templates. The same markup as forms.Select."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for choice, label in self.choices:
            if isinstance(label, list | tuple):  # option groups: leave them to Django
                return super().render(name, value, attrs, renderer)
            key = "" if choice is None else str(choice)
            mark = " selected" if key in selected else ""
            options.append(f'<option value="{escape(key)}"{mark}>{escape(str(label))}</option>')
        # Every label and value was escaped above.
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(options)))
