"""Multiple systems estimation: the hidden number of victims from overlapping lists.

This follows the reference analysis, the SparseMSE R package (L. Chan, B. W. Silverman and
K. Vincent, "Multiple systems estimation for sparse capture data: inferential challenges when
there are nonoverlapping lists", JASA 116, 2021):

- the table holds every combination of lists (``2**k - 1`` cells); a combination absent from the
  file is a cell with zero victims (fitting only the rows present gives a different model);
- a Poisson log-linear model (main effects of every list, plus chosen two-list interactions) is
  fitted by maximum likelihood; the unobserved cell's fitted count is ``exp(intercept)``;
- an interaction between two lists that share no victim is fitted by removing the cells holding
  both lists (its estimate is minus infinity); its parameter still counts in AIC and BIC;
- before a model is used, the existence of its maximum likelihood estimate is checked by the
  linear program of Fienberg and Rinaldo (2012) (``scipy.optimize.linprog``) and its
  identifiability by the rank of its design;
- the default model choice is the reference's stepwise rule: starting from main effects, add the
  two-list interaction whose overlap count has the smallest Poisson p-value (two-sided, under the
  current model) while that p-value is below the threshold (default 0.02), skipping interactions
  whose model fails the check; AIC and BIC forward selection are options;
- the default interval is the reference's BCa bootstrap: multinomial resamples of the observed
  victims (the model choice repeated in each), the bias correction from the share of replicates
  below the estimate and the acceleration from a jackknife over the observed victims; the
  profile-likelihood interval of the chosen model is always given beside it;
- lists that carry no information (no victim, every victim, or a copy of another list) are dropped
  and named; two informative lists give the Lincoln-Petersen estimate (Chapman's form).
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from unveil.errors import InputError, UsageError

Method = Literal["stepwise", "aic", "bic", "fixed", "main"]
IntervalMethod = Literal["bca", "profile"]
Pair = tuple[int, int]

METHODS = ("stepwise", "aic", "bic", "fixed", "main")
INTERVALS = ("bca", "profile")
DEFAULT_THRESHOLD = 0.02
THRESHOLDS = (0.001, 0.005, 0.01, 0.02, 0.05, 0.1)
STRATUM_COLUMNS = ("year", "region", "province", "place", "district", "judicial_district", "stratum", "country")
_COUNT_NAMES = ("count", "n", "freq", "frequency", "victims", "number")


class MseError(UsageError):
    """The data cannot give an estimate (no overlap, the estimate does not exist...)."""


@dataclass(frozen=True)
class OverlapTable:
    """Victims per combination of lists: every combination but the unobserved one, zeros included."""

    lists: list[str]
    patterns: np.ndarray  # (2**k - 1, k) 0/1
    counts: np.ndarray
    dropped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def observed(self) -> int:
        """Victims seen on at least one list."""
        return round(float(self.counts.sum()))

    def with_counts(self, counts: np.ndarray) -> OverlapTable:
        """The same combinations with other counts."""
        return replace(self, counts=np.asarray(counts, dtype=float))


def full_table(
    lists: Sequence[str], patterns: np.ndarray, counts: np.ndarray, notes: Sequence[str] = ()
) -> OverlapTable:
    """The complete table: every combination of lists, absent ones as zero cells, repeats pooled."""
    size = len(lists)
    every = np.array(
        sorted(itertools.product((0, 1), repeat=size), key=lambda p: (sum(p), [-v for v in p]))[1:], dtype=float
    )
    weights = 2 ** np.arange(size)
    index = {int(code): row for row, code in enumerate(every @ weights)}
    full = np.zeros(len(every))
    for pattern, count in zip(np.asarray(patterns, dtype=float), np.asarray(counts, dtype=float), strict=True):
        code = int(pattern @ weights)
        if code in index:
            full[index[code]] += count
    return OverlapTable(list(lists), every, full, (), tuple(notes))


def read_overlap_table(path: Path) -> OverlapTable:
    """An overlap table from CSV: 0/1 list columns and a count column (the last, or ``count``/``n``).

    Repeated combinations are pooled (with a note); combinations not in the file are zero cells.

    Raises:
        InputError: when the file is not in that layout, or a count is negative or not whole.
    """
    frame = _read_frame(path)
    strata = stratum_columns(frame)
    if strata:
        raise InputError(path, f"the table has stratum columns {strata}: estimate it with --by {strata[0]}")
    return table_from_frame(frame, path)


def _read_frame(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, sep=None, engine="python", dtype=str, skipinitialspace=True)
    except (OSError, ValueError, csv.Error, pd.errors.ParserError) as exc:
        raise InputError(path, f"cannot read the overlap table: {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty or frame.shape[1] < 3:
        raise InputError(path, "an overlap table needs at least two list columns and a count column, and rows")
    return frame


def _count_column(frame: pd.DataFrame) -> str:
    for name in frame.columns:
        if name.lower() in _COUNT_NAMES:
            return str(name)
    return str(frame.columns[-1])


def stratum_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that split the table into strata: ``year``, ``region``, ``province``..."""
    count = _count_column(frame)
    return [str(name) for name in frame.columns if name != count and name.lower() in STRATUM_COLUMNS]


