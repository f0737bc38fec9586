"""A report from the synthetic world's Belgian-style statistics: Myria-style statements, caveats, a readable PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.stats.conftest import CliResult
from unveil.stats import import_statistics
from unveil.workspace import Workspace
from unveil_synth.statistics import write_statistics


@pytest.fixture(scope="module")
def belgian_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("belgian-world")
    (root / "statistics").mkdir()
    write_statistics(root, 7)
    return root / "statistics"


@pytest.fixture(scope="module")
def belgian_report(belgian_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from unveil.stats.report import write_report
    from unveil.stats.sources import read_folder

    out = tmp_path_factory.mktemp("belgian-report")
    write_report(read_folder(belgian_folder), 2016, out, first=2012)
    return out


def _text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def test_the_report_states_shares_panel_trend_districts_conviction_rate_and_caveats(belgian_report: Path) -> None:
    text = _text(belgian_report / "report.pdf")
    # the share of the level by place and by type
    share = re.search(r"In 2016, (\d+)% of offences were recorded in ([^.]+)\.", text)
    assert share and int(share.group(1)) >= 50 and "Brussels" in share.group(2)
    assert re.search(r"\d+% of the 2016 offences \([\d,–]+\) related to migrant smuggling", text)
    # the trend over a fixed panel, backed by a rate test
    assert "All offences (the same 12 places reporting in both years)" in text
    assert "Poisson rate test" in text
    # the districts behind the smuggling change: the E40 districts, all of them
    smuggling = re.search(r"Migrant smuggling offences (\w+) between 2012 and 2016 \([^)]*\), mainly in ([^;.]+)", text)
    assert smuggling and smuggling.group(1) in ("doubled", "tripled", "quadrupled")
    for district in ("Brussels", "West Flanders", "East Flanders"):
        assert district in smuggling.group(2), smuggling.group(2)
    # the conviction rate from French court outcomes ("condamnation"), and the prosecutors' decisions
    rate = re.search(r"In 2016, courts convicted ([\d,]+)(?:–[\d,]+)? persons: (\d+)% of", text)
    assert rate and int(rate.group(1).replace(",", "")) > 0 and 50 <= int(rate.group(2)) <= 100
    assert re.search(r"prosecutors took decisions on [\d,–]+ persons: [^.]*prosecuted [\d,–]+ \(\d+%\)", text)
    assert "no further action" in text  # classement sans suite
    # victim-status entries by nationality and form, the cross-tabulation, no aggregate ranked
    assert "persons entered the victim-status procedure" in text
    assert "nationality by form of exploitation" in text
    nationalities = re.search(r"The most frequent nationalities in 2016 were ([^.]+)\.", text)
    assert nationalities and "Not stated" not in nationalities.group(1)
    # caveats
    for caveat in ("Recorded counts are not prevalence", "Recording practice and coverage change", "synthetic"):
        assert caveat in text, caveat


def test_every_sentence_and_cross_table_number_points_to_rows(belgian_report: Path) -> None:
    html = (belgian_report / "report.html").read_text("utf-8")
    sentence = re.search(r"<p>(Migrant smuggling offences [^<]+) <a class=\"ref\" href=\"#(R\d+)\"", html)
    assert sentence, "the smuggling trend sentence links to its rows"
    rows = (belgian_report / "rows.csv").read_text("utf-8")
    behind = [line for line in rows.splitlines() if line.startswith(sentence.group(2) + ",")]
    assert behind and all("police_offences:" in line for line in behind)
    assert "nationality by form of exploitation, 2016: Nigeria, Sexual exploitation" in rows
    assert "victim_status:slachtofferstatuut.csv" in rows


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_pages_have_no_dark_fills_behind_text(belgian_report: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(belgian_report / "report.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 3
    for page in pages:
        grey = np.asarray(Image.open(page).convert("L"), dtype=float)
        dark_share = (grey < 110).mean(axis=1)  # per pixel row: the share of dark pixels across the page
        banded = 0
        for share in dark_share:
            banded = banded + 1 if share > 0.5 else 0
            assert banded < 4, f"{page.name}: a dark band across the page (a filled table?)"


def test_a_report_place_filter_keeps_one_district_in_every_section(
    belgian_folder: Path, tmp_path: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    done = cli(["report", str(belgian_folder), "--to", "2016", "--place", "Brussels", "--out", str(tmp_path / "o")])
    assert done.returncode == 0, done.stderr
    text = _text(tmp_path / "o" / "report.pdf")
    assert "Antwerp" not in text and "Brussels" in text
    refused = cli(["report", str(belgian_folder), "--to", "2016", "--place", "Bruxelles", "--out", str(tmp_path / "p")])
    assert refused.returncode == 2 and "no statistics for the place 'Bruxelles'" in refused.stderr


def test_stats_show_keeps_sources_apart_and_prints_no_nan(
    belgian_folder: Path, tmp_path: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    import_statistics(workspace, [belgian_folder])
    done = cli(["stats", "show", str(workspace.root), "--indicator", "detected_victims", "--by", "category"])
    assert done.returncode == 0, done.stderr
    assert "nan" not in done.stdout and "victims:victimes.csv" in done.stdout
    both = cli(["stats", "show", str(workspace.root), "--indicator", "judicial_decisions", "--source", "nope"])
    assert both.returncode == 2 and "unknown source" in both.stderr
