"""The layers of the code base, checked by reading every module's imports (with ``ast``, nothing is run).

Every ``import`` counts, wherever it stands: at module level, inside a function, or under
``if TYPE_CHECKING``. A lazy import hides a dependency from Python's start-up, not from the design.

- **Engines**: duckdb and pyspark are imported only by ``unveil.engine`` and the web's read side.
- **The synthetic world** (``unveil_synth``, its own distribution) is imported only by
  ``unveil.demo`` (the ``unveil demo`` and ``unveil synth`` commands), and imports nothing of ``unveil``.
- **Core** (the top-level modules, ``unveil.engine``, and ``unveil.evidence``: the evidence store
  and custody log that every writer records into, the pipeline included) imports no area and no
  entry point. The entry points (``cli``, ``demo``, ``runner``, ``stages`` and each area's
  ``commands`` module) are where areas are put together.
- **No cycles**, neither between modules nor between areas (``unveil.<area>`` packages).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = (REPO / "src", REPO / "synth")
ENGINES = ("duckdb", "pyspark")
ENGINE_HOMES = ("unveil.engine",)
CORE_PACKAGES = ("unveil.engine", "unveil.evidence")
WEB_READ_SIDE = ("unveil.web.serving", "unveil.web.lookups", "unveil.web.readmodel", "unveil.web.queries")
SYNTH = "unveil_synth"
SYNTH_USERS = ("unveil.demo",)
ENTRY_POINTS = ("unveil.__main__", "unveil.cli", "unveil.demo", "unveil.runner", "unveil.stages")
AREA_COMMANDS = "commands"  # unveil.<area>.commands: the area's CLI commands, an entry point


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


@cache
def modules() -> dict[str, Module]:
    """Every module of ``unveil`` and ``unveil_synth`` by dotted name."""
    found: dict[str, Module] = {}
    for root in ROOTS:
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            if name.split(".")[0] in ("unveil", SYNTH):
                found[name] = Module(name, path, is_package)
    return found


@cache
def imports(name: str) -> frozenset[str]:
    """The dotted names a module imports (for ``from a import b``: ``a``, and ``a.b`` when a module)."""
    module = modules()[name]
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules())
    return frozenset(names)


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.package.split(".")
    parent = package[: len(package) - (node.level - 1)]
    return ".".join([*parent, *([node.module] if node.module else [])])


def _under(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _importers_of(targets: Iterable[str]) -> Iterator[tuple[str, str]]:
    for name in modules():
        for imported in sorted(imports(name)):
            if _under(imported, targets):
                yield name, imported


def is_entry_point(name: str) -> bool:
    parts = name.split(".")
    return name in ENTRY_POINTS or (parts[0] == "unveil" and len(parts) == 3 and parts[2] == AREA_COMMANDS)


def area(name: str) -> str:
    """The part of the code a module belongs to: ``unveil.<area>`` for a package's modules, else itself.

    An entry point is a part of its own: it puts areas together, whichever package holds it.
    """
    parts = name.split(".")
    if parts[0] == SYNTH:
        return SYNTH
    if is_entry_point(name):
        return name
    if len(parts) > 2 or (len(parts) == 2 and modules()[name].is_package):
        return ".".join(parts[:2])
    return name


def is_core(name: str) -> bool:
    """Top-level modules other than the entry points, and the core packages' modules."""
    if not name.startswith("unveil.") or is_entry_point(name):
        return False
    return _under(name, CORE_PACKAGES) or (name.count(".") == 1 and not modules()[name].is_package)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_scan_sees_the_code_base() -> None:
    assert {"unveil.cli", "unveil.workspace", "unveil.engine.duckdb", "unveil_synth.world"} <= set(modules())
    assert "duckdb" in imports("unveil.engine.duckdb")
    assert area("unveil.ingest.readers.jsonl") == "unveil.ingest" and area("unveil.config") == "unveil.config"
    assert is_core("unveil.workspace") and is_core("unveil.engine.base") and not is_core("unveil.cli")
    assert is_entry_point("unveil.ingest.commands") and not is_core("unveil.evidence.commands")
    assert area("unveil.ingest.commands") == "unveil.ingest.commands"


def test_engines_are_imported_only_by_the_engine_and_the_web_read_side() -> None:
    offenders = [
        f"{name} imports {imported}"
        for name, imported in _importers_of(ENGINES)
        if not _under(name, (*ENGINE_HOMES, *WEB_READ_SIDE))
    ]
    assert offenders == []


def test_only_the_demo_commands_import_the_synthetic_world() -> None:
    offenders = [
        f"{name} imports {imported}"
        for name, imported in _importers_of([SYNTH])
        if area(name) != SYNTH and name not in SYNTH_USERS
    ]
    assert offenders == []


def test_the_synthetic_world_imports_nothing_of_the_product() -> None:
    offenders = [f"{name} imports {imported}" for name, imported in _importers_of(["unveil"]) if area(name) == SYNTH]
    assert offenders == []


def test_core_modules_import_no_area_and_no_entry_point() -> None:
    offenders = [
        f"{name} imports {imported}"
        for name, imported in _importers_of(["unveil"])
        if is_core(name) and imported in modules() and imported != "unveil" and not is_core(imported)
    ]
    assert offenders == []


def test_no_module_imports_itself_back() -> None:
    graph = {name: {i for i in imports(name) if i in modules() and i != name} for name in modules()}
    assert _cycles(graph) == []


def test_no_area_imports_itself_back() -> None:
    graph: dict[str, set[str]] = {}
    for name in modules():
        for imported in imports(name):
            if imported in modules() and area(imported) != area(name) and imported != "unveil":
                graph.setdefault(area(name), set()).add(area(imported))
    assert _cycles(graph) == []
