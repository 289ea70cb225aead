"""Knowledge cores: list the stored cores (REST)."""
# expect: ^kg cores: \d+$
# expect: ^de cores: \d+$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
knowledge = api.knowledge()
print("kg cores:", len(knowledge.list_kg_cores()))
print("de cores:", len(knowledge.list_de_cores()))
