"""The printed table plan: one A4 page, each table a box with its name and who sits there."""

from __future__ import annotations

import io
import math

from django.utils.formats import date_format
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from kring.clubs.models import Meeting
from kring.clubs.queries import seating_of


def table_plan_pdf(meeting: Meeting) -> bytes:
    tables, _unseated = seating_of(meeting)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(meeting.title)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(15 * mm, height - 15 * mm, meeting.title)
    page.setFont("Helvetica", 10)
    when = date_format(meeting.local_starts_at, "l j F Y, H:i")
    page.drawString(15 * mm, height - 21 * mm, f"{when}   {meeting.venue}".strip())
    if tables:
        columns = min(4, len(tables))
        rows = math.ceil(len(tables) / columns)
        box_w = (width - 30 * mm - (columns - 1) * 6 * mm) / columns
        box_h = (height - 40 * mm - (rows - 1) * 6 * mm) / rows
        line = min(5 * mm, (box_h - 12 * mm) / max(1, max(len(t.seated) for t in tables)))
        for i, view in enumerate(tables):
            x = 15 * mm + (i % columns) * (box_w + 6 * mm)
            y = height - 30 * mm - (i // columns + 1) * box_h - (i // columns) * 6 * mm
            page.roundRect(x, y, box_w, box_h, 4 * mm)
            page.setFont("Helvetica-Bold", 12)
            page.drawString(x + 4 * mm, y + box_h - 8 * mm, view.table.name)
            page.setFont("Helvetica", max(6.0, min(10.0, line / mm * 2.2)))
            for j, attendance in enumerate(view.seated):
                name = attendance.shown  # type: ignore[attr-defined]
                if attendance.user_id and attendance.user_id == view.table.host_id:
                    name += " *"
                page.drawString(x + 5 * mm, y + box_h - 14 * mm - j * line, name)
    page.showPage()
    page.save()
    return buffer.getvalue()
