"""Every detector names its published source, documents its parameters and has SQL that Spark can run."""

from __future__ import annotations

import pytest
import sqlglot

from unveil.money.typologies import TYPOLOGIES, typology
from unveil.money.typologies.base import TransferTypology, sql_literal

PUBLISHERS = ("FinCEN", "FATF", "FINTRAC", "Europol")


@pytest.mark.parametrize("detector", TYPOLOGIES, ids=lambda t: t.name)
def test_each_detector_names_a_published_source(detector: TransferTypology) -> None:
    assert any(publisher in detector.source for publisher in PUBLISHERS)
    assert detector.description and detector.title and detector.parameters


@pytest.mark.parametrize("detector", TYPOLOGIES, ids=lambda t: t.name)
def test_each_detector_sql_transpiles_to_spark(detector: TransferTypology) -> None:
    spark_sql = sqlglot.transpile(detector.sql(), read="duckdb", write="spark")[0]
    assert "SELECT" in spark_sql and "{" not in detector.sql()
    assert "LIST_SORT" not in spark_sql.upper() and "EPOCH(" not in spark_sql.upper()


def test_parameters_can_be_overridden() -> None:
    detector = typology("many_senders")
    assert ">= 9" in detector.sql({"min_senders": 9})


def test_sql_literals_are_quoted() -> None:
    assert sql_literal("O'Neil") == "'O''Neil'" and sql_literal(("RO", "BG")) == "'RO', 'BG'" and sql_literal(3) == "3"


def test_detector_names_are_unique() -> None:
    names = [detector.name for detector in TYPOLOGIES]
    assert len(names) == len(set(names)) == 8


@pytest.mark.parametrize(
    "sql",
    [
        "PARTY_RECORDS_SQL",
        "PARTIES_SQL",
        "ONLINE_MATCHES_SQL",
        "TRANSFERS_SQL",
        "PRICES_SQL",
        "NETWORKS_OF_POSTS_SQL",
    ],
)
def test_stage_sql_transpiles_to_spark(sql: str) -> None:
    from unveil.money import parties, stage

    text = getattr(parties, sql, None) or getattr(stage, sql)
    spark_sql = sqlglot.transpile(text, read="duckdb", write="spark")[0]
    assert "LIST_SORT" not in spark_sql.upper() and "SELECT" in spark_sql
