"""Every registry is an explicit tuple of records, and its documentation lists exactly its entries.

One test per registry: the names documented (a table's first column, or a code block's options,
under the section named) equal the names registered, both ways.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from unveil import cli
from unveil.cases.exports import EXPORTS
from unveil.ingest.formats import READERS
from unveil.money.typologies import TYPOLOGIES
from unveil.stages import all_stages
from unveil.stats.importers import IMPORTERS
from unveil.web.routes import ROUTE_MODULES, discover

DOCS = Path(__file__).resolve().parents[2] / "docs"


def section(page: str, heading: str) -> str:
    """The text of a section (``## heading`` or ``### heading``) of a docs page, up to the next heading."""
    text = (DOCS / page).read_text("utf-8")
    match = re.search(rf"^#+ {re.escape(heading)}[^\n]*\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match is not None, f"docs/{page} has no section {heading!r}"
    return match.group(1)


def first_column(page: str, heading: str) -> set[str]:
    """The backticked names in the first column of the section's table."""
    names: set[str] = set()
    for line in section(page, heading).splitlines():
        if line.startswith("|") and not line.startswith("|-") and not line.startswith("|---"):
            names.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


def test_readers_are_the_formats_documented() -> None:
    assert first_column("ingest.md", "Formats") == {reader.name for reader in READERS}


def test_typologies_are_the_detectors_documented() -> None:
    assert first_column("money.md", "Typology detectors") == {typology.name for typology in TYPOLOGIES}


def test_importers_are_the_layouts_documented() -> None:
    assert first_column("statistics.md", "Importers and layouts") == {importer.name for importer in IMPORTERS}


def test_exports_are_the_formats_documented() -> None:
    documented = set(re.findall(r"--format (\w+)", section("cases.md", "Exports")))
    assert documented == {export.name for export in EXPORTS}


def test_stages_are_the_stages_documented() -> None:
    assert first_column("development.md", "Stages") == {stage.name for stage in all_stages()}


def test_command_groups_are_documented_and_add_the_commands_they_declare() -> None:
    documented = first_column("development.md", "CLI command groups")
    assert documented == {group.area for group in cli.COMMAND_GROUPS}
    for group in cli.COMMAND_GROUPS:
        app = typer.Typer()
        __import__(f"unveil.{group.area}.commands", fromlist=["register"]).register(app)
        added = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
        added |= {g.name or g.typer_instance.info.name for g in app.registered_groups if g.typer_instance}
        assert added == set(group.commands), group.area


def test_web_resources_are_the_modules_documented_and_each_has_a_router() -> None:
    assert first_column("web.md", "Resources") == set(ROUTE_MODULES)
    assert [module.name for module in discover()] == list(ROUTE_MODULES)
