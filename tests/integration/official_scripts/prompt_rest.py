"""A prompt template over REST: prompt(id, variables) gives the text."""
# expect: ^prompt: question: .*What is a triple\?

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow().id("default")
print("prompt:", flow.prompt(id="question", variables={"question": "What is a triple?"}))
