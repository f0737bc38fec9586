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
    return {**detail.__dict__, **visible_post(detail, privacy)}


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
