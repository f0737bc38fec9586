"""A post: text with highlighted flags and why, the raw capture shown as text, images; page and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from unveil.auth.roles import Permission
from unveil.errors import NotFound
from unveil.evidence.store import EvidenceStore
from unveil.web.capture import RECORD_LIMIT, Capture, locate_record
from unveil.web.deps import Audit, CanViewPosts, CanViewRaw, CaseScope, Db, Page, Privacy, Scope, Tables, WorkspaceDep
from unveil.web.highlight import Span, mask_identifiers, segments
from unveil.web.privacy import PrivacyView
from unveil.web.queries.posts import PostDetail, post_detail, spans_of
from unveil.web.readmodel import ReadModel
from unveil.web.routes.collect import case_choice
from unveil.workspace import Workspace

router = APIRouter(tags=["posts"])

IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
RAW_POLICY = "sandbox; default-src 'none'"


def visible_post(detail: PostDetail, privacy: PrivacyView) -> dict[str, Any]:
    """The post's fields, text and highlighted segments as this user may see them.

    For analysts every identifier span of the text (as extracted), and any other run of six digits,
    is replaced by its pseudonym before the text is cut into segments; titles, reasons and
    matched indicator text go through the same ``PrivacyView.text``.
    """
    post = dict(detail.post)
    spans = spans_of(detail, privacy.identifier)
    text = post["text"] or ""
    extra: dict[str, Any] = {}
    if privacy.masked:
        masks = [
            Span(start, end, "identifier", f"{shown.partition('#')[0]} {shown}", "pseudonymised", f"identifier-{n}")
            for n, (start, end, shown) in enumerate(privacy.replacements(text, detail.identifiers, offset=0))
        ]
        others = [span for span in spans if span.kind != "identifier"]
        text, spans = mask_identifiers(text, others + masks, lambda span: span.label.partition(" ")[2])
        post.update(
            author=privacy.person(post["author"]),
            url=privacy.person(post["url"]),
            title=privacy.maybe(post["title"], detail.identifiers),
            source_file=None,
            text=text,
        )
        extra["indicators"] = (
            [
                dict(row, matched=privacy.maybe(row.get("matched"), detail.identifiers, row.get("start") or 0))
                for row in detail.indicators or []
            ]
            if detail.indicators is not None
            else None
        )
    hidden = ("value", "raw") if privacy.masked else ()
    identifiers = [
        {**{k: v for k, v in i.items() if k not in hidden}, "shown": privacy.identifier(i["type"], i["value"])}
        for i in detail.identifiers
    ]
    networks = [dict(n, reason=privacy.text(n["reason"], detail.identifiers)) for n in detail.networks or []]
    return {
        "post": post,
        "segments": segments(text, spans),
        "identifiers": identifiers,
        "networks": networks,
        **extra,
    }


def _post_context(
    tables: ReadModel, post_id: str, privacy: PrivacyView, audit: Audit, scope: CaseScope | None
) -> dict[str, Any]:
    if scope is not None:
        scope.require("post", post_id)
    detail = post_detail(tables, post_id)
    audit.view("post", post_id)
    versions = post_versions(tables, post_id, privacy)
    if scope is not None:  # a magistrate sees only the versions that are in a case shared with them
        versions = [v for v in versions if v["post_id"] in scope.posts]
        versions = versions if len(versions) > 1 else []
    return {**detail.__dict__, **visible_post(detail, privacy), "versions": versions}


VERSION_COLUMNS = "post_id, version_of, title, text, posted_at, captured_at, source_file, record_no, evidence_sha256"


def _version_families(tables: ReadModel) -> dict[str, str]:
    """Every post that has other versions -> the first version's post_id (one scan per snapshot)."""
    if "version_of" not in tables.columns("ingest.posts"):
        return {}
    pairs = tables.tuples('SELECT post_id, version_of FROM "ingest"."posts" WHERE version_of IS NOT NULL')
    families = {str(post_id): str(first) for post_id, first in pairs}
    families.update({first: first for first in list(families.values())})
    return families


