"""The rank stage: the lexicon's order without labels, retrained deterministically from labels,
a removed label gives the old ranking back, explanations name real features, alert feedback."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pytest

from unveil.cases.labels import clear_label, label_item
from unveil.engine import create_engine
from unveil.pipeline import run_pipeline
from unveil.rank.explain import explain_post, more_like_this, ranked_posts, suppressed_alerts
from unveil.stages import all_stages
from unveil.workspace import Workspace


@pytest.fixture(scope="module")
def rank_workspace(small_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A writable copy of the small workspace (its pipeline already ran, with no labels)."""
    target = tmp_path_factory.mktemp("rank") / "ws"
    shutil.copytree(small_workspace.root, target)
    return Workspace.open(target)


def rerun(workspace: Workspace, force: bool = False) -> list[str]:
    """Run the pipeline; the names of the stages that ran."""
    with create_engine("duckdb", workspace.settings) as engine:
        return [r.name for r in run_pipeline(workspace, engine, all_stages(), force=force, only=["rank"]) if r.ran]


def ranking(workspace: Workspace) -> list[str]:
    scores = workspace.table("rank.scores").read(["post_id", "rank"]).sort_by("rank")
    return [str(p) for p in scores.column("post_id").to_pylist()]


def snapshot(workspace: Workspace) -> tuple[pa.Table, pa.Table]:
    return workspace.table("rank.model").read(), workspace.table("rank.scores").read()


def risky_posts(workspace: Workspace) -> list[str]:
    """Posts in networks, highest lexicon risk first (a stable choice of posts to label)."""
    members = workspace.table("link.network_posts").read(["post_id"]).column("post_id").to_pylist()
    return sorted(set(members))


def test_without_labels_the_ranking_is_the_lexicon_ranking(rank_workspace: Workspace) -> None:
    scores = rank_workspace.table("rank.scores").read().to_pylist()
    assert rank_workspace.table("rank.model").read().column("weight").to_pylist() == [0.0]  # the intercept only
    assert all(row["learned_part"] == 0 for row in scores)
    lexicon = sorted(scores, key=lambda r: (-r["lexicon_risk"], r["post_id"]))
    assert ranking(rank_workspace) == [r["post_id"] for r in lexicon]


def test_labels_retrain_deterministically_and_a_removed_label_gives_the_old_ranking_back(
    rank_workspace: Workspace,
) -> None:
    before = ranking(rank_workspace)
    before_tables = snapshot(rank_workspace)
    posts = risky_posts(rank_workspace)
    for post in posts[:6]:
        label_item(rank_workspace, "post", post, "true_positive", "ann", "same phone as a known network")
    low = before[-3:]
    for post in low:
        label_item(rank_workspace, "post", post, "false_positive", "ann", "a real job offer")
    assert rerun(rank_workspace) == ["rank"]
    learned = snapshot(rank_workspace)
    assert ranking(rank_workspace) != before
    assert any(w != 0 for w in learned[0].column("weight").to_pylist()[:-1])
    assert rerun(rank_workspace) == []  # labels unchanged: nothing to do
    rerun(rank_workspace, force=True)
    again = snapshot(rank_workspace)
    assert again[0].equals(learned[0]) and again[1].equals(learned[1])  # retraining is deterministic

    extra = posts[6]
    label_item(rank_workspace, "post", extra, "true_positive", "bob", "checked")
    rerun(rank_workspace)
    assert not snapshot(rank_workspace)[1].equals(learned[1])
    clear_label(rank_workspace, "post", extra, "bob", "labelled by mistake")
    rerun(rank_workspace)
    back = snapshot(rank_workspace)
    assert back[0].equals(learned[0]) and back[1].equals(learned[1])

    for post in [*posts[:6], *low]:
        clear_label(rank_workspace, "post", post, "ann")
    rerun(rank_workspace)
    assert ranking(rank_workspace) == before
    assert snapshot(rank_workspace)[1].equals(before_tables[1])


def test_explanations_name_real_features(rank_workspace: Workspace) -> None:
    posts = risky_posts(rank_workspace)
    for post in posts[:5]:
        label_item(rank_workspace, "post", post, "true_positive", "ann", "checked")
    label_item(rank_workspace, "post", ranking(rank_workspace)[-1], "not_relevant", "ann", "a bus timetable")
    rerun(rank_workspace)
    alike = more_like_this(rank_workspace, "post", posts[0], 10)
    labelled = set(posts[:5])
    assert alike.posts and not {p.post_id for p in alike.posts} & labelled
    assert [p.similarity for p in alike.posts] == sorted((p.similarity for p in alike.posts), reverse=True)
    assert ranked_posts(rank_workspace, 1)[0]["post_id"] not in labelled

    target = alike.posts[0].post_id
    explanation = explain_post(rank_workspace, target)
    features = rank_workspace.table("rank.features").read().to_pylist()
    own = {row["feature"]: row["value"] for row in features if row["post_id"] == target}
    model = {row["feature"]: row["weight"] for row in rank_workspace.table("rank.model").read().to_pylist()}
    assert explanation.features, "the labels moved some of its features"
    for effect in explanation.features:
        assert effect.feature in own and effect.value == own[effect.feature]
        assert effect.weight == model[effect.feature]
    total = sum(e.contribution for e in explanation.features)
    assert explanation.learned_part == pytest.approx(total, abs=1e-6)
    assert explanation.score == pytest.approx(explanation.lexicon_part + explanation.learned_part, abs=1e-6)
    assert posts[0] in {n.post_id for n in explanation.nearest}
    assert all(n.shared for n in explanation.nearest)


def test_a_false_positive_alert_is_suppressed_until_new_transfers_and_reversibly(rank_workspace: Workspace) -> None:
    alerts = rank_workspace.table("money.alerts").read(["alert_id", "transfer_ids"]).to_pylist()
    if not alerts:
        pytest.skip("the small world raised no money alert")
    alert = alerts[0]["alert_id"]
    label_item(rank_workspace, "alert", alert, "false_positive", "cem", "the family's rent")
    rerun(rank_workspace)
    assert alert in suppressed_alerts(rank_workspace)
    clear_label(rank_workspace, "alert", alert, "cem", "asked again")
    rerun(rank_workspace)
    assert alert not in suppressed_alerts(rank_workspace)
