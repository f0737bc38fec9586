"""Posts and their ground truth: kinds in the planned proportions, networks that share phones and templates."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
import pytest

from tests.synth.helpers import read_posts, read_truth
from unveil_synth.kinds import KINDS
from unveil_synth.plan import make_plan
from unveil_synth.posts import make_post


@pytest.fixture(scope="module")
def drawn_posts() -> list[tuple[str, str, str, bool]]:
    """(kind, language, network_id, with_indicators) of 12,000 posts drawn without writing files."""
    plan = make_plan(12_000, 5)
    rng = random.Random(5)
    rows = []
    for number in range(12_000):
        post = make_post(plan, rng, number)
        rows.append(
            (
                post.actor.kind.name,
                post.language,
                post.actor.actor_id if post.actor.is_network else "",
                post.with_indicators,
            )
        )
    return rows


def test_kinds_come_in_the_planned_proportions(drawn_posts: list[tuple[str, str, str, bool]]) -> None:
    counts = Counter(kind for kind, *_ in drawn_posts)
    for kind in KINDS:
        assert counts[kind.name] / len(drawn_posts) == pytest.approx(kind.share, abs=0.015), kind.name


def test_some_trafficking_ads_lack_indicators_and_some_benign_ads_have_them(
    drawn_posts: list[tuple[str, str, str, bool]],
) -> None:
    network_plain = sum(1 for kind, _, _, ind in drawn_posts if kind == "escort_network" and not ind)
    benign_loaded = sum(1 for kind, _, _, ind in drawn_posts if kind == "escort_independent" and ind)
    assert network_plain > 100
    assert benign_loaded > 100


def test_every_language_of_the_issue_is_present(drawn_posts: list[tuple[str, str, str, bool]]) -> None:
    languages = {language for _, language, _, _ in drawn_posts}
    assert {"nl", "fr", "en", "ro", "bg", "es", "ar", "de", "pl", "fa"} <= languages


def test_truth_matches_the_posts_written(small_world: Path) -> None:
    posts, truth = read_posts(small_world), read_truth(small_world, "posts")
    assert len(posts) == len(truth) == 600
    for row in truth:
        post = posts[row["post_id"]]
        country = post.get("country", row["country"])  # one post in four gives no country (the truth keeps it)
        assert (post["city"], country, post["posted_at"]) == (row["city"], row["country"], row["posted_at"])
        assert (row["network_id"] != "") == (
            row["kind"] in ("escort_network", "smuggling_offer", "labour_exploitation")
        )
    assert 0.2 < sum("country" not in post for post in posts.values()) / len(posts) < 0.3
    times = [posts[row["post_id"]]["posted_at"] for row in truth]
    assert times == sorted(times)


def test_every_identifier_is_written_in_its_post_and_valid(small_world: Path) -> None:
    posts = read_posts(small_world)
    for row in read_truth(small_world, "post_identifiers"):
        assert row["written"] in posts[row["post_id"]]["text"]
        if row["type"] == "phone":
            number = phonenumbers.parse(row["value"])
            assert phonenumbers.is_valid_number(number), row["value"]
        if row["type"] == "email":
            assert re.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+", row["value"])


def test_obfuscated_numbers_do_not_show_their_digits_plainly(small_world: Path) -> None:
    rows = read_truth(small_world, "post_identifiers")
    obfuscated = [r for r in rows if r["obfuscation"] in ("spelled", "keycaps", "split_lines", "separators")]
    assert obfuscated
    for row in obfuscated:
        assert row["value"][-6:] not in row["written"]


def test_numbers_are_written_as_ads_from_other_countries_write_them() -> None:
    """North American numbers without a trunk prefix, "Tel:" before a national number, a name or roses after it,
    English digits and number words with homophones, one separator between groups, glued words, two copies."""
    plan = make_plan(20_000, 5)
    rng = random.Random(21)
    written: dict[str, list[str]] = defaultdict(list)
    for number in range(8_000):
        for kind, value, text, rule, _ in make_post(plan, rng, number).identifiers:
            if kind == "phone":
                written[rule].append(text)
                written["+1" if value.startswith("+1") else "other"].append(text)
    rules = ("dashed", "labelled", "name_after", "roses_after", "english_mixed", "group_separators", "glued")
    assert all(written[rule] for rule in (*rules, "repeated", "+1"))
    assert any(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", text) for text in written["dashed"])
    assert any(text.startswith("Tel:") for text in written["labelled"])
    assert any(re.search(r"[a-z]\d|\d[a-z]", text) for text in written["english_mixed"])
    for text in written["repeated"]:
        first, second = re.split(r" [^\w\s]+ ", text)
        assert first == second


def test_network_posts_use_their_own_rotating_phones(small_world: Path) -> None:
    networks = {row["network_id"]: row for row in read_truth(small_world, "networks")}
    used: dict[str, set[str]] = defaultdict(set)
    for row in read_truth(small_world, "post_identifiers"):
        if row["role"] == "network" and row["type"] == "phone":
            assert row["value"] in networks[row["network_id"]]["phones"].split(";")
            used[row["network_id"]].add(row["value"])
    assert any(len(phones) >= 2 for phones in used.values())


def test_hub_identifiers_join_several_unrelated_actors() -> None:
    plan = make_plan(20_000, 5)
    rng = random.Random(9)
    actors_by_hub: dict[str, set[str]] = defaultdict(set)
    for number in range(6_000):
        post = make_post(plan, rng, number)
        for kind, value, _, _, role in post.identifiers:
            if role == "hub":
                actors_by_hub[f"{kind}:{value}"].add(post.actor.actor_id)
    assert len(actors_by_hub) >= 4
    assert max(len(actors) for actors in actors_by_hub.values()) >= 10


def test_template_copies_are_near_duplicates(small_world: Path) -> None:
    posts, truth = read_posts(small_world), read_truth(small_world, "posts")
    by_template: dict[str, list[set[str]]] = defaultdict(list)
    for row in truth:
        by_template[row["template_id"]].append(set(posts[row["post_id"]]["text"].lower().split()))
    similarities = []
    for texts in by_template.values():
        for other in texts[1:]:
            similarities.append(len(texts[0] & other) / len(texts[0] | other))
    assert similarities and sum(similarities) / len(similarities) > 0.5
    assert any(row["edit"] for row in truth)


def test_network_victims_move_between_cities(small_world: Path) -> None:
    networks = read_truth(small_world, "networks")
    escort = [n for n in networks if n["kind"] == "escort_network" and int(n["posts"]) >= 10]
    assert escort and all(len(n["posted_cities"].split(";")) >= 2 for n in escort)


def test_images_of_posts_exist_and_copies_share_a_photo(small_world: Path) -> None:
    posts = read_posts(small_world)
    images = {row["file"]: row for row in read_truth(small_world, "images")}
    referenced = [image for post in posts.values() for image in post["images"]]
    assert referenced
    assert all((small_world / image).is_file() and image in images for image in referenced)
    photos = Counter(row["photo_id"] for row in images.values())
    assert set(photos.values()) == {4}
    assert {row["variant"] for row in images.values()} == {"orig", "crop", "jpeg", "tint"}


def test_rewriters_change_phone_and_words_but_keep_their_sign_off() -> None:
    plan = make_plan(6_000, 5)
    rng = random.Random(5)
    phases: dict[str, dict[bool, list[tuple[str, str, str]]]] = defaultdict(lambda: {False: [], True: []})
    agencies: dict[str, set[str]] = defaultdict(set)
    signed = 0
    for number in range(6_000):
        post = make_post(plan, rng, number)
        if post.actor.signoff:
            phone = post.identifiers[0][1] if post.identifiers else ""
            phases[post.actor.actor_id][post.rewritten].append((post.text, phone, post.template_id))
            signed += post.actor.signoff in post.text
            assert not post.actor.emails and not post.actor.handles
        if post.template_id.startswith("AGENCY-"):
            agencies[post.template_id].add(post.actor.actor_id)
            assert post.boilerplate.startswith("AGENCY-")
    both = {actor: p for actor, p in phases.items() if p[False] and p[True]}
    assert len(both) >= 10
    for actor, phase in both.items():
        before, after = phase[False], phase[True]
        assert {t for _, _, t in before} == {f"{actor}-T0"} and {t for _, _, t in after} == {f"{actor}-T1"}
        assert not {p for _, p, _ in before if p} & {p for _, p, _ in after if p}  # a new phone
    assert signed >= 0.8 * sum(len(p[False]) + len(p[True]) for p in phases.values())  # edits may cut it
    assert sum(len(actors) >= 2 for actors in agencies.values()) >= 3  # a stock text posted by unrelated authors
