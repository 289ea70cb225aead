"""The Api as a context manager, and the official exception names."""
# expect: ^caught: (ProtocolException|ApplicationException|TrustGraphException)$

import sys

from trustgraph.api import Api, ApplicationException, ProtocolException

with Api(sys.argv[1]) as api:
    try:
        api.flow().id("no-such-flow").text_completion(system="", prompt="hi")
    except ProtocolException:
        print("caught: ProtocolException")
    except ApplicationException:
        print("caught: ApplicationException")
