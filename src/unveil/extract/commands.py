"""``unveil extract FILE|-``: identifiers, places, prices, ages and indicators of JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer

from unveil.errors import UsageError


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command."""
    app.command("extract")(extract)


def extract(
    source: Annotated[str, typer.Argument(help="JSON-lines file of {id, text, country?}, or - for standard input.")],
    region: Annotated[str, typer.Option(help="Default country of phone numbers (ISO code).")] = "BE",
) -> None:
    """Extract every record of a JSON-lines file and print one JSON line per record, in input order."""
    from unveil.extract.jsonl import extract_line

    if len(region) != 2 or not region.isalpha():
        raise UsageError(f"--region must be a two-letter ISO country code, not {region!r}")
    with _open(source) as lines:
        for line in lines:
            if line.strip():
                result = extract_line(line, region.upper())
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


@contextmanager
def _open(source: str) -> Iterator[TextIO]:
    if source == "-":
        yield sys.stdin
        return
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{source}: no such file")
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield handle
