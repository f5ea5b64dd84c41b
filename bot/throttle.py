"""The per-user throttle: one allowance per minute for every kind of update a user sends
(messages, button taps, inline queries), and one notice per burst saying how long to wait."""
from __future__ import annotations

import time
from dataclasses import dataclass

WINDOW = 60.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    notify: bool = False  # the first refusal of a burst: tell the user
    wait: int = 0  # seconds until the next update would be allowed
    dropped: int = 0  # refusals so far in this burst


class Throttle:
    """At most `limit` updates per user in any WINDOW seconds.  Only users heard from in the last
    WINDOW seconds are remembered: `_times` is ordered by each user's last allowed update, so the
    ones idle for a WINDOW are dropped from its front as time goes on."""

    def __init__(self, limit: int, clock=time.monotonic) -> None:
        self.limit, self.clock = limit, clock
        self._times: dict[int, list[float]] = {}  # user → times of allowed updates in the window, oldest first
        self._dropped: dict[int, int] = {}

    def __len__(self) -> int:
        """Users remembered."""
        return len(self._times)

    def check(self, user_id: int) -> Verdict:
        """Count one update from the user (refused ones are not counted) and say whether to handle it."""
        now = self.clock()
        self._forget_idle(now)
        times = self._times.get(user_id, [])
        while times and now - times[0] >= WINDOW:
            times.pop(0)
        if len(times) < self.limit:
            self._times.pop(user_id, None)
            self._times[user_id] = [*times, now]  # to the end: the dict stays ordered by last allowed update
            self._dropped.pop(user_id, None)
            return Verdict(True)
        dropped = self._dropped[user_id] = self._dropped.get(user_id, 0) + 1
        wait = max(1, int(WINDOW - (now - times[0]) + 0.999))
        return Verdict(False, notify=dropped == 1, wait=wait, dropped=dropped)

    def _forget_idle(self, now: float) -> None:
        while self._times:
            user_id = next(iter(self._times))
            if now - self._times[user_id][-1] < WINDOW:
                return
            del self._times[user_id]
            self._dropped.pop(user_id, None)
