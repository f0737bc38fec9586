"""Load of the web app: 20 concurrent users on loopback over a 1,000,000-post workspace.

The workspace is built from a pipeline-run synthetic world (synth + ingest + every stage) whose
tables are then replicated with fresh ids up to the target size, in one vectorised DuckDB ``COPY``
per table (posts, identifiers, networks, edges... each copy gets its own ids and identifier values,
and its posts are spread over two years), which keeps the build bounded on 2 cores. The page
tables (the ``publish`` stage's) are not copied: the stage runs on the replicated workspace, as
``unveil run`` would (``publish_s``). Set ``UNVEIL_BENCH_BASE`` to an already built workspace to
skip building the base world.

The app is started exactly as an admin would, ``unveil serve DIR --workers N`` (one per core); 20 users
(threads, each with its own session, no think time) then cycle through the search, post, network (the
page, its graph, its second page of posts), identifier and dashboard pages for the measured period,
after a short warm-up that is not counted. Every request must answer 200 (``errors`` counts the others).

Baseline, in the same run: the same post lookups answered the naive way, a fresh DuckDB query over
the Parquet parts per request, beside the app's serving tables.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

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
WARMUP_SECONDS = 10
WORKERS = max(1, min(4, os.cpu_count() or 1))
"""One ``unveil serve`` worker per core (2 on the reference machine)."""
TARGET_P95_MS = 300
KINDS = ("search", "post", "network", "identifier", "dashboard")
SUFFIXED = ("post_id", "network_id", "src_post_id", "dst_post_id", "value", "template_id")
SHIFTED = ("posted_at", "captured_at", "first_seen", "last_seen")
REPLICATE_CONFIG = {"memory_limit": "2GB", "preserve_insertion_order": False}
"""The replication's DuckDB: copies need no order, and with it (and DuckDB's default limit, 80% of the
machine) the copies were buffered whole: 7.4 GB peak for 200,000 posts, 19 GB at a million."""
PASSWORD = "bench password 1"
SECRET = "bench-secret-key-not-for-production-0123456789"


def _base_workspace(scratch: Path) -> Workspace:
    given = os.environ.get("UNVEIL_BENCH_BASE")
    if given:
        return Workspace.open(Path(given))
    from unveil.engine import create_engine
    from unveil.ingest import ingest
    from unveil.pipeline import run_pipeline
    from unveil.stages import all_stages
    from unveil_synth.world import generate_world

    generate_world(scratch / "world", 500, seed=11)
    base = Workspace.init(scratch / "base")
    ingest(base, [scratch / "world"])
    with create_engine("duckdb", base.settings) as engine:
        run_pipeline(base, engine, all_stages())
    return base


def _copy_select(columns: dict[str, str]) -> tuple[str, bool]:
    """The SELECT list of one copy (``t.copy``) of a table, and whether the table is per post."""
    changed = [c for c in SUFFIXED if columns.get(c) == "VARCHAR"]
    replace = []
    for column in changed:
        # copy 0 keeps identifier values as they are, so that searching a real phone finds its posts
        if column == "value":
            replace.append(f"CASE WHEN t.copy = 0 THEN b.{column} ELSE b.{column} || '~' || t.copy END AS {column}")
        else:
            replace.append(f"b.{column} || '~' || t.copy AS {column}")
    if changed:
        # each copy moves back in time by a day per copy (modulo two years): posts spread over time
        replace += [
            f"b.{c} - to_days((t.copy % 730)::INTEGER) AS {c}"
            for c in SHIFTED
            if columns.get(c, "").startswith("TIMESTAMP")
        ]
    return (f"b.* REPLACE ({', '.join(replace)})" if replace else "b.*"), bool(changed)


def replicate(base: Workspace, target: Workspace, posts: int) -> int:
    """Copy every table of ``base`` into ``target`` enough times to reach ``posts`` posts; return the copies.

    Tables keyed by post, network or identifier are copied with fresh ids; the others (transfers,
    parties, statistics) once, as they do not grow with the number of ads.
    """
    copies = max(1, -(-posts // max(base.table("ingest.posts").num_rows(), 1)))
    connection = duckdb.connect(config=REPLICATE_CONFIG)
    folders = sorted(
        p
        for p in base.tables_dir.glob("*/*")
        if p.is_dir() and not p.parent.name.startswith(".") and p.parent.name != "publish"
    )
    for folder in folders:
        parts = [str(p) for p in sorted(folder.glob("*.parquet"))]
        if not parts:
            continue
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [parts]).fetchall()
        select, per_post = _copy_select({row[0]: row[1] for row in described})
        out = target.tables_dir / folder.parent.name / folder.name
        out.mkdir(parents=True, exist_ok=True)
        connection.execute(
            f"COPY (SELECT {select} FROM read_parquet(?) b, range({copies if per_post else 1}) t(copy)) "
            f"TO '{out / 'part-0.parquet'}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)",
            [parts],
        )
    connection.close()
    for state in base.tables_dir.glob("*/_state.json"):
        if state.parent.name != "publish":
            _restate(target, state.parent.name, json.loads(state.read_text()))
    return copies


def _restate(target: Workspace, stage: str, state: dict[str, object]) -> None:
    """A copied stage's state, with the hashes and row counts of its replicated tables."""
    from unveil.evidence.parts import describe_parts, hashes_of
    from unveil.tables import hash_of_parts

    outputs: dict[str, object] = {}
    parts: dict[str, object] = {}
    for table in dict(state.get("outputs", {})):  # type: ignore[call-overload]
        ref = target.table(f"{stage}.{table}")
        if ref.exists():
            parts[table] = described = describe_parts(ref)
            outputs[table] = {"rows": ref.num_rows(), "hash": hash_of_parts(hashes_of(described))}
    target.write_state(stage, {**state, "outputs": outputs, "parts": parts})


