"""GEXF 1.3 for Gephi: entities as nodes with attributes, links as edges."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from unveil.cases.exports.graph import EntityGraph

NAMESPACE = "http://gexf.net/1.3"
NODE_ATTRIBUTES = ("type", "city", "posted_at", "platform", "network", "evidence_sha256", "country")


def write_gexf(graph: EntityGraph, out: Path) -> tuple[int, int]:
    """Write the graph; return (nodes, edges)."""
    root = ET.Element("gexf", {"xmlns": NAMESPACE, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "unveil"
    body = ET.SubElement(root, "graph", {"mode": "static", "defaultedgetype": "undirected"})
    node_attributes = ET.SubElement(body, "attributes", {"class": "node"})
    for index, name in enumerate(NODE_ATTRIBUTES):
        ET.SubElement(node_attributes, "attribute", {"id": str(index), "title": name, "type": "string"})
    edge_attributes = ET.SubElement(body, "attributes", {"class": "edge"})
    ET.SubElement(edge_attributes, "attribute", {"id": "0", "title": "kind", "type": "string"})
    ET.SubElement(edge_attributes, "attribute", {"id": "1", "title": "date", "type": "string"})
    nodes = ET.SubElement(body, "nodes")
    for entity in graph.entities.values():
        node = ET.SubElement(nodes, "node", {"id": entity.id, "label": entity.label})
        values = ET.SubElement(node, "attvalues")
        for index, name in enumerate(NODE_ATTRIBUTES):
            value = entity.type if name == "type" else entity.attributes.get(name, "")
            if value:
                ET.SubElement(values, "attvalue", {"for": str(index), "value": value})
    edges = ET.SubElement(body, "edges")
    for link in graph.links:
        attributes = {
            "id": link.id,
            "source": link.source,
            "target": link.target,
            "label": link.label,
            "weight": f"{link.weight:g}",
        }
        if link.directed:
            attributes["type"] = "directed"
        edge = ET.SubElement(edges, "edge", attributes)
        values = ET.SubElement(edge, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "0", "value": link.type})
        if link.date:
            ET.SubElement(values, "attvalue", {"for": "1", "value": link.date})
    out.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return len(graph.entities), len(graph.links)
