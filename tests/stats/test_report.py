"""The annual report from real GLOTIP and UCR data and from the synthetic world, read back from the PDF."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from tests.stats.conftest import CliResult
from unveil.stats import import_statistics
from unveil.stats.importers import ImportResult
from unveil.stats.report import write_report
from unveil.workspace import Workspace


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def real_report(glotip: ImportResult, ucr: ImportResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real-report")
    frame = pd.concat([glotip.frame(), ucr.frame()], ignore_index=True)
    write_report(frame, 2018, out, places=["Belgium"])
    return out


def test_the_real_report_for_belgium_has_only_belgian_sections_and_caveats(real_report: Path) -> None:
    text = _pdf_text(real_report / "report.pdf")
    for title in (
        "Police-recorded offences",
        "Detected victims",
        "Prosecutions and judicial outcomes",
        "What these figures can and cannot say",
        "Appendix: sources and rows",
    ):
        assert title in text, title
    assert "In 2018, 115 victims were detected (forced labour 65%" in text  # 75 + 33 + 7 in GLOTIP
    assert "FBI" not in text and "Commercial Sex Acts" not in text  # --place Belgium filters every section
    assert "Recorded counts are not prevalence" in text


def test_us_police_trends_are_told_over_a_fixed_panel_with_a_test(ucr: ImportResult) -> None:
    from unveil.stats.report import build_report

    report = build_report(ucr.frame(), 2016, first=2013)
    sentences = " ".join(report.sections[0].sentences)
    assert "rose 64-fold between 2013 and 2016 (20 to 1,280" in sentences
    assert "the agencies reporting went from 9 in 2013 to 225 in 2016" in sentences
    assert "Over the 4 agencies reporting in both years, offences tripled between 2013 and 2016 (15 to 40" in sentences
    assert "Involuntary Servitude offences did not change significantly" in sentences


def test_an_unknown_place_is_refused(ucr: ImportResult, tmp_path: Path) -> None:
    from unveil.errors import UsageError

    with pytest.raises(UsageError, match="no statistics for the place 'Belgique'"):
        write_report(ucr.frame(), 2016, tmp_path, places=["Belgique"])


def test_every_linked_number_of_the_html_report_has_its_rows(real_report: Path) -> None:
    html = (real_report / "report.html").read_text("utf-8")
    with (real_report / "rows.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    references = {row["reference"] for row in rows}
    linked = {part.split('"')[0] for part in html.split('class="ref" href="#')[1:]}
    assert linked and linked <= references
    assert all(f'id="{key}"' in html for key in linked)
    belgian_2018 = [r for r in rows if r["label"] == "Detected victims by form of exploitation, 2018: Forced labour"]
    assert [(r["source"], r["source_row"]) for r in belgian_2018] and belgian_2018[0]["source"].startswith("glotip:")
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_report_from_the_synthetic_world(
    small_world: Path, tmp_path: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    summaries, _ = import_statistics(workspace, [small_world / "statistics"])
    assert {s.importer for s in summaries} == {
        "police_offences",
        "victims",
        "judicial_outcomes",
        "prosecutions",
        "victim_status",
    }
    done = cli(["report", str(workspace.root), "--year", "2016", "--out", str(tmp_path / "out")])
    assert done.returncode == 0, done.stderr
    text = _pdf_text(tmp_path / "out" / "report.pdf")
    assert "SYNTHETIC DATA" in text
    for title in ("Police-recorded offences", "Detected victims", "Prosecutions and judicial outcomes", "Appendix"):
        assert title in text, title
    assert "Migrant smuggling offences" in text and "between 2012 and 2016" in text


def test_a_year_without_figures_is_a_usage_error(tmp_path: Path, cli: Callable[[list[str]], CliResult]) -> None:
    folder = tmp_path / "stats"
    folder.mkdir()
    (folder / "police_offences.csv").write_text("year,judicial_district,region,offence_type,count\n2016,A,R,x,3\n")
    done = cli(["report", str(folder), "--year", "1990", "--out", str(tmp_path / "out")])
    assert done.returncode == 2 and "no statistics for 1990" in done.stderr


def test_world_glotip_trends_use_a_panel_of_countries_and_never_name_a_blank_region(glotip: ImportResult) -> None:
    from unveil.stats.report import build_report

    report = build_report(glotip.frame(), 2018)
    offences = next(section for section in report.sections if section.key.startswith("offences"))
    text = " ".join(offences.sentences)
    assert "places reporting" in text  # a panel: the same countries in both years, or the raw totals beside it
    assert " and ." not in text and "mainly in ," not in text
    victims = next(section for section in report.sections if section.key.startswith("victims"))
    assert any(s.startswith("Over the ") and "places reporting in both years, victims" in s for s in victims.sentences)
    ranked = next(s for s in victims.sentences if s.startswith("The most frequent nationalities"))
    assert "Nationals" not in ranked and "Not stated" not in ranked
