"""The answer engine: a question (and the chat's context) → a structured Reply.

nlu parses; the engine picks the report(s), the indicator and the scope (bot.choose),
asks store.query for numbers and writes concise Chinese (one mixin per family of
intents).  Every number in a reply comes from the store (a value as printed, a rank,
a count, a year) or is a difference or mean computed from stored values; each is
listed in Reply.facts.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from bot import explain, more_charts
from bot.answer_about import AboutAnswers
from bot.answer_city import CityAnswers
from bot.answer_gains import GainAnswers
from bot.answer_groups import GroupAnswers
from bot.answer_lists import ListAnswers
from bot.interpret import Interpreter, leaf_answer
from bot.reply import HINT, LABEL, Reply
from nlu import query as q
from nlu.compose import build
from nlu.context import Context, apply
from nlu.frame import Frame
from nlu.parse import parse, split_questions

__all__ = ["Engine", "Reply", "LABEL"]
log = logging.getLogger("cityq.engine")


class Engine(Interpreter, CityAnswers, ListAnswers, GroupAnswers, AboutAnswers, GainAnswers):
    """Answers questions from one store; keeps no per-chat state itself."""

    errors = 0  # answers that failed inside the engine (logged); tests assert it stays 0

    # --- entry point ------------------------------------------------------------
    def answer(self, text: str, ctx: Context | None = None, *, follow_ups: bool = True, extras: bool = True) -> Reply:
        """The reply to `text` in the context `ctx`; `follow_ups` adds the checked follow-up questions, `extras`
        the chart, the explanation and the reading (`reply.query`); front ends that show none of them, such as
        `ask --jsonl`, skip them."""
        parts = split_questions(text)
        if parts:  # 三线城市有几个？最高分是哪个: each in turn, the second in the first's context
            return self._answer_each(parts, ctx, extras)
        node = None
        try:  # a bug must cost one answer, never the conversation or the process: parsing included
            parsed = parse(text, self.lex)
            before = explain.Slots.of(parsed) if extras else None  # the slots as read, for the explanation only
            frame = apply(parsed, ctx)
        except Exception:
            log.exception("failed to read %r", text[:200] if isinstance(text, str) else text)
            self.errors += 1
            return Reply(f"抱歉，这个问题我暂时答不了。{HINT}", "no_data", "unknown", context=ctx)
        try:
            node = build(frame, self.store)
            reply = self._evaluate(node, frame)
            reply.query = node.show(self._name) if extras else ""
        except Exception:  # a bug must cost one answer, never the conversation or the process
            log.exception("failed to answer %r", text[:200])
            self.errors += 1
            reply = Reply(f"抱歉，这个问题我暂时答不了。{HINT}", "no_data", frame.intent or "unknown")
        if reply.context is None and reply.status == "out_of_scope" and frame.entity_ids:
            reply.context = replace(ctx or Context(), entities=frame.entity_ids, focus=frame.entity_ids)  # 它 = 昆明
        if reply.context is None:
            reply.context = ctx if reply.status in ("clarify", "out_of_scope") else self._context(frame)
        if reply.context is not ctx:
            reply.context.remember(ctx)
        try:  # what the front ends add around the answer: a failure here costs only that
            self._extras(reply, node, frame, before, follow_ups, extras)
        except Exception:
            log.exception("failed to add charts, explanation or follow-ups to %r", text[:200])
            self.errors += 1
        return reply

    def _answer_each(self, parts: list[str], ctx: Context | None, extras: bool) -> Reply:
        """Several short questions in one message, answered in order as one reply."""
        replies = []
        for part in parts:
            reply = self.answer(part, ctx, follow_ups=False, extras=extras)
            replies.append(reply)
            ctx = reply.context or ctx
        good = [r for r in replies if r.status in ("ok", "no_data", "clarify")] or replies  # a clarify is said too
        first = good[0]
        status = "ok" if any(r.status == "ok" for r in good) else first.status
        merged = Reply("\n".join(r.text for r in good), status, first.intent, facts=[x for r in good for x in r.facts],
                       context=ctx)
        merged.query = " ; ".join(r.query for r in good if r.query)
        merged.explain = [line for r in good for line in r.explain]
        return merged

    def _extras(self, reply: Reply, node, frame: Frame, before: explain.Slots | None, follow_ups: bool,
                extras: bool) -> None:
        """The chart an answer earns, how the question was read, and the checked follow-up questions."""
        if extras:  # the typos corrected, said by the console and the explanation (`ask --jsonl` prints neither)
            reply.corrections = explain.corrections(frame, self._name, lambda w: bool(self.lex.senses(w)))
            if node is not None and reply.status == "ok" and reply.chart is None:
                reply.chart = more_charts.for_answer(self, node, frame)
            reply.explain = explain.lines(frame, before, self._reports(frame)[0], reply.query, self._name,
                                          reply.corrections)
        if follow_ups and node is not None and reply.status == "ok":
            from bot import followups  # imported on the first answer with buttons: a single `ask` shows none

            after = reply.context
            reply.suggestions = followups.keep(followups.candidates(self, node, frame, reply), reply,
                                               lambda q: self.answer(q, after, follow_ups=False))

    def _dispatch(self, f: Frame, node: q.Node | None = None) -> Reply:
        """A leaf's answer: what is wrong with the question first (too long, a pronoun with nobody to
        refer to, a place or indicator no report has, a report without per-city numbers), then the answer
        family of the leaf's kind (bot.interpret.LEAF_ANSWERS)."""
        if f.problem == "too_long":
            return Reply("消息太长了（超过 500 字）。请用一句话问，比如「无锡2015智慧管理排名」。", "out_of_scope", "unknown")
        if f.problem == "empty":
            return Reply("没看懂这条消息。" + HINT, "out_of_scope", "unknown")
        if f.pronoun and not f.mentions:
            return Reply("指的是哪个城市？请直接说城市名，比如「无锡的总分」。", "clarify", f.intent or "unknown")
        if f.intent is None:
            if f.unknown_places:
                return self._not_evaluated(f, f.unknown_places[0], f.intent or "rank")
            return Reply("这个问题超出了我能回答的范围：我只回答城市评估报告里的排名和得分。" + HINT, "out_of_scope", "unknown")
        if f.ambiguous:
            narrowed = self._narrow(f)
            if narrowed:
                return narrowed
        answer = leaf_answer(node, f)
        if f.unknown_places and not f.entity_ids and answer not in ("_meta", "_top", "_filter", "_region_avg"):
            return self._not_evaluated(f, f.unknown_places[0], f.intent)
        if f.unknown_indicator and not f.indicators and answer in ("_rank", "_lookup", "_compare", "_top", "_filter"):
            return self._no_such_indicator(f)
        if answer in ("_rank", "_lookup", "_profile", "_trend", "_compare", "_top", "_filter"):
            unpublished = self._only_averages(f, f.intent)
            if unpublished:
                return unpublished
        if answer in ("_rank", "_lookup", "_profile", "_trend", "_compare"):
            off_topic = self._off_topic(f)
            if off_topic:
                return off_topic
        return getattr(self, answer)(f)

