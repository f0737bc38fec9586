"""Cases, court-ready bundles and exports to the investigators' tools.

Public API (used by the CLI and the web app)::

    create_case, add_item, remove_item, add_note, set_label, set_status, list_cases, show_case, case_audit
    make_bundle, verify_bundle
    export_workspace (FollowTheMoney, GEXF, i2, Excel, CSV; optionally pseudonymised)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unveil.cases.bundle_check import BundleCheck, verify_bundle
    from unveil.cases.bundles import BundleResult, make_bundle
    from unveil.cases.items import ITEM_KINDS, LABELS, STATUSES
    from unveil.cases.store import (
        Case,
        CaseDetail,
        CaseReadOnly,
        NotCaseMember,
        add_item,
        add_items,
        add_member,
        add_note,
        case_audit,
        cases_of,
        create_case,
        is_member,
        item_history,
        list_cases,
        members,
        remove_item,
        remove_member,
        require_editor,
        scope_of,
        set_label,
        set_status,
        show_case,
    )

# Imported on first use: the CLI registers `unveil case` without paying for PDFs and exports.
_HOMES = {
    "BundleCheck": "bundle_check",
    "verify_bundle": "bundle_check",
    "BundleResult": "bundles",
    "make_bundle": "bundles",
    "ITEM_KINDS": "items",
    "LABELS": "items",
    "STATUSES": "items",
    **{
        name: "store"
        for name in (
            "Case",
            "CaseDetail",
            "CaseReadOnly",
            "NotCaseMember",
            "add_item",
            "add_items",
            "add_member",
            "add_note",
            "case_audit",
            "cases_of",
            "create_case",
            "is_member",
            "item_history",
            "list_cases",
            "members",
            "remove_item",
            "remove_member",
            "require_editor",
            "scope_of",
            "set_label",
            "set_status",
            "show_case",
        )
    },
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = [
    "ITEM_KINDS",
    "LABELS",
    "STATUSES",
    "BundleCheck",
    "BundleResult",
    "Case",
    "CaseDetail",
    "CaseReadOnly",
    "NotCaseMember",
    "add_item",
    "add_items",
    "add_member",
    "add_note",
    "case_audit",
    "cases_of",
    "create_case",
    "is_member",
    "item_history",
    "list_cases",
    "make_bundle",
    "members",
    "remove_item",
    "remove_member",
    "require_editor",
    "scope_of",
    "set_label",
    "set_status",
    "show_case",
    "verify_bundle",
]
