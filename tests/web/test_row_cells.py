"""The rows pages write in Python (``pages.py``) are the bytes the Jinja loops they replaced wrote, on hostile text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote_plus

from unveil.web.pages import create_environment

HOSTILE = ("<script>alert('x')</script>", 'a"b&c', "\u202eadmin", "café/ü?x=1&y", "{{ 7*7 }}")
WHEN = (datetime(2024, 3, 4, 21, 5, 59, tzinfo=UTC), datetime(2023, 1, 2, 3, 4), "2022-05-06 07:08:09", None)

CITIES = (
    '{% for c in cities %}<tr><td>{{ c.city }}</td><td class="num">{{ c.posts | thousands }}</td><td>'
    "{{ c.first_seen | when }}</td><td>{{ c.last_seen | when }}</td></tr>{% endfor %}"
)
MONTHS = (
    '{% for m in months %}<tr><td>{{ m.month }}</td><td class="num">{{ m.posts }}</td><td>{% for city, n in m.cities %}'
    "{{ city }} ({{ n }}){% if not loop.last %}, {% endif %}{% endfor %}</td></tr>{% endfor %}"
)
CO_OCCURRING = (
    '{% for c in co %}<tr><td>{{ c.type }} <a href="/identifiers/{{ c.type | urlencode }}/{{ c.value | urlencode }}">'
    '{{ c.value }}</a></td><td class="num">{{ c.posts | thousands }}</td></tr>{% endfor %}'
)
MEMBERS = """<tbody>{% for m in members %}
      {% if loop.first or m.template_id != loop.previtem.template_id %}{% set g = groups | selectattr("template_id", "equalto", m.template_id) | first %}
      <tr class="group" id="t-{{ m.template_id or 'none' }}"><th scope="rowgroup" colspan="{{ 6 if can_cases else 5 }}">{% if m.template_id %}Template {{ m.template_id }}{% else %}In no template{% endif %} — {{ g.posts | thousands }} posts{% if g.cities %}, {{ g.cities | join(", ") }}{% endif %}{% if g.first_seen %}, {{ g.first_seen | when }} – {{ g.last_seen | when }}{% endif %}</th></tr>
      {% endif %}
      <tr>{% if can_cases %}<td class="pick"><input type="checkbox" name="ref" value="{{ m.post_id }}" form="bulk-add" aria-label="Select post {{ m.title or m.post_id }}"></td>{% endif %}<td>{{ m.posted_at | when }}</td><td>{{ m.city or '' }}</td>
      <td><a href="/posts/{{ m.post_id | urlencode }}">{{ m.title or m.post_id }}</a><div class="snippet">{{ m.snippet }}</div></td>
      <td>{{ m.reason }}</td><td class="num">{% if m.risk is not none %}<span class="risk risk-{{ 'high' if m.risk >= 0.7 else ('medium' if m.risk >= 0.4 else 'low') }}">{{ m.risk | decimals(2) }}</span>{% endif %}</td></tr>{% endfor %}</tbody>"""  # noqa: E501


def _same(jinja: str, python: str, **values: Any) -> None:
    environment = create_environment()
    assert environment.from_string(jinja).render(**values) == environment.from_string(python).render(**values)


def test_identifier_tables_are_the_loops_they_replace() -> None:
    cities = [
        {"city": text, "posts": n, "first_seen": WHEN[n % 4], "last_seen": WHEN[(n + 1) % 4]}
        for n, text in enumerate(HOSTILE * 300)
    ]
    months = [
        {"month": text, "posts": n, "cities": [(t, n) for t in HOSTILE[: n % 4]]} for n, text in enumerate(HOSTILE)
    ]
    co = [
        {"type": a, "value": b, "posts": 1234 * n}
        for n, (a, b) in enumerate(zip(HOSTILE, reversed(HOSTILE), strict=True))
    ]
    _same(CITIES, "{{ identifier_city_rows(cities) }}", cities=cities)
    _same(MONTHS, "{{ identifier_month_rows(months) }}", months=months)
    _same(CO_OCCURRING, "{{ co_occurring_rows(co) }}", co=co)


def test_network_members_are_the_loop_they_replace() -> None:
    templates = [None, HOSTILE[0], HOSTILE[0], HOSTILE[1], None]
    members = [
        {
            "post_id": f"p{n}{HOSTILE[n % 5]}",
            "template_id": template,
            "title": HOSTILE[(n + 1) % 5] if n % 2 else None,
            "posted_at": WHEN[n % 4],
            "city": HOSTILE[(n + 2) % 5] if n % 3 else None,
            "snippet": HOSTILE[(n + 3) % 5],
            "reason": HOSTILE[(n + 4) % 5],
            "risk": (None, 0.1, 0.55, 0.91, 0.4)[n],
        }
        for n, template in enumerate(templates)
    ]
    groups = [
        {
            "template_id": HOSTILE[0],
            "posts": 1500,
            "cities": list(HOSTILE[:2]),
            "first_seen": WHEN[0],
            "last_seen": WHEN[1],
        },
        {"template_id": HOSTILE[1], "posts": 1, "cities": [], "first_seen": None, "last_seen": None},
        {"template_id": None, "posts": 2, "cities": [HOSTILE[2]], "first_seen": WHEN[2], "last_seen": WHEN[2]},
    ]
    for can_cases in (True, False):
        python = "<tbody>{{ network_member_rows(members, groups, can_cases) }}</tbody>"
        _same(MEMBERS, python, members=members, groups=groups, can_cases=can_cases)


IDENTIFIER_POST = (
    '{% if can_cases %}<td class="pick">{{ pick_box(p.post_id, "post " ~ (p.title or p.post_id)) }}</td>{% endif %}'
    "<td>{{ p.posted_at | when }}</td><td>{{ p.city or '' }}</td>\n"
    '    <td><a href="/posts/{{ p.post_id | urlencode }}">{{ p.title or p.post_id }}</a><div class="snippet">'
    '{{ p.before }}{% if p.hit %}<mark class="identifier">{{ p.hit }}</mark>{% endif %}{{ p.after }}</div></td>\n'
    '    <td>{% if p.network_id %}<a href="/networks/{{ p.network_id | urlencode }}">{{ p.network_id }}</a>{% endif %}'
    '</td><td class="num">{{ risk_badge(p.risk) }}</td>'
)


def test_identifier_posts_are_the_cells_of_the_template() -> None:
    for n, text in enumerate(HOSTILE * 2):
        post = {
            "post_id": f"p{n}{text}" if n % 2 else f"p{n}",
            "title": HOSTILE[(n + 1) % 5] if n % 3 else None,
            "posted_at": WHEN[n % 4],
            "city": HOSTILE[(n + 2) % 5] if n % 2 else None,
            "before": text,
            "hit": HOSTILE[(n + 3) % 5] if n % 4 else "",
            "after": HOSTILE[(n + 4) % 5],
            "network_id": (None, "N1~2", text)[n % 3],
            "risk": (None, 0.2, 0.5, 0.8)[n % 4],
        }
        for can_cases in (True, False):
            _same(IDENTIFIER_POST, "{{ identifier_post_cells(p, can_cases) }}", p=post, can_cases=can_cases)


def test_when_writes_dates_times_and_text_to_the_minute() -> None:
    from unveil.web.pages import _when

    assert _when(date(2024, 3, 4)) == "2024-03-04"  # a date has no time (isoformat(sep=...) raised on it)
    assert _when(datetime(2024, 3, 4, 21, 5, 59, tzinfo=UTC)) == "2024-03-04 21:05"
    assert _when("2022-05-06T07:08:09") == "2022-05-06T07:08"
    assert _when(None) == ""


OLD_CASE_FORMS = """{% macro control(kind, ref, cases, key="", next="") %}
<form class="add-to-case" method="post" action="/case-items">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
  <input type="hidden" name="kind" value="{{ kind }}">
  <input type="hidden" name="ref" value="{{ ref }}">
  <input type="hidden" name="next" value="{{ next or (request.url.path ~ ('?' ~ request.url.query if request.url.query else '')) }}">
  {% if cases %}
  <label for="case-for-{{ kind }}{{ key }}">Add this {{ kind }} to case</label>
  <select id="case-for-{{ kind }}{{ key }}" name="case_id">{% for c in cases %}<option value="{{ c.case_id }}">{{ c.case_id }} — {{ c.title }}</option>{% endfor %}</select>
  <button type="submit" class="secondary">Add to case</button>
  {% else %}<span class="muted">No open case to add this {{ kind }} to: <a href="/cases">open one</a>.</span>{% endif %}
