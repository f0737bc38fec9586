"""Settings: validated in one place, environment overrides, no default secret in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from unveil.config import DEFAULT_SECRET, Settings
from unveil.errors import ConfigError, UsageError
from unveil.workspace import Workspace


def test_init_writes_a_random_secret(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    assert workspace.settings.secret_key != DEFAULT_SECRET
    assert len(workspace.settings.secret_key) >= 32


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.init(tmp_path / "ws")
    monkeypatch.setenv("UNVEIL_DEFAULT_REGION", "fr")
    assert Workspace.open(tmp_path / "ws").settings.default_region == "FR"


def test_unknown_setting_is_refused(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "ws")
    with (tmp_path / "ws" / "unveil.toml").open("a") as handle:
        handle.write("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="colour"):
        Workspace.open(tmp_path / "ws")


def test_default_secret_is_refused_outside_development() -> None:
    with pytest.raises(UsageError, match="default secret"):
        Settings(environment="production", secret_key=DEFAULT_SECRET).require_production_secret()
    Settings(environment="development", secret_key=DEFAULT_SECRET).require_production_secret()


def test_every_setting_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "settings.md").read_text()
    for name in Settings.model_fields:
        assert f"`{name}`" in doc, f"docs/settings.md does not describe {name}"
