"""The local console: commands, corrections, suggestions, explain, misses, and a real terminal."""
from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot import cli, misses
from bot.cli import console
from bot.reply import Reply

ROOT = Path(__file__).resolve().parent.parent


def run(engine, typed: str, tmp_path, **kwargs) -> str:
    out = io.StringIO()
    assert console(engine, io.StringIO(typed), out, misses_path=tmp_path / "misses.db", **kwargs) == 0
    return out.getvalue()


class Scripted:
    """An engine that answers with given replies, to show what the console does with each field."""

    def __init__(self, *replies: Reply):
        self.replies = list(replies)
        self.asked: list[str] = []

    def answer(self, text, ctx=None):
        self.asked.append(text)
        return self.replies.pop(0)


OK = Reply("杭州2015年总分第5。", "ok", "rank")


def test_piped_console_prints_no_prompt_and_says_goodbye(engine, tmp_path):
    out = run(engine, "无锡2015智慧管理排名\n那杭州呢\n", tmp_path)
    assert cli.PROMPT not in out
    assert "16.83" in out  # the follow-up kept the conversation
    assert out.rstrip().endswith(cli.FAREWELL)


@pytest.mark.parametrize("word", ["quit", "exit", "退出"])
def test_quit_words_stop_reading_with_a_farewell(engine, tmp_path, word):
    out = run(engine, f"{word}\n无锡2015智慧管理排名\n", tmp_path)
    assert "15.73" not in out and out.rstrip().endswith(cli.FAREWELL)


def test_ctrl_c_ends_the_line_and_says_goodbye(tmp_path):
    class Interrupting(io.StringIO):
        def readline(self, *args):
            raise KeyboardInterrupt

    out = io.StringIO()
    assert console(Scripted(), Interrupting(), out, misses_path=tmp_path / "m.db") == 0
    assert out.getvalue().endswith("\n" + cli.FAREWELL + "\n")


def test_help_gives_one_example_per_kind_and_every_example_is_understood(engine, tmp_path):
    out = run(engine, "/help\n", tmp_path)
    for kind, example in cli.HELP_EXAMPLES:
        assert f"{kind}：{example}" in out
        assert engine.answer(example).status == "ok", example
    assert len({k for k, _ in cli.HELP_EXAMPLES}) == len(cli.HELP_EXAMPLES) >= 8


def test_corrections_are_printed_before_the_answer(tmp_path):
    reply = Reply("杭州2015年总分第5。", "ok", "rank")
    reply.corrections = [("杭洲", "杭州"), ("智慧管里", "智慧管理")]
    out = run(Scripted(reply), "杭洲智慧管里排名\n", tmp_path)
    assert "按「杭州」理解「杭洲」，按「智慧管理」理解「智慧管里」\n杭州2015年总分第5。" in out


def test_suggestions_that_repeat_the_question_are_left_out(tmp_path):
    same = replace(OK, suggestions=[("再问", "杭州 排名？")])
    other = replace(OK, suggestions=[("再问", "杭州排名"), ("前十", "2015年前十名")])
    corrected = replace(OK, suggestions=[("再问", "杭州排名")])
    corrected.corrections = [("杭洲", "杭州")]
    out = run(Scripted(same, other, corrected), "杭州排名\n杭州排名\n杭洲排名\n", tmp_path)
    assert out.count("可以接着问") == 1
    assert "可以接着问：2015年前十名\n" in out


def test_explain_flag_and_toggle(tmp_path):
    with_explain = replace(OK)
    with_explain.explain = ["城市：杭州", "报告：sc2015"]
    out = run(Scripted(with_explain, with_explain, with_explain), "a\n/explain\nb\n/explain\nc\n", tmp_path)
    assert out.count("· 城市：杭州") == 1 and "已打开" in out and "已关闭" in out
    out = run(Scripted(with_explain), "a\n", tmp_path, explain=True)
    assert "  · 城市：杭州\n  · 报告：sc2015" in out
    out = run(Scripted(OK), "a\n", tmp_path, explain=True)  # an engine without explain: intent and status
    assert "意图 rank，状态 ok" in out


def test_misses_are_logged_and_thumbs_down_marks_the_last_answer(engine, tmp_path):
    out = run(engine, "/不对\n无锡房价多少\n今天天气怎么样\n无锡2015智慧管理排名\n/不对\n", tmp_path)
    assert "还没有回答可以标记" in out and "已记下「无锡2015智慧管理排名」" in out
    logged = {m.text: m.reasons for m in misses.top(10, path=tmp_path / "misses.db")}
    assert logged["今天天气怎么样"] == ["out_of_scope"]
    assert logged["无锡2015智慧管理排名"] == ["thumbs_down"]
    assert "无锡房价多少" in logged


