"""v1.6.5: agent(question, user) with the user given by position."""
# expect: ^agent: Answer: Who are you\?$
# expect: Warning: agent\(\): user= is deprecated

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
print("agent:", api.flow().id("default").agent("Who are you?", "user123"))
