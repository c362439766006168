// JSON out: the whole graph as one document, a node or an edge per line so that it streams and
// diffs well. Values keep their types (integers, reals, booleans, lists, maps) and map keys are
// sorted, so the same graph gives the same bytes.
//
//     {"nodes":[
//     {"id":1,"labels":["Paper"],"properties":{"title":"…","year":2025}},
//     …],
//     "edges":[
//     {"id":1,"type":"CITES","source":1,"target":2,"properties":{"via":"citations"}},
//     …]}
import Foundation
import LitStore

public enum GraphJSONWriter {
    /// Streams the graph in `store` to `output`; returns the node and edge counts written.
    @discardableResult
    public static func write(_ store: GraphStore, to output: TextOutput) throws -> (nodes: Int, edges: Int) {
        try store.readGraph { reader in
            var nodes = 0, edges = 0
            try output.write("{\"nodes\":[\n")
            try reader.forEachNode { node in
                var line = nodes == 0 ? "" : ",\n"
                line += "{\"id\":\(node.id),\"labels\":"
                line += JSONValue.array(node.labels.map(JSONValue.string)).encoded
                line += ",\"properties\":" + JSONValue.object(node.properties).encoded + "}"
                try output.write(line)
                nodes += 1
            }
            try output.write("\n],\n\"edges\":[\n")
            try reader.forEachEdge { edge in
                var line = edges == 0 ? "" : ",\n"
                line += "{\"id\":\(edge.id),\"type\":" + JSONValue.string(edge.type).encoded
                line += ",\"source\":\(edge.source),\"target\":\(edge.target),\"properties\":"
                line += JSONValue.object(edge.properties).encoded + "}"
                try output.write(line)
                edges += 1
            }
            try output.write("\n]}\n")
            try output.finish()
            return (nodes, edges)
        }
    }
}
