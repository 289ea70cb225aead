"""The agent over REST (the official 2.11.1 client raises KeyError 'answer' here)."""
# expect: ^answer: Answer: What is a knowledge graph\?$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow().id("default")
print("answer:", flow.agent(question="What is a knowledge graph?"))
