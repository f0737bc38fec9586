"""Multiple systems estimation on the published overlap tables."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.stats.conftest import CliResult
from unveil.errors import InputError
from unveil.stats.mse import OverlapTable, estimate_hidden_population, read_overlap_table

# Silverman (2014), Modern Slavery: an application of Multiple Systems Estimation (Home Office):
# "an estimate of between 10 thousand and 13 thousand, in total, of potential victims in the UK in 2013".
PUBLISHED_UK_2013 = (10_000, 13_000)


def test_uk_2013_estimate_lies_in_the_published_home_office_interval(mse_dir: Path) -> None:
    estimate = estimate_hidden_population(read_overlap_table(mse_dir / "UKdat.csv"))
    low, high = PUBLISHED_UK_2013
    assert estimate.observed == 2744
    assert low <= estimate.estimate <= high
    assert estimate.lower < estimate.estimate < estimate.upper
    assert low - 500 <= estimate.lower <= low + 500 and high - 500 <= estimate.upper <= high + 1000
    assert estimate.model.startswith("main effects + ")


def test_bic_chooses_no_more_interactions_than_aic(mse_dir: Path) -> None:
    table = read_overlap_table(mse_dir / "UKdat.csv")
    aic = estimate_hidden_population(table, "aic")
    bic = estimate_hidden_population(table, "bic")
    assert len(bic.interactions) <= len(aic.interactions)
    assert PUBLISHED_UK_2013[0] <= bic.estimate <= PUBLISHED_UK_2013[1] + 1000


def test_an_independent_two_list_table_gives_the_lincoln_petersen_estimate() -> None:
    # Two lists: n1 = 100, n2 = 80, both = 20 -> N = n1 * n2 / both = 400 (Lincoln-Petersen).
    table = OverlapTable(["A", "B"], np.array([[1, 0], [0, 1], [1, 1]], dtype=float), np.array([80.0, 60.0, 20.0]))
    estimate = estimate_hidden_population(table)
    assert estimate.estimate == pytest.approx(400.0, rel=1e-6)
    assert estimate.model == "main effects"


def test_the_bootstrap_interval_contains_the_estimate(mse_dir: Path) -> None:
    table = read_overlap_table(mse_dir / "Western.csv")
    estimate = estimate_hidden_population(table, interval="bootstrap", replicates=20)
    assert estimate.lower <= estimate.estimate <= estimate.upper


def test_a_table_with_a_non_binary_list_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("A,B,count\n1,2,5\n", "utf-8")
    with pytest.raises(InputError, match="0 and 1"):
        read_overlap_table(path)


def test_cli_prints_the_estimate_as_json(mse_dir: Path, cli: Callable[[list[str]], CliResult]) -> None:
    done = cli(["stats", "mse", str(mse_dir / "UKdat.csv"), "--json"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"estimate", "lower", "upper", "model"} <= set(result)
    assert PUBLISHED_UK_2013[0] <= result["estimate"] <= PUBLISHED_UK_2013[1]
