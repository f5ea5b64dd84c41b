"""Bot settings from the environment, optionally from a KEY=VALUE file named by CITYQ_ENV_FILE
(the environment wins).  Invalid settings raise SettingsError with a one-line message."""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class SettingsError(Exception):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    token: str
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_path: str = "telegram"
    webhook_secret: str | None = None
    state_file: Path = ROOT / "data" / "bot_state.db"
    state_max_idle_days: float = 30.0
    db: str | None = None
    per_user_per_minute: int = 20
    log_level: int = logging.INFO


def _file_values(path: str | None) -> dict[str, str]:
    if not path:
        return {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SettingsError(f"CITYQ_ENV_FILE {path} cannot be read: {exc.strerror}") from exc
    values = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def load(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the environment (and CITYQ_ENV_FILE); raises SettingsError."""
    env = dict(os.environ if environ is None else environ)
    values = {**_file_values(env.get("CITYQ_ENV_FILE")), **env}
    token = values.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
    if not TOKEN_RE.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN is malformed: expected digits, a colon and the secret from @BotFather")
    try:
        port = int(values.get("WEBHOOK_PORT", "8443"))
        per_minute = int(values.get("CITYQ_PER_USER_PER_MINUTE", "20"))
        max_idle = float(values.get("CITYQ_STATE_MAX_IDLE_DAYS", "30"))
    except ValueError as exc:
        raise SettingsError(f"a numeric setting is not a number: {exc}") from exc
    if per_minute < 1 or max_idle <= 0:
        raise SettingsError("CITYQ_PER_USER_PER_MINUTE and CITYQ_STATE_MAX_IDLE_DAYS must be positive")
    level = values.get("CITYQ_LOG_LEVEL", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(f"CITYQ_LOG_LEVEL {level} is not one of DEBUG, INFO, WARNING, ERROR")
    base = values.get("TELEGRAM_BASE_URL", Settings.base_url)
    return Settings(
        token=token,
        base_url=base,
        base_file_url=values.get("TELEGRAM_BASE_FILE_URL", base.replace("/bot", "/file/bot") if base.endswith("/bot")
                                 else Settings.base_file_url),
        webhook_url=values.get("WEBHOOK_URL") or None,
        webhook_listen=values.get("WEBHOOK_LISTEN", Settings.webhook_listen),
        webhook_port=port,
        webhook_path=values.get("WEBHOOK_PATH", Settings.webhook_path),
        webhook_secret=values.get("WEBHOOK_SECRET") or None,
        state_file=Path(values.get("CITYQ_STATE_FILE", str(Settings.state_file))),
        state_max_idle_days=max_idle,
        db=values.get("CITYQ_DB") or None,
        per_user_per_minute=per_minute,
        log_level=getattr(logging, level),
    )
