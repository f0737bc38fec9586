"""FBI Uniform Crime Reporting: human-trafficking offences per police agency and year (CSV).

Columns used: ``DATA_YEAR, ORI, PUB_AGENCY_NAME, STATE_NAME, REGION_NAME, OFFENSE_SUBCAT_NAME,
ACTUAL_COUNT, CLEARED_COUNT``. Each record gives two observations: offences recorded
(``ACTUAL_COUNT``) and offences cleared (``CLEARED_COUNT``), placed in the agency's state.
"""

from __future__ import annotations

from pathlib import Path

from unveil.stats.importers.base import ImportResult, Rejected, csv_records
from unveil.stats.labels import clean_label, parse_count
from unveil.stats.schema import MappingReport, Observation, format_breakdown

REQUIRED = {"data_year", "ori", "state_name", "region_name", "offense_subcat_name", "actual_count"}
COUNTS = (("actual_count", "offences_recorded"), ("cleared_count", "offences_cleared"))


class UcrImporter:
    """Reads the FBI UCR human-trafficking offences file."""

    name = "ucr"
    description = "FBI UCR human-trafficking offences per agency and year (csv)"

    def detect(self, path: Path, header: list[str]) -> bool:
        """UCR when the header has the UCR column names."""
        return path.suffix.lower() == ".csv" and set(header) >= REQUIRED

    def read(self, path: Path) -> ImportResult:
        """Every agency-year-offence record, as observations."""
        source = f"ucr:{path.name}"
        result = ImportResult(source, [], MappingReport(source))
        for number, record in csv_records(path):
            result.rows_read += 1
            try:
                year = int(record["data_year"])
            except (KeyError, ValueError):
                result.rejected.append(Rejected(source, number, f"no year: {record.get('data_year')!r}"))
                continue
            self._read_record(number, year, record, result)
        return result

    def _read_record(self, number: int, year: int, record: dict[str, str], result: ImportResult) -> None:
        report = result.mapping
        offence = clean_label("offence_type", record["offense_subcat_name"], report)
        place = clean_label("place", record["state_name"], report)
        region = clean_label("region", record["region_name"], report)
        agency = format_breakdown({"agency": record.get("pub_agency_name", ""), "ori": record["ori"]})
        for column, indicator in COUNTS:
            if not record.get(column, "").strip():
                continue
            try:
                value, flags = parse_count(record[column], negative=True)
            except ValueError as exc:
                result.rejected.append(Rejected(result.source, number, f"{column}: {exc}"))
                continue
            result.observations.append(
                Observation(
                    indicator=indicator,
                    dimension="offence_type",
                    category=offence,
                    place=place,
                    year=year,
                    value=value,
                    unit="offences",
                    flags=flags,
                    source=result.source,
                    source_row=number,
                    region=region,
                    breakdown=agency,
                )
            )