def table_from_frame(frame: pd.DataFrame, path: Path | str) -> OverlapTable:
    """The complete table from list columns and a count column.

    Raises:
        InputError: for a list column that is not 0/1, or a count that is missing, negative or not whole.
    """
    count_name = _count_column(frame)
    list_names = [str(c) for c in frame.columns if c != count_name]
    if len(list_names) < 2:
        raise InputError(path, "an overlap table needs at least two list columns")
    patterns = frame[list_names].apply(lambda col: col.str.strip())
    bad = [name for name in list_names if not patterns[name].isin(["0", "1"]).all()]
    if bad:
        raise InputError(path, f"list columns must hold only 0 and 1 (not so in {bad})")
    raw = frame[count_name].fillna("").str.strip()
    counts = pd.to_numeric(raw, errors="coerce")
    if counts.isna().any():
        row = int(counts.isna().to_numpy().argmax()) + 2
        raise InputError(path, f"count {raw.iloc[row - 2]!r} on line {row} is not a number")
    if (counts < 0).any():
        row = int((counts < 0).to_numpy().argmax()) + 2
        raise InputError(path, f"negative count {raw.iloc[row - 2]} on line {row}: counts are numbers of victims")
    whole = np.isclose(counts, np.round(counts))
    if not whole.all():
        row = int((~whole).argmax()) + 2
        raise InputError(path, f"count {raw.iloc[row - 2]} on line {row} is not a whole number of victims")
    matrix = patterns.to_numpy(dtype=float)
    if (matrix.sum(axis=1) == 0).any():
        row = int((matrix.sum(axis=1) == 0).argmax()) + 2
        raise InputError(path, f"line {row} is on no list: the unobserved cell cannot be in the data")
    notes = []
    keys = pd.Series(["".join(str(int(v)) for v in r) for r in matrix])
    repeated = sorted(set(keys[keys.duplicated()]))
    if repeated:
        notes.append(
            f"repeated combinations pooled (their counts added): {', '.join(repeated[:5])}"
            + (f" and {len(repeated) - 5} more" if len(repeated) > 5 else "")
        )
    table = full_table(list_names, matrix, counts.to_numpy(dtype=float), notes)
    if table.observed == 0:
        raise InputError(path, "no victim is counted on any list")
    return table


def drop_uninformative(table: OverlapTable) -> OverlapTable:
    """Remove lists with no victim, with every victim, or identical to an earlier list (named in ``dropped``)."""
    keep: list[int] = []
    dropped = list(table.dropped)
    seen = table.counts > 0
    total = table.counts.sum()
    for i, name in enumerate(table.lists):
        on = float((table.patterns[:, i] * table.counts).sum())
        if on == 0:
            dropped.append(f"{name} (no victim)")
            continue
        if on >= total:
            dropped.append(f"{name} (every victim)")
            continue
        copy = next((j for j in keep if np.array_equal(table.patterns[seen, i], table.patterns[seen, j])), None)
        if copy is not None:
            dropped.append(f"{name} (same victims as {table.lists[copy]})")
            continue
        keep.append(i)
    if len(keep) == len(table.lists):
        return table
    if len(keep) < 2:
        return replace(table, lists=[table.lists[i] for i in keep], dropped=tuple(dropped))
    patterns = table.patterns[:, keep]
    on_some = patterns.sum(axis=1) > 0
    reduced = full_table([table.lists[i] for i in keep], patterns[on_some], table.counts[on_some], table.notes)
    return replace(reduced, dropped=tuple(dropped))


