"""Settings of a workspace, validated in one place.

Settings come from ``unveil.toml`` in the workspace and may be overridden by environment variables
named ``UNVEIL_<FIELD>`` (for example ``UNVEIL_DEFAULT_REGION=FR``). Every field is documented
here and in ``docs/settings.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from unveil.errors import ConfigError, UsageError

DEFAULT_SECRET = "change-me"
SETTINGS_FILE = "unveil.toml"


class Settings(BaseSettings):
    """The validated settings of one workspace."""

    model_config = SettingsConfigDict(env_prefix="UNVEIL_", extra="forbid")

    name: str = Field("unveil", description="Name of the investigation shown in the web app.")
    environment: Literal["development", "production"] = Field(
        "production", description="`development` allows the default secret; `production` does not."
    )
    secret_key: str = Field(DEFAULT_SECRET, description="Key that signs session cookies and keys pseudonyms.")
    default_region: str = Field(
        "BE", description="ISO country code used to read phone numbers written without +prefix."
    )
    phone_regions: list[str] = Field(
        default_factory=lambda: ["NL", "FR", "DE", "LU", "RO", "BG"],
        description="Regions after default_region whose plans read a phone number when the post names no country.",
    )
    engine: Literal["duckdb", "spark"] = Field("duckdb", description="Engine that runs the pipeline.")
    workers: int = Field(0, ge=0, le=256, description="Processes for per-record work; 0 means one per CPU core.")
    batch_size: int = Field(4096, ge=16, le=1_000_000, description="Records per Arrow batch in per-record work.")
    engine_memory_limit: str = Field(
        "50%",
        pattern=r"^\s*\d+(\.\d+)?\s*(%|[KMGT]i?B)\s*$",
        description="Memory the DuckDB engine may use for SQL before it spills to disk: a share of RAM or a size.",
    )
    engine_temp_dir: str = Field(
        "", description="Folder where the DuckDB engine spills; empty for a fresh temporary folder per run."
    )
    max_record_bytes: int = Field(
        1_000_000, ge=1024, description="Largest input record accepted; larger ones are quarantined."
    )
    max_file_seconds: float = Field(
        600.0,
        gt=0,
        description="Longest time reading one input file may take; the rest of a slower file is quarantined.",
    )
    hub_max_posts: int = Field(
        200, ge=2, description="An identifier shared by more posts than this is treated as a hub."
    )
    link_precision_target: float = Field(
        0.9,
        gt=0,
        le=1,
        description="Precision that linking without identifiers must reach on the workspace's own labelled pairs.",
    )
    tables_uri: str = Field(
        "", description="Where the pipeline's tables live: empty for tables/, or a file://, hdfs:// or s3a:// URI."
    )
    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web app listens on.")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For the web app believes; none by default.",
    )
    commit_delay_seconds: float = Field(
        0.0,
        ge=0,
        description="Testing aid: pause between writing a stage's outputs and committing them.",
    )

    @field_validator("default_region")
    @classmethod
    def _upper_region(cls, value: str) -> str:
        if len(value) != 2 or not value.isalpha():
            raise ValueError("must be a two-letter ISO country code")
        return value.upper()

    @field_validator("phone_regions")
    @classmethod
    def _upper_regions(cls, values: list[str]) -> list[str]:
        for value in values:
            if len(value) != 2 or not value.isalpha():
                raise ValueError(f"{value!r} is not a two-letter ISO country code")
        return [value.upper() for value in values]

    @property
    def workspace_regions(self) -> tuple[str, ...]:
        """The workspace's regions for phone numbers: ``default_region`` then ``phone_regions``."""
        return tuple(dict.fromkeys([self.default_region, *self.phone_regions]))

    @property
    def worker_count(self) -> int:
        """Number of worker processes for per-record work."""
        return self.workers or (os.cpu_count() or 1)

    def fingerprint_items(self) -> dict[str, Any]:
        """The settings that change pipeline results (secrets and addresses excluded)."""
        return {
            "default_region": self.default_region,
            "phone_regions": self.phone_regions,
            "hub_max_posts": self.hub_max_posts,
            "link_precision_target": self.link_precision_target,
        }

    def require_production_secret(self) -> None:
        """Refuse to serve with the default secret outside development."""
        if self.environment != "development" and self.secret_key == DEFAULT_SECRET:
            raise UsageError(
                "refusing to serve with the default secret_key: set secret_key in unveil.toml "
                'or UNVEIL_SECRET_KEY (or environment = "development" for local tests)'
            )


def load_settings(workspace_root: Path) -> Settings:
    """Read ``unveil.toml`` of a workspace and apply environment overrides."""
    path = workspace_root / SETTINGS_FILE
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), [str(exc)]) from exc
    env_keys = {name for name in Settings.model_fields if f"UNVEIL_{name.upper()}" in os.environ}
    file_values = {key: value for key, value in values.items() if key not in env_keys}
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        raise ConfigError(str(path), _describe(exc)) from exc


def _describe(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()]


def initial_settings_text(name: str) -> str:
    """The ``unveil.toml`` written by ``unveil init``, with a fresh random secret."""
    return (
        "# Settings of this Unveil workspace. Every field is described in docs/settings.md.\n"
        f'name = "{name}"\n'
        'environment = "production"\n'
        f'secret_key = "{secrets.token_urlsafe(32)}"\n'
        'default_region = "BE"\n'
        'engine = "duckdb"\n'
    )
