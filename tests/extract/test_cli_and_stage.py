"""``unveil extract`` (JSON lines in, JSON lines out) and the ``extract``/``score`` stages' tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import run_cli
from unveil.engine import create_engine
from unveil.errors import UsageError
from unveil.extract.commands import register
from unveil.extract.jsonl import extract_line
from unveil.extract.stage import EXTRACT
from unveil.indicators.stage import SCORE
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.workspace import Workspace

DEVSET = Path(__file__).parent / "devset"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The development set ingested as posts and run through ``extract`` and ``score`` (one process)."""
    root = tmp_path_factory.mktemp("extract")
    posts = root / "world" / "posts"
    posts.mkdir(parents=True)
    lines = [line for path in sorted(DEVSET.glob("*.jsonl")) for line in path.read_text().splitlines()]
    records = [json.loads(line) for line in lines if line.strip()]
    with (posts / "devset.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            post = {"id": record["id"], "text": record["text"], "kind": "ad", "platform": "devset"}
            handle.write(json.dumps(post, ensure_ascii=False) + "\n")
    workspace = Workspace.init(root / "ws")
    ingest(workspace, [root / "world"])
    with create_engine("duckdb", workspace.settings.model_copy(update={"workers": 1})) as engine:
        run_pipeline(workspace, engine, [EXTRACT, SCORE])
    return workspace


def test_extract_command_reads_a_file_and_keeps_input_order(tmp_path: Path) -> None:
    source = tmp_path / "ads.jsonl"
    records = [
        {"id": "a", "text": "Nouvelle à Liège, 19 ans, 0470/12.34.56, snap: lola.bxl, 150€/h", "country": "BE"},
        {"id": "b", "text": "06 12 34 56 78, very young", "country": "FR"},
        {"id": 3, "text": "nothing here"},
    ]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\nnot json\n")
    result = run_cli(["extract", str(source)])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", 3, None]
    first = lines[0]
    assert first["language"] == "fr"
    assert {"type": "handle", "service": "snapchat", "value": "lola.bxl"}.items() <= first["identifiers"][1].items()
    assert first["identifiers"][0]["value"] == "+32470123456"
    assert first["ages"] == [{"age": 19, "start": 18, "end": 24}]
    assert first["prices"][0]["unit"] == "hour"
    assert lines[1]["identifiers"][0]["value"] == "+33612345678"
    assert lines[1]["scores"]["minors"] > 0
    assert "error" in lines[3]


def extract_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("version")(lambda: None)
    return app


def test_extract_command_reads_standard_input() -> None:
    stdin = json.dumps({"id": "x", "text": "bel nul vier zeven nul 12 34 56"}) + "\n\n"
    result = CliRunner().invoke(extract_app(), ["extract", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    [line] = [json.loads(line) for line in result.output.splitlines()]
    assert line["identifiers"][0]["value"] == "+32470123456"


def test_spans_of_the_output_index_the_input_text() -> None:
    text = "Bel nul vier zeven nul 12 34 56 in Gent, 100 euro, mail a.b@c.be 🌹"
    output = extract_line(json.dumps({"id": 1, "text": text}), "BE")
    for key in ("identifiers", "places", "prices", "ages", "indicators"):
        for item in output[key]:
            assert 0 <= item["start"] < item["end"] <= len(text)
    assert text[output["identifiers"][0]["start"] : output["identifiers"][0]["end"]] == "nul vier zeven nul 12 34 56"


def test_missing_file_and_bad_region_are_usage_errors(tmp_path: Path) -> None:
    missing = CliRunner().invoke(extract_app(), ["extract", str(tmp_path / "missing.jsonl")])
    assert isinstance(missing.exception, UsageError)
    assert "no such file" in str(missing.exception)
    region = CliRunner().invoke(extract_app(), ["extract", "-", "--region", "BEL"], input="")
    assert isinstance(region.exception, UsageError)


def test_stages_write_every_contract_table(extracted: Workspace) -> None:
    expected = {
        "extract.identifiers": {
            "post_id", "type", "value", "raw", "start", "end", "rule", "service", "region_source", "ambiguous"
        },
        "extract.places": {"post_id", "place_id", "name", "kind", "country", "lat", "lon", "start", "end"},
        "extract.prices": {"post_id", "amount", "currency", "unit", "start", "end"},
        "extract.ages": {"post_id", "age", "start", "end"},
        "extract.posts": {"post_id", "language", "city"},
        "score.indicators": {"post_id", "indicator_id", "domain", "category", "start", "end", "matched", "weight",
                             "source"},
        "score.scores": {"post_id", "domain", "score", "risk"},
    }  # fmt: skip
    for name, columns in expected.items():
        table = extracted.table(name)
        assert columns <= set(table.schema().names), name
    posts = extracted.table("ingest.posts").num_rows()
    assert extracted.table("extract.posts").num_rows() == posts
    assert extracted.table("extract.identifiers").num_rows() > 0


def test_identifier_rows_carry_their_raw_span(extracted: Workspace) -> None:
    posts = extracted.table("ingest.posts").read(["post_id", "text"]).to_pylist()
    text_of = {row["post_id"]: row["text"] for row in posts}
    for row in extracted.table("extract.identifiers").read().to_pylist()[:500]:
        assert text_of[row["post_id"]][row["start"] : row["end"]] == row["raw"]
