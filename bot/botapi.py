"""How the bot talks to the Bot API beyond python-telegram-bot's defaults: requests retried
with backoff, and updates the library cannot parse skipped instead of fetched again forever."""
from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.warnings import PTBUserWarning

from bot.logs import RateLimitedLog

log = logging.getLogger("cityq.botapi")
rare = RateLimitedLog(log)
PTB_BOT_LOGGER = "telegram.ext.ExtBot"
# CityqBot fetches a batch it cannot parse raw, on purpose; PTB would warn about that each time.
warnings.filterwarnings("ignore", message="Please use 'Bot.getUpdates'", category=PTBUserWarning)


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int form is deprecated
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return _seconds(value)


def _seconds(value) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value or 0)


class RetryingLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's 30/s overall and 20/min per group) plus retries: a 5xx or a
    network error is retried after 0.5, 1, 2 … s, a 429 after its retry_after, then given up
    with one log line.  The wait happens in the task of the update that sent the request, so
    one chat's flood wait never holds up another chat (AIORateLimiter's own 429 retry pauses
    every request, so it is switched off: max_retries=0)."""

    def __init__(self, attempts: int = 4, backoff: float = 0.5, longest_wait: float = 60.0, **limits) -> None:
        super().__init__(max_retries=0, **limits)  # limits: AIORateLimiter's rates (a load script may lift them)
        self.attempts, self.backoff, self.longest_wait = attempts, backoff, longest_wait
        logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)  # we log 429s ourselves

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        for attempt in range(1, self.attempts + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as exc:
                error, wait = exc, _retry_after(exc) + 0.1
            except BadRequest:  # the request itself is wrong: sending it again cannot help
                raise
            except NetworkError as exc:  # 5xx, dropped connection, timeout
                error, wait = exc, self.backoff * 2 ** (attempt - 1)
            if attempt == self.attempts or wait > self.longest_wait:
                log.warning("%s to chat %s failed after %d attempts, given up: %s",
                            endpoint, data.get("chat_id", "-"), attempt, error)
                raise error
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")


class _NoParseErrorDump(logging.Filter):
    """PTB logs an update it cannot parse with all its raw data at CRITICAL (polling: the whole
    batch); the bot logs one rate-limited line instead (`skipped`)."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


def quiet_parse_dump(logger_name: str, prefix: str) -> None:
    """Drop PTB's parse-failure dump (lines starting with `prefix`) from that logger; idempotent."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, _NoParseErrorDump) and f.prefix == prefix for f in logger.filters):
        logger.addFilter(_NoParseErrorDump(prefix))


def skipped(update_id: object, exc: BaseException | None) -> None:
    """Log (rate-limited) that an update could not be parsed and is confirmed without handling."""
    rare.warning("bad update", "update %s cannot be parsed (%s: %s): skipped and confirmed",
                 update_id, type(exc).__name__, exc)


class CityqBot(ExtBot):
    """An ExtBot whose getUpdates never fails on an update it cannot parse: that update is logged
    (rate-limited) and replaced by an empty Update with the same id, so polling confirms it and
    goes on instead of fetching the same batch again in a tight loop.  getUpdates also waits while
    the update processor's backlog is full (`backlog.wait_for_room()`), so a stop has little to finish."""

    def __init__(self, *args, backlog=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        quiet_parse_dump(PTB_BOT_LOGGER, "Error while parsing updates")
        self._backlog = backlog  # the update processor (chat_order.PerChatOrder) or None

    async def get_updates(self, offset=None, limit=None, timeout=None, allowed_updates=None, **kwargs):
        if self._backlog is not None and _seconds(timeout):  # a long poll: not PTB's last call at a stop
            await self._backlog.wait_for_room()  # fetch no more while the backlog is full
        try:
            return await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except TelegramError:
            raise
        except Exception:  # a batch the library cannot parse: fetch it raw and parse one by one
            raw = await self.do_api_request("getUpdates", api_kwargs={
                "offset": offset, "limit": limit, "timeout": 0, "allowed_updates": allowed_updates})
            return tuple(self._parse(item) for item in raw)

    def _parse(self, raw: dict) -> Update:
        try:
            return Update.de_json(raw, self)
        except Exception as exc:
            skipped(raw.get("update_id"), exc)
            return Update(update_id=int(raw["update_id"]))
