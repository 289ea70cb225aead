"""Streaming over api.socket(): completion pieces and agent chunks."""
# expect: ^streamed: Stream me please$
# expect: ^agent answer: .*What is 2\+2\?

import sys

from trustgraph.api import AgentAnswer, AgentObservation, AgentThought, Api

api = Api(sys.argv[1])
flow = api.socket().flow("default")

pieces = []
for chunk in flow.text_completion(system="", prompt="Stream me please", streaming=True):
    pieces.append(chunk.content)
print("streamed:", "".join(pieces))

answer = []
for chunk in flow.agent(question="What is 2+2?", streaming=True):
    if isinstance(chunk, AgentThought):
        print("thought:", chunk.content)
    elif isinstance(chunk, AgentObservation):
        print("observation:", chunk.content)
    elif isinstance(chunk, AgentAnswer):
        answer.append(chunk.content)
        if chunk.end_of_dialog:
            break
print("agent answer:", "".join(answer))
api.close()
