"""Posts as JSON lines: one JSON object per line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from unveil.errors import InputError

TEXT_FIELDS = ("text", "body", "content", "message", "description")


def read_jsonl_posts(path: Path, default_region: str) -> Iterator[dict[str, Any] | tuple[int, str]]:
    """Yield a post row per readable line, or ``(record_no, reason)`` for an unreadable one."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror}") from exc
    with handle:
        for record_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            yield _post_from_line(path, record_no, raw, default_region)


def _post_from_line(path: Path, record_no: int, raw: bytes, region: str) -> dict[str, Any] | tuple[int, str]:
    try:
        item = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return record_no, f"not valid JSON: {exc}"
    if not isinstance(item, dict):
        return record_no, "a line must hold a JSON object"
    text = next((item[key] for key in TEXT_FIELDS if isinstance(item.get(key), str)), None)
    if text is None:
        return record_no, f"no text field (one of {', '.join(TEXT_FIELDS)})"
    sha = hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest()
    source_id = str(item["id"]) if item.get("id") is not None else None
    key = f"id:{source_id}" if source_id else f"sha:{sha}"
    return {
        "post_id": "p" + hashlib.sha256(key.encode()).hexdigest()[:16],
        "source_id": source_id,
        "source_file": path.name,
        "record_no": record_no,
        "evidence_sha256": sha,
        "kind": str(item.get("kind") or "post"),
        "platform": item.get("platform"),
        "url": item.get("url"),
        "author": item.get("author"),
        "title": item.get("title"),
        "text": text,
        "posted_at": _timestamp(item.get("posted_at") or item.get("date")),
        "captured_at": _timestamp(item.get("captured_at")),
        "region": str(item.get("country") or region).upper(),
        "city": item.get("city"),
        "images": [str(i) for i in item.get("images") or []],
    }


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.now().astimezone().tzinfo)
