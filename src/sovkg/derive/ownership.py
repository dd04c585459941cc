"""Effective ownership: who holds how much of an organisation, directly and through chains.

**What is computed.** Let ``w[Y][X]`` be the fraction of organisation ``X`` (its capital, or its
voting rights: each is computed on its own) that party ``Y`` holds directly, read from the
in-effect ``sov:OwnershipStake`` nodes. The *effective* (integrated) share of a holder ``H`` in
``X`` is the sum, over every chain ``H → Y1 → … → X``, of the product of the shares along it:
multiplied along each chain, summed over all chains. This is the *integrated ownership* of
Brioschi, Buzzacchi & Colombo, "Risk capital financing and the separation of ownership and
control in business groups", Journal of Banking & Finance 13 (1989) 747-772, used at scale by
Vitali, Glattfelder & Battiston, "The network of global corporate control", PLoS ONE 6(10):
e25995 (2011), where the matrix of integrated shares is ``W̃ = W (I - W)⁻¹`` (the series
``W + W² + W³ + …``). With cross-holdings the chains run round cycles and there are infinitely
many of them, but the series converges as long as no set of organisations owns itself entirely
(every cycle leaks to outside holders), so cycles add a geometric series instead of looping.

**Holders on a cycle.** ``W (I - W)⁻¹`` also counts, for a holder that sits on a cycle, the
chains that run through the holder itself again: the holder's share of itself passed on once
more. That is double counting (with ``H`` holding 100 % of ``X`` and ``X`` holding 50 % of ``H``
it gives ``H`` 200 % of ``X``); Vitali et al. (Supporting Information S1, §3) point out the same
problem with cycles and correct for it. sovkg counts, for the holder ``H``, only the chains that
do not pass through ``H`` again: ``x[H][X] = w[H][X] + Σ_{Y ≠ H} x[H][Y] · w[Y][X]``, i.e.
``x[H][X] = N[H][X] / N[H][H]`` with ``N = (I - W)⁻¹``. For a holder outside every cycle
through it this is exactly ``W̃[H][X]``. Read backwards it is a probability: walk up from ``X``,
moving to each holder ``Y`` with probability ``w[Y][X]`` and stopping with the unheld rest;
``x[H][X]`` is the probability of ever reaching ``H``. So every figure lies in [0, 100 %] and the
figures of holders that do not hold one another never sum above 100 %. ``x[X][X]`` (``X`` on a
cycle) is ``X``'s circular holding of itself, the chains that leave ``X`` and come back.

**How sovkg computes it** (plain Python maps; NumPy for the cross-holdings only). The stakes are
indexed once (:class:`OwnershipGraph`) and put in topological order, holders first: Kahn's
algorithm peels every organisation with no cycle above it, and an iterative Tarjan collapses what
is left into strongly connected components. Each organisation then gets a sparse map
``{holder: share}`` built from the maps of its direct holders (``x[·][X] = Σ_Y w[Y][X] · ({Y: 1} +
x[·][Y] without Y)``), so the work is linear in the number of stakes plus the size of the result
(the sum over organisations of the number of their direct and indirect holders). A non-trivial
component (cross-holdings) of ``k`` organisations, every member of which has the same holders
(the other members and everything above the component), is solved, for each bound:

- exactly, when ``k`` ≤ :data:`DENSE_LIMIT` and the bound is linear, from the inverse ``N`` of
  ``I - W`` restricted to it (LAPACK through NumPy, ``k³`` operations): holders above the
  component through one matrix product with the maps its members get from outside, holders on
  the cycle ``N[H][X] / N[H][H]`` (:func:`_solve_exactly`);
- otherwise (``k`` larger, or the high bound below not linear: a fractional knapsack per
  organisation whose holders can add up to more than is left), by sweeps on the component only,
  from zero, until no share moves by :data:`TOLERANCE` (1e-13): for ``k`` ≥ :data:`VECTOR_MIN` on
  NumPy arrays, one row per member and one column per holder, every holder at once (Jacobi sweeps,
  each row from the rows of the previous sweep, the knapsacks of all the columns at once:
  :func:`_dense_sweeps`), unless the arrays would exceed :data:`VECTOR_CELLS` numbers; else
  Gauss-Seidel sweeps on the maps (:func:`_gauss_seidel`). The update is monotone, so both
  sequences rise to the same least fixed point (the Jacobi one never above the other); they
  converge geometrically because every cycle leaks.

A component that owns itself entirely takes in nothing from outside when the data is consistent
(every member then holds all of every other); if the series still diverges (a share above 100 %,
or no convergence in :data:`MAX_SWEEPS` sweeps) :class:`OwnershipError` names the organisations.
The result is a read-only mapping (:class:`EffectiveShares`) over the per-organisation maps; a
:class:`Share` is made when read. Measured (``bench/bench_ownership.py``, docs/ownership.md): a
million companies with 10 % cross-holdings (4 million holder-held pairs) in about 9 s and 1.5 GB
on two cores, all pairs and the non-EU aggregate together, growing linearly with the number of
pairs; 500 companies with 1,000 random stakes (one component of 332, 112 of them held more than
100 % in all; 165,000 pairs) in 0.15 s, 4 s with the sweeps on the maps
(``bench/bench_gauss_seidel.py``).

**Unknown shares.** A stake with no percentage is *unknown*, never zero. Each figure is a pair of
bounds: the *low* figure counts an unknown stake at its ``sov:minimumPercent`` (else 0); the
*high* figure is the largest value compatible with the recorded stakes: an unknown stake counts
at most its ``sov:maximumPercent`` (else what the other stakes in the same organisation leave:
100 % minus their lower bounds), and, when several unknown stakes in one organisation compete
for what is left, the rest is allocated to the chains that raise the figure most (for each
organisation, a fractional knapsack: the exact maximum, computed like a value iteration for a
maximal reachability probability). ``includes_unknown`` is set whenever a stake with an unknown
share lies on a chain from the holder to the organisation. Several in-effect stakes recorded for
the same holder and organisation are reports of one holding: the figure ranges from the
smallest to the largest reported percentage. When the stakes held in one organisation add up
to more than 100 % the figures conflict: the low figure scales them down to 100 %, the high
figure allows each up to its reported value, and the figure is flagged as including unknowns.
Voting rights never borrow the capital figure: a stake with a capital share and no voting share
has an unknown voting share (``sov:majorityOfVotes`` gives it a lower bound of 50 %).

**By jurisdiction.** :func:`jurisdiction_shares` adds up, for each organisation, the share held
by all the parties of a group (e.g. established outside the EU) taken together, following chains
only through parties outside the group, so that a non-EU parent of a non-EU holder is not
counted twice: ``a[X] = Σ_Y w[Y][X] · (1 if Y is in the group else a[Y])``, the probability that
the walk up from ``X`` reaches the group. A party whose membership is unknown (no known seat)
is not counted in the low figure, counted whole in the high one, and flags the figure.

>>> shares = effective_shares([StakeEdge("A", "B", 60), StakeEdge("B", "C", 50)])
>>> shares["A", "C"]
Share(low=30.0, high=30.0, includes_unknown=False)
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import math
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.core.i18n import message
from sovkg.core.namespaces import KG, SOV
from sovkg.derive.common import Rule, as_number, derived_iri, in_effect, instances, label
from sovkg.derive.reachability import Component, components

if TYPE_CHECKING:
    from numpy.typing import NDArray

Triple = tuple[Node, Node, Node]
Measure = TypingLiteral["capital", "voting"]

RULE = Rule(
    KG["rule/effective-ownership"],
    "effective ownership",
    "The effective share of a holder in an organisation (capital and voting rights, each on its own) is "
    "the sum over every chain of in-effect stakes from the holder to the organisation of the product of "
    "the shares along the chain (integrated ownership, Brioschi et al. 1989; Vitali et al. 2011), chains "
    "through the holder itself excluded, so that cross-holdings converge instead of looping or double "
    "counting. An unknown share is never zero: it counts at its stated minimum (else 0) in the low "
    "figure, at the most the other stakes leave (or its stated maximum) in the high figure, and the "
    "result says that it includes unknowns. The share by jurisdiction adds up the holders established "
    "in one country, or outside the EU, following chains only through holders outside that group; a "
    "holder with no known seat is not counted as outside the EU and makes the figure include unknowns.",
)
"""The derivation rule ``kg:rule/effective-ownership``."""

NON_EU_SCOPE = URIRef(KG["scope/non-eu"])
"""``sov:holderScope`` of the aggregate over every party established outside the EU."""

EU = URIRef(KG["union/EU"])

DENSE_LIMIT = 1500
"""Components (cross-holdings) of at most this many organisations are solved exactly (a dense inverse);
larger ones, or those whose high bound is non-linear, by sweeps (on arrays from :data:`VECTOR_MIN`)."""

TOLERANCE = 1e-13
"""The sweeps stop when no share (as a fraction) changed by this much or more in a sweep."""

MAX_SWEEPS = 20_000
"""The sweeps give up (and raise :class:`OwnershipError`) after this many sweeps."""

VECTOR_MIN = 50
"""Components of at least this many organisations that need sweeps are swept on NumPy arrays
(:func:`_dense_sweeps`); smaller ones on the per-organisation maps (:func:`_gauss_seidel`), for which
setting up the arrays would cost more than it saves."""

PAIRWISE_MAX = 24
"""The NumPy sweeps order the holders of a greedy organisation (:func:`_knapsacks`) by comparing
every two when it has at most this many holders with headroom, by sorting when it has more
(measured: comparing is 3 to 10 times faster up to 8 holders and as fast at about 32)."""

VECTOR_CELLS = 50_000_000
"""The NumPy sweeps are used only when their arrays hold at most this many numbers in all (8 bytes
each: 400 MB); a component whose arrays would be larger is swept on the maps, which hold only the
pairs that exist."""

_EPS = 1e-12


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small acyclic containers are built.

    The maps and tuples built here hold no reference cycles; left on, the collector would traverse
    them over and over as they grow (measured: 2.4 times slower at a million organisations).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class OwnershipError(SovkgInputError, ValueError):
    """The stakes cannot be integrated: a set of organisations owns itself (almost) entirely."""


@dataclass(frozen=True, slots=True)
class Share:
    """An effective share in percent (0 to 100), as bounds.

    ``low`` counts unknown stakes at their stated minimum (else 0), ``high`` at the most they can
    be; ``includes_unknown`` says that a stake with an unknown share lies on a chain that makes
    up the figure (so ``low`` is a lower bound, not a value in which unknown counts as zero).

    >>> Share(30.0, 30.0, False).exact
    True
    >>> Share(0.0, 20.0, True).exact
    False
    """

    low: float
    high: float
    includes_unknown: bool

    @property
    def exact(self) -> bool:
        """True when the figure is known: no unknown share on its chains and both bounds equal."""
        return not self.includes_unknown and self.high - self.low <= 1e-9


@dataclass(frozen=True, slots=True)
class StakeEdge:
    """One direct stake: ``holder`` holds ``percent`` % of ``held`` (``None`` when unknown).

    ``minimum`` and ``maximum`` are the stated bounds of an unknown share; ``iri`` names the
    stake it was read from.

    >>> StakeEdge("A", "B", None, minimum=50).percent is None
    True
    """

    holder: str
    held: str
    percent: float | None
    minimum: float | None = None
    maximum: float | None = None
    iri: str | None = None


# ----------------------------------------------------------------------------------------- network


_In = tuple[int, float, float, float, bool]
"""An in-edge of a held organisation: (holder, low weight, high base weight, high headroom, unknown)."""




class _Net:
    """The stake graph with indices, per-edge bounds (fractions) and in/out adjacency."""

    __slots__ = ("_components", "exact", "greedy", "index", "ins", "names", "outs")

    def __init__(self, edges: Iterable[StakeEdge]) -> None:
        names: list[str] = []
        index: dict[str, int] = {}
        lookup = index.get
        reported: list[list[tuple[int, StakeEdge]]] = []  # per held organisation: (holder, stake)
        for edge in edges:
            holder, held = edge.holder, edge.held
            if holder == held:
                continue  # a company holding its own shares: not a chain
            h = lookup(holder)
            if h is None:
                h = index[holder] = len(names)
                names.append(holder)
                reported.append([])
            x = lookup(held)
            if x is None:
                x = index[held] = len(names)
                names.append(held)
                reported.append([])
            reported[x].append((h, edge))
        n = len(names)
        self.names = names
        self.index = index
        self.outs: list[list[int]] = [[] for _ in range(n)]
        self.ins: list[Sequence[_In]] = [()] * n
        self.exact = [True] * n
        self.greedy = [False] * n
        self._components: list[Component] | None = None
        outs = self.outs
        for x, stakes in enumerate(reported):
            if not stakes:
                continue
            if len(stakes) == 1:  # the common case: one holder with a figure
                h, edge = stakes[0]
                outs[h].append(x)
                percent = edge.percent
                if percent is not None and 0.0 <= percent <= 100.0:
                    w = percent / 100.0
                    self.ins[x] = [(h, w, w, 0.0, False)]
                else:
                    self._bounds(x, [(h, *_pair_bounds([edge]))])
                continue
            by_holder: dict[int, list[StakeEdge]] = {}
            for h, edge in stakes:
                by_holder.setdefault(h, []).append(edge)
            for h in by_holder:
                outs[h].append(x)
            self._bounds(x, [(h, *_pair_bounds(reports)) for h, reports in by_holder.items()])

    @property
    def components(self) -> list[Component]:
        """Strongly connected components, holders first (computed once)."""
        if self._components is None:
            self._components = _components(self)
        return self._components

    def _bounds(self, held: int, stakes: list[tuple[int, float, float, bool]]) -> None:
        """Turn the stated bounds of the stakes held in one organisation into edge weights."""
        total = sum(low for _, low, _, _ in stakes)
        ins: list[_In] = []
        self.ins[held] = ins
        if total > 1.0 + 1e-9:  # conflicting figures: more than 100 % recorded
            for holder, low, high, _ in stakes:
                ins.append((holder, low / total, 0.0, high, True))
            self.exact[held] = False
            self.greedy[held] = sum(high for _, _, high, _ in stakes) > 1.0 + _EPS
            return
        headroom = 0.0
        for holder, low, high, unknown in stakes:
            if unknown:  # at most what the other stakes leave
                high = max(low, min(high, 1.0 - (total - low)))
            headroom += high - low
            ins.append((holder, low, low, high - low, unknown))
        if headroom > 0.0:
            self.exact[held] = False
            self.greedy[held] = headroom > 1.0 - total + _EPS


def _pair_bounds(stakes: Sequence[StakeEdge]) -> tuple[float, float, bool]:
    """(low, high, unknown) of one holding, as fractions, from one or more reports of it."""
    figures = [_fraction(s.percent) for s in stakes if s.percent is not None]
    if figures:
        return min(figures), max(figures), False
    minimums = [_fraction(s.minimum) for s in stakes if s.minimum is not None]
    maximums = [_fraction(s.maximum) for s in stakes if s.maximum is not None]
    low = max(minimums, default=0.0)
    high = min(maximums, default=1.0)
    return (low, high, True) if high >= low else (min(high, low), max(high, low), True)


def _fraction(percent: float | None) -> float:
    value = float(percent or 0.0)
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value / 100.0))


def _components(net: _Net) -> list[Component]:
    """Strongly connected components of the stake graph, holders before what they hold."""
    return components(net.outs)

def _inverse(matrix: NDArray) -> NDArray | None:
    """``(I - M)⁻¹`` (LAPACK through NumPy), or None when the series ``I + M + M² + …`` diverges.

    >>> import numpy as np
    >>> _inverse(np.array([[0.0, 0.5], [0.5, 0.0]])).tolist()
    [[1.3333333333333333, 0.6666666666666666], [0.6666666666666666, 1.3333333333333333]]
    >>> _inverse(np.array([[0.0, 1.0], [1.0, 0.0]])) is None
    True
    """
    import numpy as np  # here, not at the top: the cached commands never invert anything

    try:
        result = np.linalg.inv(np.eye(len(matrix)) - matrix)
    except np.linalg.LinAlgError:
        return None
    # (I - M)⁻¹ of a convergent series is non-negative with a diagonal of at least 1.
    if not np.isfinite(result).all() or (result < -1e-9).any() or (np.diagonal(result) < 1 - 1e-9).any():
        return None
    return result


# -------------------------------------------------------------------------------- pairwise figures


Flags = set[int] | bool | None
"""The holders of an organisation whose chains to it cross an unknown share: None (none), True (all), a set."""


def _low_map(ins: Sequence[_In], maps: list[dict[int, float] | None]) -> dict[int, float]:
    """The low map of one organisation from its in-edges and its holders' low maps."""
    if len(ins) == 1:
        holder, weight = ins[0][0], ins[0][1]
        above = maps[holder]
        if above:
            result = {h: weight * v for h, v in above.items()}
            result[holder] = weight  # not ``holder``'s circular holding of itself passed on
            return result
        return {holder: weight}
    result = {}
    get = result.get
    for holder, weight, _base, _cap, _unknown in ins:
        above = maps[holder]
        if above:
            for h, v in above.items():
                if h != holder:
                    result[h] = get(h, 0.0) + weight * v
        result[holder] = get(holder, 0.0) + weight
    return result


