"""Reachability: a fixed sample of the sweep (scripts/sweep.py runs every value) — each value asked four ways."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import sweep  # noqa: E402


def test_a_sample_of_every_value_and_every_printed_average_is_reachable_by_its_own_names(store):
    got = sweep.run(sample=60, store=store)
    assert got["questions"] == 240 + 2 * got["printed"] and got["printed"] > 200
    assert got["missed"] == 0, got["misses"][:5]
    assert got["errors"] == 0
