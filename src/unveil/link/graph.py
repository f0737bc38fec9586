"""Graph algorithms on small inputs fetched through the engine: components and Leiden communities."""

from __future__ import annotations

import igraph
import leidenalg
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

LEIDEN_SEED = 7


def index_pairs(
    left: pa.ChunkedArray | pa.Array, right: pa.ChunkedArray | pa.Array
) -> tuple[pa.Array, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Sorted distinct names of both columns and the integer index of each side in them."""
    names = pc.unique(pa.concat_arrays(_chunks(left) + _chunks(right))).sort()
    a = pc.index_in(left, value_set=names).to_numpy(zero_copy_only=False).astype(np.int64)
    b = pc.index_in(right, value_set=names).to_numpy(zero_copy_only=False).astype(np.int64)
    return names, a, b


def _chunks(values: pa.ChunkedArray | pa.Array) -> list[pa.Array]:
    if isinstance(values, pa.ChunkedArray):
        return [chunk.cast(pa.string()) for chunk in values.chunks] or [pa.array([], pa.string())]
    return [values.cast(pa.string())]


def components_of_pairs(
    left: pa.ChunkedArray | pa.Array, right: pa.ChunkedArray | pa.Array
) -> tuple[pa.Array, npt.NDArray[np.int64]]:
    """Connected component label of every name that appears in a pair (names sorted)."""
    names, a, b = index_pairs(left, right)
    graph = igraph.Graph(n=len(names), edges=np.column_stack((a, b)).tolist())
    return names, np.asarray(graph.connected_components().membership, dtype=np.int64)


def communities(vertices: int, edges: npt.NDArray[np.int64], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Leiden communities (modularity, weighted) of one large component; labels per vertex."""
    graph = igraph.Graph(n=vertices, edges=edges.tolist())
    partition = leidenalg.find_partition(
        graph, leidenalg.ModularityVertexPartition, weights=weights.tolist(), seed=LEIDEN_SEED
    )
    return np.asarray(partition.membership, dtype=np.int64)