def _high_map(ins: Sequence[_In], maps: list[dict[int, float] | None], greedy: bool) -> dict[int, float]:
    """The high map: base weights, plus the headroom of unknown stakes (allocated greedily if scarce)."""
    if not greedy:
        return _low_map([(h, base + cap, base, cap, u) for h, _low, base, cap, u in ins], maps)
    result = _low_map([(h, base, base, cap, u) for h, _low, base, cap, u in ins], maps)
    budget = 1.0 - math.fsum(base for _, _, base, _, _ in ins)
    free = [(holder, cap, maps[holder] or {}) for holder, _, _, cap, _ in ins if cap > 0.0]
    for h in result:
        values = sorted(((1.0 if h == holder else above.get(h, 0.0)), cap) for holder, cap, above in free)
        left = budget
        extra = 0.0
        for value, cap in reversed(values):
            if left <= 0.0 or value <= 0.0:
                break
            take = min(cap, left)
            extra += take * value
            left -= take
        result[h] += extra
    return result


def _flagged(ins: Sequence[_In], maps: list[dict[int, float] | None], flags: list[Flags]) -> set[int]:
    """The holders whose chains through these in-edges cross a stake with an unknown share."""
    found: set[int] = set()
    for holder, _low, _base, _cap, unknown in ins:
        above = maps[holder]
        if unknown:
            found.add(holder)
            if above:
                found.update(above)
            continue
        upstream = flags[holder]
        if upstream is None or upstream is False:
            continue
        for h in (above or {}) if upstream is True else upstream:  # type: ignore[union-attr]
            if h != holder:
                found.add(h)
    return found


