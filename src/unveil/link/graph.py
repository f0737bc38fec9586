"""Graph algorithms on inputs fetched through the engine: components and Leiden communities.

Components come from SciPy's sparse graph routines (arrays in, labels out, no Python loop);
igraph and leidenalg are imported only when a large component is split, so worker processes that
import the per-record functions next to these do not pay for them.
"""

from __future__ import annotations

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
    return names, components(len(names), a, b)


def components(vertices: int, src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Connected component label of every vertex of an undirected graph given as two index arrays."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if vertices == 0:
        return np.zeros(0, dtype=np.int64)
    matrix = coo_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(vertices, vertices))
    _, labels = connected_components(matrix, directed=False)
    return np.asarray(labels, dtype=np.int64)


def communities(vertices: int, edges: npt.NDArray[np.int64], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Leiden communities (modularity, weighted) of one large component; labels per vertex."""
    import igraph
    import leidenalg

    graph = igraph.Graph(n=vertices, edges=edges.tolist())
    partition = leidenalg.find_partition(
        graph, leidenalg.ModularityVertexPartition, weights=weights.tolist(), seed=LEIDEN_SEED
    )
    return np.asarray(partition.membership, dtype=np.int64)
