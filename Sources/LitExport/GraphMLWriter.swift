// GraphML out: the whole graph as one GraphML document (nodes `n<id>`, edges `e<id>`), one `<key>`
// per property key with the narrowest GraphML type its values fit (`boolean`, `int`, `long`,
// `double`, else `string`; lists and maps as JSON text). Labels go in the node key `labels` as
// `:Label:Other` and edge types in the edge key `label`, the convention Neo4j's and Gephi's GraphML
// importers read. Text is escaped for XML and characters XML forbids are dropped.
import Foundation
import LitStore

public enum GraphMLWriter {
    /// Streams the graph in `store` to `output`; returns the node and edge counts written.
    @discardableResult
    public static func write(_ store: GraphStore, to output: TextOutput) throws -> (nodes: Int, edges: Int) {
        try store.readGraph { reader in
            var nodeColumns = ColumnSet(), edgeColumns = ColumnSet()
            try reader.forEachNode { nodeColumns.add($0.properties) }
            try reader.forEachEdge { edgeColumns.add($0.properties) }
            let nodeKeys = nodeColumns.keys, edgeKeys = edgeColumns.keys
            let nodeKeyID = Dictionary(uniqueKeysWithValues: nodeKeys.enumerated().map { ($1, "n\($0)") })
            let edgeKeyID = Dictionary(uniqueKeysWithValues: edgeKeys.enumerated().map { ($1, "e\($0)") })

            try output.write("""
                <?xml version="1.0" encoding="UTF-8"?>
                <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
                  <key id="labels" for="node" attr.name="labels" attr.type="string"/>
                  <key id="label" for="edge" attr.name="label" attr.type="string"/>

                """)
            for key in nodeKeys {
                try output.write("  <key id=\"\(nodeKeyID[key]!)\" for=\"node\" attr.name=\"\(xml(key))\" attr.type=\"\(typeName(nodeColumns.types[key]!))\"/>\n")
            }
            for key in edgeKeys {
                try output.write("  <key id=\"\(edgeKeyID[key]!)\" for=\"edge\" attr.name=\"\(xml(key))\" attr.type=\"\(typeName(edgeColumns.types[key]!))\"/>\n")
            }
            try output.write("  <graph id=\"litgraph\" edgedefault=\"directed\">\n")
            var nodes = 0, edges = 0
            try reader.forEachNode { node in
                var line = "    <node id=\"n\(node.id)\">"
                line += "<data key=\"labels\">\(xml(node.labels.map { ":" + $0 }.joined()))</data>"
                for key in node.properties.keys.sorted() {
                    let value = node.properties[key]!
                    if value == .null { continue }
                    line += "<data key=\"\(nodeKeyID[key]!)\">\(xml(text(value, as: nodeColumns.types[key]!)))</data>"
                }
                try output.write(line + "</node>\n")
                nodes += 1
            }
            try reader.forEachEdge { edge in
                var line = "    <edge id=\"e\(edge.id)\" source=\"n\(edge.source)\" target=\"n\(edge.target)\">"
                line += "<data key=\"label\">\(xml(edge.type))</data>"
                for key in edge.properties.keys.sorted() {
                    let value = edge.properties[key]!
                    if value == .null { continue }
                    line += "<data key=\"\(edgeKeyID[key]!)\">\(xml(text(value, as: edgeColumns.types[key]!)))</data>"
                }
                try output.write(line + "</edge>\n")
                edges += 1
            }
            try output.write("  </graph>\n</graphml>\n")
            try output.finish()
            return (nodes, edges)
        }
    }

    static func typeName(_ type: ColumnType) -> String {
        switch type {
        case .bool: return "boolean"
        case .int: return "int"
        case .long: return "long"
        case .double: return "double"
        default: return "string"
        }
    }

    static func text(_ value: JSONValue, as type: ColumnType) -> String {
        switch (value, type) {
        case (.int(let i), .double): return "\(Double(i))"
        default: return value.displayText
        }
    }

    /// Escapes `&`, `<`, `>`, `"` and drops characters XML 1.0 does not allow.
    static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
