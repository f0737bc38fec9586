"""The ``publish`` stage: page tables written by the pipeline, and the words an analyst never sees."""

from __future__ import annotations

import pyarrow as pa

from unveil.publish.words import post_words, shown_to_analysts, words
from unveil.workspace import Workspace


def test_words_are_lower_case_without_accents() -> None:
    assert words("Lina, NEW in Liège 24/7! lina") == ["lina", "new", "in", "liege", "24", "7"]


def test_identifier_spans_and_digit_runs_are_not_shown_to_analysts() -> None:
    text = "Call 0470 12 34 56 or mia@example.org tonight"
    spans = [{"start": 19, "end": 37, "raw": "mia@example.org", "value": "mia@example.org"}]
    shown = shown_to_analysts("Mia mia@example.org", text, spans)
    assert "example" not in shown and "0470" not in shown and "tonight" in shown


def test_hidden_words_are_flagged_per_post() -> None:
    batch = pa.RecordBatch.from_pylist(
        [
            {"pos": 0, "title": "Hot", "text": "call 0470123456 now", "spans": []},
            {"pos": 1, "title": None, "text": "plain words", "spans": None},
        ]
    )
    rows = post_words(batch).to_pylist()
    hidden = {(row["pos"], row["term"]) for row in rows if row["hidden"]}
    assert hidden == {(0, "0470123456")}
    assert {(row["pos"], row["term"]) for row in rows} >= {(1, "plain"), (0, "now")}


def test_page_tables_cover_every_post_and_network(small_workspace: Workspace) -> None:
    posts = small_workspace.table("ingest.posts").num_rows()
    assert small_workspace.table("publish.posts").num_rows() == posts
    assert small_workspace.table("publish.post_pages").num_rows() == posts
    networks = small_workspace.table("link.networks").num_rows()
    pages = small_workspace.table("publish.network_pages").read().to_pylist()
    assert len(pages) == networks
    assert all(len(page["list_members"]) == page["posts"] for page in pages)
    assert [row["pos"] for row in small_workspace.table("publish.posts").read(["pos"]).to_pylist()] == list(
        range(posts)
    )
