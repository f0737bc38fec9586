"""The truth aggregated from per-chunk tallies says what the per-post truth files say."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from tests.synth.helpers import read_truth


def test_templates_count_the_posts_and_edits_of_each_template(small_world: Path) -> None:
    posts = read_truth(small_world, "posts")
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in posts:
        expected[row["template_id"]][0] += 1
        expected[row["template_id"]][1] += 1 if row["edit"] else 0
    templates = read_truth(small_world, "templates")
    assert [row["template_id"] for row in templates] == sorted(expected)
    for row in templates:
        assert [int(row["posts"]), int(row["edited_posts"])] == expected[row["template_id"]]


def test_identifiers_count_posts_posters_and_obfuscations(small_world: Path) -> None:
    actor_of = {row["post_id"]: row["actor_id"] for row in read_truth(small_world, "posts")}
    posts: dict[tuple[str, str], set[str]] = defaultdict(set)
    actors: dict[tuple[str, str], set[str]] = defaultdict(set)
    rules: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in read_truth(small_world, "post_identifiers"):
        key = (row["type"], row["value"])
        posts[key].add(row["post_id"])
        actors[key].add(actor_of[row["post_id"]])
        rules[key].add(row["obfuscation"])
    identifiers = read_truth(small_world, "identifiers")
    assert [(row["type"], row["value"]) for row in identifiers] == sorted(posts)
    for row in identifiers:
        key = (row["type"], row["value"])
        assert int(row["posts"]) == len(posts[key])
        assert int(row["actors"]) == len(actors[key])
        assert row["obfuscations"] == ";".join(sorted(rules[key]))
    assert any(row["role"] == "hub" and int(row["actors"]) > 1 for row in identifiers)


def test_networks_count_their_posts_cities_and_languages(small_world: Path) -> None:
    by_network: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_truth(small_world, "posts"):
        if row["network_id"]:
            by_network[row["network_id"]].append(row)
    for network in read_truth(small_world, "networks"):
        rows = by_network.get(network["network_id"], [])
        assert int(network["posts"]) == len(rows)
        assert network["posted_cities"] == ";".join(sorted({row["city"] for row in rows}))
        assert network["languages"] == ";".join(sorted({row["language"] for row in rows}))