def _compress(found: set[int], keys: dict[int, float] | None) -> Flags:
    if not found:
        return None
    return True if len(found) >= len(keys or ()) else found


class _Pairs:
    """Low and high maps {holder: share} and unknown flags of every organisation."""

    def __init__(self, net: _Net) -> None:
        n = len(net.names)
        self.net = net
        self.low: list[dict[int, float] | None] = [None] * n
        self.high: list[dict[int, float] | None] = [None] * n
        self.flags: list[Flags] = [None] * n
        low, high, flags = self.low, self.high, self.flags
        ins, exact = net.ins, net.exact
        for component in net.components:
            if not isinstance(component, int):
                self._cycle(component)
                continue
            edges = ins[component]
            if len(edges) != 1:
                if edges:
                    self._single(component)
                continue
            # One holder (most organisations): inlined _low_map / _high_map / _flagged.
            h, w, _base, _cap, unknown = edges[0]
            above = low[h]
            if above:
                mine = {k: w * v for k, v in above.items()}
                mine[h] = w
            else:
                mine = {h: w}
            low[component] = mine
            if exact[component] and high[h] is above:
                high[component] = mine
            else:
                high[component] = _high_map(edges, high, False)
            if unknown:
                flags[component] = True
            else:
                upstream = flags[h]
                if upstream is not None:
                    flagged = set(above or ()) if upstream is True else set(upstream)  # type: ignore[arg-type]
                    flagged.discard(h)
                    flags[component] = _compress(flagged, mine)

    def _single(self, x: int) -> None:
        net = self.net
        ins = net.ins[x]
        if not ins:
            return
        low = _low_map(ins, self.low)
        self.low[x] = low
        if net.exact[x] and all(self.high[h] is self.low[h] for h, *_ in ins):
            self.high[x] = low
        else:
            self.high[x] = _high_map(ins, self.high, net.greedy[x])
        if len(ins) == 1 and ins[0][4]:
            self.flags[x] = True
        else:
            self.flags[x] = _compress(_flagged(ins, self.low, self.flags), low)

    def _cycle(self, component: list[int]) -> None:
        net = self.net
        inside = set(component)
        external = {x: [e for e in net.ins[x] if e[0] not in inside] for x in component}
        internal = {x: [e for e in net.ins[x] if e[0] in inside] for x in component}
        self._solve(component, external, internal, self.low, high=False)
        same = all(net.exact[x] for x in component) and all(
            self.high[e[0]] is self.low[e[0]] for x in component for e in external[x])
        if same:
            for x in component:
                self.high[x] = self.low[x]
        else:
            self._solve(component, external, internal, self.high, high=True)
        # Flags: a fixed point of set unions over the component (monotone, at most k sweeps).
        flags = {x: _flagged(external[x], self.low, self.flags) for x in component}
        changed = True
        while changed:
            changed = False
            for x in component:
                current = flags[x]
                before = len(current)
                for holder, _low, _base, _cap, unknown in internal[x]:
                    if unknown:
                        current.add(holder)
                        current.update(self.low[holder] or ())
                    else:
                        current.update(flags[holder] - {holder})
                changed = changed or len(current) != before
        for x in component:
            self.flags[x] = _compress(flags[x], self.low[x])

    def _solve(self, component: list[int], external: dict[int, list[_In]], internal: dict[int, list[_In]],
               maps: list[dict[int, float] | None], *, high: bool) -> None:
        net = self.net
        nonlinear = high and any(net.greedy[x] for x in component)
        if len(component) <= DENSE_LIMIT and not nonlinear and _solve_exactly(
                component, external, internal, maps, high=high):
            return
        if len(component) >= VECTOR_MIN and _dense_sweeps(component, net, maps, high=high):
            return
        _gauss_seidel(component, lambda x: _high_map(net.ins[x], maps, net.greedy[x]) if high
                      else _low_map(net.ins[x], maps), maps, net.names)


def _solve_exactly(component: list[int], external: dict[int, list[_In]], internal: dict[int, list[_In]],
                   maps: list[dict[int, float] | None], *, high: bool) -> bool:
    """The maps of a component whose bound is linear, from the inverse ``N`` of ``I - W`` restricted to it.

    With ``e[i]`` the map that member ``i`` gets from its holders outside the component (their maps
    are known), member ``j`` gets ``Σ_i e[i] · N[i][j]`` for the holders above the component,
    ``N[i][j] / N[i][i]`` for another member ``i`` and ``1 - 1 / N[j][j]`` for itself (its circular
    holding); both products are NumPy's (the arrays, 16 bytes a figure, are small beside the maps
    they fill). The keys come in the order of the maps' computation: the holders above, first seen
    first, then the members. False (nothing done) when the series diverges.
    """
    import numpy as np  # here, not at the top: the cached commands never invert anything

    k = len(component)
    position = {x: i for i, x in enumerate(component)}
    matrix = np.zeros((k, k))
    for x in component:
        j = position[x]
        for holder, low, base, cap, _ in internal[x]:
            matrix[position[holder], j] += (base + cap) if high else low
    inverse = _inverse(matrix)
    if inverse is None:
        return False
    entries = [(_high_map(external[x], maps, False) if high else _low_map(external[x], maps))
               if external[x] else {} for x in component]
    columns: dict[int, int] = {}
    for entry in entries:
        for h in entry:
            if h not in columns:
                columns[h] = len(columns)
    above = np.zeros((k, len(columns)))
    for i, entry in enumerate(entries):
        if entry:
            above[i, [columns[h] for h in entry]] = list(entry.values())
    result = np.empty((k, len(columns) + k))
    np.matmul(inverse.T, above, out=result[:, :len(columns)])  # row j: Σ_i N[i][j] · e[i]
    diagonal = np.diagonal(inverse)
    members = result[:, len(columns):]
    members[...] = (inverse / diagonal[:, None]).T  # row j, column i: N[i][j] / N[i][i]
    members[np.arange(k), np.arange(k)] = 1.0 - 1.0 / diagonal
    keys = [*columns, *component]
    for j, x in enumerate(component):
        maps[x] = dict(zip(keys, result[j].tolist(), strict=True))
    return True