# ---------------------------------------------------------------------------------------------
# Models


def overlap(table: OverlapTable, pair: Pair) -> float:
    """Victims on both lists of the pair (whatever other lists they are on)."""
    i, j = pair
    return float((table.patterns[:, i] * table.patterns[:, j] * table.counts).sum())


def _layout(table: OverlapTable, pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray, list[Pair]]:
    """Rows kept, the design (intercept, main effects, overlapping pairs) and the empty pairs."""
    rows = np.ones(len(table.counts), dtype=bool)
    empty = [p for p in pairs if overlap(table, p) == 0]
    for i, j in empty:
        rows &= (table.patterns[:, i] * table.patterns[:, j]) == 0
    patterns = table.patterns[rows]
    columns = [np.ones(int(rows.sum())), *(patterns[:, i] for i in range(len(table.lists)))]
    columns += [patterns[:, i] * patterns[:, j] for i, j in pairs if (i, j) not in empty]
    return rows, np.column_stack(columns), empty


@dataclass(frozen=True)
class Fit:
    """One fitted log-linear model."""

    pairs: tuple[Pair, ...]
    empty: tuple[Pair, ...]
    rows: np.ndarray
    params: np.ndarray
    fitted: np.ndarray
    loglik: float
    deviance: float
    parameters: int
    observed: int

    @property
    def unseen(self) -> float:
        """Fitted count of the cell on no list."""
        return float(np.exp(self.params[0]))

    @property
    def estimate(self) -> float:
        """Observed plus unseen."""
        return self.observed + self.unseen

    @property
    def aic(self) -> float:
        """AIC, counting the parameters of empty overlaps as the reference does."""
        return -2 * self.loglik + 2 * self.parameters

    @property
    def bic(self) -> float:
        """BIC with ``log(observed)`` per parameter, empty overlaps counted."""
        return -2 * self.loglik + math.log(max(self.observed, 2)) * self.parameters


def _poisson_fit(y: np.ndarray, design: np.ndarray, offset: np.ndarray | None = None) -> np.ndarray:
    """Maximum likelihood coefficients of a Poisson log-linear model (iteratively reweighted least squares)."""
    base = np.zeros(len(y)) if offset is None else offset
    mu = y + 0.1
    eta = np.log(mu)
    beta = np.zeros(design.shape[1])
    previous = np.inf
    for _ in range(100):
        z = eta - base + (y - mu) / mu
        root = np.sqrt(mu)
        beta = np.linalg.lstsq(design * root[:, None], z * root, rcond=None)[0]
        eta = np.clip(design @ beta + base, -700, 700)
        mu = np.exp(eta)
        deviance = _deviance(y, mu)
        if abs(deviance - previous) / (abs(deviance) + 0.1) < 1e-10:
            break
        previous = deviance
    return beta


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    positive = y > 0
    return float(2 * ((y[positive] * np.log(y[positive] / mu[positive])).sum() - (y - mu).sum()))


def _loglik(y: np.ndarray, mu: np.ndarray) -> float:
    return float(stats.poisson.logpmf(y, np.maximum(mu, 1e-300)).sum())


def fit_model(table: OverlapTable, pairs: Sequence[Pair]) -> Fit:
    """Fit main effects plus the given two-list interactions (empty overlaps by removing cells)."""
    rows, design, empty = _layout(table, pairs)
    y = table.counts[rows]
    beta = _poisson_fit(y, design)
    mu = np.exp(np.clip(design @ beta, -700, 700))
    return Fit(
        tuple(pairs),
        tuple(empty),
        rows,
        beta,
        mu,
        _loglik(y, mu),
        _deviance(y, mu),
        design.shape[1] + len(empty),
        table.observed,
    )


