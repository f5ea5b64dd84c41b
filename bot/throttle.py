"""The per-user throttle: one allowance per minute for every kind of update a user sends
(messages, button taps, inline queries), and one notice per burst saying how long to wait."""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

WINDOW = 60.0
PRUNE_AT = 10_000  # users remembered before stale ones are dropped


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    notify: bool = False  # the first refusal of a burst: tell the user
    wait: int = 0  # seconds until the next update would be allowed
    dropped: int = 0  # refusals so far in this burst


class Throttle:
    """At most `limit` updates per user in any WINDOW seconds."""

    def __init__(self, limit: int, clock=time.monotonic) -> None:
        self.limit, self.clock = limit, clock
        self._times: dict[int, deque[float]] = {}
        self._dropped: dict[int, int] = {}

    def check(self, user_id: int) -> Verdict:
        """Count one update from the user (refused ones are not counted) and say whether to handle it."""
        now = self.clock()
        times = self._times.setdefault(user_id, deque())
        while times and now - times[0] >= WINDOW:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._dropped.pop(user_id, None)
            if len(self._times) > PRUNE_AT:
                self._prune(now)
            return Verdict(True)
        dropped = self._dropped[user_id] = self._dropped.get(user_id, 0) + 1
        wait = max(1, int(WINDOW - (now - times[0]) + 0.999))
        return Verdict(False, notify=dropped == 1, wait=wait, dropped=dropped)

    def _prune(self, now: float) -> None:
        for user_id in [u for u, t in self._times.items() if not t or now - t[-1] >= WINDOW]:
            del self._times[user_id]
