"""The official client's class names as type hints and isinstance checks, and its error
classes in except clauses."""
# expect: ^socket client: True$
# expect: ^completion is a TextCompletionResult: True$
# expect: ^bulk client: True$
# expect: ^caught: \w+$

import sys

from trustgraph.api import (
    Api,
    ApplicationException,
    BulkClient,
    RequestError,
    SocketClient,
    SocketFlowInstance,
    TextCompletionResult,
)


def complete(flow: SocketFlowInstance, prompt: str) -> TextCompletionResult:
    return flow.text_completion(system="", prompt=prompt)


api = Api(sys.argv[1])
socket: SocketClient = api.socket()
print("socket client:", isinstance(socket, SocketClient))
result = complete(socket.flow("default"), "typed")
print("completion is a TextCompletionResult:", isinstance(result, TextCompletionResult))
print("bulk client:", isinstance(api.bulk(), BulkClient))
try:
    api.library().get_document_content("no-such-document")
except (RequestError, ApplicationException) as e:
    print("caught:", type(e).__name__)
api.close()
