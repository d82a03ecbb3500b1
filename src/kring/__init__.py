"""Kring: a relationship information system for entrepreneurs, business clubs and companies."""

__version__ = "0.1.0"