def _gauss_seidel(component: list[int], update: Callable[[int], dict[int, float]],
                  maps: list[dict[int, float] | None], names: list[str]) -> None:
    """Iterate ``maps[x] = update(x)`` over a component from zero until it stops changing."""
    for x in component:
        maps[x] = {}
    for _ in range(MAX_SWEEPS):
        change = 0.0
        grew = False
        for x in component:
            old = maps[x] or {}
            new = update(x)
            if len(new) != len(old):
                grew = True
            for h, v in new.items():
                if v > 1.0 + 1e-9:
                    raise _diverges(component, names)
                delta = abs(v - old.get(h, 0.0))
                if delta > change:
                    change = delta
            maps[x] = new
        if not grew and change < TOLERANCE:
            return
    raise _diverges(component, names)


def _dense_sweeps(component: list[int], net: _Net, maps: list[dict[int, float] | None], *, high: bool) -> bool:
    """The maps of a component by sweeps on NumPy arrays; False (nothing done) above :data:`VECTOR_CELLS`.

    The same fixed point as :func:`_gauss_seidel` with the update :func:`_low_map` (``high`` false)
    or :func:`_high_map`, computed for every holder at once: ``X[i, c]`` is the share of holder ``c``
    in member ``i``; the columns are the members (in the order of ``component``) and then every holder
    of the organisations held from outside and their holders (whose maps are known). The value an
    in-edge from ``Y`` brings is the row of ``Y`` (``X`` for a member, the known map for an outside
    holder) with ``1`` in the column of ``Y`` itself (``Y``'s circular holding is not passed on). Each
    sweep computes every row from the previous ones (Jacobi): the weighted sum of the rows of its
    holders (the low weights, or the high base weights plus the headroom where the high bound is
    linear) plus, for a greedy organisation, the fractional knapsack of every column at once (the
    values of its holders with headroom sorted in decreasing order, each taking its headroom until
    the budget ``1 - Σ base`` is spent). Sweeps stop, as the maps' do, when no figure moved by
    :data:`TOLERANCE` or more; a figure above 100 % or :data:`MAX_SWEEPS` sweeps raise the same
    :class:`OwnershipError`.

    Both iterations start from zero and the update is monotone (non-negative weights; a knapsack's
    value grows with the values of its items), so both sequences increase towards the least fixed
    point, the Jacobi one never above the Gauss-Seidel one (by induction over the sweeps: a
    Gauss-Seidel row reads rows that are already at least as high). Both stop at the first sweep
    that moves nothing by :data:`TOLERANCE`, so they differ from the fixed point, and from each
    other, by a few times that (at most 1.4e-13 on ``bench/bench_gauss_seidel.py``'s graphs; the
    Jacobi sweeps take more of them: 70 against about 50 on 500 random companies). Every member of
    a strongly connected component has the same holders (the other members and everything above the
    component), so every map written has every column as a key, as the maps' sweeps end with.
    """
    ins, greedy = net.ins, net.greedy
    k = len(component)
    position = {x: i for i, x in enumerate(component)}
    columns: dict[int, int] = dict(position)
    outside: dict[int, int] = {}  # outside holder -> its row among the known value rows
    free_slots = 0
    for x in component:
        if high and greedy[x]:
            free_slots += sum(1 for edge in ins[x] if edge[3] > 0.0)
        for edge in ins[x]:
            h = edge[0]
            if h in position or h in outside:
                continue
            outside[h] = len(outside)
            if h not in columns:
                columns[h] = len(columns)
            for key in maps[h] or ():
                if key not in columns:  # never a member: it would then hold a member and be held by one
                    columns[key] = len(columns)
    m = len(columns)
    # Per column: X, the next X, the constant part and the members' value rows (4 k), the outside
    # holders' value rows, up to three temporaries of one slot of inside edges (3 k), and the
    # knapsacks' gathered values with their temporaries (about 6 per item with headroom).
    if m * (7 * k + len(outside) + 6 * free_slots) > VECTOR_CELLS:
        return False

    import numpy as np  # here, not at the top: the cached commands never sweep anything

    values = np.zeros((k + len(outside), m))  # the value rows: members first, then outside holders
    for h, row in outside.items():
        above = maps[h]
        if above:
            target = values[k + row]
            target[[columns[key] for key in above]] = list(above.values())
        values[k + row, columns[h]] = 1.0
    constant = np.zeros((k, m))  # what the outside holders bring through the linear weights
    slots: list[tuple[list[int], list[int], list[float]]] = []  # inside edges, at most one per row each
    knapsacks: dict[int, tuple[list[int], list[list[int]], list[list[float]], list[float]]] = {}
    for i, x in enumerate(component):
        knapsack = high and greedy[x]
        slot = 0
        free_rows: list[int] = []
        free_caps: list[float] = []
        for h, low, base, cap, _unknown in ins[x]:
            weight = (base if knapsack else base + cap) if high else low
            member = position.get(h)
            source = member if member is not None else k + outside[h]
            if knapsack and cap > 0.0:
                free_rows.append(source)
                free_caps.append(cap)
            if weight == 0.0:
                continue
            if member is None:
                constant[i] += weight * values[source]
                continue
            if slot == len(slots):
                slots.append(([], [], []))
            targets, sources, weights = slots[slot]
            targets.append(i)
            sources.append(member)
            weights.append(weight)
            slot += 1
        if knapsack and free_rows:
            budget = 1.0 - math.fsum(edge[2] for edge in ins[x])
            if budget > 0.0:
                rows, items, caps, budgets = knapsacks.setdefault(len(free_rows), ([], [], [], []))
                rows.append(i)
                items.append(free_rows)
                caps.append(free_caps)
                budgets.append(budget)
    linear = [(np.asarray(t), np.asarray(s), np.asarray(w)[:, None]) for t, s, w in slots]
    # Items as (free item, row), so that the knapsacks sort and sum along the first axis.
    greedy_sets = [(np.asarray(rows), np.asarray(items).T, np.asarray(caps).T[:, :, None],
                    np.asarray(budgets)[None, :, None]) for rows, items, caps, budgets in knapsacks.values()]
    diagonal = np.arange(k)
    current = np.zeros((k, m))
    limit = 1.0 + 1e-9
    for _ in range(MAX_SWEEPS):
        members = values[:k]
        members[...] = current
        members[diagonal, diagonal] = 1.0
        new = constant.copy()
        for into, read, scale in linear:
            new[into] += scale * values[read]
        for into, read, room, spend in greedy_sets:
            new[into] += _knapsacks(values[read], room, spend)
        if (new > limit).any():
            raise _diverges(component, net.names)
        change = float(np.abs(new - current).max())
        current = new
        if change < TOLERANCE:
            break
    else:
        raise _diverges(component, net.names)
    keys = list(columns)
    for i, x in enumerate(component):
        maps[x] = dict(zip(keys, current[i].tolist(), strict=True))
    return True


