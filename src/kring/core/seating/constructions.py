"""Known designs that solve social-golfer instances outright.

* The lines of the affine space AG(d, q) over a finite field fall into
  (q^d - 1) / (q - 1) parallel classes of q^(d-1) lines of q points: a q^(d-1)-q-w schedule
  with no repeated pair. AG(2, q) is the affine plane (q-q-(q+1), e.g. 8-8-9 over GF(8));
  AG(3, 3) is a Kirkman triple system on 27 points (9-3-13).
* k mutually orthogonal Latin squares of order q give q-q-(k+2): rows, columns and one round
  per square. Any Latin square gives 6-6-3; Parker's theorem gives two orthogonal squares of
  order 10 (10-10-4); the pair below was found by an exact-cover search over the transversals
  of a random Latin square and is checked on import by the tests.
* The same squares give a resolvable transversal design: q tables of s <= k + 1 seats over q
  rounds (q-s-q), one round per column, one table per row (8-6-8 from GF(8)).

* Published seasons where no general construction is known, embedded as data and checked
  by the tests: 8-4-10 (32 players, groups of 4, 10 rounds), a resolvable 4-GDD of type 2^16
  (Aguado 2004; the rows below as given in the Wolfram Demonstrations Project's "Social Golfer
  Problem", whose eleventh round, dropped here, pairs the two players of each group of the
  GDD).
* 15-8-17, a resolvable (120,8,1) design (every pair of 120 players at exactly one table over
  17 rounds of 15 tables of 8): Z_17 acting on seven orbits of 17 players and a fixed player,
  one base round developed over Z_17 (a 1-rotational design over Z_119 does not exist; see
  ``scripts/find_rbibd_120_8.py``, the CP-SAT search that found this one and reproduces it).
  Miller, Valkov & Abel (Symmetry 2026) report such a design; this one was found independently.

Each construction also gives every shorter season (drop the last rounds).
"""

from __future__ import annotations

import itertools

__all__ = [
    "KNOWN_SEASONS",
    "Rounds",
    "affine_geometry_rounds",
    "construct",
    "developed_rounds",
    "latin_square_rounds",
    "prime_power",
    "transversal_rounds",
]

Rounds = list[list[list[int]]]

# Two orthogonal Latin squares of order 10 (every ordered symbol pair occurs exactly once).
_MOLS10_A = (
    "5801679234 1586207943 8462150379 6129483750 3945012867"
    " 9637824501 4258731096 2073946185 0714395628 7390568412"
)
_MOLS10_B = (
    "0123456789 9507281436 3018764592 6890147325 2784613950"
    " 8936502174 4672895013 5341970268 1265039847 7459328601"
)

# 8-4-10, one round per line; players A..P are 0..15 and a..p are 16..31.
_GOLFER_8_4_10 = """
ABCD EFGH IJKL MNOP abcd efgh ijkl mnop
AEIm BcgH DFKp dfkP aeiM bCGh jLNo JlnO
Aflo Bhkm DGiN aFLO bHKM CeJP cEjp dgIn
AciL BdjK bDJk FgoP fGOp aCIl EhMn eHmN
AgKN BElP DHIo dhiO beLp Cfjm cFJM aGkn
AhJp BFin cDmO bfIN eGKl CdMo EgkL aHjP
AdeF BGJo aDEf chlN iKmP CHLn bgjO IkMp
AbnP aBNp DglM ceko fHiJ CEKO FhIj dGLm
AGjM BeIO DhLP agJm cfKn CFkN bEio dHlp
AHkO BfLM Dejn bFlm cGIP Cgip dEJN ahKo
"""


def _letters(text: str) -> Rounds:
    """Rounds written with A..P then a..p for players 0..31 (one round per line)."""
    order = {ch: i for i, ch in enumerate("ABCDEFGHIJKLMNOPabcdefghijklmnop")}
    lines = [line for line in text.split("\n") if line]
    return [[[order[ch] for ch in group] for group in line.split()] for line in lines]


