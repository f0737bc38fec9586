"""Routes, one module per resource, found at start-up.

A module here is a resource when it defines ``router`` (a FastAPI ``APIRouter``). It may also
define ``nav`` (a ``NavEntry``, or a list of them) to appear in the navigation bar for users whose
role holds the entry's permission. See docs/web.md, "How to add a resource's pages".
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from fastapi import APIRouter

from unveil.auth.roles import Permission


@dataclass(frozen=True)
class NavEntry:
    """A link in the navigation bar, shown to users holding ``permission``."""

    label: str
    path: str
    permission: Permission
    order: int = 50


@dataclass(frozen=True)
class RouteModule:
    """A discovered resource: its router and its navigation entries."""

    name: str
    router: APIRouter
    nav: tuple[NavEntry, ...]


def _nav_entries(module: ModuleType) -> tuple[NavEntry, ...]:
    nav = getattr(module, "nav", None)
    if nav is None:
        return ()
    return (nav,) if isinstance(nav, NavEntry) else tuple(nav)


def discover() -> list[RouteModule]:
    """Import every module of this package that defines a ``router``, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(RouteModule(info.name, router, _nav_entries(module)))
    return found
