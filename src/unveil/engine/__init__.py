"""Engines: DuckDB (default, embedded) and Spark (optional extra, imported lazily)."""

from __future__ import annotations

from collections.abc import Mapping

from unveil.config import Settings
from unveil.engine.base import BatchFunction, Engine
from unveil.errors import EngineUnavailable, UsageError

__all__ = ["BatchFunction", "Engine", "create_engine"]


def create_engine(name: str, settings: Settings, options: Mapping[str, str] | None = None) -> Engine:
    """Create the engine called ``name`` (``duckdb`` or ``spark``)."""
    if name == "duckdb":
        from unveil.engine.duckdb import DuckDBEngine

        return DuckDBEngine(settings)
    if name == "spark":
        try:
            from unveil.engine.spark import SparkEngine
        except ImportError as exc:
            raise EngineUnavailable("spark", "install it with `pip install 'unveil[spark]'` and Java 17") from exc
        engine: Engine = SparkEngine(settings, dict(options or {}))
        return engine
    raise UsageError(f"unknown engine {name!r}: choose duckdb or spark")
