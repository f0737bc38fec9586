"""Routes, one module per resource, listed in ``ROUTE_MODULES`` (one line per resource).

A module listed there defines ``router`` (a FastAPI ``APIRouter``). It may also
define ``nav`` (a ``NavEntry``, or a list of them) to appear in the navigation bar for users whose
role holds the entry's permission. See docs/web.md, "How to add a resource's pages".
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from fastapi import APIRouter

from unveil.auth.roles import Permission

# The resources, each a module of this package (docs/web.md lists them; a test checks both ways).
ROUTE_MODULES = (
    "admin",
    "auth",
    "cases",
    "collect",
    "dashboard",
    "identifiers",
    "money",
    "networks",
    "posts",
    "ranking",
    "saved",
    "search",
    "stats",
)


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
    """Import every module of ``ROUTE_MODULES``, in that order; each must define a ``router``."""
    found = []
    for name in ROUTE_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        router = getattr(module, "router", None)
        if not isinstance(router, APIRouter):
            raise TypeError(f"{module.__name__} is listed in ROUTE_MODULES but defines no APIRouter `router`")
        found.append(RouteModule(name, router, _nav_entries(module)))
    return found
