"""Flows and blueprints (REST)."""
# expect: ^flows: .*default
# expect: ^default flow blueprint: stub$
# expect: ^blueprints: .*stub
# expect: ^stub blueprint has interfaces: True$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow()
print("flows:", flow.list())
definition = flow.get("default")
print("default flow blueprint:", definition["blueprint-name"])
print("blueprints:", flow.list_blueprints())
print("stub blueprint has interfaces:", "interfaces" in flow.get_blueprint("stub"))
