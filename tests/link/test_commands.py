"""``unveil network DIR ID`` prints the summary and why each post belongs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from tests.link.conftest import Post, run_publish
from unveil.errors import NotFound
from unveil.link.commands import register
from unveil.link.report import network_report
from unveil.workspace import Workspace


def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test application."""

    register(app)
    return app


def test_network_command_explains_each_post(linked: Callable[[Sequence[Post]], Workspace]) -> None:
    start = datetime(2024, 2, 1, tzinfo=UTC)
    text = "Nieuw in {city}: lieve Daria wacht op jou in een discreet appartement vlakbij het station"
    posts = [
        Post(f"d{k}", text.format(city=city), city, start + timedelta(days=k), [("phone", "+32470555666")])
        for k, city in enumerate(["Ghent", "Ghent", "Bruges"])
    ]
    workspace = run_publish(linked(posts))

    result = CliRunner().invoke(cli(), ["network", str(workspace.root), "N00001"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Network N00001: 3 posts, 1 phones" in result.output
    assert "phone +32470555666 (with 2 other posts)" in result.output
    assert "Ghent (2 d, 2 posts" in result.output and "-> Bruges" in result.output

    missing = CliRunner().invoke(cli(), ["network", str(workspace.root), "N99999"])
    assert isinstance(missing.exception, NotFound)


def test_unknown_network_is_not_found(linked: Callable[[Sequence[Post]], Workspace]) -> None:
    workspace = run_publish(linked([Post("x", "alone")]))
    with pytest.raises(NotFound):
        network_report(workspace, "N00001")
