"""Stage ``rank``: the investigators' labels retrain the ranking of the workspace's posts.

Steps (tables ``rank.*``):

1. ``labels``: the current label of every labelled item (latest event of ``labels.events`` unless
   cleared), with its target: a true positive is 1, a false positive or "not relevant" is 0
   ("unsure" teaches nothing); alerts are left to ``alert_feedback``;
2. ``examples`` (SQL): those labels spread to the posts they stand for; ``groups`` (SQL): each
   post's network, template and shared identifiers;
3. ``features`` (SQL): every post's named features (``unveil.rank.features``);
4. ``model``: the regularised logistic model fitted on the driver to the examples' features;
5. ``contributions``: per-record scoring through the engine's batch functions: each feature row
   times its learned weight (only features the labels moved);
6. ``scores`` (SQL): the lexicon part, the learned part, the score and the rank of every post;
7. ``alert_feedback``: money alerts labelled false positive, suppressed until new transfers.
"""

from __future__ import annotations

from functools import partial

import pyarrow as pa

from unveil.cases.labels import latest_labels
from unveil.pipeline import Stage, StageContext
from unveil.rank import features
from unveil.rank.alerts import ALERT_FEEDBACK, alert_feedback
from unveil.rank.export import export_labels
from unveil.rank.model import CONTRIBUTIONS, contribution_batch, train
from unveil.rank.schema import LABELS, SCHEMAS
from unveil.tables import TableRef

TARGETS = {"true_positive": 1.0, "false_positive": 0.0, "not_relevant": 0.0}
TRAINING_KINDS = ("post", "template", "network", "identifier", "party")


def current_label_rows(events: pa.Table) -> list[dict[str, object]]:
    """The current labels that teach the model, as ``rank.labels`` rows in a fixed order."""
    latest = latest_labels(events.to_pylist())
    found = [
        {"kind": kind, "ref": ref, "label": event["label"], "y": TARGETS[str(event["label"])]}
        for (kind, ref), event in latest.items()
        if kind in TRAINING_KINDS and event["label"] in TARGETS
    ]
    return sorted(found, key=lambda row: (str(row["kind"]), str(row["ref"])))


def run_rank(context: StageContext) -> None:
    """See the module docstring."""
    engine, progress = context.engine, context.progress
    progress.start("rank: labels, features, model, scores", 6)
    events = context.input("labels.events").read()
    engine.write_table(
        pa.Table.from_pylist(current_label_rows(events), schema=LABELS), LABELS, context.output("labels")
    )
    tables: dict[str, TableRef] = {
        "posts": context.input("ingest.posts"),
        "labels": context.staged("labels"),
        "template_members": context.input("link.template_members"),
        "templates": context.input("link.templates"),
        "network_posts": context.input("link.network_posts"),
        "networks": context.input("link.networks"),
        "shared_identifiers": context.input("link.shared_identifiers"),
        "style_links": context.input("link.style_links"),
        "identifiers": context.input("extract.identifiers"),
        "party_matches": context.input("money.party_matches"),
        "indicators": context.input("score.indicators"),
        "scores": context.input("score.scores"),
        "alerts": context.input("money.alerts"),
    }
    engine.sql_to_table(
        features.EXAMPLES_SQL,
        _pick(tables, "labels", "posts", "template_members", "network_posts", "identifiers", "party_matches"),
        context.output("examples"),
    )
    tables["examples"] = context.staged("examples")
    engine.sql_to_table(
        features.GROUPS_SQL,
        _pick(tables, "network_posts", "template_members", "templates", "shared_identifiers", "style_links"),
        context.output("groups"),
    )
    tables["groups"] = context.staged("groups")
    progress.advance(1)
    engine.sql_to_table(features.FEATURES_SQL, tables, context.output("features"))
    tables["features"] = context.staged("features")
    progress.advance(1)
    model = train(engine.query(features.TRAINING_SQL, _pick(tables, "examples", "features")))
    engine.write_table(model.table(), model.table().schema, context.output("model"))
    progress.advance(1)
    engine.map_batches(
        tables["features"],
        partial(contribution_batch, weights=model.weights),
        CONTRIBUTIONS,
        context.output("contributions"),
        columns=["post_id", "feature", "value"],
    )
    tables["contributions"] = context.staged("contributions")
    progress.advance(1)
    engine.sql_to_table(
        features.SCORES_SQL, _pick(tables, "posts", "scores", "contributions"), context.output("scores")
    )
    progress.advance(1)
    feedback = alert_feedback(
        events.to_pylist(), context.input("money.alerts").read(["alert_id", "typology", "party_id", "transfer_ids"])
    )
    engine.write_table(feedback, ALERT_FEEDBACK, context.output("alert_feedback"))
    progress.advance(1)
    progress.finish()


def _pick(tables: dict[str, TableRef], *names: str) -> dict[str, TableRef]:
    return {name: tables[name] for name in names}


RANK = Stage(
    name="rank",
    inputs=(
        "labels.events",
        "ingest.posts",
        "extract.identifiers",
        "score.indicators",
        "score.scores",
        "link.template_members",
        "link.templates",
        "link.network_posts",
        "link.networks",
        "link.shared_identifiers",
        "link.style_links",
        "money.party_matches",
        "money.alerts",
    ),
    outputs=("labels", "examples", "groups", "features", "model", "contributions", "scores", "alert_feedback"),
    run=run_rank,
    schemas=SCHEMAS,
    description="a ranking of the posts retrained from the investigators' labels, with the lexicon as prior",
    version="1",
    prepare=export_labels,
)
