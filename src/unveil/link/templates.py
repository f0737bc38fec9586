"""Templates: the text a near-duplicate cluster shares and the slots that vary between its posts.

A few members of a cluster are aligned, token by token, to a representative member (a longest
common subsequence of tokens, computed by rapidfuzz in C++). Tokens matched in most members are the
template's fixed text; runs of tokens that vary become slots, typed by their values: city, name,
age, price, phone, number, contact or text.

The *generic-template guard*, like the hub guard for identifiers: a template is generic when

- its posts carry nearly as many distinct identifiers as posts (a stock phrase used by unrelated
  advertisers), or
- its text is common across the corpus: most of its shingles are held by many more posts than the
  template's own (an agency's or a site's boilerplate, copied into ads that are not near-duplicates).

A generic template is kept and shown, with its reason, but never links posts into networks by itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa
from rapidfuzz.distance import LCSseq

from unveil.link.style import STYLE_KIND

SAMPLE_PER_TEMPLATE = 8
FIXED_SHARE = 0.6
GENERIC_MIN_POSTS = 4
GENERIC_IDENTIFIERS_PER_POST = 0.6
GENERIC_COMMON_SHARE = 0.8
COMMON_FACTOR = 2
TOKEN = re.compile(r"\+?\d[\d ().-]*\d|\S+")
EDGE_PUNCTUATION = ".,;:!?()[]\"'«»*-–—/"
AGE_WORDS = {
    "years",
    "year",
    "yo",
    "y.o.",
    "ans",
    "an",
    "jaar",
    "jahre",
    "años",
    "anos",
    "ani",
    "age",
    "âge",
    "leeftijd",
}
CURRENCY = {"€", "eur", "euro", "euros", "$", "usd", "£", "gbp", "lei", "ron", "chf", "lv", "bgn", "zł", "pln"}

SAMPLE_SQL = f"""
WITH ranked AS (
    SELECT template_id, post_id, posts,
           row_number() OVER (PARTITION BY template_id ORDER BY post_id) AS member_no
    FROM template_members
)
SELECT r.template_id, r.post_id, r.posts, p.title, p.text, p.city
FROM ranked r JOIN posts p ON p.post_id = r.post_id
WHERE r.member_no <= {SAMPLE_PER_TEMPLATE}
ORDER BY r.template_id, r.post_id
"""

IDENTIFIER_SPREAD_SQL = """
SELECT m.template_id, min(m.posts) AS posts, count(DISTINCT i.type || ':' || i.value) AS identifiers,
       count(DISTINCT i.post_id) AS posts_with_identifiers
FROM template_members m JOIN identifiers i ON i.post_id = m.post_id
WHERE i.type IN ('phone', 'email', 'handle', 'iban', 'wallet')
GROUP BY m.template_id
ORDER BY m.template_id
"""

COMMONNESS_SQL = f"""
WITH examples AS (
    SELECT template_id, min(post_id) AS post_id, min(posts) AS posts FROM template_members GROUP BY template_id
)
SELECT e.template_id, min(s.text_shingles) AS shingles,
       CAST(sum(CASE WHEN p.posts >= {COMMON_FACTOR} * e.posts + 2 THEN 1 ELSE 0 END) AS BIGINT) AS common
FROM examples e
JOIN post_style s ON s.post_id = e.post_id
LEFT JOIN post_shingles p ON p.post_id = e.post_id AND p.shingle < {STYLE_KIND}
GROUP BY e.template_id
ORDER BY e.template_id
"""

TEMPLATES = pa.schema(
    [
        ("template_id", pa.string()),
        ("posts", pa.int64()),
        ("text", pa.string()),
        ("slots", pa.list_(pa.string())),
        ("slot_values", pa.list_(pa.string())),
        ("example_post_id", pa.string()),
        ("identifiers", pa.int64()),
        ("common_share", pa.float64()),
        ("generic", pa.bool_()),
        ("reason", pa.string()),
    ]
)


@dataclass(frozen=True)
class Slot:
    """A run of varying tokens: its kind and the values seen in the sampled members."""

    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    """The fixed text of a cluster with ``{kind}`` placeholders, and its slots in order."""

    text: str
    slots: tuple[Slot, ...]


def extract_template(texts: Sequence[str], cities: Iterable[str] = ()) -> Template:
    """Align the texts of one cluster and split them into fixed text and typed slots."""
    tokenised = [TOKEN.findall(text) for text in texts]
    order = sorted(range(len(tokenised)), key=lambda i: len(tokenised[i]))
    representative = tokenised[order[len(order) // 2]]
    others = [tokens for i, tokens in enumerate(tokenised) if i != order[len(order) // 2]]
    matched = [0] * len(representative)
    variants: list[dict[int, str]] = []
    for other in others:
        seen: dict[int, str] = {}
        for tag, i1, i2, j1, j2 in aligned_blocks(representative, other):
            if tag == "equal":
                for i in range(i1, i2):
                    matched[i] += 1
            elif tag == "replace" and i2 - i1 == j2 - j1:
                seen.update({i1 + d: other[j1 + d] for d in range(i2 - i1)})
            elif i2 > i1:
                seen[i1] = " ".join(other[j1:j2])
        variants.append(seen)
    needed = math.ceil(FIXED_SHARE * len(others))
    fixed = [count >= needed for count in matched] if others else [True] * len(representative)
    return _assemble(representative, fixed, variants, {c.casefold() for c in cities if c})


def aligned_blocks(left: list[str], right: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of a token alignment: ``equal`` runs of a longest common subsequence and, between
    them, one ``replace``, ``delete`` or ``insert`` block (as difflib's ``get_opcodes``)."""
    blocks: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for block in LCSseq.opcodes(left, right).as_matching_blocks():
        a, b, size = block.a, block.b, block.size
        if a > i or b > j:
            tag = "replace" if a > i and b > j else ("delete" if a > i else "insert")
            blocks.append((tag, i, a, j, b))
        if size:
            blocks.append(("equal", a, a + size, b, b + size))
        i, j = a + size, b + size
    return blocks


