"""Start a flow from a blueprint, read it back, stop it (REST)."""
# expect: ^started: True$
# expect: ^description: started by an official script$
# expect: ^stopped: True$

import sys
import uuid

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow()
flow_id = f"official-{uuid.uuid4().hex[:6]}"
flow.start(blueprint_name="stub", id=flow_id, description="started by an official script")
print("started:", flow_id in flow.list())
print("description:", flow.get(flow_id)["description"])
flow.stop(flow_id)
print("stopped:", flow_id not in flow.list())
