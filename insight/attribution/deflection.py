"""Support-deflection savings: solved threads' views x deflection share x cost per ticket, as a range.

    deflected tickets = views of solved threads x share of solved views that would have been a ticket
    savings          = deflected tickets x cost_per_ticket (support_costs) x fully loaded cost factor

Low, base and high take the low, base and high of each assumption together, so the range is the
widest the stated assumptions allow; each assumption is returned beside the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

POINTS = ("low", "base", "high")


def deflection_savings(solved_threads: int, solved_views: int, tickets: int | None, cost_per_ticket: float | None,
                       share: Sequence[float], cost_factor: Sequence[float]) -> dict[str, Any]:
    """The savings range and its assumptions; ``low``/``base``/``high`` are None without a support cost."""
    deflected = {p: solved_views * s for p, s in zip(POINTS, share, strict=True)}
    known = cost_per_ticket is not None
    savings = {p: round(deflected[p] * cost_per_ticket * f, 2) if known else None  # type: ignore[operator]
               for p, f in zip(POINTS, cost_factor, strict=True)}
    assumptions = [
        {"name": "solved_threads", "value": solved_threads, "source": "threads with an accepted answer in the period"},
        {"name": "solved_views", "value": solved_views, "source": "views of those threads (the most any post shows)"},
        {"name": "share_of_solved_views", **dict(zip(POINTS, share, strict=True)),
         "source": "[deflection] share_of_solved_views: of solved-thread views, the share that would have "
                   "been a ticket"},
        {"name": "cost_per_ticket", "value": cost_per_ticket, "source": "support_costs for the period"},
        {"name": "cost_factor", **dict(zip(POINTS, cost_factor, strict=True)),
         "source": "[deflection] cost_factor: fully loaded cost as a multiple of cost_per_ticket"},
        {"name": "tickets", "value": tickets, "source": "support_costs for the period (context)"},
    ]
    return {
        **savings,
        "deflected_tickets": {p: round(v, 2) for p, v in deflected.items()},
        "share_of_tickets": None if not tickets else {p: round(v / tickets, 4) for p, v in deflected.items()},
        "assumptions": assumptions,
        "formula": "solved_views x share_of_solved_views x cost_per_ticket x cost_factor",
        "note": None if known else "no support_costs row for the period: savings cannot be priced",
    }
