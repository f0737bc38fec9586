"""Feedback ranking: investigators' labels retrain a small, explainable ranking model of the workspace.

- ``export``: the label events of ``unveil.db`` as the source table ``labels.events`` (fingerprinted,
  so the ``rank`` stage re-runs when a label changes);
- ``features``: the SQL that describes every post (indicators, identifiers, network, template,
  money alerts, and what the labelled posts around it say);
- ``model``: the regularised logistic model, trained driver-side, whose prior is the lexicon;
- ``stage``: the ``rank`` stage (features, training, per-record scoring, the ranked queue);
- ``explain``: why a post ranks where it does, the nearest labelled examples, and "more like this";
- ``alerts``: false-positive money alerts suppressed until new transfers change them.
"""