def post_versions(tables: ReadModel, post_id: str, privacy: PrivacyView) -> list[dict[str, Any]]:
    """The versions of a post's record (the same id read again with another title or text), oldest first.

    Empty when the record has one version. Each version says which it is (``number``), when it
    was posted and captured, where it was read (file, record, evidence) and, beside the version
    shown, the changes of its title and text as word runs (``diff``: ``(kind, text)`` with kind
    ``same``, ``removed`` or ``added``; the template escapes them). In the pseudonymised view the
    other versions' texts are not shown (their identifiers are not pseudonymised here).
    """
    first = tables.cached("post_versions", lambda: _version_families(tables)).get(post_id)
    if first is None:
        return []
    rows = tables.rows(
        f'SELECT {VERSION_COLUMNS} FROM "ingest"."posts" WHERE post_id = ? OR version_of = ?', [first, first]
    )
    rows.sort(key=lambda r: (r["version_of"] is not None, str(r["captured_at"] or ""), r["record_no"] or 0))
    shown = next((row for row in rows if row["post_id"] == post_id), None)
    versions = []
    for number, row in enumerate(rows, start=1):
        version = {k: row[k] for k in ("post_id", "posted_at", "captured_at", "source_file", "record_no")}
        version.update(number=number, of=len(rows), current=row["post_id"] == post_id)
        version["evidence_sha256"] = row["evidence_sha256"]
        if not privacy.masked and shown is not None and not version["current"]:
            version["title_diff"] = word_diff(shown["title"] or "", row["title"] or "")
            version["title_changed"] = (shown["title"] or "") != (row["title"] or "")
            version["diff"] = word_diff(shown["text"] or "", row["text"] or "")
        if privacy.masked:
            version["source_file"] = None
        versions.append(version)
    return versions


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The runs of words that stay, go or come from ``before`` to ``after`` (whitespace kept)."""
    import difflib
    import re

    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(new[j1:j2])))
    return runs


@router.get("/posts/{post_id}", response_class=HTMLResponse, include_in_schema=False)
def post_page(
    post_id: str,
    user: CanViewPosts,
    tables: Tables,
    db: Db,
    audit: Audit,
    privacy: Privacy,
    scope: Scope,
    page: Page,
    added: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """A post with its flags explained."""
    context = _post_context(tables, post_id, privacy, audit, scope)
    can_cases = user.may(Permission.EDIT_CASES)
    context.update(
        can_raw=user.may(Permission.VIEW_RAW),
        can_identifiers=user.may(Permission.VIEW_IDENTIFIERS),
        can_cases=can_cases,
    )
    if can_cases:
        context.update(case_choice(db, "post", post_id, added, user.name))
    return page.render("posts/detail.html", context)


@router.get("/api/posts/{post_id}")
def post_api(
    post_id: str, user: CanViewPosts, tables: Tables, audit: Audit, privacy: Privacy, scope: Scope
) -> dict[str, Any]:
    """A post, its identifiers, indicators, places, prices, ages, scores, networks and images."""
    context = _post_context(tables, post_id, privacy, audit, scope)
    context["segments"] = [
        {"text": s.text, "flags": [f"{x.kind}:{x.label}" for x in s.spans]} for s in context["segments"]
    ]
    return context


def _capture(workspace: Workspace, post: dict[str, Any]) -> Capture:
    """The post's own record in its stored capture (never interpreted as HTML)."""
    sha256 = post.get("evidence_sha256") or ""
    path = EvidenceStore(workspace).path(sha256) if len(sha256) == 64 else None
    if path is None or not path.is_file():
        raise NotFound("capture", sha256)
    return locate_record(path, post.get("record_no"), post.get("source_id"))


@router.get("/posts/{post_id}/raw", include_in_schema=False)
def raw_page(
    post_id: str, user: CanViewRaw, tables: Tables, workspace: WorkspaceDep, audit: Audit, scope: Scope, page: Page
) -> HTMLResponse:
    """The post's record in its raw capture, shown as escaped text (with the lines around it)."""
    if scope is not None:
        scope.require("post", post_id)
    detail = post_detail(tables, post_id)
    capture = _capture(workspace, detail.post)
    audit.view("capture", detail.post["evidence_sha256"] or "", f"post {post_id}")
    return page.render("posts/raw.html", {"post": detail.post, "capture": capture, "limit": RECORD_LIMIT})


@router.get("/posts/{post_id}/raw.txt", include_in_schema=False)
def raw_text(
    post_id: str, user: CanViewRaw, tables: Tables, workspace: WorkspaceDep, audit: Audit, scope: Scope
) -> Response:
    """The post's record in its raw capture as plain text under a sandboxing policy (nothing in it can run)."""
    if scope is not None:
        scope.require("post", post_id)
    detail = post_detail(tables, post_id)
    capture = _capture(workspace, detail.post)
    audit.view("capture", detail.post["evidence_sha256"] or "", f"post {post_id}, plain text")
    headers = {"content-security-policy": RAW_POLICY, "content-disposition": "inline; filename=capture.txt"}
    text = capture.text + (f"\n[... cut at {RECORD_LIMIT // 1000} kB]" if capture.cut else "")
    return Response(text, media_type="text/plain; charset=utf-8", headers=headers)


@router.get("/images/{image_sha256}", include_in_schema=False)
def image(
    image_sha256: str, user: CanViewPosts, tables: Tables, workspace: WorkspaceDep, audit: Audit, scope: Scope
) -> Response:
    """An image of a post, only if ingestion recorded it as an image in a safe format (and, for a
    magistrate, of a post of a case shared with them)."""
    rows = (
        tables.rows("SELECT format, post_id FROM ingest.images WHERE image_sha256 = ?", [image_sha256])
        if tables.has("ingest.images")
        else []
    )
    if scope is not None:
        rows = [row for row in rows if row["post_id"] in scope.posts]
    media_type = IMAGE_TYPES.get(str(rows[0]["format"]).lower()) if rows else None
    path = EvidenceStore(workspace).path(image_sha256)
    if media_type is None or len(image_sha256) != 64 or not path.is_file():
        raise NotFound("image", image_sha256)
    audit.view("image", image_sha256)
    headers = {"content-security-policy": RAW_POLICY, "cache-control": "private, max-age=3600"}
    return Response(path.read_bytes(), media_type=media_type, headers=headers)
