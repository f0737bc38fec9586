"""Statistics benchmarks on the real public data in ``../shared/data`` (read in place).

- ``stats.import``: GLOTIP (46,556 rows) through the importer (calamine, label cleaning, mapping
  report) beside a baseline that only iterates the sheet's rows with openpyxl in read-only mode;
  the UCR and US federal files through their importers.
- ``stats.mse``: the reference's stepwise estimate and profile interval of each overlap table
  (with its time), New Orleans' BCa interval with the reference's 1,000 replicates against the
  published 717-1,657, and the UK estimate against the published Home Office interval.
- ``stats.report``: the 2018 report (HTML, PDF, rows.csv) from GLOTIP (Belgium) and UCR.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pandas as pd

from bench.harness import Metrics, benchmark, peak_rss_mb, timed
from unveil.stats.importers import detect_importer
from unveil.stats.mse import estimate_hidden_population, read_overlap_table
from unveil.stats.report import write_report

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GLOTIP = DATA / "glotip" / "data_glotip.xlsx"
UCR = DATA / "us_police_offences" / "HT_2013-2020.csv"
PUBLISHED_UK_2013 = (10_000, 13_000)


def _openpyxl_rows(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


@benchmark("stats.import")
def import_files(scale: str) -> Metrics:
    """Import speed of the real files, GLOTIP beside a bare openpyxl read."""
    with timed() as baseline:
        rows = _openpyxl_rows(GLOTIP) - 1
    with timed() as glotip:
        result = detect_importer(GLOTIP).read(GLOTIP)
    metrics: Metrics = {
        "glotip_rows": rows,
        "glotip_observations": len(result.observations),
        "glotip_labels_cleaned": len(result.mapping.entries),
        "glotip_import_s": round(glotip["seconds"], 2),
        "openpyxl_read_only_s": round(baseline["seconds"], 2),
        "speedup_vs_openpyxl_read": round(baseline["seconds"] / glotip["seconds"], 2),
        "glotip_rows_per_s": round(rows / glotip["seconds"]),
    }
    for path in (UCR, DATA / "us_federal_cases" / "defendants.csv", DATA / "us_federal_cases" / "cases.csv"):
        with timed() as took:
            read = detect_importer(path).read(path)
        metrics[f"{path.stem}_rows_per_s"] = round(read.rows_read / took["seconds"])
    metrics["peak_rss_mb"] = peak_rss_mb()
    return metrics


@benchmark("stats.mse")
def multiple_systems_estimation(scale: str) -> Metrics:
    """The UK 2013 estimate and interval, and the time of each estimate."""
    metrics: Metrics = {}
    for path in sorted((DATA / "mse").glob("*.csv")):
        with timed() as took:
            estimate = estimate_hidden_population(read_overlap_table(path), interval="profile")
        metrics[f"{path.stem}_estimate"] = round(estimate.estimate)
        metrics[f"{path.stem}_model"] = estimate.model
        metrics[f"{path.stem}_profile_interval"] = f"{estimate.lower:,.0f}-{estimate.upper:,.0f}"
        metrics[f"{path.stem}_s"] = round(took["seconds"], 2)
    with timed() as took:
        orleans = estimate_hidden_population(read_overlap_table(DATA / "mse" / "NewOrl.csv"), diagnostics=False)
    metrics["NewOrl_bca_1000"] = f"{orleans.lower:,.0f}-{orleans.upper:,.0f}"
    metrics["NewOrl_bca_published"] = "717-1,657"
    metrics["NewOrl_bca_s"] = round(took["seconds"], 2)
    low, high = PUBLISHED_UK_2013
    metrics["uk_within_published_interval"] = low <= metrics["UKdat_estimate"] <= high
    return metrics


@benchmark("stats.report")
def annual_report(scale: str) -> Metrics:
    """The 2018 report from GLOTIP (Belgium) and UCR: time and size of what is written."""
    frame = pd.concat(
        [detect_importer(p).read(p).frame() for p in (GLOTIP, UCR)],
        ignore_index=True,
    )
    with tempfile.TemporaryDirectory() as folder, timed() as took:
        report = write_report(frame, 2018, Path(folder), places=["Belgium"])
        pdf_kb = (Path(folder) / "report.pdf").stat().st_size // 1024
    return {
        "observations": len(frame),
        "report_s": round(took["seconds"], 2),
        "sections": len(report.sections),
        "references": len(report.references),
        "pdf_kb": pdf_kb,
        "peak_rss_mb": peak_rss_mb(),
    }
