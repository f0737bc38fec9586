"""Edited versions of a record on the post page: which version, when, the changes, escaped."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2

from unveil.ingest import ingest
from unveil.web.pages import create_environment
from unveil.web.privacy import PrivacyView
from unveil.web.readmodel import ReadModel
from unveil.web.routes.posts import post_versions, word_diff
from unveil.workspace import Workspace


def _ingest_versions(tmp_path: Path) -> Workspace:
    workspace = Workspace.init(tmp_path / "ws")
    texts = ["Lina new in Ghent, call 0470 12 34 56", "Lina new in <b>Antwerp</b>, call 0470 12 34 56"]
    for number, text in enumerate(texts):
        source = tmp_path / f"capture-{number}.jsonl"
        record = {"id": "R1", "platform": "ads.example", "title": "Lina", "text": text}
        source.write_text(json.dumps(record) + "\n" + json.dumps({"id": "R2", "text": "other ad"}) + "\n")
        ingest(workspace, [source])
    return workspace


def _ids(workspace: Workspace) -> tuple[str, str]:
    rows = workspace.table("ingest.posts").read(["post_id", "version_of", "source_id"]).to_pylist()
    later = next(r for r in rows if r["version_of"])
    return str(later["version_of"]), str(later["post_id"])


def test_word_diff_keeps_every_character() -> None:
    runs = word_diff("a new in Ghent now", "a new in Antwerp now")
    assert ("removed", "Ghent") in runs and ("added", "Antwerp") in runs
    assert "".join(t for k, t in runs if k != "added") == "a new in Ghent now"
    assert "".join(t for k, t in runs if k != "removed") == "a new in Antwerp now"


def test_versions_say_which_when_and_what_changed(tmp_path: Path) -> None:
    workspace = _ingest_versions(tmp_path)
    first, second = _ids(workspace)
    tables = ReadModel(workspace)
    versions = post_versions(tables, first, PrivacyView(None))
    assert [(v["number"], v["post_id"], v["current"]) for v in versions] == [(1, first, True), (2, second, False)]
    assert versions[1]["source_file"] == "capture-1.jsonl" and ("added", "<b>Antwerp</b>,") in versions[1]["diff"]
    assert post_versions(tables, second, PrivacyView(None))[1]["current"] is True
    rows = workspace.table("ingest.posts").read(["post_id", "text"]).to_pylist()
    other = next(r["post_id"] for r in rows if r["text"] == "other ad")
    assert post_versions(tables, str(other), PrivacyView(None)) == []


def test_the_versions_section_is_rendered_escaped(tmp_path: Path) -> None:
    workspace = _ingest_versions(tmp_path)
    first, _ = _ids(workspace)
    versions = post_versions(ReadModel(workspace), first, PrivacyView(None))
    environment = create_environment()
    environment.undefined = jinja2.ChainableUndefined  # the rest of the page's context is not under test
    post: dict[str, Any] = defaultdict(lambda: None, post_id=first)
    context = {"post": post, "versions": versions, "segments": [], "identifiers": [], "networks": [], "images": []}
    html = environment.get_template("posts/detail.html").render(context)
    assert "this page shows version 1 of 2" in html
    assert '<ins class="added">&lt;b&gt;Antwerp&lt;/b&gt;,</ins>' in html and "<b>Antwerp" not in html
    assert '<del class="removed">Ghent,</del>' in html and "capture-1.jsonl record 1" in html
