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


def test_every_meta_kind_and_leaf_kind_has_its_answer(engine):
    """Dispatch is by table (bot.interpret.LEAF_ANSWERS, bot.answer_about.META_ANSWERS): every Meta kind a rule can
    build has a method (or is the indicator tree), and every method named in the tables exists."""
    from bot.answer_about import META_ANSWERS
    from bot.interpret import LEAF_ANSWERS
    from nlu.rules import RULES

    kinds = {r.kind for r in RULES if r.builds == "Meta"}
    assert kinds - {"indicators"} <= set(META_ANSWERS), kinds - set(META_ANSWERS)
    assert all(callable(getattr(engine, name, None)) for name in [*META_ANSWERS.values(), *LEAF_ANSWERS.values()])
