"""A ``random.Random`` whose integer draws scale one float: about twice cheaper, same interface.

``random.Random`` draws integers by rejection sampling on random bits (two Python calls and a
loop per draw). The synthetic world draws millions of small integers (which alternative, which
name, which amount), where a bias below n/2**53 does not matter: scaling one float is enough.
"""

from __future__ import annotations

import random


class FastRandom(random.Random):
    """``random.Random`` whose ``randrange``, ``randint``, ``choice``, ``sample`` and ``shuffle`` scale floats."""

    def _randbelow(self, n: int) -> int:  # type: ignore[override]
        """A uniform integer in ``[0, n)`` from one float draw."""
        return int(self.random() * n)
