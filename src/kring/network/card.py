"""The one-page "how you can help me" card (seed 000) as a PDF made with ReportLab; what it
holds is read by :func:`kring.network.queries.member_card`."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kring.network.queries import Card


def card_pdf(card: Card, *, printed_at: dt.datetime) -> bytes:
    """The card on an A5 page; ``printed_at`` (already in the reader's zone) goes at the foot."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A5,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=card.name,
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(card.name), styles["Title"]),
        Paragraph(escape(card.email), styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    for heading, text in (
        (_("What I offer"), card.offer),
        (_("Whom I am looking for"), card.seeking),
        (_("My ideal customer"), card.ideal_customer),
    ):
        if text:
            story += [
                Paragraph(escape(heading), styles["Heading3"]),
                Paragraph(escape(text), styles["Normal"]),
            ]
    if card.asks:
        story.append(Paragraph(escape(_("This month I am looking for")), styles["Heading3"]))
        story += [Paragraph("• " + escape(text), styles["Normal"]) for text in card.asks]
    story += [
        Spacer(1, 8 * mm),
        Paragraph(escape(_("Know someone? An introduction is the best gift.")), styles["Italic"]),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(_("Printed %(when)s") % {"when": date_format(printed_at, "j F Y, H:i")}),
            styles["Normal"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
