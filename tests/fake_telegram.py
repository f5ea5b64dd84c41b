"""A small fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.

It answers the methods the bot calls, records every call with its parameters
(form, JSON or multipart, as python-telegram-bot sends them), and serves queued
updates to getUpdates.  Tests wait on its condition variable, never on sleeps.
"""
from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "城市评估问答", "username": "cityq_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []
        self.confirmed = 0
        self.cond = threading.Condition()
        self._ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                method = self.path.rsplit("/", 1)[-1]
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                params = server._params(self.headers.get("Content-Type", ""), body)
                result = server._handle(method, params)
                payload = json.dumps({"ok": True, "result": result}).encode("utf-8")
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the bot stopped polling mid-request
                    pass

            do_GET = do_POST

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def __enter__(self) -> FakeTelegram:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- parsing what the bot sends ------------------------------------------------------
    @staticmethod
    def _params(content_type: str, body: bytes) -> dict:
        if content_type.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
            params = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                data = part.get_payload(decode=True)
                params[name] = data if part.get_filename() else data.decode("utf-8")
            return params
        if content_type.startswith("application/json"):
            return json.loads(body or b"{}")
        return dict(parse_qsl(body.decode("utf-8")))

    # --- answering ---------------------------------------------------------------------------
    def _message(self, params: dict, **extra) -> dict:
        chat_id = int(params.get("chat_id", 1))
        return {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}, **extra}

    def _handle(self, method: str, params: dict):
        if method == "getUpdates":
            with self.cond:  # an offset confirms every earlier update, as Telegram does
                self.confirmed = max(self.confirmed, int(params.get("offset") or 0))
                offset = self.confirmed
                self.cond.wait_for(lambda: any(u["update_id"] >= offset for u in self.updates), timeout=0.5)
                pending = [u for u in self.updates if u["update_id"] >= offset]
            return pending
        with self.cond:
            self.calls.append((method, params))
            self.cond.notify_all()
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText"):
            return self._message(params, text=params.get("text", ""))
        if method == "sendPhoto":
            return self._message(params, photo=[{"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}])
        return True

    # --- driving the bot --------------------------------------------------------------------------
    def push(self, **update) -> None:
        with self.cond:
            self.updates.append({"update_id": next(self._update_ids), **update})
            self.cond.notify_all()

    def text(self, text: str, chat_id: int = 7, user_id: int = 7, **extra) -> None:
        message = {"message_id": next(self._ids), "date": int(time.time()), "text": text,
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                   "from": {"id": user_id, "is_bot": False, "first_name": "测试"}, **extra}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.push(message=message)

    def wait_for(self, predicate, timeout: float = 10.0):
        """Block until predicate(calls) is truthy; return its value."""
        with self.cond:
            ok = self.cond.wait_for(lambda: predicate(self.calls), timeout=timeout)
        if not ok:
            raise AssertionError(f"timed out; calls so far: {[m for m, _ in self.calls]}")
        return predicate(self.calls)

    def sent_after(self, index: int, method: str) -> list[dict]:
        return [p for m, p in self.calls[index:] if m == method]
