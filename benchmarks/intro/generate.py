"""A seeded social graph with heavy-tailed degrees and company structure, made in NumPy.

People sit on a ring in company blocks (a company's members have consecutive ids, companies of a
sector and region are near each other). Each person starts about half of their ties:

* colleagues: up to a quarter of them, at most half of their colleagues, inside the company;
* neighbours: ties to people a lognormal distance away on the ring (same region, nearby
  companies), which makes friends-of-friends overlap as in real networks;
* the rest to anyone, chosen in proportion to degree (a Chung-Lu graph), which gives the hubs.

Degrees are lognormal (sigma 1, so a 1M-person graph has people with 10,000+ ties) and company
sizes follow a Pareto law (most are small, a few have thousands of people). Strengths are Beta
distributed: colleagues stronger, far ties weaker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SECTORS = 20
REGIONS = 12
ROLES = 30


@dataclass
class SocialGraph:
    """The generated edge list and node attributes, ready for ``build_graph``."""

    n: int
    sources: npt.NDArray[np.int32]
    targets: npt.NDArray[np.int32]
    strengths: npt.NDArray[np.float32]
    organisation: npt.NDArray[np.int32]
    sector: npt.NDArray[np.int32]
    region: npt.NDArray[np.int32]
    role: npt.NDArray[np.int32]
    company_sizes: npt.NDArray[np.int64]


def social_graph(n: int, *, mean_degree: float = 250.0, seed: int = 7) -> SocialGraph:
    """Generate the graph; the same ``n`` and ``seed`` give the same graph."""
    rng = np.random.default_rng(seed)

    # companies in consecutive blocks; about 8% of people are on their own (no organisation)
    sizes = np.minimum(np.floor(2.0 * (1.0 - rng.random(n)) ** (-1.0 / 1.05)), 20_000)
    sizes = sizes.astype(np.int64)
    last = int(np.searchsorted(np.cumsum(sizes), n))
    sizes = sizes[: last + 1]
    sizes[-1] -= int(sizes.sum()) - n
    company = np.repeat(np.arange(sizes.shape[0], dtype=np.int32), sizes)
    company_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    alone = rng.random(n) < 0.08
    organisation = np.where(alone, -1, company).astype(np.int32)
    company_sector = rng.integers(0, SECTORS, size=int(sizes.shape[0]))
    sector = company_sector[company].astype(np.int32)
    region = (np.arange(n) * REGIONS // n).astype(np.int32)
    role = rng.integers(0, ROLES, n).astype(np.int32)

    # lognormal degrees with the wanted mean; each person starts half of their ties
    sigma = 1.0
    mu = np.log(mean_degree) - sigma**2 / 2
    degree = np.clip(rng.lognormal(mu, sigma, n), 4, 30_000)
    # x1.045: about 4% of the generated ties repeat one and are merged by build_graph
    started = np.maximum(1, np.rint(degree / 2 * 1.045)).astype(np.int64)
    size_of = sizes[company]
    n_colleague = np.where(alone, 0, np.minimum(started // 4, (size_of - 1) // 2))
    n_global = (started * 2) // 5
    n_local = started - n_colleague - n_global

    people = np.arange(n, dtype=np.int32)
    parts_src = []
    parts_dst = []
    parts_w = []

    src = np.repeat(people, n_colleague)
    start = company_start[company[src]]
    dst = start + (rng.random(src.shape[0]) * size_of[src]).astype(np.int64)
    parts_src.append(src)
    parts_dst.append(dst.astype(np.int32))
    parts_w.append(_strengths(rng, src.shape[0], 3.0, 3.0))
    del src, dst, start

    src = np.repeat(people, n_local)
    distance = np.rint(rng.lognormal(np.log(400.0), 1.4, src.shape[0])).astype(np.int64) + 1
    sign = np.where(rng.random(src.shape[0]) < 0.5, -1, 1)
    dst = (src + sign * distance) % n
    parts_src.append(src)
    parts_dst.append(dst.astype(np.int32))
    parts_w.append(_strengths(rng, src.shape[0], 2.0, 4.0))
    del src, dst, distance, sign

    # in proportion to degree: the owner of a random started tie, over all started ties
    owners = np.repeat(people, started)
    src = np.repeat(people, n_global)
    dst = owners[rng.integers(0, owners.shape[0], src.shape[0])]
    del owners
    parts_src.append(src)
    parts_dst.append(dst)
    parts_w.append(_strengths(rng, src.shape[0], 1.5, 5.0))
    del src, dst

    sources = np.concatenate(parts_src)
    del parts_src
    targets = np.concatenate(parts_dst)
    del parts_dst
    strengths = np.concatenate(parts_w)
    return SocialGraph(
        n=n,
        sources=sources,
        targets=targets,
        strengths=strengths,
        organisation=organisation,
        sector=sector,
        region=region,
        role=role,
        company_sizes=sizes,
    )


def _strengths(rng: np.random.Generator, m: int, a: float, b: float) -> npt.NDArray[np.float32]:
    # Beta strengths, floored so that no tie is weaker than 1/64
    w = rng.beta(a, b, m).astype(np.float32)
    return np.maximum(w, np.float32(1 / 64))
