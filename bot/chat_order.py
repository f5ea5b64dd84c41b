"""Update processing: updates of different chats run concurrently, updates of one chat run one
at a time in the order they arrived (a python-telegram-bot BaseUpdateProcessor); a bounded
backlog, so that a stop finishes in a few seconds; and an Application that keeps nothing per
chat once the chat's updates are done."""
from __future__ import annotations

import asyncio
import inspect
import logging

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

log = logging.getLogger("cityq")
# Waiting for a chat's turn holds one of these slots, so it is generous: a busy group with many
# queued questions must not use up the slots of every other chat.
MAX_CONCURRENT = 1024
# Updates fetched but not yet finished before polling waits for room: about two seconds of
# answers at Telegram's 30 messages per second, so a stop has little left to finish.
MAX_BACKLOG = 64
STOP_GRACE = 3.0  # seconds a stop gives unfinished updates before dropping them


def chat_key(update: object) -> int | None:
    """The chat whose order the update must keep; None (no order) for inline queries."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    """One asyncio.Lock per chat with queued updates (FIFO, dropped when the chat is idle); the
    tasks of unfinished updates are known, so polling can wait for room and a stop can drop them."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT, max_backlog: int | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.max_backlog = max_backlog or MAX_BACKLOG
        self._turns: dict[int, tuple[asyncio.Lock, list[int]]] = {}
        self._unfinished: dict[asyncio.Task, object] = {}
        self._room = asyncio.Event()
        self._room.set()

    async def process_update(self, update: object, coroutine) -> None:
        """Count the update as unfinished until its handlers are done (or it is dropped)."""
        task = asyncio.current_task()
        self._unfinished[task] = update
        self._update_room()
        try:
            await super().process_update(update, coroutine)
        finally:
            del self._unfinished[task]
            self._update_room()
            if inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED:  # dropped before its turn
                coroutine.close()

    async def do_process_update(self, update: object, coroutine) -> None:
        """Run the update's handlers after the chat's earlier updates."""
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        lock, waiting = self._turns.setdefault(key, (asyncio.Lock(), [0]))
        waiting[0] += 1
        try:
            async with lock:
                await coroutine
        finally:
            waiting[0] -= 1
            if not waiting[0]:
                del self._turns[key]

    def _update_room(self) -> None:
        if len(self._unfinished) < self.max_backlog:
            self._room.set()
        else:
            self._room.clear()

    async def wait_for_room(self) -> None:
        """Return once fewer than max_backlog updates are unfinished."""
        await self._room.wait()

    def drop_unfinished(self) -> list[object]:
        """Cancel the handlers of every unfinished update; returns those updates."""
        dropped = list(self._unfinished.values())
        for task in list(self._unfinished):
            task.cancel()
        return dropped

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class LeanApplication(Application):
    """PTB's Application with two changes.  A stop gives unfinished updates STOP_GRACE seconds,
    then drops them with one log line (PTB would wait for every fetched update, however long a
    flood wait takes).  And without a persistence it does not note each chat and user id "to be
    saved": PTB keeps those ids in two sets that only a persistence run empties, so with no
    persistence (chat state lives in bot/chat_state.py) they would grow by every chat ever seen."""

    async def stop(self) -> None:
        timer = asyncio.get_running_loop().call_later(STOP_GRACE, self._drop_unfinished)
        try:
            await super().stop()
        finally:
            timer.cancel()

    def _drop_unfinished(self) -> None:
        processor = self.update_processor
        dropped = processor.drop_unfinished() if isinstance(processor, PerChatOrder) else []
        if dropped:
            chats = sorted({key for key in map(chat_key, dropped) if key is not None})
            log.warning("stopping: %d updates not finished within %.0f s were dropped (chats %s%s)", len(dropped),
                        STOP_GRACE, ", ".join(map(str, chats[:20])), " …" if len(chats) > 20 else "")

    def _mark_for_persistence_update(self, *, update: object | None = None, job=None) -> None:
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)
