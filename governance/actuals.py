"""A use case's actual emissions, which the usage app measures.

Governance sits below usage in the apps' layers (usage attributes records to use cases and reads them),
yet a use case's page and API show its actual emissions against its budget. So governance says what it
needs here, and the usage app answers: `usage.apps.UsageConfig.ready` registers its reader. No governance
module imports usage; without a reader, use cases show no actual usage.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection

Bounds = tuple[float, float, float]  # low, central, high
# (use case ids, day) -> each one's emissions (kgCO2e) from 1 January of day's year up to day; those
# without usage are left out.
EmissionsToDate = Callable[[Collection[int], datetime.date], dict[int, Bounds]]

_readers: list[EmissionsToDate] = []


def register(reader: EmissionsToDate) -> None:
    """Install the reader of actual emissions (the usage app, once, at start-up)."""
    _readers[:] = [reader]


def emissions_to_date(use_case_ids: Collection[int], day: datetime.date) -> dict[int, Bounds]:
    """Each use case's emissions this year up to `day` (kgCO2e, low/central/high); without usage: absent."""
    if not _readers or not use_case_ids:
        return {}
    return _readers[0](use_case_ids, day)
