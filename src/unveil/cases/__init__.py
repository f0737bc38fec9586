"""Cases, court-ready bundles and exports to the investigators' tools.

Public API (used by the CLI and the web app)::

    create_case, add_item, remove_item, add_note, set_label, set_status, list_cases, show_case, case_audit
    make_bundle, verify_bundle
    export_workspace (FollowTheMoney, GEXF, i2, Excel, CSV; optionally pseudonymised)
"""

from __future__ import annotations

from unveil.cases.bundle_check import BundleCheck, verify_bundle
from unveil.cases.bundles import BundleResult, make_bundle
from unveil.cases.items import ITEM_KINDS, LABELS, STATUSES
from unveil.cases.store import (
    Case,
    CaseDetail,
    add_item,
    add_note,
    case_audit,
    create_case,
    list_cases,
    remove_item,
    set_label,
    set_status,
    show_case,
)

__all__ = [
    "ITEM_KINDS",
    "LABELS",
    "STATUSES",
    "BundleCheck",
    "BundleResult",
    "Case",
    "CaseDetail",
    "add_item",
    "add_note",
    "case_audit",
    "create_case",
    "list_cases",
    "make_bundle",
    "remove_item",
    "set_label",
    "set_status",
    "show_case",
    "verify_bundle",
]
