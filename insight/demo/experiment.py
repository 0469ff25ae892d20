"""The demo's registered experiment: an answer reminder, randomised by asker, with a planted effect.

Members are split at random (their own seeded generator, so the rest of the community is unchanged)
into a reminder arm and a control arm. From the start date, when a reminder-arm member's question
has a reply by someone else and no accepted answer, the asker marks the first such reply as the
answer with probability ``PLANTED_LIFT``: the reminder works. The readout should find an uplift in
solution acceptance for the reminder arm, with its interval.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

NAME = "answer-reminder"
START, END = date(2026, 8, 1), date(2026, 10, 31)
PLANTED_LIFT = 0.9  # share of the reminder arm's still-unaccepted answered questions that get accepted
MDE = 0.15
POWER = 0.8

Rows = list[dict[str, Any]]


def assign_arms(member_ids: list[str], seed: int) -> dict[str, list[str]]:
    """Every member, shuffled with the experiment's own generator and split in half."""
    rng = random.Random(f"{NAME}:{seed}")
    shuffled = sorted(member_ids)
    rng.shuffle(shuffled)
    half = len(shuffled) // 2
    return {"reminder": sorted(shuffled[:half]), "control": sorted(shuffled[half:])}


def plant_effect(posts: Rows, arms: dict[str, list[str]], seed: int) -> int:
    """Marks accepted answers in the reminder arm's questions (in place); returns how many."""
    rng = random.Random(f"{NAME}:effect:{seed}")
    reminder = set(arms["reminder"])
    threads: dict[str, Rows] = {}
    for post in posts:
        threads.setdefault(post["thread_id"], []).append(post)
    planted = 0
    for thread_id in sorted(threads):
        thread = sorted(threads[thread_id], key=lambda p: (p["created_at"], p["post_id"]))
        root = thread[0]
        asked = root["created_at"][:10]
        if root["kind"] != "question" or root["author_id"] not in reminder or not START.isoformat() <= asked \
                <= END.isoformat() or any(p["accepted_answer"] for p in thread):
            continue
        reply = next((p for p in thread[1:] if p["author_id"] != root["author_id"]), None)
        if reply is not None and rng.random() < PLANTED_LIFT:
            reply["accepted_answer"] = True
            planted += 1
    return planted


def experiments_toml() -> str:
    """The registration, as the community team would have written it before the start."""
    return f'''# The demo's registered experiment (insight experiments list / readout {NAME}).
[[experiments]]
name = "{NAME}"
hypothesis = "A reminder 24 hours after the first reply to mark the answer that solved it raises acceptance."
kpi = "solution_acceptance_rate"
unit = "member"
start = {START.isoformat()}
end = {END.isoformat()}
mde = {MDE}
power = {POWER}

[experiments.assignment]
arms = {{ reminder = "arms/reminder.txt", control = "arms/control.txt" }}
control = "control"
'''
