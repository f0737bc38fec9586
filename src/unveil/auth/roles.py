"""Roles and the permissions each holds: the one place that says who may do what."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The roles of Unveil's users."""

    ADMIN = "admin"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    MAGISTRATE = "magistrate"


class Permission(StrEnum):
    """Things a role may do; routes ask for one of these, never for a role."""

    VIEW_DASHBOARD = "view the dashboard"
    SEARCH = "search posts"
    VIEW_POSTS = "view posts"
    VIEW_RAW = "view raw captures"
    VIEW_NETWORKS = "view networks"
    VIEW_IDENTIFIERS = "view identifiers"
    VIEW_MONEY = "view money transfers and alerts"
    VIEW_STATISTICS = "view statistics"
    SAVE_SEARCHES = "save searches"
    READ_CASES = "read cases and bundles"
    EDIT_CASES = "create and edit cases"
    EXPORT = "export data"
    BROWSE_ALL = "see every case, post, network and identifier (without it: only those of cases shared with them)"
    MANAGE_USERS = "manage users"
    READ_AUDIT = "read the audit log"


_INVESTIGATOR = frozenset(
    {
        Permission.VIEW_DASHBOARD,
        Permission.SEARCH,
        Permission.VIEW_POSTS,
        Permission.VIEW_RAW,
        Permission.VIEW_NETWORKS,
        Permission.VIEW_IDENTIFIERS,
        Permission.VIEW_MONEY,
        Permission.VIEW_STATISTICS,
        Permission.SAVE_SEARCHES,
        Permission.READ_CASES,
        Permission.EDIT_CASES,
        Permission.EXPORT,
        Permission.BROWSE_ALL,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset({Permission.VIEW_DASHBOARD, Permission.MANAGE_USERS, Permission.READ_AUDIT}),
    Role.INVESTIGATOR: _INVESTIGATOR,
    Role.ANALYST: frozenset(
        {
            Permission.VIEW_DASHBOARD,
            Permission.SEARCH,
            Permission.VIEW_POSTS,
            Permission.VIEW_NETWORKS,
            Permission.VIEW_STATISTICS,
            Permission.SAVE_SEARCHES,
            Permission.BROWSE_ALL,
        }
    ),
    Role.MAGISTRATE: frozenset(
        {Permission.READ_CASES, Permission.VIEW_POSTS, Permission.VIEW_NETWORKS, Permission.VIEW_IDENTIFIERS}
    ),
}

PSEUDONYMISED_ROLES = frozenset({Role.ANALYST})
"""Roles that see identifiers, authors and links only as keyed pseudonyms."""


def may(role: Role, permission: Permission) -> bool:
    """True when the role holds the permission."""
    return permission in ROLE_PERMISSIONS[role]


def parse_role(value: str) -> Role:
    """The role named by ``value``; a ``UsageError`` naming the valid roles otherwise."""
    from unveil.errors import UsageError

    try:
        return Role(value.strip().lower())
    except ValueError:
        raise UsageError(f"unknown role {value!r}: choose one of {', '.join(r.value for r in Role)}") from None
