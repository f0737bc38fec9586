"""Importers checked against numbers computed independently from the real files."""

from __future__ import annotations

import ast
import csv
import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from unveil.errors import InputError
from unveil.stats import trends
from unveil.stats.importers import ImportResult, detect_importer
from unveil.stats.importers.us_federal import defendant_outcome

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW = re.compile(r'<row r="(\d+)"[^>]*>(.*?)</row>', re.S)
CELL = re.compile(r'<c r="([A-Z]+)\d+"([^>]*)>(?:<v>([^<]*)</v>)?')


@pytest.fixture(scope="module")
def belgian_forms_from_the_xml(glotip_file: Path) -> dict[int, dict[str, float]]:
    """Belgium's detected victims by form of exploitation (sex and age totals), read from the sheet's XML.

    An independent reader (zipfile and regular expressions over the OOXML sheet, no spreadsheet
    library), so the check does not share code with the importer.
    """
    with zipfile.ZipFile(glotip_file) as archive:
        strings_root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    strings = ["".join(t.text or "" for t in item.iter(f"{NS}t")) for item in strings_root.iter(f"{NS}si")]
    found: dict[int, dict[str, float]] = {}
    rows = ROW.finditer(sheet)
    header = {m.group(1): strings[int(m.group(3))] for m in CELL.finditer(next(rows).group(2))}
    column = {name: letter for letter, name in header.items()}
    wanted = {"Country": "Belgium", "Indicator": "Detected trafficking victims",
              "Dimension": "by form of exploitation", "Sex": "Total", "Age": "Total"}  # fmt: skip
    for row in rows:
        cells = {
            m.group(1): strings[int(m.group(3))] if 't="s"' in m.group(2) else m.group(3)
            for m in CELL.finditer(row.group(2))
        }
        if all(cells.get(column[name]) == value for name, value in wanted.items()):
            text = cells[column["txtVALUE"]]
            value = 0.0 if text == "<5" else float(text.replace(",", ""))
            found.setdefault(int(float(cells[column["Year"]])), {})[cells[column["Category"]]] = value
    return found


@pytest.mark.parametrize("year", [2018, 2020])
def test_belgian_victims_by_form_match_the_spreadsheet(
    glotip: ImportResult, belgian_forms_from_the_xml: dict[int, dict[str, float]], year: int
) -> None:
    expected = belgian_forms_from_the_xml[year]
    assert len(expected) == 3
    data = trends.select(glotip.frame(), "detected_victims", "form_of_exploitation", ["Belgium"])
    computed = trends.shares(data, year)
    assert dict(zip(computed["category"], computed["value"], strict=True)) == expected


def test_glotip_keeps_every_row_and_flags_suppressed_cells(glotip: ImportResult) -> None:
    frame = glotip.frame()
    assert glotip.rows_read == 46_556 == len(frame) + len(glotip.rejected)
    suppressed = frame[frame["flags"] == "<5"]
    assert len(suppressed) == 23_076
    assert suppressed["value"].isna().all()


def test_glotip_mapping_report_lists_the_cleaned_labels(glotip: ImportResult) -> None:
    report = glotip.mapping.to_frame()
    cleaned = {(r.raw, r.cleaned) for r in report.itertuples()}
    assert ("Alemania", "Germany") in cleaned
    assert ("Benin Rep", "Benin") in cleaned
    assert ("AFGHANISTAN", "Afghanistan") in cleaned
    assert ("Detected trafficking victims", "detected_victims") in cleaned
    assert (report["rows"] > 0).all()


def test_ucr_offences_per_year_and_type_match_the_csv(ucr: ImportResult, ucr_file: Path) -> None:
    expected: Counter[tuple[int, str]] = Counter()
    with ucr_file.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            expected[(int(record["DATA_YEAR"]), record["OFFENSE_SUBCAT_NAME"])] += int(record["ACTUAL_COUNT"])
    data = trends.series(trends.select(ucr.frame(), "offences_recorded", "offence_type"))
    computed = {(int(r.year), r.category): r.value for r in data.itertuples()}
    assert computed == dict(expected)