@dataclass(frozen=True)
class Check:
    """The reference's checks of a model: does the estimate exist, is it identifiable."""

    exists: bool
    identifiable: bool
    rank_deficiency: int

    @property
    def ok(self) -> bool:
        """Both checks passed."""
        return self.exists and self.identifiable

    def reason(self) -> str:
        """The cause of a failure, in words."""
        causes = []
        if not self.exists:
            causes.append(
                "the maximum likelihood estimate does not exist (linear-programming check: "
                "the observed margins lie on the boundary, some fitted cells would be zero)"
            )
        if not self.identifiable:
            causes.append(f"the model is not identifiable (its design lacks {self.rank_deficiency} of full rank)")
        return " and ".join(causes) or "the model passes both checks"


def check_model(table: OverlapTable, pairs: Sequence[Pair]) -> Check:
    """Existence (Fienberg & Rinaldo's linear program) and identifiability (rank) of a model's estimate.

    The linear program maximises ``s`` over ``x >= s >= 0`` with ``A'x = A'n`` (``A`` the design on the
    cells kept, ``n`` the counts): the estimate exists when ``s`` can be positive, i.e. the observed
    margins are matched by strictly positive cell values.
    """
    rows, design, _ = _layout(table, pairs)
    y = table.counts[rows]
    cells, parameters = design.shape
    # x = s + u with u >= 0: maximise s subject to A'u + s A'1 = A'n (only the equality rows remain)
    equal = np.hstack([design.T, design.sum(axis=0)[:, None]])
    objective = np.zeros(cells + 1)
    objective[-1] = -1.0
    solved = optimize.linprog(
        objective, A_eq=equal, b_eq=design.T @ y, bounds=[(0, None)] * (cells + 1), method="highs"
    )
    exists = bool(solved.status == 0 and -solved.fun > 1e-9 * max(1.0, float(y.sum())))
    deficiency = parameters - int(np.linalg.matrix_rank(design))
    return Check(exists, deficiency == 0, deficiency)


def overlap_p_values(table: OverlapTable, fit: Fit) -> np.ndarray:
    """Two-sided Poisson p-values of every pair's overlap count under the fitted model (the reference's rule).

    ``min(P(X <= n), P(X >= n))`` with ``X`` Poisson of the fitted overlap, ``n`` the observed one;
    a matrix indexed by the two lists.
    """
    patterns = table.patterns[fit.rows]
    expected = patterns.T @ (fit.fitted[:, None] * patterns)
    seen = table.patterns.T @ (table.counts[:, None] * table.patterns)
    at_most = special.pdtr(seen, expected)
    at_least = np.where(seen > 0, special.pdtrc(seen - 1, expected), 1.0)
    return np.asarray(np.minimum(at_most, at_least))


@dataclass(frozen=True)
class Step:
    """One model on the stepwise path: the interaction added, its p-value, the fit."""

    added: Pair | None
    p_value: float | None
    fit: Fit
    refused: tuple[tuple[Pair, str], ...] = ()


def all_pairs(table: OverlapTable) -> list[Pair]:
    """Every pair of lists, in the reference's order."""
    return list(itertools.combinations(range(len(table.lists)), 2))


def stepwise_path(table: OverlapTable, limit: float) -> list[Step]:
    """The stepwise rule's path: add the smallest p-value while it is below ``limit``.

    A model that fails the existence or identifiability check is never entered (the reference
    sets its p-value to 1). The model for a threshold ``t <= limit`` is the path's prefix up to the
    first step whose p-value is not below ``t``.
    """
    pairs = all_pairs(table)
    chosen: list[Pair] = []
    steps = [Step(None, None, fit_model(table, chosen))]
    while len(chosen) < len(pairs):
        p_values = overlap_p_values(table, steps[-1].fit)
        scored = sorted((float(p_values[pair]), index, pair) for index, pair in enumerate(pairs) if pair not in chosen)
        refused: list[tuple[Pair, str]] = []
        added: tuple[float, Pair] | None = None
        for p_value, _, pair in scored:
            if p_value >= limit:
                break
            check = check_model(table, [*chosen, pair])
            if check.ok:
                added = (p_value, pair)
                break
            refused.append((pair, check.reason()))
        if added is None:
            break
        chosen.append(added[1])
        steps.append(Step(added[1], added[0], fit_model(table, chosen), tuple(refused)))
    return steps


def stepwise_model(table: OverlapTable, threshold: float = DEFAULT_THRESHOLD) -> list[Pair]:
    """The interactions the reference's stepwise rule chooses at this p-value threshold."""
    return list(stepwise_path(table, threshold)[-1].fit.pairs)


