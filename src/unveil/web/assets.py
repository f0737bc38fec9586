"""Third-party front-end files (htmx, Cytoscape.js), installed from the npm registry at setup.

They are never committed and never fetched at run time: ``make web-assets`` (part of ``make demo``
and ``make test``) runs ``scripts/web-assets.sh``, which ``npm pack``s the pinned versions below
(npm checks each tarball against the registry's integrity hash) and copies their built files into
``static/vendor/`` (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

from unveil.errors import UsageError

VENDOR = Path(__file__).parent / "static" / "vendor"

PACKAGES: dict[str, tuple[str, str]] = {
    "htmx.min.js": ("htmx.org@2.0.11", "package/dist/htmx.min.js"),
    "cytoscape.min.js": ("cytoscape@3.35.0", "package/dist/cytoscape.min.js"),
}
"""Vendor file -> (npm package@version, file inside its tarball)."""


def missing_assets() -> list[str]:
    """Vendor files that are not installed."""
    return [name for name in PACKAGES if not (VENDOR / name).is_file()]


def require_assets() -> None:
    """Refuse to serve without the front-end files, saying how to install them."""
    missing = missing_assets()
    if missing:
        raise UsageError(f"front-end files missing ({', '.join(missing)}): run `make web-assets` once (needs npm)")


if __name__ == "__main__":
    for name, (package, member) in PACKAGES.items():
        print(name, package, member)
