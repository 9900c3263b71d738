"""Who may open which page: one table, read by the navigation and by each page's own check.

dashboard.py offers a role the pages listed for it here; every page's first line,
``ui.require_role("<page>")``, refuses anyone else, however the page was reached
(navigation, a typed address, the first visit to a fresh server).
"""

from __future__ import annotations

from kipp.models import Role

# page -> the roles that may open it, in menu order; a role lands on its first page after signing in.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "home": frozenset({Role.organizer.value}),
    "live": frozenset({Role.organizer.value, Role.viewer.value}),
    "score": frozenset({Role.organizer.value, Role.juror.value}),
    "my_results": frozenset({Role.organizer.value, Role.juror.value}),
    "jurors": frozenset({Role.organizer.value}),
    "trends": frozenset({Role.organizer.value, Role.viewer.value}),
    "entries": frozenset({Role.organizer.value, Role.viewer.value}),
    "admin": frozenset({Role.organizer.value}),
    "audit": frozenset({Role.organizer.value}),
}
# Pages a visitor who is not signed in may open when the deployment turns on public Live.
PUBLIC_PAGES = frozenset({"live"})


def allows(page: str, role: str) -> bool:
    """Whether ``role`` may open ``page``."""
    return role in PAGE_ROLES[page]


def pages_for(role: str) -> tuple[str, ...]:
    """The pages ``role`` may open, in menu order (the first is where the role lands)."""
    return tuple(page for page, roles in PAGE_ROLES.items() if role in roles)
