"""Read a GraphML file with a real GraphML reader (networkx, from Debian's
python3-networkx) and print its node and edge counts:
    python3 tests/viz/graphml-read.py FILE.graphml [ATTR]
With ATTR, print each node's ATTR value as a JSON line after the counts."""
import json
import sys

import networkx

g = networkx.read_graphml(sys.argv[1])
print(g.number_of_nodes(), g.number_of_edges())
if len(sys.argv) > 2:
    for _, data in g.nodes(data=True):
        print(json.dumps(data.get(sys.argv[2]), ensure_ascii=False))
