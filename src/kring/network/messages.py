"""What the network's core errors say, in the reader's language.

The core (:mod:`kring.core.asks`, :mod:`kring.core.graph`) names each refusal by a code with
parameters and keeps an English message for logs; here each code has its text through gettext.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.core.asks import InvalidAsk
from kring.core.graph import GraphError
from kring.lib.errors import coded_message

ASK_TEXTS: dict[str, Promise] = {
    "empty": _("An ask needs some text, for example “HR-managers in Limburg”."),
    "too_long": _(
        "An ask is one sentence of at most %(limit)s characters; this one has %(length)s."
    ),
    "invalid": _("Kring cannot read this ask."),
}

GRAPH_TEXTS: dict[str, Promise] = {
    "self_path": _("A path from someone to themselves is not an introduction."),
    "k": _("Ask for 1 to %(max)s paths."),
    "hops": _("A path has 1 to %(max)s steps."),
    "no_source": _("Reach needs at least one member."),
    "unknown_node": _("That person is not in this network."),
    "invalid": _("Kring cannot answer this question about the network."),
}


def ask_error(exc: InvalidAsk) -> str:
    """Why an ask cannot be read, in the active language."""
    return coded_message(ASK_TEXTS, exc.code, exc.params)


def graph_error(exc: GraphError) -> str:
    """Why the network core refused a question, in the active language."""
    return coded_message(GRAPH_TEXTS, exc.code, exc.params)
