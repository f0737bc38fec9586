"""Movement: stays, arrivals announced as new in town, returns on a circuit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from tests.link.conftest import Post
from unveil.link.report import itinerary
from unveil.workspace import Workspace

CIRCUIT = ["Brussels", "Antwerp", "Ghent", "Brussels"]


def test_planted_circuit_is_found_with_stays_arrivals_and_return(
    linked: Callable[[Sequence[Post]], Workspace],
) -> None:
    start = datetime(2024, 5, 1, 12, tzinfo=UTC)
    posts = []
    for leg, city in enumerate(CIRCUIT):
        for day in range(3):
            text = ("New in " if day == 0 else "Still in ") + f"{city}: sweet Ioana waits for you, discreet apartment"
            when = start + timedelta(days=leg * 3 + day)
            posts.append(Post(f"c{leg}{day}", text, city, when, [("phone", "+32470111222")]))
    workspace = linked(posts)

    rows = workspace.table("link.movements").read().to_pylist()
    network = [r for r in rows if r["phone"] is None]
    assert [r["city"] for r in network] == CIRCUIT
    assert [r["from_city"] for r in network] == [None, *CIRCUIT[:-1]]
    assert [r["stay_days"] for r in network] == [3, 3, 3, 3]
    assert all(r["new_in_town"] for r in network)
    assert [r["revisit"] for r in network] == [False, False, False, True]
    assert [r["city"] for r in rows if r["phone"] == "+32470111222"] == CIRCUIT
    summary = workspace.table("link.networks").read().to_pylist()[0]
    assert summary["stays"] == 4 and summary["returns"] == 1 and summary["arrivals"] == 4
    assert itinerary(rows, None).startswith('Brussels (3 d, 3 posts, "new in town") -> Antwerp')
