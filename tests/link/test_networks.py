"""Networks: the hub guard, phone rotation held together by texts and photos, reasons."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pyarrow.compute as pc

from tests.link.conftest import Post, photo
from unveil.workspace import Workspace

Linked = Callable[[Sequence[Post]], Workspace]
START = datetime(2024, 3, 1, tzinfo=UTC)


def sentence(seed: int, words: int = 28) -> str:
    """A text of made-up words, different for every seed."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(words))


def networks_of(workspace: Workspace) -> dict[str, str]:
    """post_id -> network_id."""
    rows = workspace.table("link.network_posts").read().to_pylist()
    return {row["post_id"]: row["network_id"] for row in rows}


def planted_network(n: int, posts: int = 5, extra: Sequence[tuple[str, str]] = ()) -> list[Post]:
    text = sentence(100 + n)
    return [
        Post(
            f"n{n}-{k}",
            f"{text} Lola {20 + k}",
            "Brussels",
            START + timedelta(days=k),
            [("phone", f"+32470{n:06d}"), *(extra if k < 2 else ())],
            language=["nl", "fr"][k % 2],
            scores=[("sexual_exploitation", 0.2 * k), ("control", 0.1)],
        )
        for k in range(posts)
    ]


def test_hotel_switchboard_does_not_merge_unrelated_networks(linked: Linked) -> None:
    hotel = ("phone", "+3222000000")
    posts = [p for n in range(3) for p in planted_network(n, extra=[hotel])]
    posts += [
        Post(f"solo-{k}", sentence(900 + k), "Ghent", START, [hotel, ("phone", f"+3249{k:07d}")]) for k in range(3)
    ]
    workspace = linked(posts)

    network = networks_of(workspace)
    assert len({network[f"n{n}-0"] for n in range(3)}) == 3
    for n in range(3):
        assert {network[f"n{n}-{k}"] for k in range(5)} == {network[f"n{n}-0"]}
    assert not any(post.startswith("solo") for post in network)
    hubs = workspace.table("link.hubs").read().to_pylist()
    assert [(h["type"], h["value"]) for h in hubs] == [hotel]
    assert hubs[0]["unrelated_groups"] == 6 and "hub" in hubs[0]["reason"]  # 3 networks, 3 solo advertisers


def test_phone_shared_by_one_network_across_its_texts_is_not_a_hub(linked: Linked) -> None:
    phone = ("phone", "+32471999999")
    posts = [
        Post(f"p{k}", sentence(300 + k), "Liège", START + timedelta(days=k), [phone, ("email", "boss@example.org")])
        for k in range(6)
    ]
    workspace = linked(posts)

    assert set(networks_of(workspace).values()) == {"N00001"}
    assert workspace.table("link.hubs").num_rows() == 0


def test_network_rotating_phones_stays_one_network_through_texts_and_photos(linked: Linked) -> None:
    text = sentence(7, words=40)
    rotating = [
        Post(
            f"r{k:02d}",
            f"{text} {['Anna', 'Mia', 'Lea'][k % 3]} {19 + k % 5} {['Antwerp', 'Ghent'][k % 2]}",
            ["Antwerp", "Ghent"][k % 2],
            START + timedelta(days=k),
            [("phone", f"+32480{k // 2:06d}")],
            [photo(1, shift=k % 3)] if k % 2 else [photo(2)],
        )
        for k in range(12)
    ]
    other = planted_network(5)
    workspace = linked(rotating + other)

    network = networks_of(workspace)
    assert {network[p.post_id] for p in rotating} == {"N00001"}
    assert {network[p.post_id] for p in other} == {"N00002"}
    kinds = set(workspace.table("link.edges").read()["kind"].to_pylist())
    assert {"identifier", "template", "image"} <= kinds
    templates = workspace.table("link.templates").read().to_pylist()
    assert templates[0]["posts"] == 12 and "name" in templates[0]["slots"]
    assert not templates[0]["generic"]


def test_every_member_says_why_it_belongs(linked: Linked) -> None:
    workspace = linked(planted_network(1) + planted_network(2))

    members = workspace.table("link.network_posts").read().to_pylist()
    assert len(members) == 10
    assert all(m["reason"].startswith("shares ") and "+32470" in m["reason"] for m in members)
    edges = workspace.table("link.edges").read()
    assert pc.all(pc.greater(pc.utf8_length(edges["reason"]), 10)).as_py()
    summary = workspace.table("link.networks").read().to_pylist()[0]
    assert summary["posts"] == 5 and summary["phones"] == 1 and summary["cities"] == ["Brussels"]
    assert summary["languages"] == ["fr", "nl"] and summary["risk"] == 0.8
    assert summary["profile"] == "control 0.1, sexual_exploitation 0.4"


def test_generic_stock_text_used_by_unrelated_advertisers_links_nothing(linked: Linked) -> None:
    stock = sentence(55)
    posts = [Post(f"g{k}", f"{stock} {k}", "Namur", START, [("phone", f"+3248{k:07d}")]) for k in range(8)]
    workspace = linked(posts)

    templates = workspace.table("link.templates").read().to_pylist()
    assert len(templates) == 1 and templates[0]["generic"]
    assert workspace.table("link.network_posts").num_rows() == 0
