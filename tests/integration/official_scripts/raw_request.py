"""Api.request: a raw request to a gateway path."""
# expect: ^flow ids: .*default
# expect: ^completion: raw prompt$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
print("flow ids:", api.request("flow", {"operation": "list-flows"})["flow-ids"])
reply = api.request("flow/default/service/text-completion", {"system": "", "prompt": "raw prompt"})
print("completion:", reply["response"])