def test_saying_the_answer_was_wrong_logs_the_question_once_as_corrected(engine, tmp_path):
    out = run(engine, "不对\n无锡数字经济排名\n不对！\n你理解错了\n那苏州呢\n", tmp_path)
    assert out.count("已记下「无锡数字经济排名」") == 2 and "苏州数字经济指数 75.2" in out  # the conversation goes on
    (logged,) = [m for m in misses.top(10, path=tmp_path / "misses.db") if m.text == "无锡数字经济排名"]
    assert (logged.count, logged.reasons) == (1, ["corrected"]) and "无锡" in logged.summary
    assert out.splitlines()[1].startswith("这个问题超出了")  # 「不对」 with nothing before it is just a message


def test_unknown_slash_command_is_not_sent_to_the_engine(tmp_path):
    engine = Scripted()
    out = run(engine, "/start\n", tmp_path)
    assert engine.asked == [] and "/help" in out


def test_history_path_follows_xdg_state_home(tmp_path):
    assert cli.history_path({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "cityq" / "history"
    assert cli.history_path({"XDG_STATE_HOME": "relative"}) == Path.home() / ".local/state/cityq/history"


# --- a real terminal --------------------------------------------------------------------------
class Terminal:
    """`python -m bot console` on a pseudo-terminal; waits for output, never for time alone."""

    def __init__(self, env: dict, db: Path):
        import pty

        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "--db", str(db), "console"], cwd=ROOT,
                                     stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.seen = b""

    def expect(self, text: str, count: int = 1, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while self.seen.count(text.encode()) < count:
            ready, _, _ = select.select([self.master], [], [], max(0.0, end - time.monotonic()))
            if not ready:
                raise AssertionError(f"waited for {text!r}; the terminal shows:\n{self.seen.decode(errors='replace')}")
            try:
                self.seen += os.read(self.master, 4096)
            except OSError:  # the child closed the terminal
                raise AssertionError(f"exited before {text!r}:\n{self.seen.decode(errors='replace')}") from None

    def type(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def saw(self, text: str, timeout: float) -> bool:
        """Whether `text` shows up within `timeout` seconds (for retrying a keystroke, not for timing)."""
        try:
            self.expect(text, timeout=timeout)
            return True
        except AssertionError:
            return False

    def close(self) -> int:
        code = self.proc.wait(timeout=30)
        os.close(self.master)
        return code


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_has_prompt_history_arrows_and_a_farewell(db_path, tmp_path):
    pytest.importorskip("readline")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), CITYQ_MISSES_DB=str(tmp_path / "misses.db"), TERM="dumb")
    term = Terminal(env, db_path)
    term.expect(cli.PROMPT)
    term.type("无锡2015智慧管理排名\r")
    term.expect("15.73")
    term.expect(cli.PROMPT, 2)
    term.type(b"\x1b[A\r")  # the up arrow brings the question back: answered a second time
    term.expect("15.73", 2)
    term.expect(cli.PROMPT, 3)
    term.type(b"\x04")  # Ctrl-D
    term.expect(cli.FAREWELL)
    assert term.close() == 0
    again = Terminal(env, db_path)
    again.expect(cli.PROMPT)
    again.type(b"\x1b[A\r")  # the history outlives the session
    again.expect("15.73")
    again.expect(cli.PROMPT, 2)
    # What Ctrl-C sends.  CPython's readline looks at signals only when its select() is interrupted, so a
    # SIGINT landing between the prompt and that select() is noticed at the next one: press again, as a user would.
    for _ in range(50):
        again.proc.send_signal(signal.SIGINT)
        if again.saw(cli.FAREWELL, timeout=1):
            break
    again.expect(cli.FAREWELL)
    assert again.close() == 0 and b"Traceback" not in again.seen
    assert (cli.PROMPT + "\r\n" + cli.FAREWELL).encode() in again.seen  # not on the prompt's line
    assert b"^[[" not in term.seen
    assert b"\n" + cli.FAREWELL.encode() in term.seen.replace(b"\r", b"")  # on a line of its own
    state = tmp_path / "state" / "cityq"
    assert (state.stat().st_mode & 0o777) == 0o700
    assert "无锡2015智慧管理排名" in (state / "history").read_text()


def test_an_unwritable_history_location_is_reported_not_fatal(tmp_path):
    pytest.importorskip("readline")
    blocker = tmp_path / "file"
    blocker.write_text("a file where the state directory should be")
    err = io.StringIO()
    save = cli._line_editing(cli.history_path({"XDG_STATE_HOME": str(blocker)}), err)
    save()
    assert "输入历史不可用" in err.getvalue() and len(err.getvalue().splitlines()) == 1