def test_ucr_rows_point_back_to_their_lines(ucr: ImportResult, ucr_file: Path) -> None:
    lines = ucr_file.read_text("utf-8").splitlines()
    frame = ucr.frame()
    row = frame[frame["indicator"] == "offences_recorded"].iloc[100]
    line = next(csv.reader([lines[row["source_row"] - 1]]))
    assert int(line[0]) == row["year"] and float(line[15]) == row["value"] and line[6] == row["place"]


def test_federal_outcomes_match_an_independent_count(federal: pd.DataFrame, federal_dir: Path) -> None:
    expected: Counter[str] = Counter()
    rows = 0
    with (federal_dir / "defendants.csv").open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            rows += 1

            def total(name: str, record: dict[str, str] = record) -> int:
                text = record[name]
                if not text:
                    return 0
                value = ast.literal_eval(text)
                items = value if isinstance(value, list) else [value]
                return sum(int(item) for item in items if item is not None)

            if total("statute_trial_guilty"):
                expected["convicted at trial"] += 1
            elif total("statute_plea_guilty"):
                expected["convicted by plea"] += 1
    outcomes = federal[federal["indicator"] == "defendants"].groupby("category")["value"].sum()
    assert outcomes["convicted at trial"] == expected["convicted at trial"]
    assert outcomes["convicted by plea"] == expected["convicted by plea"]
    rejected = detect_importer(federal_dir / "defendants.csv").read(federal_dir / "defendants.csv").rejected
    assert outcomes.sum() + len(rejected) == rows


def test_defendant_outcome_prefers_a_conviction_over_dismissed_counts() -> None:
    record = {"statute_plea_guilty": "['1', '0']", "statute_plea_dismissed": "['0', '3']"}
    assert defendant_outcome(record) == "convicted by plea"
    assert defendant_outcome({}) == "pending or unknown"


def test_generic_police_layout_reads_suppressed_counts_and_dirty_labels(tmp_path: Path) -> None:
    path = tmp_path / "police_offences.csv"
    path.write_text(
        "# synthetic figures\nyear,judicial_district,region,offence_type,count\n"
        '2016,  Gent ,Flanders,SMUGGLING,12\n2016,Liège,Wallonia,smuggling,<5\n2017,Gent,Flanders,smuggling,"1,204"\n',
        "utf-8",
    )
    result = detect_importer(path).read(path)
    frame = result.frame()
    assert list(frame["place"]) == ["Gent", "Liège", "Gent"]
    assert list(frame["category"]) == ["Smuggling", "smuggling", "smuggling"]
    assert frame["value"].tolist()[::2] == [12.0, 1204.0] and frame["flags"].tolist()[1] == "<5"
    assert list(frame["source_row"]) == [2, 3, 4]
    assert frame["synthetic"].all()
    assert ("offence_type", "SMUGGLING", "Smuggling", "whitespace and capitals") in result.mapping.entries


def test_generic_victims_layout_gives_one_row_per_dimension(tmp_path: Path) -> None:
    path = tmp_path / "victims.csv"
    path.write_text(
        "year,nationality,form_of_exploitation,sex,age_group,count\n2018,Roumanie,sexual exploitation,female,18+,7\n",
        "utf-8",
    )
    frame = detect_importer(path).read(path).frame()
    assert set(frame["dimension"]) == {"nationality", "form_of_exploitation"}
    by_dimension = frame.set_index("dimension")
    assert by_dimension.loc["nationality", "category"] == "Romania"
    assert by_dimension.loc["nationality", "breakdown"] == "form_of_exploitation=sexual exploitation"
    assert not frame["synthetic"].any()


def test_a_bad_count_is_rejected_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "judicial_outcomes.csv"
    path.write_text(
        "year,judicial_district,offence_type,outcome,count\n2019,Gent,trafficking,conviction,many\n", "utf-8"
    )
    result = detect_importer(path).read(path)
    assert result.observations == [] and result.rejected[0].source_row == 2


def test_a_file_in_no_known_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(InputError, match="not a known statistics layout"):
        detect_importer(path)
