"""A small fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and the load script.

It answers the methods the bot calls, records every call with its parameters
(form, JSON or multipart, as python-telegram-bot sends them), and serves queued
updates to getUpdates (at most `limit`, as Telegram does).  Every request is checked
against the official Bot API specification by ../shared/telegram/botapi_check.py when
that checker is present beside the checkout; a violation fails the test on exit.
Faults can be injected per method: an HTTP error (5xx, 429 with retry_after) or a
dropped connection.  Tests wait on its condition variable, never on sleeps.
"""
from __future__ import annotations

import email.parser
import email.policy
import importlib.util
import itertools
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

CHECKER = Path(__file__).resolve().parents[2] / "shared" / "telegram" / "botapi_check.py"

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "城市评估问答", "username": "cityq_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}


def _load_checker():
    """botapi_check from ../shared/telegram/, or None when it is absent (checking is skipped)."""
    if not CHECKER.is_file():
        return None
    spec = importlib.util.spec_from_file_location("botapi_check", CHECKER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


botapi_check = _load_checker()


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.stamps: list[float] = []  # time.monotonic() of each call, for the load script
        self.updates: list[dict] = []
        self.confirmed = 0
        self.polls = 0
        self.violations: list[str] = []
        self.failed: list[tuple[str, dict]] = []
        self.faults: dict[str, list[dict]] = {}
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
                params, files = server._params(self.headers.get("Content-Type", ""), body)
                server._check(method, params, files)
                fault = server._fault(method, params)
                if fault and fault.get("drop"):
                    return  # the connection closes without a response
                status, payload = (fault["status"], fault["body"]) if fault else (200, {"ok": True, "result":
                                                                                       server._handle(method, params)})
                payload = json.dumps(payload).encode("utf-8")
                try:
                    self.send_response(status)
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

    def __exit__(self, exc_type, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if exc_type is None and self.violations:
            raise AssertionError("requests that break the Bot API specification:\n" + "\n".join(self.violations))

    # --- parsing what the bot sends ------------------------------------------------------
    @staticmethod
    def _params(content_type: str, body: bytes) -> tuple[dict, dict]:
        """The request's parameters (uploaded files as bytes), and its files as (filename, type, bytes)."""
        if content_type.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
            params, files = {}, {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                data = part.get_payload(decode=True)
                params[name] = data if part.get_filename() else data.decode("utf-8")
                if part.get_filename():
                    files[name] = (part.get_filename(), part.get_content_type(), data)
            return params, files
        if content_type.startswith("application/json"):
            return json.loads(body or b"{}"), {}
        return dict(parse_qsl(body.decode("utf-8"))), {}

    def _check(self, method: str, params: dict, files: dict) -> None:
        if botapi_check is None:
            return
        checked = {**params, **{name: botapi_check.Upload(*f) for name, f in files.items()}}
        problems = [str(v) for v in botapi_check.check(method, checked)]
        if problems:
            with self.cond:
                self.violations.extend(problems)

    # --- faults ------------------------------------------------------------------------------
    def fail(self, method: str, times: int = 1, status: int = 500, retry_after: int | None = None,
             drop: bool = False, chat_id: int | None = None) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, if given) fail: HTTP `status`
        (429 with retry_after) or a dropped connection."""
        body = {"ok": False, "error_code": status, "description": "Too Many Requests" if status == 429
                else "Internal Server Error"}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self.cond:
            self.faults.setdefault(method, []).extend(
                [{"status": status, "body": body, "drop": drop, "chat_id": chat_id}] * times)

    def _fault(self, method: str, params: dict) -> dict | None:
        with self.cond:
            queue = self.faults.get(method, [])
            for i, fault in enumerate(queue):
                if fault["chat_id"] is None or str(fault["chat_id"]) == str(params.get("chat_id")):
                    self.failed.append((method, params))
                    self.cond.notify_all()
                    return queue.pop(i)
            return None

    # --- answering ---------------------------------------------------------------------------
    def _message(self, params: dict, **extra) -> dict:
        chat_id = int(params.get("chat_id", 1))
        return {"message_id": next(self._ids), "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}, **extra}

    def _handle(self, method: str, params: dict):
        if method == "getUpdates":
            with self.cond:  # an offset confirms every earlier update, as Telegram does
                self.polls += 1
                self.confirmed = max(self.confirmed, int(params.get("offset") or 0))
                self.updates = [u for u in self.updates if u["update_id"] >= self.confirmed]
                self.cond.notify_all()
                self.cond.wait_for(lambda: bool(self.updates), timeout=min(float(params.get("timeout") or 0), 0.5))
                return self.updates[:int(params.get("limit") or 100)]
        with self.cond:
            self.calls.append((method, params))
            self.stamps.append(time.monotonic())
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
            raise AssertionError(f"timed out; calls so far: {[m for m, _ in self.calls]}; "
                                 f"spec violations: {self.violations}")
        return predicate(self.calls)

    def sent_after(self, index: int, method: str) -> list[dict]:
        return [p for m, p in self.calls[index:] if m == method]
