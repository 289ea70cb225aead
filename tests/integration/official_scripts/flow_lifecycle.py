"""Start a flow from a blueprint, use it, stop it (REST)."""
# expect: ^started: True$
# expect: ^answer from the new flow: In a new flow\.$
# expect: ^stopped: True$

import sys
import time
import uuid

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow()
flow_id = f"official-{uuid.uuid4().hex[:6]}"
flow.start(blueprint_name="stub", id=flow_id, description="started by an official script")
print("started:", flow_id in flow.list())
answer = None
for _ in range(100):
    try:
        answer = flow.id(flow_id).text_completion(system="", prompt="In a new flow.")
        break
    except Exception:
        time.sleep(0.2)
print("answer from the new flow:", answer.text if answer is not None else "-")
flow.stop(flow_id)
print("stopped:", flow_id not in flow.list())
