"""A resource module loads no models; a call loads its own service's, and nothing else.

Each case runs in a fresh interpreter: this process has long since imported every module.
"""

from __future__ import annotations

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
    result: dict[str, Any] = json.loads(done.stdout)
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
