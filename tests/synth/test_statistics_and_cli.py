"""Statistics are labelled synthetic and show the reported trends; the command and the samples script work."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unveil.cli import app
from unveil.demo import write_world
from unveil.errors import UsageError
from unveil_synth.samples import collect_samples, render_samples, update_document
from unveil_synth.statistics import DISTRICTS, POLICE_FILE, PROSECUTION_FILE, STATUS_FILE, VICTIMS_FILE


def _rows(world: Path, name: str, delimiter: str = ",") -> list[dict[str, str]]:
    with (world / "statistics" / name).open(encoding="utf-8", newline="") as handle:
        assert handle.readline().startswith("# SYNTHETIC")
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_every_statistic_says_it_is_synthetic_and_small_counts_are_suppressed(small_world: Path) -> None:
    for name, delimiter, count, source in (
        (PROSECUTION_FILE, ";", "nombre", "source"),
        (VICTIMS_FILE, ",", "nombre", "source"),
        (STATUS_FILE, ";", "aantal", "bron"),
    ):
        rows = _rows(small_world, name, delimiter)
        assert rows and all(row[source].startswith("SYNTHETIC") for row in rows)
        assert any(row[count] == "<5" for row in rows)
    header = _rows(small_world, POLICE_FILE, ";")[0].keys()
    assert {str(year) for year in range(2012, 2025)} <= set(header)


def test_smuggling_roughly_triples_along_the_e40_while_sexual_trafficking_declines(small_world: Path) -> None:
    e40 = {district for district, _, corridor, _ in DISTRICTS if corridor}
    totals: dict[tuple[str, int, bool], int] = defaultdict(int)
    for row in _rows(small_world, POLICE_FILE, ";"):
        for year in range(2012, 2025):
            cell = row[str(year)]
            count = 2 if cell == "<5" else int(cell.replace(".", ""))
            totals[(row["type misdrijf"], year, row["gerechtelijk arrondissement"] in e40)] += count
    ratio = totals[("mensensmokkel", 2016, True)] / totals[("mensensmokkel", 2012, True)]
    assert 2.2 < ratio < 4.5  # a tripling, with Poisson noise
    sexual = "mensenhandel - seksuele uitbuiting"
    assert (
        totals[(sexual, 2024, True)] + totals[(sexual, 2024, False)]
        < totals[(sexual, 2012, True)] + totals[(sexual, 2012, False)]
    )


def test_the_synth_command_writes_a_world(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", str(tmp_path / "w"), "--posts", "200", "--seed", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "200 posts" in result.output
    assert (tmp_path / "w" / "truth" / "posts.csv").is_file()


def test_without_the_synth_distribution_the_world_commands_say_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "unveil_synth.world", None)  # as if unveil-synth were not installed
    with pytest.raises(UsageError, match=r"pip install -e \./synth"):
        write_world(tmp_path / "w", 10, 1)


def test_samples_cover_each_kind_in_several_languages_and_replace_their_section(tmp_path: Path) -> None:
    samples = collect_samples(3_000, 1, 3)
    assert len({kind for kind, _ in samples}) == 10
    assert all(len(texts) <= 3 for texts in samples.values())
    document = tmp_path / "doc.md"
    document.write_text("# Title\n\ntext\n", "utf-8")
    update_document(document, render_samples(samples, 3_000, 1))
    update_document(document, render_samples(samples, 3_000, 1))
    text = document.read_text("utf-8")
    assert text.count("<!-- samples:start -->") == 1 and "#### escort_network" in text