</form>
{% endmacro %}
{% macro added_note(added) %}{% if added %}{% set n = request.query_params.get("added_count", "") %}<p class="added" role="status">Added {% if n and n != "1" %}{{ n }} items {% endif %}to case <a href="/cases/{{ added | urlencode }}">{{ added }}</a>.</p>{% endif %}{% endmacro %}
{% macro bulk(kind, cases, form_id="bulk-add", noun="posts", next="") %}
<form id="{{ form_id }}" class="bulk-add" method="post" action="/case-items">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
  <input type="hidden" name="kind" value="{{ kind }}">
  <input type="hidden" name="next" value="{{ next or (request.url.path ~ ('?' ~ request.url.query if request.url.query else '')) }}">
  {% if cases %}
  <label for="{{ form_id }}-case">Add the selected {{ noun }} to case</label>
  <select id="{{ form_id }}-case" name="case_id">{% for c in cases %}<option value="{{ c.case_id }}">{{ c.case_id }} — {{ c.title }}</option>{% endfor %}</select>
  <button type="submit" class="secondary" data-needs-selection>Add selected to case</button>
  <span class="muted" data-selection-count role="status"></span>
  {% else %}<span class="muted">No open case to add {{ noun }} to: <a href="/cases">open one</a>.</span>{% endif %}
</form>
{% endmacro %}
"""  # noqa: E501
"""The "add to case" macros of ``cases/_add.html`` before ``pages.case_control`` and its siblings wrote them."""
CALLS = (
    '{{ add.control(kind, ref, cases) }}{{ add.control("alert", ref, cases, "-" ~ 3, next) }}'
    '{{ add.added_note(added) }}{{ add.bulk("post", cases) }}{{ add.bulk(kind, cases, "f" ~ ref, ref, next) }}'
)


def test_case_forms_are_the_macros_they_replace() -> None:
    from starlette.requests import Request

    for n, text in enumerate(HOSTILE):
        query = ("", "added_count=1", f"added_count=12&x={quote_plus(text)}", "added_count=" + quote_plus(text))[n % 4]
        request = Request(
            {"type": "http", "scheme": "http", "server": ("h", 80), "root_path": "", "headers": [], "method": "GET"}
            | {"path": "/posts/" + text, "query_string": query.encode()}
        )
        cases = [{"case_id": f"C-{n}", "title": HOSTILE[(n + 1) % 5]}, {"case_id": text, "title": "t"}][: n % 3]
        values = {
            "kind": text,
            "ref": HOSTILE[(n + 2) % 5],
            "cases": cases,
            "next": ("", HOSTILE[(n + 3) % 5])[n % 2],
            "added": ("", text, "C-0001")[n % 3],
            "csrf_token": HOSTILE[(n + 4) % 5],
            "request": request,
        }
        _same(OLD_CASE_FORMS + CALLS.replace("add.", ""), '{% import "cases/_add.html" as add %}' + CALLS, **values)
