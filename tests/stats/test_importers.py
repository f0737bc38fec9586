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
    assert list(frame["category"]) == ["Migrant smuggling"] * 3
    assert frame["value"].tolist()[::2] == [12.0, 1204.0] and frame["flags"].tolist()[1] == "<5"
    assert list(frame["source_row"]) == [2, 3, 4]
    assert frame["synthetic"].all()
    assert ("offence_type", "SMUGGLING", "Migrant smuggling", "English, Dutch or French term") in result.mapping.entries


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
    assert by_dimension.loc["nationality", "breakdown"] == "form_of_exploitation=Sexual exploitation"
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


def _import(path: Path) -> tuple[str, pd.DataFrame, list[str]]:
    importer = detect_importer(path)
    result = importer.read(path)
    return importer.name, result.frame(), [r.reason for r in result.rejected]


def test_a_dutch_semicolon_file_with_years_as_columns_and_european_numbers(tmp_path: Path) -> None:
    path = tmp_path / "politie.csv"
    path.write_text(
        "Gerechtelijk arrondissement;Gewest;Type misdrijf;2015;2016\n"
        "Antwerpen;Vlaanderen;Mensensmokkel;1.234;<5\n"
        "Gent;Vlaanderen;Mensenhandel - seksuele uitbuiting;12;-5\n",
        "utf-8",
    )
    name, frame, rejected = _import(path)
    assert name == "police_offences"
    values = {(r.place, r.year, r.category): (r.value, r.flags) for r in frame.itertuples()}
    assert values[("Antwerpen", 2015, "Migrant smuggling")] == (1234.0, "")
    assert values[("Antwerpen", 2016, "Migrant smuggling")][1] == "<5"
    assert values[("Gent", 2015, "Trafficking sexual exploitation")] == (12.0, "")
    assert len(rejected) == 1 and "negative" in rejected[0]
    assert set(frame["source_row"]) == {2, 3}


def test_french_prosecutors_decisions_and_province_as_place(tmp_path: Path) -> None:
    path = tmp_path / "parquets.csv"
    path.write_text(
        "année;province;infraction;décision;nombre\n"
        "2020;Hainaut;trafic d'êtres humains;classement sans suite;7\n"
        "2020;Hainaut;trafic d'êtres humains;citation directe;3\n"
        "2020;Hainaut;trafic d'êtres humains;Seponering;2,5\n",
        "utf-8",
    )
    name, frame, rejected = _import(path)
    assert name == "prosecutions"
    decisions = frame[frame["dimension"] == "decision"]
    assert list(decisions["category"]) == ["no further action", "prosecuted"]
    assert set(frame["place"]) == {"Hainaut"}
    assert len(rejected) == 1 and "whole" in rejected[0]


def test_french_court_outcomes_in_an_xlsx_count_as_convictions(tmp_path: Path) -> None:
    import xlsxwriter

    from unveil.stats import judicial

    path = tmp_path / "jugements.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    rows = [
        ("Année", "Arrondissement judiciaire", "Infraction", "Décision", "Nombre"),
        (2019, "Bruxelles", "traite des êtres humains - exploitation sexuelle", "condamnation", 6),
        (2019, "Bruxelles", "traite des êtres humains - exploitation sexuelle", "acquittement", 2),
        (2019, "Bruxelles", "traite des êtres humains - exploitation sexuelle", "Veroordeling", 2),
    ]
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    workbook.close()
    name, frame, _ = _import(path)
    assert name == "judicial_outcomes"
    rates = judicial.conviction_rates(frame)
    assert rates.iloc[0]["rate"] == pytest.approx(0.8)


def test_french_and_dutch_nationality_forms_are_mapped(tmp_path: Path) -> None:
    path = tmp_path / "statut.csv"
    path.write_text(
        "jaar;nationaliteit;uitbuitingsvorm;procedure;aantal\n"
        "2021;Marokkaans;economische uitbuiting;instroom;4\n"
        "2021;Nigériane;exploitation sexuelle;instroom;9\n"
        "2021;Roumaine;exploitation sexuelle;instroom;5\n"
        "2021;Onbekend;bedelarij;instroom;1\n",
        "utf-8",
    )
    name, frame, _ = _import(path)
    assert name == "victim_status" and set(frame["indicator"]) == {"victim_status_entries"}
    nationalities = frame[frame["dimension"] == "nationality"]["category"].tolist()
    assert nationalities == ["Morocco", "Nigeria", "Romania", "Not stated"]
    forms = frame[frame["dimension"] == "form_of_exploitation"]["category"].tolist()
    assert forms == ["Labour exploitation", "Sexual exploitation", "Sexual exploitation", "Forced begging"]


def test_a_file_imported_under_two_names_is_counted_once(tmp_path: Path) -> None:
    from unveil.stats import import_statistics, read_observations
    from unveil.workspace import Workspace

    text = "year,judicial_district,offence_type,count\n2016,Gent,smuggling,12\n"
    (tmp_path / "a.csv").write_text(text, "utf-8")
    (tmp_path / "b.csv").write_text(text, "utf-8")
    workspace = Workspace.init(tmp_path / "ws")
    summaries, skipped = import_statistics(workspace, [tmp_path / "a.csv", tmp_path / "b.csv"])
    assert len(summaries) == 1 and "not counted twice" in skipped[0]
    assert read_observations(workspace)["value"].sum() == 12
