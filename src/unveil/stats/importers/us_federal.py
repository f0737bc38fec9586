"""US federal human-trafficking prosecutions (Human Trafficking Data project): cases and defendants.

``defendants.csv`` gives one defendant per row, with per-statute lists (``['1', '0']``) of pleas
and trial outcomes and the total months sentenced; ``cases.csv`` gives the case's state and year.
Each defendant becomes one ``defendants`` observation (value 1) classified by ``outcome``
(convicted by plea, convicted at trial, acquitted at trial, dismissed, pending or unknown) and, when
sentenced, one ``sentence_months`` observation. Each case becomes a ``cases`` observation and a
``victims_in_cases`` observation. The year is the year the case ended for the defendant, or the
case's year (flagged ``year_of_case``) when it has not ended.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from unveil.stats.importers.base import ImportResult, Rejected, csv_records
from unveil.stats.labels import clean_label
from unveil.stats.schema import MappingReport, Observation, format_breakdown

DEFENDANT_COLUMNS = {"case_id", "statute_plea_guilty", "statute_trial_guilty", "year_terminated"}
CASE_COLUMNS = {"id", "n_defendants", "state", "federal_district", "year", "n_victims"}
UNKNOWN_PLACE = "United States"
_INTEGERS = re.compile(r"-?\d+")

CONVICTED_PLEA = "convicted by plea"
CONVICTED_TRIAL = "convicted at trial"
ACQUITTED = "acquitted at trial"
DISMISSED = "dismissed"
PENDING = "pending or unknown"


def _total(cell: str | None) -> int:
    """Sum of the counts in a per-statute cell: ``"['1', '0']"`` -> 1, ``"2"`` -> 2, empty -> 0."""
    return sum(int(found) for found in _INTEGERS.findall(cell or ""))


def _number(cell: str | None) -> float | None:
    try:
        value = float(cell) if cell not in (None, "") else None
    except ValueError:
        return None
    return None if value is None or math.isnan(value) else value


def defendant_outcome(record: dict[str, str]) -> str:
    """The defendant's outcome; a conviction on any count wins over dismissals of others."""
    if _total(record.get("statute_trial_guilty")) > 0:
        return CONVICTED_TRIAL
    if _total(record.get("statute_plea_guilty")) > 0:
        return CONVICTED_PLEA
    if _total(record.get("statute_trial_ng")) > 0:
        return ACQUITTED
    if _total(record.get("statute_plea_dismissed")) > 0:
        return DISMISSED
    return PENDING


class _Case:
    def __init__(self, state: str, year: int | None) -> None:
        self.state = state
        self.year = year


def _read_cases(path: Path, report: MappingReport) -> dict[str, _Case]:
    cases: dict[str, _Case] = {}
    if not path.exists():
        return cases
    for _, record in csv_records(path):
        year = _number(record.get("year"))
        state = clean_label("state", record.get("state", ""), report) or UNKNOWN_PLACE
        cases[record["id"].strip()] = _Case(state, int(year) if year is not None else None)
    return cases


class UsFederalDefendantsImporter:
    """Reads ``defendants.csv`` (and ``cases.csv`` beside it for the place)."""

    name = "us_federal_defendants"
    description = "US federal trafficking defendants: outcomes and sentences (csv)"

    def detect(self, path: Path, header: list[str]) -> bool:
        """Defendants file when the header has the per-statute outcome columns."""
        return path.suffix.lower() == ".csv" and set(header) >= DEFENDANT_COLUMNS

    def read(self, path: Path) -> ImportResult:
        """One outcome per defendant, one sentence per sentenced defendant."""
        source = f"us_federal:{path.name}"
        result = ImportResult(source, [], MappingReport(source))
        cases = _read_cases(path.parent / "cases.csv", result.mapping)
        for number, record in csv_records(path):
            result.rows_read += 1
            case = cases.get(record.get("case_id", "").strip())
            ended = _number(record.get("year_terminated"))
            year = int(ended) if ended is not None else (case.year if case else None)
            if year is None:
                result.rejected.append(Rejected(source, number, "no year of termination and no case year"))
                continue
            flags = "" if ended is not None else "year_of_case"
            self._add(result, number, year, flags, case.state if case else UNKNOWN_PLACE, record)
        return result

    def _add(
        self, result: ImportResult, number: int, year: int, flags: str, place: str, record: dict[str, str]
    ) -> None:
        outcome = defendant_outcome(record)
        breakdown = format_breakdown({"case_id": record.get("case_id", ""), "defendant_id": record.get("id", "")})
        result.observations.append(
            Observation(
                "defendants",
                "outcome",
                outcome,
                place,
                year,
                1.0,
                "persons",
                result.source,
                number,
                flags,
                breakdown=breakdown,
            )
        )
        months = _number(record.get("total_months_sentenced"))
        if outcome in (CONVICTED_PLEA, CONVICTED_TRIAL) and months is not None:
            result.observations.append(
                Observation(
                    "sentence_months",
                    "conviction",
                    outcome,
                    place,
                    year,
                    months,
                    "months",
                    result.source,
                    number,
                    flags,
                    breakdown=breakdown,
                )
            )


class UsFederalCasesImporter:
    """Reads ``cases.csv``: cases and victims per state and year."""

    name = "us_federal_cases"
    description = "US federal trafficking cases: cases and victims per state and year (csv)"

    def detect(self, path: Path, header: list[str]) -> bool:
        """Cases file when the header has the case columns."""
        return path.suffix.lower() == ".csv" and set(header) >= CASE_COLUMNS

    def read(self, path: Path) -> ImportResult:
        """One ``cases`` and one ``victims_in_cases`` observation per case."""
        source = f"us_federal:{path.name}"
        result = ImportResult(source, [], MappingReport(source))
        for number, record in csv_records(path):
            result.rows_read += 1
            year = _number(record.get("year"))
            if year is None:
                result.rejected.append(Rejected(source, number, "no year"))
                continue
            place = clean_label("state", record.get("state", ""), result.mapping) or UNKNOWN_PLACE
            breakdown = format_breakdown({"case_id": record.get("id", "")})
            result.observations.append(
                Observation(
                    "cases", "total", "Total", place, int(year), 1.0, "cases", source, number, breakdown=breakdown
                )
            )
            victims = _number(record.get("n_victims"))
            if victims is not None:
                result.observations.append(
                    Observation(
                        "victims_in_cases",
                        "total",
                        "Total",
                        place,
                        int(year),
                        victims,
                        "persons",
                        source,
                        number,
                        breakdown=breakdown,
                    )
                )
        return result
