"""The learned triage ranking: why a post ranks where it does, and more like a post or a network.

Read-only pages over the ``rank`` stage's tables (``unveil.rank.explain``). Identifiers that posts
share are shown as this user may see them (pseudonyms for analysts).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from unveil.web.deps import Audit, CanViewPosts, CaseScope, Page, Privacy, Scope, WorkspaceDep
from unveil.web.privacy import PrivacyView

router = APIRouter(tags=["ranking"])


def shown(descriptor: str, privacy: PrivacyView) -> str:
    """A shared descriptor (``identifier:phone:+32...``, ``network:N00001``...) as this user may see it."""
    kind, _, rest = descriptor.partition(":")
    if kind == "identifier":
        id_type, _, value = rest.partition(":")
        return f"identifier {id_type} {privacy.identifier(id_type, value)}"
    return f"{kind} {rest}"


def scoped(context: dict[str, Any], scope: CaseScope | None) -> dict[str, Any]:
    """For a magistrate, only the posts and networks of the cases shared with them."""
    if scope is None:
        return context
    return dict(
        context,
        like_posts=[p for p in context["like_posts"] if p.get("post_id") in scope.posts],
        like_networks=[n for n in context["like_networks"] if n.get("network_id") in scope.networks],
    )


def ranking_context(workspace: WorkspaceDep, post_id: str, privacy: PrivacyView) -> dict[str, Any]:
    """The explanation of a post's rank and the posts and networks like it, ready for a page or the API."""
    from unveil.rank.explain import explain_post, more_like_this

    explanation = explain_post(workspace, post_id)
    alike = more_like_this(workspace, "post", post_id, 10)
    nearest = [dict(asdict(n), shared=[shown(d, privacy) for d in n.shared]) for n in explanation.nearest]
    like_posts = [dict(asdict(p), reasons=[shown(d, privacy) for d in p.reasons]) for p in alike.posts]
    return {
        "explanation": {**asdict(explanation), "nearest": nearest},
        "like_posts": like_posts,
        "like_networks": [asdict(n) for n in alike.networks],
    }


@router.get("/posts/{post_id}/ranking", response_class=HTMLResponse, include_in_schema=False)
def post_ranking_page(
    post_id: str,
    user: CanViewPosts,
    workspace: WorkspaceDep,
    privacy: Privacy,
    audit: Audit,
    scope: Scope,
    page: Page,
) -> HTMLResponse:
    """Why a post ranks where it does: the lexicon part, the learned part, and more like it."""
    if scope is not None:
        scope.require("post", post_id)
    audit.view("post", post_id)
    context = scoped(ranking_context(workspace, post_id, privacy), scope)
    return page.render("ranking/post.html", {"post_id": post_id, **context})


@router.get("/api/posts/{post_id}/ranking")
def post_ranking_api(
    post_id: str, user: CanViewPosts, workspace: WorkspaceDep, privacy: Privacy, audit: Audit, scope: Scope
) -> dict[str, Any]:
    """A post's rank and score: lexicon part, learned part, features moved, nearest labelled posts, posts like it."""
    if scope is not None:
        scope.require("post", post_id)
    audit.view("post", post_id)
    return scoped(ranking_context(workspace, post_id, privacy), scope)


@router.get("/networks/{network_id}/like", response_class=HTMLResponse, include_in_schema=False)
def network_like_page(
    network_id: str,
    user: CanViewPosts,
    workspace: WorkspaceDep,
    privacy: Privacy,
    audit: Audit,
    scope: Scope,
    page: Page,
) -> HTMLResponse:
    """More like this network: the unlabelled posts and networks closest to it."""
    from unveil.rank.explain import more_like_this

    if scope is not None:
        scope.require("network", network_id)
    audit.view("network", network_id)
    alike = more_like_this(workspace, "network", network_id, 20)
    like_posts = [dict(asdict(p), reasons=[shown(d, privacy) for d in p.reasons]) for p in alike.posts]
    context = {"network_id": network_id, "like_posts": like_posts, "like_networks": [asdict(n) for n in alike.networks]}
    return page.render("ranking/network.html", scoped(context, scope))
