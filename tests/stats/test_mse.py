"""Multiple systems estimation against the reference analysis (SparseMSE, Chan, Silverman & Vincent 2021)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.stats.conftest import CliResult
from unveil.errors import InputError
from unveil.stats.mse import (
    MseError,
    check_model,
    estimate_hidden_population,
    fit_model,
    full_table,
    parse_model,
    read_overlap_table,
    read_strata,
)

# Chan, Silverman & Vincent (JASA 2021) on New Orleans: stepwise rule (threshold 0.02) chooses main
# effects + D:E; estimate 1,184, BCa 95% interval 717 to 1,657.
NEW_ORLEANS = 1184
NEW_ORLEANS_BCA = (717, 1657)
# Silverman (2014), Home Office: "between 10 thousand and 13 thousand" potential victims in the UK in 2013.
PUBLISHED_UK_2013 = (10_000, 13_000)


def test_new_orleans_published_model_with_zero_cells_gives_the_published_estimate(mse_dir: Path) -> None:
    table = read_overlap_table(mse_dir / "NewOrl.csv")
    assert len(table.counts) == 2**8 - 1 and table.observed == 185
    fixed = fit_model(table, parse_model(table, "D:E"))
    assert fixed.estimate == pytest.approx(NEW_ORLEANS, rel=0.02)
    # a table given only its present rows is completed with the zero cells: the same estimate
    present = table.counts > 0
    only_present = full_table(table.lists, table.patterns[present], table.counts[present])
    assert fit_model(only_present, parse_model(only_present, "D:E")).estimate == pytest.approx(fixed.estimate)


@pytest.mark.slow
def test_new_orleans_bca_interval_reproduces_the_reference(mse_dir: Path) -> None:
    table = read_overlap_table(mse_dir / "NewOrl.csv")
    estimate = estimate_hidden_population(table, replicates=100, seed=1, diagnostics=False)
    assert estimate.interval_method == "bca" and estimate.bootstrap is not None
    low, high = NEW_ORLEANS_BCA
    assert estimate.lower == pytest.approx(low, rel=0.1) and estimate.upper == pytest.approx(high, rel=0.1)


def test_the_bootstrap_is_seeded_and_deterministic(mse_dir: Path) -> None:
    table = read_overlap_table(mse_dir / "Western.csv")
    first = estimate_hidden_population(table, replicates=30, seed=7, diagnostics=False)
    again = estimate_hidden_population(table, replicates=30, seed=7, diagnostics=False)
    assert (again.lower, again.upper) == (first.lower, first.upper)
    assert first.lower <= first.estimate <= first.upper


def test_new_orleans_stepwise_rule_chooses_the_published_model(mse_dir: Path) -> None:
    table = read_overlap_table(mse_dir / "NewOrl.csv")
    estimate = estimate_hidden_population(table, interval="profile")
    assert estimate.model == "main effects + D:E"
    assert estimate.estimate == pytest.approx(NEW_ORLEANS, rel=0.02)
    assert estimate.profile is not None and estimate.profile[0] < estimate.estimate < estimate.profile[1]
    by_threshold = {row["threshold"]: row["model"] for row in estimate.thresholds}
    assert by_threshold[0.01] == "main effects" and by_threshold[0.02] == "main effects + D:E"
    assert estimate.diagnostics[1]["added"] == "D:E" and estimate.diagnostics[1]["p_value"] < 0.02
    # AIC admits far more interactions than the reference's rule
    assert estimate.alternatives["aic"]["model"].count(":") > 3


def test_uk_western_and_netherlands_follow_the_reference_rule(mse_dir: Path) -> None:
    uk = estimate_hidden_population(read_overlap_table(mse_dir / "UKdat.csv"), interval="profile")
    assert uk.observed == 2744 and PUBLISHED_UK_2013[0] <= uk.estimate <= PUBLISHED_UK_2013[1]
    western = estimate_hidden_population(
        read_overlap_table(mse_dir / "Western.csv"), interval="profile", diagnostics=False
    )
    assert western.observed == 345 and western.model == "main effects + A:E"
    ned = estimate_hidden_population(read_overlap_table(mse_dir / "Ned.csv"), interval="profile", diagnostics=False)
    assert ned.observed == 8234
    # the Netherlands lists I and K share no victim: the rule can enter that empty overlap
    assert ("I", "K") in ned.interactions


def test_the_linear_program_refuses_a_model_whose_estimate_does_not_exist() -> None:
    # Every victim on A is also on B: with A:B in the model the A-not-B margin is zero, no finite estimate.
    patterns = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1]], dtype=float)
    table = full_table(["A", "B", "C"], patterns, np.array([5.0, 10.0, 15.0, 4.0]))
    assert check_model(table, []).ok
    assert not check_model(table, [(0, 1)]).exists
    with pytest.raises(MseError, match="does not exist"):
        estimate_hidden_population(table, model="A:B", interval="profile")
    # A and C never overlap: that cell goes, and all three interactions leave more parameters than cells
    full = check_model(table, [(0, 1), (0, 2), (1, 2)])
    assert not full.identifiable


def test_two_lists_give_chapman_and_no_overlap_is_a_clear_error() -> None:
    table = full_table(["A", "B"], np.array([[1, 0], [0, 1], [1, 1]], dtype=float), np.array([80.0, 60.0, 20.0]))
    estimate = estimate_hidden_population(table)
    assert estimate.method == "lincoln-petersen"
    assert estimate.estimate == pytest.approx(101 * 81 / 21 - 1)
    assert estimate.lower < estimate.estimate < estimate.upper
    apart = full_table(["A", "B"], np.array([[1, 0], [0, 1]], dtype=float), np.array([80.0, 60.0]))
    with pytest.raises(MseError, match="share no victim"):
        estimate_hidden_population(apart)


def test_uninformative_lists_are_dropped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("A,B,C,D,count\n1,0,0,0,30\n0,1,0,0,20\n1,1,0,0,5\n0,0,1,0,10\n1,0,1,0,3\n0,1,1,0,2\n", "utf-8")
    estimate = estimate_hidden_population(read_overlap_table(path), interval="profile")
    assert estimate.dropped == ("D (no victim)",)
    assert estimate.lists == ["A", "B", "C"]


def test_stratified_tables_are_estimated_per_year(tmp_path: Path, mse_dir: Path) -> None:
    lines = (mse_dir / "Western.csv").read_text("utf-8").splitlines()
    body = [f"{year},{line}" for year in (2019, 2020) for line in lines[1:]]
    path = tmp_path / "strata.csv"
    path.write_text("\n".join([f"year,{lines[0]}", *body]) + "\n", "utf-8")
    pooled, strata = read_strata(path, "year")
    assert [name for name, _ in strata] == ["2019", "2020"]
    assert pooled.observed == 2 * 345 and strata[0][1].observed == 345


def test_the_cli_estimates_each_stratum_of_one_file(
    tmp_path: Path, mse_dir: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    lines = (mse_dir / "Western.csv").read_text("utf-8").splitlines()
    body = [f"{region},{line}" for region in ("North", "South") for line in lines[1:]]
    path = tmp_path / "regions.csv"
    path.write_text("\n".join([f"region,{lines[0]}", *body]) + "\n", "utf-8")
    done = cli(["stats", "mse", str(path), "--by", "region", "--interval", "profile", "--json"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [s["stratum"] for s in result["strata"]] == ["North", "South"]
    assert result["strata"][0]["estimate"] == result["strata"][1]["estimate"]
    assert {"estimate", "lower", "upper", "model"} <= set(result)
    plain = cli(["stats", "mse", str(path), "--interval", "profile"])
    assert plain.returncode == 2 and "--by region" in plain.stderr


BAD_TABLES = {
    "fractional": ("A,B,C,count\n1,0,0,2.5\n0,1,0,3\n1,1,0,1\n", "not a whole number"),
    "negative": ("A,B,C,count\n1,0,0,-5\n0,1,0,3\n1,1,0,1\n", "negative count"),
    "not binary": ("A,B,count\n1,2,5\n", "0 and 1"),
    "no victims": ("A,B,C,count\n1,0,0,0\n0,1,0,0\n", "no victim"),
    "no overlap": ("A,B,count\n1,0,5\n0,1,7\n", "share no victim"),
    "one list": ("A,B,C,count\n1,0,0,5\n", "fewer than two informative lists"),
    "tiny": ("A,B,C,count\n1,0,0,5\n0,1,0,4\n", "share no victim"),
    "text count": ("A,B,C,count\n1,0,0,many\n", "not a number"),
    "empty": ("A,B,C,count\n", "at least two list columns"),
    "empty file": ("", "cannot read the overlap table"),
}


@pytest.mark.parametrize("name", sorted(BAD_TABLES))
def test_every_bad_table_exits_2_with_one_line(
    name: str, tmp_path: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    text, message = BAD_TABLES[name]
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    done = cli(["stats", "mse", str(path), "--interval", "profile"])
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_repeated_combinations_are_pooled_with_a_warning(tmp_path: Path, cli: Callable[[list[str]], CliResult]) -> None:
    path = tmp_path / "repeat.csv"
    path.write_text("A,B,count\n1,0,80\n0,1,60\n1,1,10\n1,1,10\n", "utf-8")
    done = cli(["stats", "mse", str(path), "--json"])
    assert done.returncode == 0, done.stderr
    assert "repeated combinations pooled" in done.stderr
    assert json.loads(done.stdout)["estimate"] == pytest.approx(101 * 81 / 21 - 1, abs=0.1)


def test_a_table_with_a_non_binary_list_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("A,B,count\n1,2,5\n", "utf-8")
    with pytest.raises(InputError, match="0 and 1"):
        read_overlap_table(path)


def test_cli_prints_the_estimate_and_its_diagnostics_as_json(
    mse_dir: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    done = cli(["stats", "mse", str(mse_dir / "Western.csv"), "--json", "--replicates", "40"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"estimate", "lower", "upper", "model", "diagnostics", "thresholds", "bootstrap", "profile"} <= set(result)
    assert result["interval"] == "bca" and result["bootstrap"]["replicates"] == 40
    assert result["lower"] <= result["estimate"] <= result["upper"]