def _knapsacks(values: NDArray, caps: NDArray, budgets: NDArray) -> NDArray:
    """Fractional knapsacks, one per (row, column): ``values`` (items, rows, columns), ``caps`` (items,
    rows, 1), ``budgets`` (1, rows, 1); the most valuable items first, each taking its cap while the
    budget lasts, ties in the order of the items. Returns the value taken (rows, columns).

    Up to :data:`PAIRWISE_MAX` items, each item's place is found by comparing it with every other
    (``items²`` passes over the arrays, faster than NumPy's sort of many short runs); above, by
    sorting along the items.

    >>> import numpy as np
    >>> values = np.array([[[0.2, 0.9]], [[0.5, 0.1]]])  # two items, one row, two columns
    >>> caps, budgets = np.array([[[0.6]], [[0.6]]]), np.array([[[1.0]]])
    >>> _knapsacks(values, caps, budgets).round(12).tolist()  # 0.6·0.5 + 0.4·0.2; 0.6·0.9 + 0.4·0.1
    [[0.38, 0.58]]
    """
    import numpy as np

    count = len(values)
    if count > PAIRWISE_MAX:
        order = np.argsort(-values, axis=0, kind="stable")  # the most valuable first
        values = np.take_along_axis(values, order, axis=0)
        caps = np.take_along_axis(np.broadcast_to(caps, order.shape), order, axis=0)
        spent = np.cumsum(caps, axis=0)
        spent -= caps  # the budget taken by the more valuable items
        return np.einsum("ijk,ijk->jk", np.clip(budgets - spent, 0.0, caps), values)  # type: ignore[no-any-return]
    total = np.zeros(values.shape[1:])
    ahead = np.empty(values.shape[1:], dtype=bool)
    for j in range(count):
        value = values[j]
        left = np.repeat(budgets[0], value.shape[1], axis=1)  # what the items ahead of j leave
        for i in range(count):
            if i != j:  # i comes first when worth more, or as much and listed before j
                (np.greater_equal if i < j else np.greater)(values[i], value, out=ahead)
                left -= ahead * caps[i]
        np.clip(left, 0.0, caps[j], out=left)
        left *= value
        total += left
    return total


def _diverges(component: list[int], names: list[str]) -> OwnershipError:
    listed = ", ".join(sorted(names[x] for x in component)[:8])
    more = f" and {len(component) - 8} more" if len(component) > 8 else ""
    return OwnershipError(
        f"the cross-holdings between {listed}{more} do not converge: these organisations own themselves "
        "(almost) entirely, so the chains through them never fade out; check their stakes")


def _share(low: float, high: float, unknown: bool) -> Share:
    """A share in percent from fractions, clipped to [0, 100] and rounded to 1e-10 % (float noise)."""
    low = round(min(100.0, max(0.0, low * 100.0)), 10)
    high = round(min(100.0, max(low, high * 100.0)), 10)
    return Share(low, high, unknown)


def effective_shares(edges: Iterable[StakeEdge]) -> EffectiveShares:
    """The effective share of every holder in every organisation it holds directly or indirectly.

    Keys are (holder, held) for every pair joined by a chain of stakes (``(X, X)`` when ``X`` lies
    on a cycle: its circular holding of itself). Percentages 0 to 100. The result is a read-only
    mapping (:class:`EffectiveShares`); ``dict(...)`` of it is a plain dict.

    A diamond: A holds 50 % of B and of C, which hold 40 % and 20 % of D (0.5·0.4 + 0.5·0.2):

    >>> diamond = [StakeEdge("A", "B", 50), StakeEdge("A", "C", 50),
    ...            StakeEdge("B", "D", 40), StakeEdge("C", "D", 20)]
    >>> round(effective_shares(diamond)["A", "D"].low, 9)
    30.0

    A cycle: P holds 80 % of X, X 50 % of Y, Y 20 % of X; P's share of Y is 0.8·0.5 (1 + 0.1 + 0.1² + …):

    >>> cycle = [StakeEdge("P", "X", 80), StakeEdge("X", "Y", 50), StakeEdge("Y", "X", 20)]
    >>> round(effective_shares(cycle)["P", "Y"].low, 6)
    44.444444

    An unknown share next to a known 70 %: between 0 and 30 %, flagged:

    >>> effective_shares([StakeEdge("F", "O", 70), StakeEdge("K", "O", None)])["K", "O"]
    Share(low=0.0, high=30.0, includes_unknown=True)
    """
    return OwnershipGraph(edges).effective_shares()


class EffectiveShares(Mapping[tuple[str, str], Share]):
    """The effective shares as a read-only mapping ``(holder, held) → Share``.

    The figures are computed when the mapping is made (:func:`effective_shares`); a
    :class:`Share` object is only built when a figure is read, so that a million organisations
    do not need millions of objects that nobody reads. ``dict(shares)`` makes a plain dict.

    >>> shares = effective_shares([StakeEdge("A", "B", 60), StakeEdge("B", "C", 50)])
    >>> len(shares), ("A", "C") in shares, ("C", "A") in shares
    (3, True, False)
    >>> shares.held_by("C")
    {'A': Share(low=30.0, high=30.0, includes_unknown=False), 'B': Share(low=50.0, high=50.0, includes_unknown=False)}
    """

    __slots__ = ("_flags", "_high", "_index", "_len", "_low", "_names")

    def __init__(self, net: _Net, pairs: _Pairs) -> None:
        self._names = net.names
        self._index = net.index
        self._low = pairs.low
        self._high = pairs.high
        self._flags = pairs.flags
        self._len = sum(len(low) for low in pairs.low if low)

    def _share(self, h: int, x: int) -> Share:
        low = self._low[x]
        assert low is not None
        high = self._high[x] or low
        flags = self._flags[x]
        return _share(low[h], high[h], flags is True or (isinstance(flags, set) and h in flags))

    def _ids(self, key: object) -> tuple[int, int] | None:
        if not isinstance(key, tuple) or len(key) != 2:
            return None
        h, x = self._index.get(key[0]), self._index.get(key[1])
        if h is None or x is None:
            return None
        low = self._low[x]
        return (h, x) if low and h in low else None

    def __getitem__(self, key: tuple[str, str]) -> Share:
        ids = self._ids(key)
        if ids is None:
            raise KeyError(key)
        return self._share(*ids)

    def __contains__(self, key: object) -> bool:
        return self._ids(key) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        names = self._names
        for x, low in enumerate(self._low):
            if low:
                held = names[x]
                for h in low:
                    yield names[h], held

    def __len__(self) -> int:
        return self._len

    def __repr__(self) -> str:
        return f"<EffectiveShares of {self._len} (holder, held) pairs>"

    def items(self) -> _SharesItems:  # type: ignore[override]
        """(key, share) pairs, in one pass (faster than looking every key up)."""
        return _SharesItems(self)

    def held_by(self, held: str) -> dict[str, Share]:
        """Every direct or indirect holder of ``held``, with its share."""
        x = self._index.get(held)
        low = self._low[x] if x is not None else None
        if x is None or not low:
            return {}
        return {self._names[h]: self._share(h, x) for h in low}


class _SharesItems(ItemsView[tuple[str, str], Share]):
    _mapping: EffectiveShares

    def __iter__(self) -> Iterator[tuple[tuple[str, str], Share]]:
        shares = self._mapping
        names = shares._names
        for x, low in enumerate(shares._low):
            if low:
                held = names[x]
                for h in low:
                    yield (names[h], held), shares._share(h, x)


# ---------------------------------------------------------------------------------- by jurisdiction


@dataclass(frozen=True)
class _Aggregate:
    low: list[float]
    high: list[float]
    flag: list[bool]
    reached: list[bool]
    """True when a member of the group holds a share through parties outside it."""