def forward_model(table: OverlapTable, criterion: Literal["aic", "bic"]) -> list[Pair]:
    """Forward selection: add the interaction that lowers AIC (or BIC) most, while it lowers it."""
    chosen: list[Pair] = []
    best = fit_model(table, chosen)
    while True:
        candidates = []
        for index, pair in enumerate(all_pairs(table)):
            if pair in chosen:
                continue
            fit = fit_model(table, [*chosen, pair])
            candidates.append((getattr(fit, criterion), index, pair, fit))
        entered = False
        for score, _, pair, fit in sorted(candidates, key=lambda c: (c[0], c[1])):
            if score >= getattr(best, criterion):
                break
            if check_model(table, [*chosen, pair]).ok:
                chosen.append(pair)
                best = fit
                entered = True
                break
        if not entered:
            return chosen


def select_model(
    table: OverlapTable, method: Method, threshold: float = DEFAULT_THRESHOLD, fixed: Sequence[Pair] = ()
) -> list[Pair]:
    """The interactions of the model the method chooses."""
    if method == "stepwise":
        return stepwise_model(table, threshold)
    if method in ("aic", "bic"):
        return forward_model(table, method)
    if method == "fixed":
        return list(fixed)
    return []


def describe_model(lists: Sequence[str], pairs: Sequence[Pair]) -> str:
    """The model as a formula: ``main effects + LA:NG + PF:NCA``."""
    return " + ".join(["main effects", *(f"{lists[i]}:{lists[j]}" for i, j in pairs)])


def parse_model(table: OverlapTable, text: str) -> list[Pair]:
    """Pairs from ``"D:E, A:B"`` (``main`` or empty: none).

    Raises:
        UsageError: for an unknown list or a term that is not two lists.
    """
    pairs: list[Pair] = []
    for term in (t.strip() for t in text.replace("+", ",").split(",")):
        if not term or term.lower() in ("main", "main effects"):
            continue
        names = [n.strip() for n in term.split(":")]
        unknown = [n for n in names if n not in table.lists]
        if len(names) != 2 or unknown or names[0] == names[1]:
            raise UsageError(f"model term {term!r} is not two of the lists {table.lists}")
        i, j = sorted(table.lists.index(n) for n in names)
        pairs.append((i, j))
    return pairs


# ---------------------------------------------------------------------------------------------
# Intervals


def profile_interval(table: OverlapTable, pairs: Sequence[Pair], level: float = 0.95) -> tuple[float, float]:
    """Interval for the total from the profile likelihood of the intercept (the log unseen count)."""
    full = fit_model(table, pairs)
    rows, design, _ = _layout(table, pairs)
    y = table.counts[rows]
    reduced = design[:, 1:]
    cutoff = stats.chi2.ppf(level, 1) / 2
    best = float(full.params[0])

    def drop(intercept: float) -> float:
        offset = np.full(len(y), intercept)
        beta = _poisson_fit(y, reduced, offset)
        mu = np.exp(np.clip(reduced @ beta + offset, -700, 700))
        return float(full.loglik - _loglik(y, mu) - cutoff)

    step = 0.25
    low = best - step
    while drop(low) < 0 and low > best - 50:
        low -= step
    high = best + step
    while drop(high) < 0 and high < best + 50:
        high += step
    lower = optimize.brentq(drop, low, best) if drop(low) > 0 else low
    upper = optimize.brentq(drop, best, high) if drop(high) > 0 else math.inf
    return table.observed + float(np.exp(lower)), table.observed + float(np.exp(upper))


Estimator = Callable[[OverlapTable], float]


@dataclass(frozen=True)
class Bootstrap:
    """BCa bootstrap of an estimator: the interval and what it rests on."""

    lower: float
    upper: float
    replicates: int
    failed: int
    bias_z0: float
    acceleration: float
    seed: int


