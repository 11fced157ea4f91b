"""Read a GraphML file with a real GraphML reader (networkx, from Debian's
python3-networkx) and print its node and edge counts:
    python3 tests/viz/graphml-read.py FILE.graphml [ATTR]
With ATTR, print each node's ATTR value as a JSON line after the counts.
    python3 tests/viz/graphml-read.py --yed FILE.graphml
checks what yEd draws from (it reads only its yfiles graphics, not the
GraphML attributes): the nodegraphics and edgegraphics keys are declared,
every node has a y:ShapeNode with a geometry, a fill colour and a
y:NodeLabel equal to its label attribute, every edge a y:PolyLineEdge with a
target arrow and a y:EdgeLabel equal to its label; prints the counts of
nodes and edges checked, or the first mismatch and exits 1."""
import json
import re
import sys
import xml.etree.ElementTree as ET

import networkx

G = "{http://graphml.graphdrawing.org/xmlns}"
Y = "{http://www.yworks.com/xml/graphml}"


def yed(path):
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k for k in root.iter(G + "key")}
    graphics = {k.get("yfiles.type"): i for i, k in keys.items() if k.get("yfiles.type")}
    names = {i: (k.get("for"), k.get("attr.name")) for i, k in keys.items()}
    if set(graphics) != {"nodegraphics", "edgegraphics"}:
        sys.exit(f"yfiles keys: {sorted(graphics)}")

    def data(el, kind, name):
        for d in el.findall(G + "data"):
            if names.get(d.get("key")) == (kind, name):
                return d.text or ""
        return None

    def graphic(el, key):
        d = [d for d in el.findall(G + "data") if d.get("key") == graphics[key]]
        if len(d) != 1:
            sys.exit(f"{el.get('id')}: {len(d)} {key} elements")
        return d[0]

    nodes = edges = 0
    for n in root.iter(G + "node"):
        shape = graphic(n, "nodegraphics").find(Y + "ShapeNode")
        geo = shape.find(Y + "Geometry") if shape is not None else None
        fill = shape.find(Y + "Fill") if shape is not None else None
        label = shape.find(Y + "NodeLabel") if shape is not None else None
        if geo is None or fill is None or label is None:
            sys.exit(f"{n.get('id')}: no ShapeNode with Geometry, Fill and NodeLabel")
        if not all(float(geo.get(a)) >= 0 for a in ("x", "y", "width", "height")):
            sys.exit(f"{n.get('id')}: geometry {geo.attrib}")
        if not re.fullmatch(r"#[0-9a-f]{6}", fill.get("color", "")):
            sys.exit(f"{n.get('id')}: fill {fill.attrib}")
        if (label.text or "") != data(n, "node", "label"):
            sys.exit(f"{n.get('id')}: NodeLabel {label.text!r} != label {data(n, 'node', 'label')!r}")
        nodes += 1
    for e in root.iter(G + "edge"):
        line = graphic(e, "edgegraphics").find(Y + "PolyLineEdge")
        label = line.find(Y + "EdgeLabel") if line is not None else None
        arrows = line.find(Y + "Arrows") if line is not None else None
        if label is None or arrows is None or arrows.get("target") != "standard":
            sys.exit(f"{e.get('id')}: no PolyLineEdge with a target arrow and an EdgeLabel")
        if (label.text or "") != data(e, "edge", "label"):
            sys.exit(f"{e.get('id')}: EdgeLabel {label.text!r} != label {data(e, 'edge', 'label')!r}")
        edges += 1
    print(nodes, edges)


if sys.argv[1] == "--yed":
    yed(sys.argv[2])
    sys.exit(0)
g = networkx.read_graphml(sys.argv[1])
print(g.number_of_nodes(), g.number_of_edges())
if len(sys.argv) > 2:
    for _, data in g.nodes(data=True):
        print(json.dumps(data.get(sys.argv[2]), ensure_ascii=False))