def _aggregate(net: _Net, member: list[bool], unknown: list[bool]) -> _Aggregate:
    """Share held by a group in every organisation (see :func:`jurisdiction_shares`)."""
    n = len(net.names)
    low = [0.0] * n
    high = [0.0] * n
    flag = [False] * n
    reached = [False] * n
    touched = [False] * n  # some member or party of unknown membership above, through non-members
    ins = net.ins
    greedy = net.greedy

    def low_of(x: int) -> float:
        return sum(w * (1.0 if member[h] else low[h]) for h, w, _b, _c, _u in ins[x])

    def high_of(x: int) -> float:
        edges = ins[x]
        if not greedy[x]:
            return sum((b + c) * (1.0 if member[h] or unknown[h] else high[h]) for h, _w, b, c, _u in edges)
        total = 0.0
        free = []
        for h, _w, b, c, _u in edges:
            value = 1.0 if member[h] or unknown[h] else high[h]
            total += b * value
            if c > 0.0:
                free.append((value, c))
        left = 1.0 - sum(b for _h, _w, b, _c, _u in edges)
        for value, cap in sorted(free, reverse=True):
            if left <= 0.0 or value <= 0.0:
                break
            take = min(cap, left)
            total += take * value
            left -= take
        return total

    def structure(x: int) -> tuple[bool, bool, bool]:
        f = r = t = False
        for h, _w, _b, _c, u in ins[x]:
            if member[h]:
                r = t = True
                f = f or u
            else:
                if unknown[h]:
                    t = f = True
                if touched[h]:
                    t = True
                    f = f or u or flag[h]
                r = r or reached[h]
        return f, r, t

    absorbing_high = [m or u for m, u in zip(member, unknown, strict=True)]
    for component in net.components:
        if isinstance(component, int):  # no cycle through it: one pass over its holders (inlined)
            x = component
            edges = ins[x]
            if not edges:
                continue
            lo = hi = 0.0
            f = r = t = False
            for h, w, b, c, u in edges:
                if member[h]:
                    lo += w
                    hi += b + c
                    r = t = True
                    if u:
                        f = True
                    continue
                lo += w * low[h]
                if unknown[h]:
                    hi += b + c
                    t = f = True
                else:
                    hi += (b + c) * high[h]
                if touched[h]:
                    t = True
                    if u or flag[h]:
                        f = True
                if reached[h]:
                    r = True
            low[x] = lo
            high[x] = high_of(x) if greedy[x] else hi
            flag[x], reached[x], touched[x] = f, r, t
            continue
        inside = set(component)
        for values, absorbing, of, nonlinear in (
            (low, member, low_of, False),
            (high, absorbing_high, high_of,
             any(greedy[x] for x in component)),
        ):
            solved = False
            if len(component) <= DENSE_LIMIT and not nonlinear:
                import numpy as np  # here, not at the top: the cached commands never invert anything

                position = {x: i for i, x in enumerate(component)}
                matrix = np.zeros((len(component), len(component)))
                constant = [0.0] * len(component)
                for x in component:
                    j = position[x]
                    for h, w, b, c, _u in ins[x]:
                        weight = w if values is low else b + c
                        if h in inside and not absorbing[h]:
                            matrix[position[h], j] += weight
                        else:
                            constant[j] += weight * (1.0 if absorbing[h] else values[h])
                inverse = _inverse(matrix)
                if inverse is not None:
                    for x, value in zip(component, (np.asarray(constant) @ inverse).tolist(), strict=True):
                        values[x] = value
                    solved = True
            if not solved:
                _scalar_gauss_seidel(component, values, of, net.names)
        changed = True
        while changed:
            changed = False
            for x in component:
                state = structure(x)
                if state != (flag[x], reached[x], touched[x]):
                    flag[x], reached[x], touched[x] = state
                    changed = True
    return _Aggregate(low, high, flag, reached)


def _scalar_gauss_seidel(component: list[int], values: list[float], of: Callable[[int], float],
                         names: list[str]) -> None:
    for x in component:
        values[x] = 0.0
    for _ in range(MAX_SWEEPS):
        change = 0.0
        for x in component:
            new = of(x)
            if new > 1.0 + 1e-9:
                raise _diverges(component, names)
            change = max(change, abs(new - values[x]))
            values[x] = new
        if change < TOLERANCE:
            return
    raise _diverges(component, names)


def jurisdiction_shares(
    edges: Iterable[StakeEdge],
    group: Callable[[str], bool],
    *,
    unknown: Callable[[str], bool] | None = None,
) -> dict[str, Share]:
    """For each held organisation, the share held by all the parties for which ``group`` is true.

    Chains are followed only through parties outside the group, so that a group member's holding
    through another member is not counted twice. A party for which ``unknown`` is true (its
    membership is not known, e.g. no known seat) is not counted in ``low``, counted whole in
    ``high``, and flags the figure.

    US parents (U1 holds 60 % of U2, which holds 50 % of X; an EU party E holds the other 50 %,
    60 % of it held by U1): U2's 50 % and U1's 60 % of E's 50 %, U1's share through U2 not again:

    >>> edges = [StakeEdge("U1", "U2", 60), StakeEdge("U2", "X", 50),
    ...          StakeEdge("E", "X", 50), StakeEdge("U1", "E", 60)]
    >>> jurisdiction_shares(edges, lambda party: party.startswith("U"))["X"]
    Share(low=80.0, high=80.0, includes_unknown=False)
    """
    return OwnershipGraph(edges).jurisdiction_shares(group, unknown=unknown)


# ------------------------------------------------------------------------------------------- paths


def ownership_paths(
    edges: Iterable[StakeEdge],
    holder: str,
    held: str,
    *,
    limit: int = 20,
) -> list[tuple[tuple[str, ...], float | None]]:
    """The chains of stakes from ``holder`` to ``held`` (simple paths), strongest first.

    Each comes with the product of its percentages (``None`` when a share on it is unknown).
    Chains are ordered by the largest share they can carry (an unknown share counted at its
    upper bound); at most ``limit`` are returned. In a cycle the effective figure also counts
    the loops, so it can exceed the sum of the listed chains.

    >>> diamond = [StakeEdge("A", "B", 50), StakeEdge("A", "C", 50),
    ...            StakeEdge("B", "D", 40), StakeEdge("C", "D", None)]
    >>> ownership_paths(diamond, "A", "D")
    [(('A', 'C', 'D'), None), (('A', 'B', 'D'), 20.0)]
    """
    return OwnershipGraph(edges).paths(holder, held, limit=limit)


def _round(value: float) -> float:
    return round(value, 9)


# ------------------------------------------------------------------------------------ the facade


class OwnershipGraph:
    """Stakes indexed once, for several computations on them (the functions above build one each).

    >>> graph = OwnershipGraph([StakeEdge("U", "A", 60), StakeEdge("A", "B", 50), StakeEdge("E", "B", 50)])
    >>> graph.effective_shares()["U", "B"].low
    30.0
    >>> graph.jurisdiction_shares(lambda party: party == "U")["B"].low
    30.0
    >>> graph.paths("U", "B")
    [(('U', 'A', 'B'), 30.0)]
    """

    def __init__(self, edges: Iterable[StakeEdge]) -> None:
        with _bulk():
            self._net = _Net(edges)
            self._net.components  # noqa: B018  (index the components now, with the collector paused)
        self._out: list[list[tuple[int, float, float, bool]]] | None = None

    @property
    def names(self) -> Sequence[str]:
        """Every party and organisation named by a stake."""
        return self._net.names

    def effective_shares(self) -> EffectiveShares:
        """See :func:`effective_shares`."""
        with _bulk():
            return EffectiveShares(self._net, _Pairs(self._net))

    def jurisdiction_shares(self, group: Callable[[str], bool], *,
                            unknown: Callable[[str], bool] | None = None) -> dict[str, Share]:
        """See :func:`jurisdiction_shares`."""
        with _bulk():
            totals = self._aggregate(group, unknown)
            net = self._net
            cache: dict[tuple[float, float, bool], Share] = {}
            result: dict[str, Share] = {}
            for x, name in enumerate(net.names):
                if net.ins[x]:
                    key = (totals.low[x], totals.high[x], totals.flag[x])
                    share = cache.get(key)
                    if share is None:
                        share = cache[key] = _share(*key)
                    result[name] = share
            return result

    def _aggregate(self, group: Callable[[str], bool], unknown: Callable[[str], bool] | None) -> _Aggregate:
        names = self._net.names
        member = [bool(group(name)) for name in names]
        maybe = [bool(unknown(name)) and not m for name, m in zip(names, member, strict=True)] if unknown \
            else [False] * len(names)
        return _aggregate(self._net, member, maybe)

    def paths(self, holder: str, held: str, *, limit: int = 20) -> list[tuple[tuple[str, ...], float | None]]:
        """See :func:`ownership_paths`."""
        net = self._net
        start, target = net.index.get(holder), net.index.get(held)
        if start is None or target is None or limit <= 0:
            return []
        if self._out is None:
            self._out = [[] for _ in net.names]
            for x, edges_in in enumerate(net.ins):
                for h, low, base, cap, unknown in edges_in:
                    self._out[h].append((x, low, base + cap, unknown))
        out = self._out
        found: list[tuple[tuple[str, ...], float | None]] = []
        counter = 0
        heap: list[tuple[float, int, tuple[int, ...], float, bool]] = [(-1.0, counter, (start,), 1.0, False)]
        pops = 0
        while heap and len(found) < limit and pops < 200_000:
            neg_high, _, path, product, unknown = heapq.heappop(heap)
            pops += 1
            node = path[-1]
            if node == target and len(path) > 1:
                found.append((tuple(net.names[i] for i in path), None if unknown else _round(product * 100.0)))
                continue
            for succ, low, high, edge_unknown in out[node]:
                if succ in path and not (succ == target == start):
                    continue
                counter += 1
                heapq.heappush(heap, (neg_high * high, counter, (*path, succ), product * low, unknown or edge_unknown))
        return found