# 15-8-17: a resolvable (120,8,1) design. Player 17 * i + x is the point (x, i) of orbit i
# (a..g, i = 0..6) and x of Z_17; player 119 is the fixed point. The base round seats the fixed
# point with (0, a), ..., (0, g), and one table per line below, where the token "c6" seats the two
# players (6, c) and (-6, c) = (11, c). Round t adds t to every x (mod 17). Found by
# scripts/find_rbibd_120_8.py (CP-SAT, seed 1) and checked by the tests.
_RBIBD_120_8 = """
a1 c6 d2 g8
a2 c4 d6 g3
a3 b6 f5 g1
a4 c5 e2 f1
a5 c8 e4 f6
a6 b7 d4 e1
a7 b5 f3 g4
a8 b2 d3 e5
b1 c3 d8 f4
b3 c2 d1 f7
b4 c7 e8 g2
b8 c1 e7 g5
d5 e6 f2 g7
d7 e3 f8 g6
"""


def developed_rounds(text: str, modulus: int, orbits: str) -> Rounds:
    """Rounds developed over Z_modulus from a base round fixed by x -> -x.

    Parameters
    ----------
    text : one base table per line, tokens ``<orbit><x>`` each seating (x, orbit) and
        (-x, orbit), as in ``_RBIBD_120_8``.
    modulus : the order m of the cyclic group.
    orbits : one letter per orbit of m players.

    Returns
    -------
    m rounds of ``len(orbits) * m + 1`` players: player ``m * i + x`` is (x, orbits[i]), the
    last player is the fixed point, who sits with (0, i) for every orbit i in the base round
    (that table is added here). Round t adds t to every x.

    Raises
    ------
    ValueError
        If a token names no orbit or the base round does not seat every player exactly once.

    Examples
    --------
    >>> developed_rounds("a1 b2\\na2 b1", 5, "ab")[1]
    [[0, 2, 8, 9], [1, 6, 10], [3, 4, 5, 7]]
    """
    fixed = len(orbits) * modulus
    base = [[fixed] + [i * modulus for i in range(len(orbits))]]
    for line in text.split("\n"):
        table: list[int] = []
        for token in line.split():
            i, x = orbits.find(token[:1]), int(token[1:])
            if i < 0:
                raise ValueError(f"{token!r} names no orbit of {orbits!r}")
            table += [i * modulus + x % modulus, i * modulus + (-x) % modulus]
        if table:
            base.append(table)
    if sorted(p for table in base for p in table) != list(range(fixed + 1)):
        raise ValueError("the base round does not seat every player exactly once")
    rounds: Rounds = []
    for t in range(modulus):
        week = [
            sorted(p if p == fixed else p - p % modulus + (p + t) % modulus for p in table)
            for table in base
        ]
        rounds.append(sorted(week))
    return rounds


# (groups, size) -> (rounds, name): published repeat-free seasons (see the module docstring).
KNOWN_SEASONS: dict[tuple[int, int], tuple[Rounds, str]] = {
    (8, 4): (_letters(_GOLFER_8_4_10), "published 4-GDD of type 2^16 (Aguado 2004)"),
    (15, 8): (
        developed_rounds(_RBIBD_120_8, 17, "abcdefg"),
        "resolvable (120,8,1) design, developed over Z_17 with a fixed point",
    ),
}


def _square(text: str) -> list[list[int]]:
    return [[int(ch) for ch in row] for row in text.split()]


def prime_power(q: int) -> tuple[int, int] | None:
    """Return ``(p, k)`` with ``q == p**k`` and p prime, or None."""
    if q < 2:
        return None
    for p in range(2, q + 1):
        if q % p == 0:
            k, rest = 0, q
            while rest % p == 0:
                rest //= p
                k += 1
            return (p, k) if rest == 1 else None
    return None