def _assemble(tokens: list[str], fixed: list[bool], variants: list[dict[int, str]], cities: set[str]) -> Template:
    parts: list[str] = []
    slots: list[Slot] = []
    for i, token in enumerate(tokens):
        if fixed[i]:
            parts.append(token)
            continue
        values = {x.strip(EDGE_PUNCTUATION) for x in {token} | {v[i] for v in variants if i in v}}
        context = [t.strip(EDGE_PUNCTUATION).casefold() for t in tokens[max(0, i - 2) : i + 3] if t != token]
        kind = classify_slot(sorted(values), context, cities)
        if slots and parts[-1] == "{" + kind + "}" and kind in ("text", "name"):
            slots[-1] = Slot(kind, tuple(sorted(set(slots[-1].values) | values))[:6])
            continue
        slots.append(Slot(kind, tuple(sorted(values))[:6]))
        parts.append("{" + kind + "}")
    return Template(" ".join(parts), tuple(slots))


def classify_slot(values: Sequence[str], context: Sequence[str], cities: set[str]) -> str:
    """The kind of a varying run from its values and the fixed words around it."""
    cleaned = [v.strip(EDGE_PUNCTUATION) for v in values if v.strip(EDGE_PUNCTUATION)]
    if not cleaned:
        return "text"
    if any("@" in v or "http" in v or "www." in v for v in cleaned):
        return "contact"
    if any(v.casefold() in cities or any(w.casefold() in cities for w in v.split()) for v in cleaned):
        return "city"
    if all(any(ch.isdigit() for ch in v) for v in cleaned):
        return _number_kind(cleaned, context)
    if all(v[:1].isupper() and v.replace(" ", "").replace("-", "").isalpha() for v in cleaned):
        return "name"
    return "text"


def _number_kind(values: Sequence[str], context: Sequence[str]) -> str:
    digits = [sum(ch.isdigit() for ch in v) for v in values]
    words = set(context) | {v.casefold().strip("0123456789.,") for v in values}
    if min(digits) >= 8:
        return "phone"
    if words & CURRENCY or any(ch in "€$£" for v in values for ch in v):
        return "price"
    if words & AGE_WORDS:
        return "age"
    return "number"


def build_templates(samples: pa.Table, spread: pa.Table, commonness: pa.Table | None = None) -> pa.Table:
    """One row per template from sampled member texts, the identifier spread of its posts and how
    common its text is across the corpus (``COMMONNESS_SQL``)."""
    by_template: dict[str, list[dict[str, object]]] = {}
    for row in samples.to_pylist():
        by_template.setdefault(str(row["template_id"]), []).append(row)
    spread_of = {row["template_id"]: row for row in spread.to_pylist()}
    common_of = {row["template_id"]: row for row in commonness.to_pylist()} if commonness is not None else {}
    rows = [
        _template_row(tid, members, spread_of.get(tid), common_of.get(tid))
        for tid, members in sorted(by_template.items())
    ]
    return pa.Table.from_pylist(rows, schema=TEMPLATES)


def _template_row(
    template_id: str,
    members: list[dict[str, object]],
    spread: dict[str, object] | None,
    commonness: dict[str, object] | None = None,
) -> dict[str, object]:
    texts = [f"{m['title'] or ''} {m['text'] or ''}".strip() for m in members]
    template = extract_template(texts, [str(m["city"]) for m in members if m["city"]])
    posts = int(str(members[0]["posts"]))  # every member, not only the aligned sample
    identifiers = int(str(spread["identifiers"])) if spread else 0
    with_ids = int(str(spread["posts_with_identifiers"])) if spread else 0
    shingles = int(str(commonness["shingles"] or 0)) if commonness else 0
    common_share = round(int(str(commonness["common"] or 0)) / shingles, 4) if commonness and shingles else 0.0
    many_identifiers = with_ids >= GENERIC_MIN_POSTS and identifiers >= GENERIC_IDENTIFIERS_PER_POST * with_ids
    boilerplate = shingles >= 4 and common_share >= GENERIC_COMMON_SHARE
    reason = f"{posts} near-duplicate posts; {identifiers} distinct identifiers on {with_ids} of them"
    if many_identifiers:
        reason += "; generic: nearly one identifier per post (unrelated advertisers), so it does not link posts"
    if boilerplate:
        reason += (
            f"; generic: {common_share:.0%} of its phrases appear in at least {COMMON_FACTOR} times as many "
            "other posts (boilerplate of an agency or a site), so it does not link posts"
        )
    return {
        "template_id": template_id,
        "posts": posts,
        "text": template.text,
        "slots": [slot.kind for slot in template.slots],
        "slot_values": [f"{slot.kind}: {' | '.join(v or '(none)' for v in slot.values)}" for slot in template.slots],
        "example_post_id": members[0]["post_id"],
        "identifiers": identifiers,
        "common_share": common_share,
        "generic": many_identifiers or boilerplate,
        "reason": reason,
    }
