"""Programs written for the official client run on tgclient after changing their import line.

Each script of ``official_scripts/`` is written as the official client's (trustgraph.api
2.11.1, or v1.6.5 for ``v1_6_5_*``) docs show, and starts with ``from trustgraph.api import``.
Only that line is rewritten to ``tgclient``; the script runs against the real gateway and its
output must match its ``# expect:`` lines. The scripts that need more than the import line
are listed in ``NEEDS_MORE`` with the reason, and must fail the way that reason says (so a
fix shows up here, and the migration table is updated with it).
"""

from __future__ import annotations

import concurrent.futures
import sys
from pathlib import Path

import pytest

from .official_scripts import battery

NEEDS_MORE = {
    "socket_raw_dicts.py": (
        "the official socket client returns raw wire dicts (embeddings()['vectors'], "
        "triples_query rows t['s']); tgclient returns the same typed results (a list of "
        "vectors, Triples) on every transport",
        "list indices must be integers or slices, not str",
    ),
}


def test_every_script_starts_with_the_official_import() -> None:
    assert len(battery.SCRIPTS) >= 31
    for script in battery.SCRIPTS:
        source = script.read_text("utf-8")
        assert battery.swap_import(source) != source, script.name
        assert battery.expectations(source), f"{script.name} has no '# expect:' line"


@pytest.fixture(scope="module")
def outcomes(gateway_url: str) -> dict[str, battery.Outcome]:
    # The scripts are independent programs (own ids and collections): run four at a time.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        runs = pool.map(lambda s: battery.run(s, gateway_url), battery.SCRIPTS)
        results = {s.name: outcome for s, outcome in zip(battery.SCRIPTS, runs, strict=True)}
    passed = sum(o.passed for o in results.values())
    print(
        f"\nofficial-client scripts after an import-line swap: {passed} of {len(results)} pass",
        file=sys.stderr,
    )
    return results


@pytest.mark.parametrize("script", battery.SCRIPTS, ids=lambda p: p.name)
def test_script_runs_after_the_import_swap(
    script: Path, outcomes: dict[str, battery.Outcome]
) -> None:
    outcome = outcomes[script.name]
    if script.name in NEEDS_MORE:
        reason, error = NEEDS_MORE[script.name]
        assert not outcome.passed, f"{script.name} now passes ({reason}): update NEEDS_MORE"
        assert error in outcome.output, outcome.output[-3000:]
        return
    assert outcome.passed, f"{script.name}: {outcome.why()}\n{outcome.output[-4000:]}"
