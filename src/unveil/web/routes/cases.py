"""Case workspace: list and create cases, add items, notes, labels, status; court bundle and exports."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from unveil import cases
from unveil.auth.roles import Permission
from unveil.auth.users import User
from unveil.cases.exports import FORMATS, export_workspace
from unveil.errors import UsageError
from unveil.web.case_file import describe_items
from unveil.web.deps import Audit, CanEditCases, CanExport, CanReadCases, Page, Tables, WorkspaceDep
from unveil.web.routes import NavEntry

router = APIRouter(tags=["cases"])
nav = NavEntry("Cases", "/cases", Permission.READ_CASES, order=60)

EXPORT_FILES = {"ftm": "ftm.jsonl", "gexf": "gexf", "xlsx": "xlsx", "i2": "i2.zip", "csv": "csv.zip"}
MEDIA_TYPES = {"ftm": "application/x-ndjson", "gexf": "application/xml", "xlsx": "application/vnd.ms-excel"}


class CaseCreate(BaseModel):
    """A new case."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)


class ItemAdd(BaseModel):
    """An item to add: its kind and id (identifiers as ``type:value``)."""

    kind: str = Field(max_length=20)
    ref: str = Field(min_length=1, max_length=500)


def readable(workspace: WorkspaceDep, user: User, case_id: str) -> None:
    """Refuse a case that is not shared with a user who does not see every case (a magistrate)."""
    if not user.may(Permission.BROWSE_ALL) and not cases.is_member(workspace, case_id, user.name):
        raise cases.NotCaseMember(case_id, user.name, "read")


def editable(workspace: WorkspaceDep, user: User, case_id: str, status_change: bool = False) -> None:
    """Refuse a change by anyone but the case's owner and members, and changes to an archived case."""
    cases.require_editor(workspace, case_id, user.name, status_change)


def _visible_cases(workspace: WorkspaceDep, user: User) -> list[Any]:
    return cases.list_cases(workspace) if user.may(Permission.BROWSE_ALL) else cases.cases_of(workspace, user.name)


OPENS = {
    "post": Permission.VIEW_POSTS,
    "network": Permission.VIEW_NETWORKS,
    "identifier": Permission.VIEW_IDENTIFIERS,
    "party": Permission.VIEW_MONEY,
    "alert": Permission.VIEW_MONEY,
    "transfer": Permission.VIEW_MONEY,
}
"""The permission that opens the page of each kind of item (a magistrate's case links only to what they see)."""


def _detail(workspace: WorkspaceDep, tables: Tables, case_id: str) -> dict[str, Any]:
    detail = cases.show_case(workspace, case_id)
    labels = {(x["item_kind"], x["item_ref"]): x for x in detail.labels}
    items = [{**item, "label": labels.get((item["kind"], item["ref"]))} for item in detail.items]
    return {
        "case": asdict(detail.case),
        "items": describe_items(tables, items),
        "notes": detail.notes,
        "history": detail.history,
        "removed": [h for h in cases.item_history(workspace, case_id) if h["action"] == "removed"],
        "members": cases.members(workspace, case_id),
    }


@router.get("/cases", response_class=HTMLResponse, include_in_schema=False)
def cases_page(user: CanReadCases, workspace: WorkspaceDep, audit: Audit, page: Page) -> HTMLResponse:
    """Every case (a magistrate's: those shared with them), and a form to open one."""
    audit.view("cases", "list")
    return page.render(
        "cases/list.html",
        {"cases": _visible_cases(workspace, user), "can_edit": user.may(Permission.EDIT_CASES)},
    )