def bca_interval(
    table: OverlapTable,
    estimator: Estimator,
    estimate: float,
    replicates: int = 1000,
    seed: int = 1234,
    level: float = 0.95,
) -> Bootstrap:
    """The reference's BCa interval: multinomial resamples of the victims seen, jackknife acceleration."""
    rng = np.random.default_rng(seed)
    total = table.observed
    shares = table.counts / table.counts.sum()
    values = []
    for _ in range(replicates):
        values.append(_safe(estimator, table.with_counts(rng.multinomial(total, shares).astype(float))))
    boots = np.array([v for v in values if math.isfinite(v)])
    failed = replicates - len(boots)
    if len(boots) < 10:
        raise MseError(f"only {len(boots)} of {replicates} bootstrap replicates gave an estimate")
    jack = np.zeros(len(table.counts))
    weights = table.counts.copy()
    for row in np.flatnonzero(table.counts > 0):
        counts = table.counts.copy()
        counts[row] -= 1
        jack[row] = _safe(estimator, table.with_counts(counts))
    usable = np.isfinite(jack) & (weights > 0)
    jack, weights = jack[usable], weights[usable]
    residuals = (weights * jack).sum() / weights.sum() - jack
    spread = float((weights * residuals**2).sum())
    acceleration = float((weights * residuals**3).sum() / (6 * spread**1.5)) if spread > 0 else 0.0
    below = float(np.mean(boots < estimate))
    below = min(max(below, 0.5 / len(boots)), 1 - 0.5 / len(boots))
    z0 = float(stats.norm.ppf(below))
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    za = stats.norm.ppf(alpha) + z0
    quantiles = stats.norm.cdf(z0 + za / (1 - acceleration * za))
    lower, upper = np.quantile(boots, quantiles, method="median_unbiased")
    return Bootstrap(float(lower), float(upper), replicates, failed, z0, acceleration, seed)


def _safe(estimator: Estimator, table: OverlapTable) -> float:
    try:
        return estimator(table)
    except (MseError, np.linalg.LinAlgError, ValueError):
        return math.nan


# ---------------------------------------------------------------------------------------------
# Two lists


def lincoln_petersen(table: OverlapTable, level: float = 0.95) -> tuple[float, float, float]:
    """Chapman's form of the Lincoln-Petersen estimate and Chao's log-normal interval.

    Raises:
        MseError: when the two lists share no victim.
    """
    first = float((table.patterns[:, 0] * table.counts).sum())
    second = float((table.patterns[:, 1] * table.counts).sum())
    both = overlap(table, (0, 1))
    if both == 0:
        raise MseError(
            f"lists {table.lists[0]} and {table.lists[1]} share no victim: two lists without overlap "
            "give no estimate (Lincoln-Petersen needs victims seen on both)"
        )
    estimate = (first + 1) * (second + 1) / (both + 1) - 1
    variance = (first + 1) * (second + 1) * (first - both) * (second - both) / ((both + 1) ** 2 * (both + 2))
    unseen = estimate - table.observed
    if unseen <= 0 or variance <= 0:
        return estimate, estimate, estimate
    z = stats.norm.ppf((1 + level) / 2)
    factor = math.exp(z * math.sqrt(math.log(1 + variance / unseen**2)))
    return estimate, table.observed + unseen / factor, table.observed + unseen * factor


# ---------------------------------------------------------------------------------------------
# The estimate


@dataclass(frozen=True)
class MseEstimate:
    """The estimated total (seen and unseen), its interval, the model, and how it was chosen."""

    estimate: float
    lower: float
    upper: float
    observed: int
    model: str
    method: str
    interval_method: str
    interactions: list[tuple[str, str]]
    lists: list[str] = field(default_factory=list)
    threshold: float | None = None
    dropped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    profile: tuple[float, float] | None = None
    bootstrap: Bootstrap | None = None
    diagnostics: list[dict[str, object]] = field(default_factory=list)
    thresholds: list[dict[str, object]] = field(default_factory=list)
    alternatives: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def criterion(self) -> str:
        """The model choice (kept for callers of the earlier interface)."""
        return self.method

    def to_dict(self) -> dict[str, object]:
        """JSON-ready values: ``estimate``, ``lower``, ``upper``, ``model`` and everything behind them."""
        result: dict[str, object] = {
            "estimate": round(self.estimate, 1),
            "lower": round(self.lower, 1),
            "upper": round(self.upper, 1),
            "model": self.model,
            "observed": self.observed,
            "method": self.method,
            "threshold": self.threshold,
            "interval": self.interval_method,
            "lists": self.lists,
            "dropped_lists": list(self.dropped),
            "notes": list(self.notes),
        }
        if self.profile:
            result["profile"] = {"lower": round(self.profile[0], 1), "upper": _round(self.profile[1])}
        if self.bootstrap:
            b = self.bootstrap
            result["bootstrap"] = {
                "lower": round(b.lower, 1),
                "upper": round(b.upper, 1),
                "replicates": b.replicates,
                "failed": b.failed,
                "bias_z0": round(b.bias_z0, 4),
                "acceleration": round(b.acceleration, 4),
                "seed": b.seed,
            }
        result["diagnostics"] = self.diagnostics
        result["thresholds"] = self.thresholds
        result["alternatives"] = self.alternatives
        return result


