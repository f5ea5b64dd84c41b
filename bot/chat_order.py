"""Update processing order: updates of different chats run concurrently, updates of one chat
run one at a time in the order they arrived (a python-telegram-bot BaseUpdateProcessor)."""
from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Waiting for a chat's turn holds one of these slots, so it is generous: a busy group with many
# queued questions must not use up the slots of every other chat.
MAX_CONCURRENT = 1024


def chat_key(update: object) -> int | None:
    """The chat whose order the update must keep; None (no order) for inline queries."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    """One asyncio.Lock per chat with queued updates (FIFO, dropped when the chat is idle)."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        self._turns: dict[int, tuple[asyncio.Lock, list[int]]] = {}

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

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
