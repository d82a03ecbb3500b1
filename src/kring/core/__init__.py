"""Kring's algorithms: plain Python and NumPy, never Django.

Plain data in, plain data out; ``now`` is passed in and randomness takes a seed.
"""