def _round(value: float) -> float | None:
    return round(value, 1) if math.isfinite(value) else None


def _fit_row(table: OverlapTable, step: Step) -> dict[str, object]:
    fit = step.fit
    cells = int(fit.rows.sum())
    return {
        "model": describe_model(table.lists, fit.pairs),
        "added": describe_model(table.lists, [step.added]).split(" + ")[1] if step.added else None,
        "p_value": None if step.p_value is None else float(f"{step.p_value:.4g}"),
        "deviance": round(fit.deviance, 3),
        "df": cells - (fit.parameters - len(fit.empty)),
        "aic": round(fit.aic, 3),
        "bic": round(fit.bic, 3),
        "estimate": round(fit.estimate, 1),
        "empty_overlaps": [describe_model(table.lists, [p]).split(" + ")[1] for p in fit.empty],
        "refused": [
            {"term": describe_model(table.lists, [p]).split(" + ")[1], "reason": why} for p, why in step.refused
        ],
    }


def _estimator(method: Method, threshold: float, fixed: Sequence[Pair]) -> Estimator:
    def estimate(sample: OverlapTable) -> float:
        names = sample.lists
        cleaned = drop_uninformative(sample)
        if len(cleaned.lists) < len(names):
            if len(cleaned.lists) < 2:
                raise MseError("fewer than two informative lists")
            if method == "fixed":
                kept = [names.index(n) for n in cleaned.lists]
                pairs = [(kept.index(i), kept.index(j)) for i, j in fixed if i in kept and j in kept]
                return fit_model(cleaned, pairs).estimate
        if method == "fixed" and len(cleaned.lists) == len(names):
            return fit_model(cleaned, fixed).estimate
        return fit_model(cleaned, select_model(cleaned, method, threshold)).estimate

    return estimate


