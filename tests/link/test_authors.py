"""Linking without identifiers: the generic-template guard, rarity weights, calibration, the author model."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from tests.link.conftest import Post
from tests.link.test_networks import sentence
from unveil.link import authors, summary
from unveil.link.style import STYLE_KIND, post_style_batch, style_marks
from unveil.workspace import Workspace

Linked = Callable[[Sequence[Post]], Workspace]
START = datetime(2024, 5, 1, tzinfo=UTC)


def test_style_marks_keep_how_prices_ages_and_layout_are_written() -> None:
    marks = set(style_marks("HOT Lola 22yo!!! 😘\n• $150/hr\n• call or text").values())
    assert {"t:9yo!!!", "t:$9/hr", "caps", "l:•", "k:a 9", "stretch"} - {"stretch"} <= marks
    assert "n:lola 9yo!!! w" in marks  # the words beside a number
    assert "stretch" in set(style_marks("sooo sweet").values()) and "stretch" not in marks
    assert style_marks("lola 23yo!!!").keys() & style_marks("mia 31yo!!!").keys()


def test_post_style_rows_hold_distinct_text_shingles_then_style_marks() -> None:
    batch = pa.record_batch(
        {"post_id": ["a", "b"], "title": [None, "Hi"], "text": ["sweet sweet sweet sweet", ""]},
    )
    result = post_style_batch(batch).to_pylist()
    first = result[0]
    text = [s for s in first["shingles"] if s < STYLE_KIND]
    assert len(text) == len(set(text)) == first["text_shingles"] == 1  # one distinct bigram
    assert len(first["shingles"]) - len(text) == first["style_marks"]
    assert result[1]["text_shingles"] == 1 and result[1]["length"] == round(float(np.log1p(1)), 4)


def test_calibration_stops_where_links_at_the_margin_turn_wrong() -> None:
    scores = np.linspace(1.0, 0.0, 200)
    label = np.where(np.arange(200) < 100, 1, np.arange(200) % 2)  # top half right, bottom half a coin flip
    result = authors.calibrate("text", scores, label, 0.9, vendors=40)
    assert result.threshold is not None and 0.45 < result.threshold < 0.55
    assert result.precision is not None and result.precision >= 0.9
    assert result.same_pairs == 150 and result.different_pairs == 50


def test_calibration_refuses_without_enough_labelled_pairs() -> None:
    result = authors.calibrate("text", np.ones(10), np.ones(10, dtype=np.int64), 0.9, vendors=3)
    assert result.threshold is None and "not calibrated" in result.note


def test_author_model_never_scores_a_pair_with_a_model_that_saw_its_vendors(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    names = [f"V{k}" for k in range(40)]
    a = rng.integers(0, 40, 800)
    b = np.where(rng.random(800) < 0.5, a, rng.integers(0, 40, 800))
    pairs = pa.table({"vendor_a": [names[i] for i in a], "vendor_b": [names[i] for i in b], "label": (a == b) * 1})
    labels = authors.weak_labels(pairs)
    features = np.column_stack([(a == b) + rng.normal(0, 0.3, 800), np.arange(800.0)])  # column 1: the pair
    monkeypatch.setattr(authors, "SIGNS", np.array([1.0, 0.0]))  # keep the pair column whatever its weight
    seen: list[tuple[set[int], set[int]]] = []
    fit = authors._fit

    class Spy:
        def __init__(self, model: Any, trained: set[int]) -> None:
            self.model, self.trained = model, trained

        def weights(self) -> Any:
            return self.model.weights()

        def predict_proba(self, x: Any) -> Any:
            seen.append((self.trained, {int(i) for i in x[:, 1]}))
            return self.model.predict_proba(x)

    monkeypatch.setattr(authors, "_fit", lambda x, y: Spy(fit(x, y), {int(i) for i in x[:, 1]}))
    model = authors.author_model(features, labels, 0.9)

    assert model.threshold.threshold is not None and len(seen) > 1
    scored: set[int] = set()
    for trained, rows in seen:
        vendors_trained = {int(a[i]) for i in trained} | {int(b[i]) for i in trained}
        assert not vendors_trained & ({int(a[i]) for i in rows} | {int(b[i]) for i in rows})
        scored |= rows
    assert scored == set(range(800))


def test_different_author_labels_need_strong_evidence() -> None:
    """Two vendors are a different-author pair only when nothing says they could be one actor: a phone
    read two ways (+33 / +32 before the same number), a common city or a shared text keeps them unlabelled."""
    vendors = {"a1": "VA", "a2": "VA", "b1": "VB", "c1": "VC", "d1": "VD", "e1": "VE"}
    phones = {"a1": "+32489657338", "a2": "+32489657338", "b1": "+33489657338", "c1": "+32471000001"}
    phones |= {"d1": "+32472000002", "e1": "+32473000003"}
    cities = {"a1": "Ghent", "a2": "Ghent", "b1": "Ghent", "c1": "Ghent", "d1": "Liège", "e1": "Namur"}
    pairs = [("a1", "a2"), ("a1", "b1"), ("a1", "c1"), ("a1", "d1"), ("a1", "e1"), ("a1", "x1")]
    con = duckdb.connect()
    features = ", ".join(f"0.5 AS {name}" for name in authors.FEATURES)
    rows = " UNION ALL ".join(f"SELECT '{a}' AS post_a, '{b}' AS post_b, {features}" for a, b in pairs)
    con.execute(f"CREATE TABLE pairs AS {rows}")
    con.execute(
        "CREATE TABLE vendors AS SELECT * FROM (VALUES "
        + ", ".join(f"('{p}', '{v}')" for p, v in vendors.items())
        + ") t(post_id, vendor_id)"
    )
    con.execute(
        "CREATE TABLE identifiers AS SELECT * FROM (VALUES "
        + ", ".join(f"('{p}', 'phone', '{v}')" for p, v in phones.items())
        + ", ('c2', 'phone', '+32471000001'), ('d2', 'phone', '+32472000002'), ('e2', 'phone', '+32473000003')"
        + ", ('b2', 'phone', '+33489657338')) t(post_id, type, value)"
    )
    con.execute("INSERT INTO vendors VALUES ('b2', 'VB'), ('c2', 'VC'), ('d2', 'VD'), ('e2', 'VE')")
    con.execute(
        "CREATE TABLE post_facts AS SELECT * FROM (VALUES "
        + ", ".join(f"('{p}', '{c}')" for p, c in cities.items())
        + ", ('b2', 'Ghent'), ('c2', 'Ghent'), ('d2', 'Liège'), ('e2', 'Namur')) t(post_id, city)"
    )
    con.execute(
        "CREATE TABLE template_members AS SELECT * FROM (VALUES ('d1', 'T1'), ('e1', 'T2')) t(post_id, template_id)"
    )
    con.execute("CREATE TABLE templates AS SELECT * FROM (VALUES ('T1', false), ('T2', false)) t(template_id, generic)")
    known = con.sql(f"SELECT post_a, post_b, label FROM ({authors.KNOWN_PAIRS_SQL})").fetchall()
    labels = dict.fromkeys(pairs, -1) | {(a, b): label for a, b, label in known}  # -1: left unlabelled

    assert labels[("a1", "a2")] == 1  # one vendor
    assert labels[("a1", "b1")] == -1  # the same number read with another country code
    assert labels[("a1", "c1")] == -1  # another phone, but the same city: parallel phones of one actor?
    assert labels[("a1", "d1")] == 0  # another phone, another city, another text
    assert labels[("a1", "x1")] == -1  # no vendor
    con.execute("UPDATE template_members SET template_id = 'T0'")
    con.execute("INSERT INTO template_members VALUES ('a1', 'T0')")
    con.execute("INSERT INTO templates VALUES ('T0', false)")
    known = con.sql(f"SELECT post_a, post_b, label FROM ({authors.KNOWN_PAIRS_SQL})").fetchall()
    labels = dict.fromkeys(pairs, -1) | {(a, b): label for a, b, label in known}  # -1: left unlabelled
    assert labels[("a1", "d1")] == -1 and labels[("a1", "e1")] == -1  # one (non-generic) template: the same text


def test_profile_average_is_rounded_half_up_from_integers() -> None:
    sql = summary.networks_sql(True)
    ctes = sql[sql.index("profile_rows AS") : sql.index("SELECT b.network_id")].rstrip().rstrip(",")
    rows = (
        "WITH network_posts AS (SELECT 'N1' AS network_id, 'p' || i AS post_id FROM range(3) t(i)), "
        "scores AS (SELECT 'p' || i AS post_id, 'minors' AS domain, [0.72, 0.72, 0.735][i + 1] AS score "
        "FROM range(3) t(i)), "
    )
    assert duckdb.sql(rows + ctes + " SELECT profile FROM profiles").fetchall() == [("minors 0.73",)]


def test_template_without_identifiers_reports_every_post(linked: Linked) -> None:
    text = sentence(8, words=30)
    workspace = linked([Post(f"t{k:02d}", f"{text} Nina {20 + k}", "Ghent", START) for k in range(12)])

    templates = workspace.table("link.templates").read().to_pylist()
    assert len(templates) == 1 and templates[0]["posts"] == 12


def test_agency_boilerplate_is_a_generic_template_and_links_nothing(linked: Linked) -> None:
    boilerplate = sentence(77, words=30)
    clustered = [
        Post(f"b{k}", f"{boilerplate} {sentence(500 + k, words=2)}", "Namur", START + timedelta(days=k))
        for k in range(3)
    ]
    elsewhere = [  # the same boilerplate inside longer ads of other advertisers: not near-duplicates
        Post(f"o{k}", f"{sentence(600 + k, words=45)} {boilerplate}", "Namur", START + timedelta(days=k))
        for k in range(6)
    ]
    workspace = linked(clustered + elsewhere)

    templates = workspace.table("link.templates").read().to_pylist()
    clustered_template = [t for t in templates if t["posts"] == 3]
    assert clustered_template and clustered_template[0]["generic"]
    assert "boilerplate" in clustered_template[0]["reason"] and clustered_template[0]["common_share"] >= 0.8
    assert workspace.table("link.network_posts").num_rows() == 0


def _vendor_posts(vendors: int, seed: int) -> list[Post]:
    """Vendors in agencies of four: each posts the agency's stock text with a few lines of her own,
    in a style of her own, and rewrites them; most posts list the vendor's phone. The four vendors of
    an agency work in four cities (so their pairs are known to be of different authors)."""
    rng, numbers = random.Random(seed), random.Random(seed + 1)
    posts = []
    for v in range(vendors):
        own = [f"+1{numbers.randrange(2 * 10**9, 10**10)}" for _ in range(2)]  # two phones, not look-alikes
        agency = sentence(900 + v // 4, words=14)
        pet = [sentence(1000 + 10 * v + k, words=3) for k in range(4)]
        emoji, price = rng.choice(["😘", "💋", "🔥", "🌹"]), rng.choice(["${p}/hr", "{p} roses", "{p}hh"])
        for k in range(5):
            body = [agency, *rng.sample(pet, 2), price.format(p=rng.choice((150, 200)))]
            text = "\n".join(f"{line}{'!!' if v % 2 else '.'} {emoji}" for line in body)
            phone = [("phone", own[k // 3])] if rng.random() < 0.7 else []
            city = ("Austin", "Dallas", "Houston", "Tampa")[v % 4]
            posts.append(Post(f"v{v:03d}-{k}", text, city, START + timedelta(hours=30 * k + v), phone))
    return posts


def test_style_links_join_rewritten_ads_of_one_author_and_explain_why(linked: Linked) -> None:
    workspace = linked(_vendor_posts(40, seed=3))

    calibration = {row["method"]: row for row in workspace.table("link.calibration").read().to_pylist()}
    assert calibration["style"]["calibrated"], calibration["style"]["note"]
    assert calibration["style"]["same_pairs"] > 0 and calibration["style"]["different_pairs"] > 0
    links = workspace.table("link.style_links").read().to_pylist()
    assert links and all(link["probability"] >= calibration["style"]["threshold"] for link in links)
    right = sum(link["post_a"].split("-")[0] == link["post_b"].split("-")[0] for link in links)
    assert right / len(links) >= 0.9
    assert all(link["reason"].startswith("same author by writing (probability") for link in links)
    edges = workspace.table("link.edges").read().to_pylist()
    style_edges = [e for e in edges if e["kind"] == "style"]
    assert style_edges and all("probability" in e["reason"] for e in style_edges)
    members = workspace.table("link.network_posts").read().to_pylist()
    styled = {e["src_post_id"] for e in style_edges} | {e["dst_post_id"] for e in style_edges}
    assert all("; same author by writing (probability" in m["reason"] for m in members if m["post_id"] in styled)


def test_network_command_shows_the_rare_phrases_and_habits_behind_a_style_link(linked: Linked) -> None:
    from typer.testing import CliRunner

    from tests.link.test_commands import cli

    workspace = linked(_vendor_posts(40, seed=3))
    edges = workspace.table("link.edges").read().to_pylist()
    network = next(e["network_id"] for e in edges if e["kind"] == "style")

    result = CliRunner().invoke(cli(), ["network", str(workspace.root), network], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "(style): same author by writing (probability" in result.output
    assert "shared rare phrase '" in result.output and " chars " in result.output
    assert "shared habits: " in result.output and "style threshold " in result.output


def test_link_phrases_carry_the_shared_rare_phrases_and_where_they_are_in_both_posts(linked: Linked) -> None:
    posts = _vendor_posts(40, seed=3)
    workspace = linked(posts)
    text_of = {p.post_id: p.text for p in posts}

    rows = workspace.table("link.link_phrases").read().to_pylist()
    assert rows and {r["kind"] for r in rows} >= {"style"}
    edges = {(e["src_post_id"], e["dst_post_id"], e["kind"]) for e in workspace.table("link.edges").read().to_pylist()}
    for row in rows:
        assert (row["post_a"], row["post_b"], row["kind"]) in edges
        assert 1 <= row["phrase_rank"] <= 4 and 1 <= row["link_rank"] <= 25 and row["posts"] >= 2
        for side in ("a", "b"):
            assert row[f"field_{side}"] == "text"
            written = text_of[row[f"post_{side}"]][row[f"start_{side}"] : row[f"end_{side}"]]
            assert re.findall(r"[^\W\d_]+", written.lower()) == row["phrase"].split()  # letters as normalised
    first = [r for r in rows if r["link_rank"] == 1 and r["network_id"] == rows[0]["network_id"]]
    assert [r["posts"] for r in first] == sorted(r["posts"] for r in first)  # rarest first


def test_labelled_sample_keeps_everything_up_to_the_cap_and_a_seeded_sample_beyond() -> None:
    table = pa.table({"post_a": [f"p{i:05d}" for i in range(1000)], "label": [i % 2 for i in range(1000)]})
    whole = authors.labelled_sample(table.to_batches(max_chunksize=64), cap=1000)
    assert not whole.sampled and whole.pairs.equals(table)

    small = authors.labelled_sample(table.to_batches(max_chunksize=64), cap=100)
    other_batches = authors.labelled_sample(table.to_batches(max_chunksize=333), cap=100)
    assert small.sampled and small.total == 1000 and small.pairs.num_rows == 100
    assert small.pairs.equals(other_batches.pairs)  # the keys follow the rows, not the batches
    kept = small.pairs["post_a"].to_pylist()
    assert kept == sorted(kept)  # pair order kept
    assert "seeded sample of 100 of the 1,000" in small.note()
    assert authors.labelled_sample(iter([]), cap=10).total == 0
