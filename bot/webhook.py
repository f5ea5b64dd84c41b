"""Webhook mode: python-telegram-bot's own tornado webhook server, with one change.

PTB answers an update it cannot parse with 400 (and logs the whole update at CRITICAL).
Telegram re-sends an update until it gets a 2xx, so one such update would come back again and
again, as it did in long polling.  ConfirmingHandler answers it with 200 and one rate-limited log
line (`botapi.skipped`, as for polling); everything else, the secret check (403) included, is
PTB's.  `install()` makes PTB's Updater build its webhook app from ConfirmingWebhookApp: the
Updater names the app class as a module global and offers no parameter for it.
"""
from __future__ import annotations

import json
from http import HTTPStatus

import tornado.web
from telegram.ext import _updater
from telegram.ext._utils.webhookhandler import TelegramHandler, WebhookAppClass, WebhookServer

from bot import botapi

PTB_DUMP = "Something went wrong processing the data received from Telegram"


def _update_id(body: bytes) -> object:
    try:
        return json.loads(body).get("update_id")
    except (ValueError, AttributeError):
        return None


class ConfirmingHandler(TelegramHandler):
    """PTB's webhook request handler, except that an unparseable update is confirmed (200)."""

    async def post(self) -> None:
        try:
            await super().post()
        except tornado.web.HTTPError as exc:
            if exc.status_code != HTTPStatus.BAD_REQUEST:  # 403: no secret, or a wrong one
                raise
            botapi.skipped(_update_id(self.request.body), exc.__cause__)
            self.set_status(HTTPStatus.OK)


class ConfirmingWebhookApp(WebhookAppClass):
    """PTB's webhook app serving its route with ConfirmingHandler (tornado's documented hook)."""

    def get_handler_delegate(self, request, target_class, *args, **kwargs):
        if target_class is TelegramHandler:
            target_class = ConfirmingHandler
        return super().get_handler_delegate(request, target_class, *args, **kwargs)


def install() -> None:
    """Have PTB's Updater serve webhooks with ConfirmingWebhookApp; idempotent.  When telegram.ext was
    imported without tornado (`python -m bot` does so: polling needs none), the Updater found no webhook
    server then, and is given PTB's own now."""
    if not _updater.WEBHOOKS_AVAILABLE:
        _updater.WebhookAppClass, _updater.WebhookServer = WebhookAppClass, WebhookServer
        _updater.WEBHOOKS_AVAILABLE = True
    if _updater.WebhookAppClass not in (WebhookAppClass, ConfirmingWebhookApp):
        raise RuntimeError("python-telegram-bot's webhook app is not the one bot/webhook.py extends")
    _updater.WebhookAppClass = ConfirmingWebhookApp
    botapi.quiet_parse_dump("telegram.ext.Updater", PTB_DUMP)
