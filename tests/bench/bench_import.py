"""Import cost: whole-process ``python -c "import tgclient"`` against its dependencies alone.

Runs ``import tgclient`` and ``import httpx, websockets.sync.client, websockets.asyncio.client,
pydantic`` alternately in fresh interpreters (pairs, so a change in the machine's load hits both
alike) and reports the median of each and of the per-pair ratio; also the official client's
``import trustgraph.api`` when installed, and how many modules ``import tgclient`` loads.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Any

DEPENDENCIES = "import httpx, websockets.sync.client, websockets.asyncio.client, pydantic"
TGCLIENT = "import tgclient"
OFFICIAL = "import warnings; warnings.simplefilter('ignore'); import trustgraph.api"
# A program up to its first text_completion answered: everything the first call loads (the
# client, the resources, that service's models), with an in-process transport for the network.
FIRST_CALL = (
    "import httpx, tgclient; "
    "answer = httpx.MockTransport(lambda r: httpx.Response(200, json={'response': 'x'})); "
    "api = tgclient.Api('http://127.0.0.1:9/', http_client=httpx.Client(transport=answer)); "
    "api.flow().id('default').text_completion('s', 'p')"
)


def wall(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def has_official() -> bool:
    return subprocess.run([sys.executable, "-c", OFFICIAL], capture_output=True).returncode == 0


def module_count(code: str) -> int:
    probe = f"import sys; {code}; print(len(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


def main(pairs: int = 9) -> dict[str, Any]:
    for code in (TGCLIENT, DEPENDENCIES):
        wall(code)  # warm the file cache and the bytecode
    official = has_official()
    tg, deps, off, ratios, first = [], [], [], [], []
    for _ in range(pairs):
        t, d = wall(TGCLIENT), wall(DEPENDENCIES)
        tg.append(t)
        deps.append(d)
        ratios.append(t / d)
        first.append(wall(FIRST_CALL) / d)
        if official:
            off.append(wall(OFFICIAL))
    result: dict[str, Any] = {
        "tgclient": statistics.median(tg),
        "dependencies": statistics.median(deps),
        "ratio": statistics.median(ratios),
        "official": statistics.median(off) if off else None,
        "modules": module_count(TGCLIENT),
        "modules_dependencies": module_count(DEPENDENCIES),
        "first_call_ratio": statistics.median(first),
        "modules_first_call": module_count(FIRST_CALL),
        "pairs": pairs,
    }
    print(f"Whole-process import ({pairs} alternating pairs, median)")
    print(
        f"  import tgclient                {result['tgclient']:.3f} s, {result['modules']} modules"
    )
    print(
        f"  its dependencies alone         {result['dependencies']:.3f} s, "
        f"{result['modules_dependencies']} modules"
    )
    if off:
        print(f"  official import trustgraph.api {result['official']:.3f} s")
    print(f"  ratio tgclient / dependencies  {result['ratio']:.2f} (target <= 1.3)")
    print(
        f"  up to a first text_completion answered: {result['first_call_ratio']:.2f}x "
        f"the dependencies, {result['modules_first_call']} modules"
    )
    return result


if __name__ == "__main__":
    main()
