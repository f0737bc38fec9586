"""Table stores: tables_uri is parsed into the right file system and paths, and the whole pipeline
runs with its tables outside the workspace (a file:// URI, and a non-local store) with identical results."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.fs as pafs
import pytest

from tests.core.test_pipeline import without_wall_clock
from unveil.engine import create_engine
from unveil.errors import UsageError
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.storage import TableStore, parse_location, register_store, store_for
from unveil.tables import TableRef, write_part
from unveil.workspace import Workspace


def test_hdfs_uri_maps_to_hadoop_paths_without_connecting() -> None:
    location = parse_location("hdfs://namenode:8020/unveil/op-e40/tables/", Path("/unused"))
    assert location.arrow_uri == "hdfs://namenode:8020"
    assert location.hadoop_uri == "hdfs://namenode:8020/unveil/op-e40/tables"
    assert location.fs_root == "/unveil/op-e40/tables"
    assert location.mount == Path("/@hdfs/namenode:8020/unveil/op-e40/tables")
    assert not location.is_local


def test_s3a_uri_is_pyarrow_s3_for_files_and_s3a_for_spark() -> None:
    location = parse_location("s3a://evidence-bucket/op-e40/tables?region=eu-west-1", Path("/unused"))
    assert location.arrow_uri == "s3://evidence-bucket/op-e40/tables?region=eu-west-1"
    assert location.hadoop_uri == "s3a://evidence-bucket/op-e40/tables"
    assert location.fs_root == "evidence-bucket/op-e40/tables"
    filesystem, path = pafs.FileSystem.from_uri(location.arrow_uri)  # a region given: no network call
    assert isinstance(filesystem, pafs.S3FileSystem)
    assert path == location.fs_root


def test_table_paths_under_a_mount_become_filesystem_paths_and_uris() -> None:
    store = TableStore(parse_location("s3a://bucket/ws/tables", Path("/unused")), pafs.LocalFileSystem())
    table = store.root / "link" / "edges" / "part-0.parquet"
    assert store.fs_path(table) == "bucket/ws/tables/link/edges/part-0.parquet"
    assert store.uri_of(table) == "s3a://bucket/ws/tables/link/edges/part-0.parquet"
    assert store.relative(table) == PurePosixPath("link/edges/part-0.parquet")


def test_empty_and_file_uris_are_local_folders(tmp_path: Path) -> None:
    assert parse_location("", tmp_path / "tables").mount == (tmp_path / "tables").resolve()
    local = parse_location(f"file://{tmp_path}/elsewhere", Path("/unused"))
    assert local.is_local and local.mount == (tmp_path / "elsewhere").resolve()
    assert store_for(tmp_path / "anything").location.is_local


@pytest.mark.parametrize("uri", ["ftp://host/tables", "hdfs:///no-namenode", "file://otherhost/tables"])
def test_unusable_uris_are_refused_with_a_reason(uri: str) -> None:
    with pytest.raises(UsageError, match="tables_uri"):
        parse_location(uri, Path("/unused"))


def test_parts_are_written_listed_and_hashed_through_a_mounted_store(tmp_path: Path) -> None:
    register_store("hdfs://parts-test:8020/t", pafs.SubTreeFileSystem(str(tmp_path), pafs.LocalFileSystem()))
    table = TableRef("x.numbers", Path("/@hdfs/parts-test:8020/t/x/numbers"))
    write_part(table.path, pa.table({"n": [1, 2, 3]}), name="part-1.parquet")
    assert not table.path.exists()  # nothing written to the local disk at the mount point
    assert (tmp_path / "t" / "x" / "numbers" / "part-1.parquet").is_file()  # HDFS path /t/x/numbers
    assert table.parts() == [table.path / "part-1.parquet"]
    assert table.num_rows() == 3 and table.read().column("n").to_pylist() == [1, 2, 3]
    assert table.uri == "hdfs://parts-test:8020/t/x/numbers"
    assert len(table.content_hash()) == 64


def _copy_with_tables_at(source: Workspace, root: Path, tables_uri: str, tables_folder: Path) -> Workspace:
    """A copy of ``source`` whose tables live at ``tables_uri`` (``tables_folder`` on this disk), ingest only."""
    shutil.copytree(source.root, root, ignore=shutil.ignore_patterns("tables"))
    shutil.copytree(source.tables_dir / "ingest", tables_folder / "ingest")
    with (root / "unveil.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\ntables_uri = "{tables_uri}"\n')
    return Workspace.open(root)


def _assert_same_tables(expected: Workspace, actual: Workspace) -> None:
    for stage in all_stages():
        for name in stage.outputs:
            table = f"{stage.name}.{name}"
            wanted = without_wall_clock(table, expected.table(table).read())
            got = without_wall_clock(table, actual.table(table).read())
            # values and types identical; DuckDB's own Parquet writer also marks some columns required
            assert got.cast(wanted.schema).equals(wanted), table
            assert actual.read_state(stage.name) is not None


def test_pipeline_with_tables_at_a_file_uri_gives_identical_tables(small_workspace: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared-store" / "tables"
    workspace = _copy_with_tables_at(small_workspace, tmp_path / "ws", elsewhere.as_uri(), elsewhere)
    assert workspace.tables_dir == elsewhere.resolve()
    with create_engine("duckdb", workspace.settings) as engine:
        assert all(result.ran for result in run_pipeline(workspace, engine, all_stages()))
    assert not (workspace.root / "tables").exists()
    assert (elsewhere / "link" / "networks").is_dir()
    _assert_same_tables(small_workspace, workspace)


def test_pipeline_on_a_non_local_store_never_touches_the_mount_point(
    small_workspace: Workspace, tmp_path: Path
) -> None:
    """A SubTreeFileSystem stands in for HDFS: every operation must go through pyarrow.fs to find the files."""
    backing = tmp_path / "namenode-disk"
    uri = "hdfs://stand-in-namenode:8020/unveil/tables"
    register_store(uri, pafs.SubTreeFileSystem(str(backing), pafs.LocalFileSystem()))
    workspace = _copy_with_tables_at(small_workspace, tmp_path / "ws", uri, backing / "unveil" / "tables")
    assert workspace.tables_dir == Path("/@hdfs/stand-in-namenode:8020/unveil/tables")
    with create_engine("duckdb", workspace.settings) as engine:
        assert all(result.ran for result in run_pipeline(workspace, engine, all_stages()))
    assert not Path("/@hdfs").exists()
    assert (backing / "unveil" / "tables" / "money" / "alerts").is_dir()
    _assert_same_tables(small_workspace, workspace)


def test_ingest_and_run_on_a_non_local_store_give_identical_tables(
    small_workspace: Workspace, small_world: Path, tmp_path: Path
) -> None:
    """Ingest writes its tables and its ledger through the store too: a second ingest stores nothing new."""
    backing = tmp_path / "ingest-namenode-disk"
    uri = "hdfs://ingest-namenode:8020/unveil/tables"
    register_store(uri, pafs.SubTreeFileSystem(str(backing), pafs.LocalFileSystem()))
    root = tmp_path / "ws"
    Workspace.init(root)
    shutil.rmtree(root / "tables")
    with (root / "unveil.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\ntables_uri = "{uri}"\n')
    workspace = Workspace.open(root)
    first = ingest(workspace, [small_world])
    again = ingest(workspace, [small_world])
    assert first.stored > 0 and again.stored == 0
    assert (backing / "unveil" / "tables" / "ingest" / "_sources.jsonl").is_file()
    with create_engine("duckdb", workspace.settings) as engine:
        assert all(result.ran for result in run_pipeline(workspace, engine, all_stages()))
    assert not Path("/@hdfs").exists() and not (root / "tables").exists()
    _assert_same_tables(small_workspace, workspace)
