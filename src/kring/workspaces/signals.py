"""What workspaces tell the apps built on them, so that those apps never need importing here.

Receivers run inside the sender's transaction: a failure rolls the whole change back.
"""

from __future__ import annotations

from django.dispatch import Signal

# A member left a workspace or was removed from it: ``workspace``, ``user``, ``now``.
member_left = Signal()
