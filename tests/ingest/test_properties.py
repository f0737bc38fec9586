"""Property tests: no reader crashes on any input, and no reader loses a record."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unveil.ingest.limits import Limits, bounded_lines
from unveil.ingest.readers import html, images, jsondoc, jsonl, tabular, telegram, warc
from unveil.ingest.records import Item, Rejected, Row, Source
from unveil.ingest.text import normalise_text, repair_mojibake

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMITS = Limits(max_record_bytes=4096, max_document_bytes=1 << 20)
READERS: dict[str, Callable[[Source], Iterator[Item]]] = {
    "x.jsonl": jsonl.read,
    "x.csv": tabular.read,
    "x.json": jsondoc.read,
    "result.json": telegram.read,
    "x.html": html.read,
    "x.warc.gz": warc.read,
    "x.png": images.read,
}


def run_reader(name: str, data: bytes) -> list[Item]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return list(READERS[name](Source(path, path, name, "0" * 64, LIMITS, "BE")))


@FAST
@given(st.sampled_from(sorted(READERS)), st.binary(max_size=3000))
def test_no_reader_crashes_on_arbitrary_bytes(name: str, data: bytes) -> None:
    items = run_reader(name, data)
    assert all(isinstance(item, Row | Rejected) for item in items)
    assert all(isinstance(item, Rejected) and item.reason for item in items if not isinstance(item, Row))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)
lines = st.one_of(
    st.builds(
        lambda text, extra: json.dumps({"text": text, "extra": extra}), st.text(min_size=1, max_size=40), json_values
    ),
    st.text(max_size=60).map(lambda text: text.replace("\n", " ").replace("\r", " ")),
    st.binary(max_size=60).map(lambda data: data.replace(b"\n", b" ").decode("latin-1")),
)


@FAST
@given(st.lists(lines, max_size=30))
def test_json_lines_yield_one_item_per_non_blank_line(content: list[str]) -> None:
    data = "".join(line + "\n" for line in content).encode("utf-8", "surrogatepass")
    items = run_reader("x.jsonl", data)
    expected = [number for number, line in enumerate(data.split(b"\n")[:-1], start=1) if line.strip()]
    assert [item.record_no for item in items] == expected


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=30)


@FAST
@given(st.lists(st.tuples(cells.filter(lambda text: text.strip() != ""), cells), min_size=1, max_size=20))
def test_csv_rows_written_by_a_csv_writer_all_come_back(records: list[tuple[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text", "city"])
    writer.writerows(records)
    items = run_reader("x.csv", buffer.getvalue().encode("utf-8"))
    kept = [row for row in records if row[0].strip() or row[1].strip()]
    assert len(items) == len(kept)
    assert all(isinstance(item, Row) for item in items if item.record_no)


messages = st.lists(
    st.one_of(
        st.fixed_dictionaries({"id": st.integers(), "type": st.just("message"), "text": st.text(max_size=30)}),
        st.fixed_dictionaries(
            {
                "id": st.integers(),
                "type": st.just("message"),
                "text": st.lists(
                    st.text(max_size=10)
                    | st.fixed_dictionaries({"type": st.text(max_size=8), "text": st.text(max_size=10)})
                ),
            }
        ),
        json_values,
    ),
    max_size=20,
)


@FAST
@given(messages)
def test_telegram_export_yields_one_item_per_message(listed: list[object]) -> None:
    export = {"name": "c", "type": "public_channel", "id": 1, "messages": listed}
    items = run_reader("result.json", json.dumps(export).encode())
    assert len(items) == len(listed)


@FAST
@given(st.text(max_size=500))
def test_html_always_gives_exactly_one_item_and_no_markup_from_scripts(body: str) -> None:
    # The script comes first: text such as "<?" before it would turn it into a comment, whose
    # remains an HTML parser rightly reads as text.
    page = f"<html><head><script>SECRET()</script></head><body>{body}</body></html>"
    items = run_reader("x.html", page.encode("utf-8", "surrogatepass"))
    assert len(items) == 1
    assert isinstance(items[0], Row) and "SECRET" not in str(items[0].values["text"])


@FAST
@given(st.binary(max_size=5000), st.integers(min_value=1, max_value=100))
def test_bounded_lines_reassemble_the_input(data: bytes, limit: int) -> None:
    parts = list(bounded_lines(io.BytesIO(data), limit))
    assert sum(part.size for part in parts) + max(len(parts) - 1, 0) + data.endswith(b"\n") == len(data) or not data
    assert all(part.data is None or len(part.data) <= limit for part in parts)


@FAST
@given(st.text(max_size=80))
def test_normalising_is_idempotent_and_mojibake_repair_only_repairs(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert repair_mojibake(text.encode("utf-8").decode("latin-1")) in (text, text.encode("utf-8").decode("latin-1"))
