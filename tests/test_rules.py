"""The rule corpus: every example of every rule reads as the rule says, as a whole query tree."""
from __future__ import annotations

import pytest

from nlu.compose import build
from nlu.parse import parse
from nlu.rules import RULES

EXAMPLES = [(rule.name, question, reading) for rule in RULES for question, reading in rule.examples]


@pytest.mark.parametrize("rule_name, question, reading", EXAMPLES, ids=[f"{r}:{q}" for r, q, _ in EXAMPLES])
def test_rule_example_reads_as_written(lex, store, rule_name, question, reading):
    frame = parse(question, lex)
    assert frame.rule == rule_name, (question, frame.rule)
    assert build(frame, store).show(lambda e: store.entity(e).name) == reading


def test_every_rule_has_examples_and_a_unique_name():
    assert all(rule.examples for rule in RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
