"""Configuration: put, get, list, get_values, all, delete (trustgraph.api 2.11.1)."""
# expect: ^put 2 values$
# expect: ^get: system = You are a helpful assistant\.$
# expect: ^list: .*greeting.*system
# expect: ^values: 2$
# expect: ^all: version \d+, types include official-script$
# expect: ^after delete: \['system'\]$

import sys

from trustgraph.api import Api, ConfigKey, ConfigValue

api = Api(url=sys.argv[1])
config = api.config()

config.put(
    [
        ConfigValue(type="official-script", key="system", value="You are a helpful assistant."),
        ConfigValue(type="official-script", key="greeting", value="Hello!"),
    ]
)
print("put 2 values")

values = config.get([ConfigKey(type="official-script", key="system")])
for v in values:
    print(f"get: {v.key} = {v.value}")

print("list:", sorted(config.list("official-script")))
print("values:", len(config.get_values("official-script")))

config_data, version = config.all()
print(
    f"all: version {version}, types include",
    "official-script" if "official-script" in config_data else "-",
)

config.delete([ConfigKey(type="official-script", key="greeting")])
print("after delete:", config.list("official-script"))
config.delete([ConfigKey(type="official-script", key="system")])
