"""The README's table of what the bot understands is answered as it says: every example, its intent."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlu.rules import help_examples

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
TABLE = README[README.index("What it understands"):README.index("### The query language")]
ROWS = [(m[1], q.strip()) for m in re.finditer(r"^\| `(\w+)` \| (.+) \|$", TABLE, re.M)
        for q in re.sub(r"（[^）]*）|\([^)]*\)", "", m[2]).split("·")]


def test_the_table_has_every_intent():
    assert {intent for intent, _ in ROWS} >= {"rank", "lookup", "compare", "region_avg", "top", "filter", "profile",
                                               "trend", "tier", "meta", "unknown"}


@pytest.mark.parametrize("intent, question", ROWS, ids=[q for _, q in ROWS])
def test_readme_example_is_answered_with_its_intent(engine, intent, question):
    reply = engine.answer(question, follow_ups=False)
    if intent == "unknown":
        assert reply.status in ("out_of_scope", "clarify"), reply.text
    else:
        assert (reply.intent, reply.status) == (intent, "ok"), reply.text


def test_help_shows_the_rules_first_examples():
    assert help_examples()[0] == ("排名", "无锡2015智慧管理排名")
    assert all(q in README for _, q in help_examples())  # the README quotes every /help example