def publish(target: Workspace) -> None:
    """Run the ``publish`` stage on the replicated workspace (its page tables), as ``unveil run`` would."""
    from unveil.engine import create_engine
    from unveil.pipeline import run_pipeline
    from unveil.stages import all_stages

    with create_engine("duckdb", target.settings) as engine:
        run_pipeline(target, engine, all_stages(), only=["publish"])


def build_workspace(scratch: Path, posts: int) -> tuple[Workspace, int, float]:
    """A workspace of about ``posts`` posts with one investigator per simulated user; the copies made, and
    the seconds the ``publish`` stage took on it."""
    base = _base_workspace(scratch)
    target = Workspace.init(scratch / "large")
    copies = replicate(base, target, posts)
    with timed() as published:
        publish(target)
    db = connect(target)
    for n in range(USERS):
        add_user(db, f"user{n:02d}", Role.INVESTIGATOR, PASSWORD)
    db.close()
    return target, copies, published["seconds"]


def serve(root: Path, port: int, workers: int = WORKERS) -> subprocess.Popen[bytes]:
    """``unveil serve`` on loopback, as a separate process."""
    env = dict(os.environ, UNVEIL_SECRET_KEY=SECRET)
    command = [sys.executable, "-m", "unveil", "serve", str(root), "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(base_url: str, server: subprocess.Popen[bytes], limit: float = 1800) -> None:
    """Wait for the login page to answer (the serving tables are built before it does)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"unveil serve stopped with status {server.returncode}")
        try:
            if httpx.get(f"{base_url}/login", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the web app did not start")


def samples(root: Path) -> dict[str, list[str]]:
    """Random posts, networks and phones of the workspace, for the simulated users to open."""
    connection = duckdb.connect()
    tables = root / "tables"
    queries = {
        "posts": f"SELECT post_id FROM '{tables}/ingest/posts/*.parquet' USING SAMPLE 2000",
        "networks": f"SELECT network_id FROM '{tables}/link/networks/*.parquet' USING SAMPLE 1000",
        "phones": f"SELECT value FROM '{tables}/extract/identifiers/*.parquet' WHERE type = 'phone' USING SAMPLE 1000",
    }
    return {name: [r[0] for r in connection.execute(sql).fetchall()] for name, sql in queries.items()}


# Words this world writes, common to rare (posts of 1,000,482 that hold each: 146k, 91k, 120k, 23k, 7k); until
# session 9 the bench searched "girl", "job", "new" and "Brussels" too, which match no post of this world.
WORDS = ("massage", "escort", "Brussel", "discret", "Calais")
CITIES = ("Brussels", "Antwerp", "Ghent", "Liège")
LANGUAGES = ("fr", "nl", "en")


def _request(kind: str, found: dict[str, list[str]], rng: random.Random) -> str:
    """A page of ``kind``. Every search page counts its total and facets over all its matches (city,
    language, indicator, network, site, month); a fifth of the searches are a facet clicked on a word search."""
    if kind == "search":
        choice = rng.random()
        if choice < 0.4 and found["phones"]:
            return "/search?" + urlencode({"identifier": rng.choice(found["phones"]).split("~")[0]})
        if choice < 0.65:
            return "/search?" + urlencode({"q": rng.choice(WORDS)})
        if choice < 0.8:
            return "/search?" + urlencode({"city": rng.choice(CITIES)})
        facet = rng.choice((("city", CITIES), ("language", LANGUAGES)))
        return "/search?" + urlencode({"q": rng.choice(WORDS), facet[0]: rng.choice(facet[1])})
    if kind == "post":
        return "/posts/" + quote(rng.choice(found["posts"]), safe="")
    if kind == "network":  # as a browser opens it: the page, its graph (fetched by the page), a next page of posts
        network = "/networks/" + quote(rng.choice(found["networks"]), safe="")
        choice = rng.random()
        return network if choice < 0.6 else f"/api{network}/graph" if choice < 0.85 else network + "?p=2"
    if kind == "identifier" and found["phones"]:
        return "/identifiers/phone/" + quote(rng.choice(found["phones"]), safe="")
    return "/"


@dataclass
class Load:
    """What the simulated users measured: latencies by page kind, and failed requests."""

    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _log_in(connection: http.client.HTTPConnection, name: str) -> str:
    """Open a session; return the Cookie header that carries it."""
    body = json.dumps({"name": name, "password": PASSWORD})
    connection.request("POST", "/api/session", body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status >= 300:
        raise RuntimeError(f"{name} could not log in: {response.status}")
    return "; ".join(v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie")


def _user(base_url: str, name: str, found: dict[str, list[str]], start: float, until: float, load: Load) -> None:
    """One user: log in, then open page after page (keep-alive) until ``until``.

    The standard library's client keeps the load generator's own CPU use low: on a 2-core machine
    it shares the cores with the server it measures.
    """
    rng = random.Random(name)
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=60)
    try:
        cookie = _log_in(connection, name)
        n = rng.randrange(len(KINDS))
        while (now := time.monotonic()) < until:
            kind = KINDS[n % len(KINDS)]
            n += 1
            try:
                connection.request("GET", _request(kind, found, rng), headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                status: int | str = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                connection.close()  # the next request reconnects
            if now < start:
                continue  # warm-up: not counted
            with load.lock:
                load.times[kind].append(time.monotonic() - now)
                if status != 200:
                    load.errors.append(f"{kind} {status}")
    finally:
        connection.close()


def run_users(base_url: str, found: dict[str, list[str]], seconds: float, warmup: float = WARMUP_SECONDS) -> Load:
    """``USERS`` users, each logged in, cycling through the page kinds with no pause."""
    load = Load()
    start = time.monotonic() + warmup
    threads = [
        threading.Thread(target=_user, args=(base_url, f"user{n:02d}", found, start, start + seconds, load))
        for n in range(USERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load


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


def summarise(load: Load, seconds: float) -> Metrics:
    """p50 and p95 per page kind, requests per second, errors."""
    metrics: Metrics = {"errors": len(load.errors)}
    for kind, values in load.times.items():
        metrics[f"{kind}_requests"] = len(values)
        metrics[f"{kind}_p50_ms"] = round(1000 * statistics.median(values), 1) if values else float("nan")
        metrics[f"{kind}_p95_ms"] = round(1000 * _percentile(values, 0.95), 1)
    metrics["requests_per_s"] = round(sum(len(v) for v in load.times.values()) / seconds, 1)
    metrics["error_examples"] = "; ".join(sorted(set(load.errors))[:5]) or "none"
    return metrics


@benchmark("web.load")
def web_load(scale: str) -> Metrics:
    with tempfile.TemporaryDirectory() as scratch_name:
        with timed() as build:
            target, copies, publish_s = build_workspace(Path(scratch_name), SIZES[scale])
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = serve(target.root, port)
        try:
            with timed() as startup:
                wait_until_up(base_url, server)
            found = samples(target.root)
            load = run_users(base_url, found, SECONDS[scale])
            baseline = _baseline_post_lookup(target.root, found["posts"])
            rows = target.table("ingest.posts").num_rows()
        finally:
            server.terminate()
            server.wait(timeout=60)
    metrics: Metrics = {
        "posts": rows,
        "copies": copies,
        "users": USERS,
        "workers": WORKERS,
        "seconds": SECONDS[scale],
        "warmup_s": WARMUP_SECONDS,
        "build_s": build["seconds"],
        "publish_s": publish_s,
        "startup_s": startup["seconds"],
        **summarise(load, SECONDS[scale]),
    }
    metrics["target_p95_ms"] = TARGET_P95_MS
    metrics["worst_p95_ms"] = max(metrics[f"{kind}_p95_ms"] for kind in KINDS)
    metrics["baseline_parquet_post_lookup_p50_ms"] = round(1000 * statistics.median(baseline), 1)
    post_p50 = metrics["post_p50_ms"]
    metrics["post_p50_vs_baseline_ratio"] = round(metrics["baseline_parquet_post_lookup_p50_ms"] / post_p50, 2)
    return metrics