# ---------------------------------------------------------------------------------------- from RDF


def stake_edges(graph: Graph, measure: Measure = "capital") -> list[StakeEdge]:
    """The in-effect stakes of a derived graph as edges, for capital or for voting rights.

    Capital: ``sov:capitalPercent``, bounded by ``sov:minimumPercent`` / ``sov:maximumPercent``
    when unknown. Voting: ``sov:votingPercent`` (never the capital share as a proxy), bounded
    below by 50 % when the stake states ``sov:majorityOfVotes``.
    """
    edges: list[StakeEdge] = []
    for stake in sorted(instances(graph, SOV.OwnershipStake), key=str):
        if not in_effect(graph, stake):
            continue
        holder, held = graph.value(stake, SOV.holder), graph.value(stake, SOV.held)
        if holder is None or held is None or holder == held:
            continue
        if measure == "capital":
            edges.append(StakeEdge(
                str(holder), str(held), as_number(graph.value(stake, SOV.capitalPercent)),
                minimum=as_number(graph.value(stake, SOV.minimumPercent)),
                maximum=as_number(graph.value(stake, SOV.maximumPercent)),
                iri=str(stake)))
        else:
            voting = as_number(graph.value(stake, SOV.votingPercent))
            majority = graph.value(stake, SOV.majorityOfVotes) == Literal(True)
            edges.append(StakeEdge(str(holder), str(held), voting,
                                   minimum=50.0 if voting is None and majority else None, iri=str(stake)))
    return edges


def _decimal(percent: float) -> Literal:
    text = f"{percent:.6f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def _informative(share: Share | None) -> bool:
    """False when a figure says nothing (unknown, anywhere from 0 to 100 %)."""
    return share is not None and not (share.includes_unknown and share.low <= 0.0 and share.high >= 100.0)


def _figures(node: Node, capital: Share, voting: Share | None) -> Iterator[Triple]:
    yield node, SOV.capitalPercent, _decimal(capital.low)
    if round(capital.high, 6) != round(capital.low, 6):
        yield node, SOV.capitalPercentMax, _decimal(capital.high)
    if voting is not None and _informative(voting):
        yield node, SOV.votingPercent, _decimal(voting.low)
        if round(voting.high, 6) != round(voting.low, 6):
            yield node, SOV.votingPercentMax, _decimal(voting.high)
    if capital.includes_unknown or (voting is not None and _informative(voting) and voting.includes_unknown):
        yield node, SOV.includesUnknown, Literal(True)


def _range(share: Share) -> str:
    """``30 %``, or low and high joined by an en dash (two decimals at most)."""
    low = f"{share.low:.2f}".rstrip("0").rstrip(".")
    if round(share.high, 2) == round(share.low, 2):
        return low + " %"
    return low + "–" + f"{share.high:.2f}".rstrip("0").rstrip(".") + " %"


def _unknown_note(share: Share) -> str:
    return " (includes unknown shares)" if share.includes_unknown else ""


ROLE_PREDICATES = (SOV.provider, SOV.certificateHolder, SOV.offeredBy, SOV.subcontractor,
                   SOV.technologySupplier, SOV.controller, SOV.awardedTo)
"""The links that give an organisation a role towards information systems and their data: hosting
provider, certificate or qualification holder, offering's provider, subcontractor, technology supplier,
system controller, contract awardee."""


def organisations_of_interest(graph: Graph) -> set[Node]:
    """The organisations whose effective ownership the rules and questions read: those with a role
    (:data:`ROLE_PREDICATES`) towards a system or its data.

    Effective ownership is derived for these only: a holder of every organisation in a chain of a
    million companies would be quadratic in the chains' lengths (a ring of 300 companies has 90,000
    holder-held pairs), while the rules (SecNumCloud §19.6.b and c, influence exposure) and the
    questions (CQ18, CQ27) read the shares held in providers, qualified or certified parties and third
    parties. :func:`explain_ownership` computes it on demand for any other organisation.
    """
    found: set[Node] = set()
    for predicate in ROLE_PREDICATES:
        found.update(o for o in graph.objects(None, predicate) if isinstance(o, URIRef))
    return found


def _ancestors(edges: Sequence[StakeEdge], targets: set[str]) -> set[str]:
    """``targets`` and every party with a chain of stakes to one of them."""
    holders: dict[str, list[str]] = {}
    for edge in edges:
        holders.setdefault(edge.held, []).append(edge.holder)
    seen = set(targets)
    stack = list(targets)
    while stack:
        for holder in holders.get(stack.pop(), ()):
            if holder not in seen:
                seen.add(holder)
                stack.append(holder)
    return seen


