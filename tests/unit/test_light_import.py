"""What a program loads: a resource module no models, a call its own service's models and
nothing else; httpx without its command line (click, rich) even where those are installed.

Each case runs in a fresh interpreter: this process has long since imported every module.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import json, sys
from tests.fakes.rest_gateway import FakeRestGateway
from tgclient import Api

def models():
    return sorted(m for m in sys.modules if m.startswith("tgclient.types."))

api = Api(url="http://127.0.0.1:8888/", http_client=FakeRestGateway().client())
flow = api.flow().id("default")
seen = {"resources": models()}
text = flow.text_completion("s", "hello")
seen["text_completion"] = models()
seen["answer"] = str(text)
"""


def _run(extra: str = "") -> dict[str, Any]:
    code = PROGRAM + extra + "\nprint(json.dumps(seen))\n"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])  # after any other output
    return result


def test_flow_resources_load_no_models_and_a_call_loads_only_its_service() -> None:
    seen = _run()
    assert seen["resources"] == [], "loading the flow resources built models"
    assert seen["text_completion"] == ["tgclient.types.text_completion"]
    assert seen["answer"]  # the call went through


def test_models_and_unions_stay_importable_from_the_resource_module() -> None:
    seen = _run(
        """
from tgclient.resources.flow_instance import AgentChunk, TextCompletionRequest
from tgclient.types.agent import AgentAnswer, AgentThought
import tgclient
seen["union"] = AgentAnswer in AgentChunk.__args__ and AgentThought in AgentChunk.__args__
seen["same"] = tgclient.AgentChunk is AgentChunk
seen["request"] = TextCompletionRequest.__module__
"""
    )
    assert seen["union"] is True
    assert seen["same"] is True
    assert seen["request"] == "tgclient.types.text_completion"


CLI_PROGRAM = """
import json, sys
import tgclient
tgclient.Api("http://127.0.0.1:8888/").flow().id("default")
import httpx
seen = {"cli": [m for m in ("click", "rich", "pygments", "httpx._main") if m in sys.modules]}
try:
    httpx.main(["--help"])
except SystemExit as done:
    seen["help"] = done.code
seen["real"] = type(sys.modules["httpx._main"].main).__name__
print(json.dumps(seen))
"""


def test_httpx_loads_without_its_command_line_which_still_works() -> None:
    assert _installed("click") and _installed("rich"), "the test env has the cli extra"
    done = subprocess.run(
        [sys.executable, "-c", CLI_PROGRAM], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["cli"] == []
    assert seen["help"] == 0 and seen["real"] == "Command"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None
