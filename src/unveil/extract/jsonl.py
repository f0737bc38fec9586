"""The JSON-lines form of an extraction, as ``unveil extract`` prints it (one object per input line)."""

from __future__ import annotations

import json
from typing import Any

from unveil.extract.extractor import PostExtraction, extract_post
from unveil.identifiers.found import Found
from unveil.identifiers.regions import DEFAULT_REGIONS
from unveil.indicators.scorer import domain_scores

MAX_LINE_CHARS = 1_000_000


def identifier_object(item: Found, text: str) -> dict[str, Any]:
    """An identifier as JSON: handles carry ``service`` and the bare name as ``value``."""
    value = item.value.partition(":")[2] if item.type == "handle" else item.value
    found: dict[str, Any] = {"type": item.type, "value": value, "start": item.start, "end": item.end}
    if item.service:
        found["service"] = item.service
    found["raw"] = text[item.start : item.end]
    found["rule"] = item.rule
    if item.region_source is not None:
        found["region_source"] = item.region_source
        found["ambiguous"] = item.ambiguous
    return found


def extraction_object(record_id: Any, text: str, extraction: PostExtraction) -> dict[str, Any]:
    """The whole output object of one input record (``truncated``: only when the text was too long to read whole)."""
    result: dict[str, Any] = {
        "id": record_id,
        "language": extraction.language,
        "identifiers": [identifier_object(item, text) for item in extraction.identifiers],
        "places": [
            {
                "place_id": m.place.place_id,
                "name": m.place.name,
                "kind": m.place.kind,
                "country": m.place.country,
                "start": m.start,
                "end": m.end,
            }
            for m in extraction.places
        ],
        "prices": [
            {"amount": p.amount, "currency": p.currency, "unit": p.unit, "start": p.start, "end": p.end}
            for p in extraction.prices
        ],
        "ages": [{"age": a.age, "start": a.start, "end": a.end} for a in extraction.ages],
        "indicators": [
            {
                "id": m.indicator_id,
                "domain": m.domain,
                "start": m.start,
                "end": m.end,
                "weight": m.weight,
                "matched": m.matched,
                "source": m.source,
            }
            for m in extraction.indicators
        ],
        "scores": domain_scores(extraction.indicators),
    }
    if extraction.truncated:
        result["truncated"] = True
    return result


def extract_line(line: str, default_region: str) -> dict[str, Any]:
    """One input line (``{"id", "text", "country"?}``) to its output object, or an ``error`` object."""
    if len(line) > MAX_LINE_CHARS:
        return {"id": None, "error": f"line longer than {MAX_LINE_CHARS:,} characters"}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not JSON: {exc.msg}"}
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return {"id": record.get("id") if isinstance(record, dict) else None, "error": "no text field"}
    country = record.get("country")
    code = country.upper() if isinstance(country, str) and len(country) == 2 else None
    site = next((record[key] for key in ("site", "url", "domain") if isinstance(record.get(key), str)), None)
    workspace = tuple(dict.fromkeys((default_region, *DEFAULT_REGIONS)))
    text: str = record["text"]
    return extraction_object(record.get("id"), text, extract_post(text, code, site=site, workspace=workspace))