def ownership_triples(graph: Graph, as_of: dt.date, held: Iterable[Node] | None = None) -> Iterator[Triple]:
    """Effective ownership and ownership by jurisdiction, as derived triples (rule ``kg:rule/effective-ownership``).

    Reads the in-effect stakes of ``graph`` (after the validity stage, with seats closed over
    ``sov:establishedIn`` and EU membership derived) and writes, for each organisation of ``held``
    (default: :func:`organisations_of_interest`), one ``sov:EffectiveOwnership`` node per holder
    joined to it by a chain of stakes, one ``sov:JurisdictionOwnership`` node for the holders
    established outside the EU (``kg:scope/non-eu``; a party with no known seat is not counted as
    non-EU, and makes the figure include unknowns) and one per country of a holder that reaches it.
    Only the stakes on chains into those organisations are read. Percentages are ``xsd:decimal``
    rounded to 6 decimals; ``…Max`` only when the upper bound differs; voting figures only when
    something is known about them.
    """
    rule = RULE.iri
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    wanted = {str(node) for node in (organisations_of_interest(graph) if held is None else held)}
    capital_edges = stake_edges(graph, "capital")
    if not capital_edges or not wanted:
        return
    voting_edges = stake_edges(graph, "voting")
    if wanted.isdisjoint(e.held for e in capital_edges):
        return
    reach = _ancestors(capital_edges, wanted)
    capital_edges = [e for e in capital_edges if e.held in reach]
    voting_edges = [e for e in voting_edges if e.held in reach]
    nodes: dict[str, Node] = {}
    for stake in instances(graph, SOV.OwnershipStake):  # the nodes behind the names of the edges
        for p in (SOV.holder, SOV.held):
            value = graph.value(stake, p)
            if value is not None:
                nodes[str(value)] = value
    capital_graph, voting_graph = OwnershipGraph(capital_edges), OwnershipGraph(voting_edges)
    capital = capital_graph.effective_shares()
    voting = voting_graph.effective_shares()
    pairs = sorted((holder, held_name, share) for held_name in wanted if held_name in capital_graph._net.index
                   for holder, share in capital.held_by(held_name).items())
    for holder, held_name, share in pairs:
        h, x = nodes[holder], nodes[held_name]
        node = derived_iri("effective-ownership", h, x)
        yield node, RDF.type, SOV.EffectiveOwnership
        yield node, SOV.holder, h
        yield node, SOV.held, x
        yield from _figures(node, share, voting.get((holder, held_name)))
        yield node, SOV.asOf, day
        yield node, SOV.derivedBy, rule
        what = "itself (circular holding)" if holder == held_name else label(graph, x)
        yield node, RDFS.label, Literal(
            f"{label(graph, h)} in {what}: effective ownership of {_range(share)} of the capital{_unknown_note(share)}",
            lang="en")

    seats: dict[str, set[Node]] = {
        name: set(graph.objects(node, SOV.establishedIn)) for name, node in nodes.items()}
    eu_members = set(graph.subjects(SOV.memberOf, EU))
    no_seat = {name for name, places in seats.items() if not places}
    non_eu = {name for name, places in seats.items() if places and not places & eu_members}
    scopes: list[tuple[URIRef, set[str], str]] = [(NON_EU_SCOPE, non_eu, "holders established outside the EU")]
    countries = sorted({c for name, places in seats.items() for c in places if isinstance(c, URIRef)}, key=str)
    for country in countries:
        members = {name for name, places in seats.items() if country in places}
        scopes.append((country, members, f"holders established in {label(graph, country)}"))
    yield NON_EU_SCOPE, RDF.type, SKOS.Concept
    yield NON_EU_SCOPE, RDFS.label, Literal("holders established outside the EU", lang="en")
    yield NON_EU_SCOPE, SKOS.definition, Literal(
        "Every party with a known seat (registered office, central administration, principal establishment "
        "or residence), none of which is in a member state of the European Union on the date.", lang="en")
    for scope, members, scope_label in scopes:
        ctotals = capital_graph._aggregate(members.__contains__, no_seat.__contains__)
        vtotals = voting_graph._aggregate(members.__contains__, no_seat.__contains__)
        cnet, vnet = capital_graph._net, voting_graph._net
        for i, name in enumerate(cnet.names):
            if name not in wanted or not cnet.ins[i] or (scope != NON_EU_SCOPE and not ctotals.reached[i]):
                continue
            share = _share(ctotals.low[i], ctotals.high[i], ctotals.flag[i])
            v = vnet.index.get(name)
            vshare = _share(vtotals.low[v], vtotals.high[v], vtotals.flag[v]) if v is not None else None
            held_node = nodes[name]
            node = derived_iri("jurisdiction-ownership", scope, held_node)
            yield node, RDF.type, SOV.JurisdictionOwnership
            yield node, SOV.held, held_node
            yield node, SOV.holderScope, scope
            yield from _figures(node, share, vshare)
            yield node, SOV.asOf, day
            yield node, SOV.derivedBy, rule
            yield node, RDFS.label, Literal(
                f"{scope_label} in {label(graph, held_node)}: {_range(share)} of the capital{_unknown_note(share)}",
                lang="en")


# ------------------------------------------------------------------------------------ explanation


def _read_share(graph: Graph, node: Node, low_p: URIRef, high_p: URIRef) -> Share | None:
    low = as_number(graph.value(node, low_p))
    if low is None:
        return None
    high = as_number(graph.value(node, high_p))
    return Share(low, high if high is not None else low, graph.value(node, SOV.includesUnknown) == Literal(True))


def _figure_text(capital: Share | None, voting: Share | None, lang: str = "en") -> str:
    parts = []
    for share, what in ((capital, "ownership.of_capital"), (voting, "ownership.of_votes")):
        if share is not None:
            parts.append(_range(share) + " " + message(what, lang))
    text = "; ".join(parts) or message("ownership.share_unknown", lang)
    if (capital and capital.includes_unknown) or (voting and voting.includes_unknown):
        text += message("ownership.includes_unknown", lang)
    return text


def explain_ownership(
    graph: Graph, held: Node, *, holders: int = 10, paths: int = 3, lang: str = "en",
    as_of: dt.date | None = None,
) -> tuple[list[str], dict[str, object]]:
    """Lines and JSON for ``sovkg explain``: who holds ``held`` effectively, through which chains.

    Reads the derived ``sov:EffectiveOwnership`` and ``sov:JurisdictionOwnership`` nodes of
    ``held`` (strongest holders first, at most ``holders``) and lists, for each holder, its
    strongest chains of in-effect stakes (at most ``paths``) with the product of their capital
    shares. When none was derived (``held`` has no role towards a system, see
    :func:`organisations_of_interest`) and ``as_of`` is given, they are computed now, the same way.
    ``lang`` (``en``, ``fr``) is the language of the lines; the JSON keeps English labels.
    """
    owned = [n for n in graph.subjects(SOV.held, held) if (n, RDF.type, SOV.EffectiveOwnership) in graph]
    figures = graph
    if not owned and as_of is not None and any(graph.subjects(SOV.held, held)):
        figures = Graph()
        for triple in ownership_triples(graph, as_of, held=[held]):
            figures.add(triple)
        owned = list(figures.subjects(RDF.type, SOV.EffectiveOwnership))
    scoped = [n for n in figures.subjects(SOV.held, held) if (n, RDF.type, SOV.JurisdictionOwnership) in figures]
    data: dict[str, object] = {"holders": [], "jurisdictions": []}
    if not owned:
        return [message("ownership.none", lang)], data
    rows = []
    for node in owned:
        holder = figures.value(node, SOV.holder)
        capital = _read_share(figures, node, SOV.capitalPercent, SOV.capitalPercentMax)
        voting = _read_share(figures, node, SOV.votingPercent, SOV.votingPercentMax)
        rows.append((holder, node, capital, voting))
    rows.sort(key=lambda r: (-(r[2].high if r[2] else 0.0), -(r[2].low if r[2] else 0.0), label(graph, r[0])))
    chains = OwnershipGraph(stake_edges(graph, "capital"))
    lines = [message("ownership.title", lang)]
    listed: list[dict[str, object]] = []
    for holder, node, capital, voting in rows[:holders]:
        name = label(graph, holder, lang)
        if holder == held:
            name = message("ownership.itself", lang, name=name)
        lines.append(f"  • {name} — {_figure_text(capital, voting, lang)}")
        found = chains.paths(str(holder), str(held), limit=paths)
        for chain, product in found:
            steps = " → ".join(label(graph, URIRef(step), lang) for step in chain)
            figure = (message("ownership.share_unknown", lang) if product is None
                      else _range(Share(product, product, False)))
            lines.append(f"      {steps}: {figure}")
        products = [product for _, product in found]
        if capital is not None and len(found) < paths and None not in products:
            rest = capital.low - sum(p for p in products if p is not None)
            if rest > 0.005:
                lines.append(f"      + {_range(Share(rest, rest, False))} {message('ownership.round', lang)}")
        listed.append({
            "holder": str(holder), "holder_label": label(graph, holder), "node": str(node),
            "capital": None if capital is None else {"low": capital.low, "high": capital.high},
            "voting": None if voting is None else {"low": voting.low, "high": voting.high},
            "includes_unknown": bool((capital and capital.includes_unknown) or (voting and voting.includes_unknown)),
            "chains": [{"path": list(chain), "capital_percent": product} for chain, product in found],
        })
    if len(rows) > holders:
        lines.append(message("ownership.more", lang, count=len(rows) - holders))
    data["holders"] = listed
    if scoped:
        lines.append(message("ownership.by_jurisdiction", lang))
        for node in sorted(scoped, key=lambda n: (figures.value(n, SOV.holderScope) != NON_EU_SCOPE,
                                                  label(graph, figures.value(n, SOV.holderScope)))):
            scope = figures.value(node, SOV.holderScope)
            capital = _read_share(figures, node, SOV.capitalPercent, SOV.capitalPercentMax)
            voting = _read_share(figures, node, SOV.votingPercent, SOV.votingPercentMax)
            lines.append(f"  • {label(graph, scope, lang)} — {_figure_text(capital, voting, lang)}")
            data["jurisdictions"].append({  # type: ignore[attr-defined]
                "scope": str(scope), "scope_label": label(graph, scope), "node": str(node),
                "capital": None if capital is None else {"low": capital.low, "high": capital.high},
                "voting": None if voting is None else {"low": voting.low, "high": voting.high},
            })
    return lines, data
