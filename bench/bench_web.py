"""Load of the web app: 20 concurrent users on loopback over a large workspace.

The workspace is built from a pipeline-run synthetic world (synth + ingest + every stage) whose
tables are then replicated with fresh ids up to the target size (posts, identifiers, networks...
each copy gets its own ids and identifier values), which keeps the test bounded in time on 2 cores.
Set ``UNVEIL_BENCH_BASE`` to an already built workspace to skip building the base world.

Baseline, in the same run: the same post lookups answered the naive way, a fresh DuckDB query over
the Parquet parts per request, beside the app's in-memory indexed snapshot.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import httpx

from bench.harness import Metrics, benchmark, timed
from unveil.auth.roles import Role
from unveil.auth.users import add_user
from unveil.db import connect
from unveil.workspace import Workspace

SIZES = {"small": 50_000, "full": 1_000_000}
USERS = 20
SECONDS = {"small": 30, "full": 60}
SUFFIXED = ("post_id", "network_id", "src_post_id", "dst_post_id", "value")
PASSWORD = "bench password 1"


def _base_workspace(scratch: Path) -> Workspace:
    given = os.environ.get("UNVEIL_BENCH_BASE")
    if given:
        return Workspace.open(Path(given))
    from unveil.engine import create_engine
    from unveil.ingest import ingest
    from unveil.pipeline import run_pipeline
    from unveil.stages import all_stages
    from unveil.synth.world import generate_world

    generate_world(scratch / "world", 500, seed=11)
    base = Workspace.init(scratch / "base")
    ingest(base, [scratch / "world"])
    with create_engine("duckdb", base.settings) as engine:
        run_pipeline(base, engine, all_stages())
    return base


def replicate(base: Workspace, target: Workspace, posts: int) -> int:
    """Copy every table of ``base`` into ``target`` enough times to reach ``posts`` posts; return the copies."""
    copies = max(1, -(-posts // max(base.table("ingest.posts").num_rows(), 1)))
    connection = duckdb.connect()
    for folder in sorted(p for p in base.tables_dir.glob("*/*") if p.is_dir() and not p.parent.name.startswith(".")):
        parts = sorted(folder.glob("*.parquet"))
        if not parts:
            continue
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [[str(p) for p in parts]]).fetchall()
        columns = {row[0] for row in described if row[1] == "VARCHAR"}
        changed = [c for c in SUFFIXED if c in columns]
        # copy 0 keeps identifier values as they are, so that searching a real phone finds its posts
        replace = ", ".join(
            f"CASE WHEN t.copy = 0 THEN {c} ELSE {c} || '~' || t.copy END AS {c}"
            if c == "value"
            else f"{c} || '~' || t.copy AS {c}"
            for c in changed
        )
        select = f"SELECT * REPLACE ({replace})" if changed else "SELECT *"
        times = copies if changed else 1
        out = target.tables_dir / folder.parent.name / folder.name
        out.mkdir(parents=True, exist_ok=True)
        connection.execute(
            f"COPY ({select.replace('SELECT *', 'SELECT b.*')} FROM read_parquet(?) b, range({times}) t(copy)) "
            f"TO '{out / 'part-0.parquet'}' (FORMAT parquet, COMPRESSION zstd)",
            [[str(p) for p in parts]],
        )
    return copies


def _serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn; from pathlib import Path; from unveil.workspace import Workspace; "
        "from unveil.web.app import create_app; "
        f"uvicorn.run(create_app(Workspace.open(Path({str(root)!r}))), host='127.0.0.1', port={port}, "
        "log_level='error')"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def _wait(base_url: str, limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/login", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError("the web app did not start")


def _samples(root: Path) -> dict[str, list[str]]:
    connection = duckdb.connect()
    tables = root / "tables"
    posts = [
        r[0]
        for r in connection.execute(
            f"SELECT post_id FROM '{tables}/ingest/posts/*.parquet' USING SAMPLE 500"
        ).fetchall()
    ]
    networks = [
        r[0]
        for r in connection.execute(
            f"SELECT network_id FROM '{tables}/link/networks/*.parquet' USING SAMPLE 200"
        ).fetchall()
    ]
    phones = [
        r[0]
        for r in connection.execute(
            f"SELECT value FROM '{tables}/extract/identifiers/*.parquet' WHERE type = 'phone' USING SAMPLE 200"
        ).fetchall()
    ]
    return {"posts": posts, "networks": networks, "phones": phones}


def _request(kind: str, samples: dict[str, list[str]], rng: random.Random) -> str:
    if kind == "search":
        choice = rng.random()
        if choice < 0.5 and samples["phones"]:
            return "/search?identifier=" + rng.choice(samples["phones"]).split("~")[0]
        return (
            "/search?q=" + rng.choice(["girl", "massage", "job", "new", "Brussels"])
            if choice < 0.8
            else "/search?city=Brussels"
        )
    if kind == "post":
        return "/posts/" + rng.choice(samples["posts"])
    if kind == "network":
        return "/networks/" + rng.choice(samples["networks"])
    return "/"


def _user(
    base_url: str,
    name: str,
    samples: dict[str, list[str]],
    until: float,
    out: dict[str, list[float]],
    errors: list[str],
    seed: int,
) -> None:
    rng = random.Random(seed)
    kinds = ["search", "post", "network", "dashboard"]
    with httpx.Client(base_url=base_url, timeout=60) as client:
        client.post("/api/session", json={"name": name, "password": PASSWORD})
        n = 0
        while time.monotonic() < until:
            kind = kinds[n % 4]
            n += 1
            started = time.perf_counter()
            try:
                status = client.get(_request(kind, samples, rng)).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out[kind].append(time.perf_counter() - started)
            if status != 200:
                errors.append(f"{kind} {status}")


def _baseline_post_lookup(root: Path, posts: list[str]) -> list[float]:
    """The naive way: a fresh DuckDB query over the Parquet parts for each post page."""
    times = []
    for post_id in posts[:20]:
        started = time.perf_counter()
        connection = duckdb.connect()
        connection.execute(
            f"SELECT * FROM '{root}/tables/ingest/posts/*.parquet' WHERE post_id = ?", [post_id]
        ).fetchall()
        connection.close()
        times.append(time.perf_counter() - started)
    return times


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@benchmark("web.load")
def web_load(scale: str) -> Metrics:
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        with timed() as build:
            base = _base_workspace(scratch)
            target = Workspace.init(scratch / "large")
            copies = replicate(base, target, SIZES[scale])
        db = connect(target)
        for n in range(USERS):
            add_user(db, f"user{n:02d}", Role.INVESTIGATOR, PASSWORD)
        db.close()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        base_url = f"http://127.0.0.1:{port}"
        server = _serve(target.root, port)
        try:
            with timed() as startup:
                _wait(base_url)
            samples = _samples(target.root)
            out: dict[str, list[float]] = {k: [] for k in ("search", "post", "network", "dashboard")}
            errors: list[str] = []
            until = time.monotonic() + SECONDS[scale]
            threads = [
                threading.Thread(target=_user, args=(base_url, f"user{n:02d}", samples, until, out, errors, n))
                for n in range(USERS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            baseline = _baseline_post_lookup(target.root, samples["posts"])
            rows = target.table("ingest.posts").num_rows()
        finally:
            server.terminate()
            server.wait(timeout=30)
    metrics: Metrics = {
        "posts": rows,
        "copies": copies,
        "users": USERS,
        "seconds": SECONDS[scale],
        "build_s": build["seconds"],
        "startup_s": startup["seconds"],
        "errors": len(errors),
    }
    for kind, values in out.items():
        metrics[f"{kind}_requests"] = len(values)
        metrics[f"{kind}_p50_ms"] = round(1000 * statistics.median(values), 1) if values else float("nan")
        metrics[f"{kind}_p95_ms"] = round(1000 * _percentile(values, 0.95), 1)
    metrics["requests_per_s"] = round(sum(len(v) for v in out.values()) / SECONDS[scale], 1)
    metrics["baseline_parquet_post_lookup_p50_ms"] = round(1000 * statistics.median(baseline), 1)
    metrics["post_p50_vs_baseline_ratio"] = (
        round(statistics.median(baseline) / statistics.median(out["post"]), 2) if out["post"] else float("nan")
    )
    metrics["error_examples"] = "; ".join(sorted(set(errors))[:5]) or "none"
    return metrics