def estimate_hidden_population(
    table: OverlapTable,
    method: Method | str = "stepwise",
    interval: IntervalMethod | str = "bca",
    replicates: int = 1000,
    threshold: float = DEFAULT_THRESHOLD,
    model: str | None = None,
    seed: int = 1234,
    diagnostics: bool = True,
) -> MseEstimate:
    """The estimated total number of victims, seen and unseen, with its 95% interval.

    ``method``: ``stepwise`` (the reference's rule, p-value ``threshold``), ``aic``, ``bic``,
    ``main`` (main effects only) or ``fixed`` (the interactions in ``model``, e.g. ``"D:E"``).
    ``interval``: ``bca`` (``replicates`` multinomial resamples, seeded) or ``profile``.

    Raises:
        UsageError: for an unknown method or interval, or a model naming unknown lists.
        MseError: when the data cannot give an estimate (the cause in one line).
    """
    if method not in METHODS:
        raise UsageError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if interval not in INTERVALS:
        raise UsageError(f"interval must be bca or profile, not {interval!r}")
    if not 0 <= threshold <= 1:
        raise UsageError(f"the p-value threshold must lie between 0 and 1, not {threshold}")
    if model and method != "fixed":
        method = "fixed"
    original = table
    table = drop_uninformative(table)
    if len(table.lists) < 2:
        raise MseError(f"fewer than two informative lists (dropped: {', '.join(table.dropped) or 'none'}): no estimate")
    if len(table.lists) == 2:
        return _two_lists(table)
    fixed = parse_model(table, model or "") if method == "fixed" else []
    if model and len(table.lists) < len(original.lists):
        dropped_names = {d.split(" ")[0] for d in table.dropped}
        named = {n.strip() for term in model.replace("+", ",").split(",") for n in term.split(":")}
        if named & dropped_names:
            raise UsageError(f"the model names a dropped list: {', '.join(table.dropped)}")
    main = check_model(table, [])
    if not main.ok:
        raise MseError(f"even the main-effects model fails: {main.reason()}")
    limit = max(*THRESHOLDS, threshold) if diagnostics else threshold
    path = stepwise_path(table, limit) if diagnostics or method == "stepwise" else []
    if method == "stepwise":
        pairs = _prefix(path, threshold)
    elif method == "fixed":
        check = check_model(table, fixed)
        if not check.ok:
            raise MseError(f"model {describe_model(table.lists, fixed)}: {check.reason()}")
        pairs = fixed
    else:
        pairs = select_model(table, method, threshold)  # type: ignore[arg-type]
    fit = fit_model(table, pairs)
    profile = profile_interval(table, pairs)
    boot = None
    if interval == "bca":
        boot = bca_interval(table, _estimator(method, threshold, pairs), fit.estimate, replicates, seed)  # type: ignore[arg-type]
        lower, upper = boot.lower, boot.upper
    else:
        lower, upper = profile
    rows = [_fit_row(table, step) for step in path]
    thresholds = []
    for t in THRESHOLDS if diagnostics and path else ():
        chosen = _prefix(path, t)
        thresholds.append(
            {
                "threshold": t,
                "model": describe_model(table.lists, chosen),
                "estimate": round(path[len(chosen)].fit.estimate, 1),
            }
        )
    alternatives: dict[str, dict[str, object]] = {}
    if diagnostics:
        for name in ("aic", "bic"):
            chosen = forward_model(table, name)
            alt = fit_model(table, chosen)
            alternatives[name] = {"model": describe_model(table.lists, chosen), "estimate": round(alt.estimate, 1)}
        alternatives["main"] = {"model": "main effects", "estimate": round(path[0].fit.estimate, 1)}
    return MseEstimate(
        estimate=fit.estimate,
        lower=lower,
        upper=upper,
        observed=table.observed,
        model=describe_model(table.lists, pairs),
        method=str(method),
        interval_method=str(interval),
        interactions=[(table.lists[i], table.lists[j]) for i, j in pairs],
        lists=list(table.lists),
        threshold=threshold if method == "stepwise" else None,
        dropped=table.dropped,
        notes=table.notes,
        profile=profile,
        bootstrap=boot,
        diagnostics=rows,
        thresholds=thresholds,
        alternatives=alternatives,
    )


def _prefix(path: list[Step], threshold: float) -> list[Pair]:
    chosen: list[Pair] = []
    for step in path[1:]:
        if step.p_value is None or step.p_value >= threshold or step.added is None:
            break
        chosen.append(step.added)
    return chosen


def _two_lists(table: OverlapTable) -> MseEstimate:
    estimate, lower, upper = lincoln_petersen(table)
    return MseEstimate(
        estimate=estimate,
        lower=lower,
        upper=upper,
        observed=table.observed,
        model="main effects",
        method="lincoln-petersen",
        interval_method="chao-log-normal",
        interactions=[],
        lists=list(table.lists),
        dropped=table.dropped,
        notes=(*table.notes, "two informative lists: Lincoln-Petersen estimate (Chapman's form)"),
    )


def read_strata(path: Path, by: str) -> tuple[OverlapTable, list[tuple[str, OverlapTable]]]:
    """All strata pooled, and one overlap table per value of the ``by`` column (a year, a region), from one file.

    Raises:
        InputError: when the column is missing or a stratum's table is unreadable.
    """
    frame = _read_frame(path)
    if by not in frame.columns:
        raise InputError(path, f"no column {by!r} to stratify by (columns: {list(frame.columns)})")
    others = [c for c in stratum_columns(frame) if c != by]
    if others:
        raise InputError(path, f"columns {others} are strata too: stratify by one column")
    strata = []
    for value, part in frame.groupby(frame[by].fillna("").str.strip(), sort=True):
        if not value:
            raise InputError(path, f"rows without a {by!r} value")
        strata.append((str(value), table_from_frame(part.drop(columns=[by]).reset_index(drop=True), path)))
    return table_from_frame(frame.drop(columns=[by]), path), strata
