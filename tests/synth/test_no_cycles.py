"""Posts, money and photos make no reference cycles, so the generator may run with the cyclic collector off."""

from __future__ import annotations

import gc
from pathlib import Path

from unveil_synth.world import generate_world


def _cyclic_garbage(out: Path, posts: int) -> int:
    """Objects left in reference cycles by writing a world of ``posts`` posts in this process."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        generate_world(out, posts=posts, seed=5, workers=1)
        return gc.collect()
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_cyclic_garbage_does_not_grow_with_the_posts(tmp_path: Path) -> None:
    # the statistics workbooks (xlsxwriter, a fixed set of official-style tables) hold cycles of their own;
    # nothing written per post, party or photo does, so the count is the same for both sizes
    small, larger = _cyclic_garbage(tmp_path / "small", 700), _cyclic_garbage(tmp_path / "larger", 4000)
    assert larger == small < 50_000
    assert gc.isenabled()  # the generator switches the collector back on when it was on