@router.post("/cases", include_in_schema=False)
def create_form(
    user: CanEditCases,
    workspace: WorkspaceDep,
    title: Annotated[str, Form(max_length=200)],
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Open a case from the form."""
    case = cases.create_case(workspace, title, user.name, description)
    return RedirectResponse(f"/cases/{case.case_id}", status_code=303)


@router.get("/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(
    case_id: str, user: CanReadCases, workspace: WorkspaceDep, tables: Tables, audit: Audit, page: Page
) -> HTMLResponse:
    """A case's workspace: items with labels, notes, status, members, bundle and export buttons."""
    readable(workspace, user, case_id)
    context = _detail(workspace, tables, case_id)
    audit.view("case", case_id)
    member = cases.is_member(workspace, case_id, user.name)
    context.update(
        can_edit=user.may(Permission.EDIT_CASES) and member and context["case"]["status"] != "archived",
        can_status=user.may(Permission.EDIT_CASES) and member,
        can_bundle=True,
        can_export=user.may(Permission.EXPORT),
        kinds=list(cases.ITEM_KINDS),
        labels=cases.LABELS,
        statuses=cases.STATUSES,
        formats=FORMATS,
        may_open={kind for kind, permission in OPENS.items() if user.may(permission)},
    )
    return page.render("cases/detail.html", context)


@router.post("/cases/{case_id}/items", include_in_schema=False)
def add_item_form(
    case_id: str,
    user: CanEditCases,
    workspace: WorkspaceDep,
    kind: Annotated[str, Form(max_length=20)],
    ref: Annotated[str, Form(max_length=500)],
) -> Response:
    """Add an item to a case."""
    editable(workspace, user, case_id)
    cases.add_item(workspace, case_id, kind, ref.strip(), user.name)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/items/remove", include_in_schema=False)
def remove_item_form(
    case_id: str,
    user: CanEditCases,
    workspace: WorkspaceDep,
    kind: Annotated[str, Form(max_length=20)],
    ref: Annotated[str, Form(max_length=500)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Take an item out of a case, saying why (the reason stays in the case's history)."""
    editable(workspace, user, case_id)
    if not reason.strip():
        raise UsageError("say why the item leaves the case")
    cases.remove_item(workspace, case_id, kind, ref, user.name, reason.strip())
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/notes", include_in_schema=False)
def add_note_form(
    case_id: str, user: CanEditCases, workspace: WorkspaceDep, text: Annotated[str, Form(max_length=20000)]
) -> Response:
    """Write a note on a case."""
    editable(workspace, user, case_id)
    cases.add_note(workspace, case_id, text, user.name)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/labels", include_in_schema=False)
def label_form(
    case_id: str,
    user: CanEditCases,
    workspace: WorkspaceDep,
    kind: Annotated[str, Form(max_length=20)],
    ref: Annotated[str, Form(max_length=500)],
    label: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Mark an item as a true or false positive."""
    editable(workspace, user, case_id)
    cases.set_label(workspace, case_id, kind, ref, label, user.name, reason)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/status", include_in_schema=False)
def status_form(
    case_id: str, user: CanEditCases, workspace: WorkspaceDep, status: Annotated[str, Form(max_length=20)]
) -> Response:
    """Change a case's status."""
    editable(workspace, user, case_id, status_change=True)
    cases.set_status(workspace, case_id, status, user.name)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/members", include_in_schema=False)
def member_form(
    case_id: str,
    user: CanEditCases,
    workspace: WorkspaceDep,
    name: Annotated[str, Form(max_length=100)],
    remove: Annotated[bool, Form()] = False,
) -> Response:
    """Share a case with a user (a magistrate then reads it), or stop sharing it."""
    editable(workspace, user, case_id)
    if remove:
        cases.remove_member(workspace, case_id, name.strip(), user.name)
    else:
        cases.add_member(workspace, case_id, name.strip(), user.name)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def _download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/cases/{case_id}/bundle", include_in_schema=False)
def bundle_download(case_id: str, user: CanReadCases, workspace: WorkspaceDep, audit: Audit) -> Response:
    """The case's court bundle, as a download (for whoever may read the case: a magistrate its members)."""
    readable(workspace, user, case_id)
    with tempfile.TemporaryDirectory(prefix="unveil-bundle-") as scratch:
        result = cases.make_bundle(workspace, case_id, Path(scratch) / "bundle.zip", user.name)
        data = result.path.read_bytes()
    audit.event("case.bundle", "case", case_id, result.sha256)
    return _download(data, f"{case_id}-bundle.zip", "application/zip")


def export_bytes(workspace: WorkspaceDep, user: User, format_name: str, case_id: str, pseudonymise: bool) -> bytes:
    """One export of a case as bytes (folders zipped)."""
    if format_name not in FORMATS:
        raise UsageError(f"unknown export format {format_name!r}: use one of {', '.join(FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="unveil-export-") as scratch:
        out = Path(scratch) / f"export.{format_name}"
        export_workspace(workspace, format_name, out, user.name, case_id=case_id, pseudonymise=pseudonymise)
        if out.is_file():
            return out.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(out).as_posix())
        return buffer.getvalue()


@router.post("/cases/{case_id}/export", include_in_schema=False)
def export_download(
    case_id: str,
    user: CanExport,
    workspace: WorkspaceDep,
    audit: Audit,
    format_name: Annotated[str, Form(alias="format", max_length=10)],
    pseudonymise: Annotated[bool, Form()] = False,
) -> Response:
    """The case's material in one of the tools' formats, as a download."""
    readable(workspace, user, case_id)
    data = export_bytes(workspace, user, format_name, case_id, pseudonymise)
    audit.event(f"export.{format_name}", "case", case_id, "pseudonymised" if pseudonymise else "")
    suffix = EXPORT_FILES[format_name]
    return _download(data, f"{case_id}.{suffix}", MEDIA_TYPES.get(format_name, "application/zip"))


@router.get("/api/cases")
def cases_api(user: CanReadCases, workspace: WorkspaceDep, audit: Audit) -> list[dict[str, Any]]:
    """Every case (a magistrate's: those shared with them)."""
    audit.view("cases", "list")
    return [asdict(case) for case in _visible_cases(workspace, user)]


@router.post("/api/cases", status_code=201)
def create_api(user: CanEditCases, workspace: WorkspaceDep, body: CaseCreate) -> dict[str, Any]:
    """Open a case."""
    return asdict(cases.create_case(workspace, body.title, user.name, body.description))


@router.get("/api/cases/{case_id}")
def case_api(case_id: str, user: CanReadCases, workspace: WorkspaceDep, tables: Tables, audit: Audit) -> dict[str, Any]:
    """A case with its items (their labels, titles, risk and times), notes, status history, removed items and
    members."""
    readable(workspace, user, case_id)
    context = _detail(workspace, tables, case_id)
    audit.view("case", case_id)
    return context


@router.post("/api/cases/{case_id}/items", status_code=201)
def add_item_api(case_id: str, user: CanEditCases, workspace: WorkspaceDep, body: ItemAdd) -> dict[str, Any]:
    """Add an item to a case (its owner and members only; not to an archived case)."""
    editable(workspace, user, case_id)
    return cases.add_item(workspace, case_id, body.kind, body.ref, user.name)


class MemberAdd(BaseModel):
    """A user to share a case with."""

    name: str = Field(min_length=1, max_length=100)


@router.post("/api/cases/{case_id}/members", status_code=201)
def add_member_api(case_id: str, user: CanEditCases, workspace: WorkspaceDep, body: MemberAdd) -> dict[str, Any]:
    """Share a case with a user (its owner and members only)."""
    editable(workspace, user, case_id)
    cases.add_member(workspace, case_id, body.name, user.name)
    return {"case_id": case_id, "members": cases.members(workspace, case_id)}
