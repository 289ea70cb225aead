"""ConfigKey / ConfigValue built positionally, as the official dataclasses allow."""
# expect: ^stored: colour = blue$
# expect: ^remaining: 0$

import sys

from trustgraph.api import Api, ConfigKey, ConfigValue

api = Api(sys.argv[1])
api.config().put([ConfigValue("official-positional", "colour", "blue")])
for value in api.config().get([ConfigKey("official-positional", "colour")]):
    print(f"stored: {value.key} = {value.value}")
api.config().delete([ConfigKey("official-positional", "colour")])
print("remaining:", len(api.config().list("official-positional")))
