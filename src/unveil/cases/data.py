"""Reading the workspace's tables for cases, reports and exports, tolerant of tables not yet built.

Other areas' tables land at different times (``score.indicators``, ``link.edges``, ``money.alerts``
...). Every reader here returns an empty result, not an error, when a table or a column is missing,
so a bundle or an export made early simply has fewer sections filled in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from unveil.workspace import Workspace

Row = dict[str, Any]


def read_table(
    workspace: Workspace,
    name: str,
    columns: Sequence[str] | None = None,
    where: tuple[str, Iterable[Any]] | None = None,
) -> pa.Table | None:
    """A table (optionally only some columns, optionally rows whose column is in a set), or None.

    Args:
        workspace: the workspace.
        name: ``stage.table``.
        columns: columns to keep; those the table lacks are left out.
        where: ``(column, values)``: keep rows whose column value is in ``values``.
    """
    table = workspace.table(name)
    if not table.exists():
        return None
    dataset = table.dataset()
    names = set(dataset.schema.names)
    wanted = [c for c in columns if c in names] if columns is not None else None
    expression = None
    if where is not None:
        column, values = where
        if column not in names:
            return None
        expression = pc.field(column).isin(pa.array(list(values), type=dataset.schema.field(column).type))
    return dataset.to_table(columns=wanted, filter=expression)


def rows(
    workspace: Workspace,
    name: str,
    columns: Sequence[str] | None = None,
    where: tuple[str, Iterable[Any]] | None = None,
) -> list[Row]:
    """Rows of a table as dictionaries; an empty list when the table does not exist."""
    table = read_table(workspace, name, columns, where)
    return [] if table is None else table.to_pylist()
