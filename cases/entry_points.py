"""Buttons that sibling apps (Care SOS, and next case management and emergency aid) put on
the pages of the households part — the household page and a crisis report — so that work
can start where the need is found.

The households part never imports its siblings: each one registers its entry points in its
AppConfig.ready(), as outreach registers a `WorkSource` with the worklist, and the pages
render whatever is registered (`{% entry_points "household" household %}`).
"""

from collections.abc import Callable
from dataclasses import dataclass

HOUSEHOLD = "household"
CRISIS_REPORT = "crisis_report"


@dataclass(frozen=True)
class EntryPoint:
    page: str  # HOUSEHOLD or CRISIS_REPORT
    label: str  # the button text (Korean)
    testid: str
    href: Callable[[object], str]  # the page's object → the link
    visible: Callable[[object, object], bool]  # (user, object) → show the button?


@dataclass(frozen=True)
class EntryLink:
    label: str
    href: str
    testid: str


_ENTRY_POINTS: dict[tuple[str, str], EntryPoint] = {}


def register_entry_point(entry_point: EntryPoint) -> EntryPoint:
    """Keyed by (page, testid): registering again (ready() runs more than once in some test
    setups) replaces the button instead of showing it twice."""
    _ENTRY_POINTS[entry_point.page, entry_point.testid] = entry_point
    return entry_point


def entry_links(page: str, *, user, obj) -> list[EntryLink]:
    return [
        EntryLink(label=ep.label, href=ep.href(obj), testid=ep.testid)
        for (ep_page, _), ep in _ENTRY_POINTS.items()
        if ep_page == page and ep.visible(user, obj)
    ]
