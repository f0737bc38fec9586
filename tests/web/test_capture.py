"""The raw capture opens at the post's own record (by its record number, else by its id), bounded."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from unveil.web.capture import RECORD_LIMIT, locate_record


def _jsonl(path: Path, ids: list[str]) -> Path:
    lines = [json.dumps({"id": i, "text": f"ad {i} <script>x</script>"}) for i in ids]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_json_lines_record_is_found_at_its_line_with_the_lines_around_it(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [f"W-{n}" for n in range(1, 13)])
    capture = locate_record(path, 10, "W-10")
    assert capture.found and capture.line == 10 and '"W-10"' in capture.text and '"W-9"' in capture.before
    assert '"W-11"' in capture.after and "(its record number)" in capture.how
    assert capture.offset == sum(len(line) for line in path.read_bytes().splitlines(keepends=True)[:9])


def test_a_record_whose_number_is_not_its_line_is_found_by_its_whole_id(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('id,text\nW-10,"two\nlines"\nW-1,one\n', encoding="utf-8")  # row 2 is on line 4
    capture = locate_record(path, 2, "W-1")
    assert capture.found and capture.line == 4 and capture.text.startswith("W-1,one"), capture


def test_gzip_files_one_record_files_and_missing_records(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "A"}\n{"id": "B"}\n'))
    assert locate_record(path, 2, "B").text.startswith('{"id": "B"}')
    page = tmp_path / "page.html"
    page.write_text("<html>\n<body>one page</body>\n</html>\n", encoding="utf-8")
    whole = locate_record(page, 1, "https://x.example/1")
    assert whole.found and whole.text.startswith("<html>") and "one record" in whole.how
    lost = locate_record(_jsonl(tmp_path / "b.jsonl", ["A", "B"]), 7, "Z")
    assert not lost.found and "not found" in lost.how and lost.text.startswith('{"id": "A"')


def test_a_huge_record_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": "S"}\n{"id": "H", "text": "' + "x" * (RECORD_LIMIT * 2) + '"}\n{"id": "T"}\n')
    capture = locate_record(path, 2, "H")
    assert capture.found and capture.cut and len(capture.text) == RECORD_LIMIT and capture.after == ""
    assert locate_record(path, 3, "T").text.startswith('{"id": "T"}')