class _Field:
    """GF(p^k) with elements 0..q-1 (base-p digits are polynomial coefficients)."""

    def __init__(self, p: int, k: int) -> None:
        self.p, self.k, self.q = p, k, p**k
        self.modulus = self._irreducible()
        q = self.q
        self.add = [[self._add(a, b) for b in range(q)] for a in range(q)]
        self.mul = [[self._mul(a, b) for b in range(q)] for a in range(q)]

    def _digits(self, a: int, length: int) -> list[int]:
        return [(a // self.p**i) % self.p for i in range(length)]

    def _number(self, digits: list[int]) -> int:
        return sum(d * self.p**i for i, d in enumerate(digits))

    def _add(self, a: int, b: int) -> int:
        da, db = self._digits(a, self.k), self._digits(b, self.k)
        return self._number([(x + y) % self.p for x, y in zip(da, db, strict=True)])

    def _polymul_mod(self, da: list[int], db: list[int], modulus: list[int]) -> list[int]:
        p, k = self.p, len(modulus) - 1
        prod = [0] * (len(da) + len(db) - 1)
        for i, x in enumerate(da):
            for j, y in enumerate(db):
                prod[i + j] = (prod[i + j] + x * y) % p
        # Reduce by the monic modulus from the top degree down.
        for deg in range(len(prod) - 1, k - 1, -1):
            coef = prod[deg]
            if coef:
                for i, m in enumerate(modulus):
                    prod[deg - k + i] = (prod[deg - k + i] - coef * m) % p
        return (prod + [0] * k)[:k]

    def _irreducible(self) -> list[int]:
        p, k = self.p, self.k
        if k == 1:
            return [0, 1]
        for tail in itertools.product(range(p), repeat=k):
            modulus = [*tail, 1]
            if modulus[0] == 0:
                continue
            # Irreducible iff x^(p^k) == x mod f and no smaller field contains a root of f;
            # for the tiny fields used here a brute-force check of all monic factors suffices.
            if not any(self._divides(f, modulus) for f in self._monics(1, k // 2)):
                return modulus
        raise AssertionError("no irreducible polynomial")  # pragma: no cover

    def _monics(self, low: int, high: int) -> list[list[int]]:
        out = []
        for deg in range(low, high + 1):
            for tail in itertools.product(range(self.p), repeat=deg):
                out.append([*tail, 1])
        return out

    def _divides(self, f: list[int], g: list[int]) -> bool:
        p = self.p
        rest = list(g)
        df = len(f) - 1
        for deg in range(len(rest) - 1, df - 1, -1):
            coef = rest[deg]
            if coef:
                for i, m in enumerate(f):
                    rest[deg - df + i] = (rest[deg - df + i] - coef * m) % p
        return not any(rest[:df])

    def _mul(self, a: int, b: int) -> int:
        if self.k == 1:
            return (a * b) % self.p
        da, db = self._digits(a, self.k), self._digits(b, self.k)
        return self._number(self._polymul_mod(da, db, self.modulus))


def affine_geometry_rounds(q: int, d: int) -> Rounds:
    """The parallel classes of lines of AG(d, q): q^(d-1) groups of q, (q^d-1)/(q-1) rounds.

    Parameters
    ----------
    q : a prime power (the field size and the group size).
    d : the dimension, at least 2.

    Returns
    -------
    One round per direction; a point's number is its coordinates read in base q.

    Raises
    ------
    ValueError
        If q is not a prime power or d < 2.

    Examples
    --------
    >>> rounds = affine_geometry_rounds(2, 2)
    >>> len(rounds), rounds[0]
    (3, [[0, 1], [2, 3]])
    """
    pk = prime_power(q)
    if pk is None or d < 2:
        raise ValueError(f"AG({d}, {q}) needs a prime power q and d >= 2")
    field = _Field(*pk)
    points = list(itertools.product(range(q), repeat=d))
    index = {pt: sum(c * q ** (d - 1 - i) for i, c in enumerate(pt)) for i, pt in enumerate(points)}
    # Directions: nonzero vectors whose first nonzero coordinate is 1.
    directions = [v for v in points if any(v) and v[next(i for i, c in enumerate(v) if c)] == 1]
    rounds: Rounds = []
    for v in directions:
        seen: set[tuple[int, ...]] = set()
        groups = []
        for pt in points:
            if pt in seen:
                continue
            line = []
            for t in range(q):
                other = tuple(field.add[pt[i]][field.mul[t][v[i]]] for i in range(d))
                line.append(other)
                seen.add(other)
            groups.append(sorted(index[x] for x in line))
        rounds.append(sorted(groups))
    return rounds


def latin_square_rounds(squares: list[list[list[int]]]) -> Rounds:
    """Rows, columns and one round per Latin square: with k MOLS of order q, q-q-(k+2).

    Parameters
    ----------
    squares : Latin squares of one order q (pairwise orthogonal for a repeat-free season).

    Returns
    -------
    The rounds; cell (r, c) is player ``r * q + c``.

    Examples
    --------
    >>> latin_square_rounds([[[0, 1], [1, 0]]])[2]
    [[0, 3], [1, 2]]
    """
    q = len(squares[0]) if squares else 0
    rows = [[r * q + c for c in range(q)] for r in range(q)]
    cols = [[r * q + c for r in range(q)] for c in range(q)]
    rounds: Rounds = [rows, cols]
    for square in squares:
        groups: list[list[int]] = [[] for _ in range(q)]
        for r in range(q):
            for c in range(q):
                groups[square[r][c]].append(r * q + c)
        rounds.append(sorted(groups))
    return rounds


def transversal_rounds(squares: list[list[list[int]]], size: int) -> Rounds:
    """A resolvable transversal design from mutually orthogonal Latin squares of order q.

    Parameters
    ----------
    squares : at least ``size - 1`` MOLS of one order q.
    size : the seats per table, at least 1.

    Returns
    -------
    q rounds of q tables of ``size``: at round c, table r seats the row r and, for each square
    j < size - 1, the symbol ``squares[j][r][c]``. Player ``i * q + x`` is symbol x of
    coordinate i (0 the row). Two players of different coordinates share exactly one table
    (orthogonality); two of the same coordinate never do.

    Examples
    --------
    >>> transversal_rounds([[[0, 1], [1, 0]]], 2)
    [[[0, 2], [1, 3]], [[0, 3], [1, 2]]]
    """
    q = len(squares[0]) if squares else 0
    rounds: Rounds = []
    for c in range(q):
        week = []
        for r in range(q):
            table = [r] + [(j + 1) * q + squares[j][r][c] for j in range(size - 1)]
            week.append(sorted(table))
        rounds.append(sorted(week))
    return rounds


def _mols(q: int) -> list[list[list[int]]]:
    """As many mutually orthogonal Latin squares of order q as this module knows."""
    pk = prime_power(q)
    if pk is not None:
        field = _Field(*pk)
        return [
            [[field.add[field.mul[m][r]][c] for c in range(q)] for r in range(q)]
            for m in range(1, q)
        ]
    if q == 10:
        return [_square(_MOLS10_A), _square(_MOLS10_B)]
    # One Latin square always exists (the cyclic one); no pair exists for q = 6 (Tarry 1900).
    return [[[(r + c) % q for c in range(q)] for r in range(q)]]


def construct(groups: int, size: int, weeks: int) -> tuple[Rounds, str] | None:
    """A known repeat-free schedule for ``groups``-``size``-``weeks``, or None.

    Returns
    -------
    ``(rounds, name)`` where ``name`` says which design was used.

    Examples
    --------
    >>> rounds, name = construct(3, 3, 4)
    >>> len(rounds), name
    (4, 'affine geometry AG(2, 3)')
    """
    if groups < 1 or size < 1 or weeks < 1:
        return None
    first = [[g * size + i for i in range(size)] for g in range(groups)]
    if size == 1 or weeks == 1:
        return [[list(group) for group in first] for _ in range(weeks)], "trivial"
    # AG(d, q): groups == q^(d-1), size == q.
    if prime_power(size) is not None:
        d, g = 1, 1
        while g < groups:
            g *= size
            d += 1
        if g == groups and d >= 2 and weeks <= (size**d - 1) // (size - 1):
            return affine_geometry_rounds(size, d)[:weeks], f"affine geometry AG({d}, {size})"
    if groups == size:
        squares = _mols(size)
        if weeks <= len(squares) + 2:
            return latin_square_rounds(squares)[:weeks], f"{len(squares)} MOLS of order {size}"
    known = KNOWN_SEASONS.get((groups, size))
    if known is not None and weeks <= len(known[0]):
        return [[list(group) for group in week] for week in known[0][:weeks]], known[1]
    if size < groups and weeks <= groups:
        squares = _mols(groups)
        if size <= len(squares) + 1:
            rounds = transversal_rounds(squares, size)[:weeks]
            return rounds, f"transversal design from {size - 1} MOLS of order {groups}"
    return None
