"""Text completion over REST: the result's text and token counts."""
# expect: ^text: Explain graphs\.$
# expect: ^model: \S+$

import sys

from trustgraph.api import Api

api = Api(url=sys.argv[1])
flow = api.flow().id("default")
result = flow.text_completion(
    system="You are a helpful assistant.",
    prompt="Explain graphs.",
)
print("text:", result.text)
print("model:", result.model)
print("tokens:", result.in_token, result.out_token)
