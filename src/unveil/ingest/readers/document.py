"""A whole JSON document loaded under the size and depth limits (exports and arrays of posts share it)."""

from __future__ import annotations

import json
from typing import Any

from unveil.ingest.limits import json_depth
from unveil.ingest.records import Rejected, Source
from unveil.ingest.text import decode, detect_encoding, stream_encoding


def load_document(source: Source) -> Any | Rejected:
    """The parsed document, or a rejection of the whole file (record 1) with the reason."""
    limits = source.limits
    size = source.blob.stat().st_size
    if size > limits.max_document_bytes:
        return Rejected(1, f"JSON document of {size:,} bytes exceeds {limits.max_document_bytes:,}")
    data = source.blob.read_bytes()
    announced = stream_encoding(data[:4])  # a byte-order mark, or UTF-16's NULs
    if announced is not None:
        text, _ = decode(data[announced[1] :], announced[0])
    else:
        text, _ = decode(data, detect_encoding(data[:65536]))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(1, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        return Rejected(1, f"JSON nested deeper than {limits.max_depth} levels")
    if json_depth(value) > limits.max_depth:
        return Rejected(1, f"JSON nested deeper than {limits.max_depth} levels")
    return value


def record_size(value: Any) -> int:
    """Size of a record as compact JSON, to bound records inside documents."""
    return len(json.dumps(value, ensure_ascii=False, default=str))
