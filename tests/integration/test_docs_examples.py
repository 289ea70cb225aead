"""Every Python block of README.md and docs/ runs against the real gateway, unless marked.

Each block runs as a script in a fresh interpreter (``tests/docs_examples.py``), with the
gateway's default address replaced by the stack's. A block that cannot run here carries a
``<!-- docs-example: not-run reason=... -->`` marker; they are counted, not run.
"""

from __future__ import annotations

import pytest

from tests.docs_examples import Block, collect, run_block

BLOCKS = collect()
RUNNABLE = [b for b in BLOCKS if b.not_run is None]


def test_documents_have_runnable_blocks() -> None:
    not_run = [b for b in BLOCKS if b.not_run is not None]
    reference = [b for b in not_run if b.path.startswith("docs/reference/")]
    print(
        f"\ndocs examples: {len(RUNNABLE)} run against the gateway, {len(not_run)} marked "
        f"not-run ({len(reference)} of them generated reference examples, run against a fake "
        "gateway by tests/unit/test_reference_examples.py)"
    )
    assert any(b.path == "README.md" for b in RUNNABLE)
    assert any(b.path.startswith("docs/guides/") for b in RUNNABLE)


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.id)
def test_block_runs_against_the_gateway(block: Block, request: pytest.FixtureRequest) -> None:
    if block.stack == "iam":
        stack = request.getfixturevalue("iam_stack")
        result = run_block(block, stack.url, token=stack.admin_key)
    else:
        result = run_block(block, request.getfixturevalue("gateway_url"))
    assert result.returncode == 0, (
        f"{block.id} failed (exit {result.returncode})\n--- block ---\n{block.code}"
        f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
    )
