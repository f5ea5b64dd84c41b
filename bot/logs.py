"""Logging for the service: secrets redacted from every line at every level, the loggers that
print request URLs (which contain the token) kept quiet, and warnings that could repeat fast
(bad updates, state errors) rate-limited to one line per kind per interval with a count."""
from __future__ import annotations

import logging
import time
from urllib.parse import quote

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
URL_LOGGERS = ("httpx", "httpcore")  # they log every request URL: https://api.telegram.org/bot<token>/…


class RedactingFormatter(logging.Formatter):
    """A formatter that replaces each secret (and its URL-quoted form) in the finished line."""

    def __init__(self, secrets: list[str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.secrets = {s: "<redacted>" for secret in secrets if secret for s in (secret, quote(secret, safe=""))}

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret, mask in self.secrets.items():
            line = line.replace(secret, mask)
        return line


def configure(secrets: list[str], level: int = logging.INFO, stream=None) -> logging.Handler:
    """Route every log line through one handler whose formatter redacts `secrets`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return handler


class RateLimitedLog:
    """At most one line per kind every `every` seconds; the next line says how many were held back."""

    def __init__(self, logger: logging.Logger, every: float = 60.0) -> None:
        self.logger, self.every = logger, every
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args, exc_info=None) -> bool:
        """Log unless a line of this kind was logged recently; True when logged."""
        now = time.monotonic()
        if now - self._last.get(kind, -self.every) < self.every:
            self._held[kind] = self._held.get(kind, 0) + 1
            return False
        self._last[kind] = now
        held = self._held.pop(kind, 0)
        if held:
            message += f" (and {held} more like it since the last such line)"
        self.logger.warning(message, *args, exc_info=exc_info)
        return True
