// Graphviz DOT out: a small model of a DOT graph (nodes, edges, clusters, same-rank groups) and the
// writer that serialises it. The writer promises valid DOT whatever the text (every id quoted, every
// label escaped, HTML-like labels built only from escaped text) and the same bytes for the same
// graph: attributes, nodes, edges and clusters are written in sorted order.
import Foundation

/// An attribute value: plain text (written as an escaped, quoted string) or an HTML-like label.
public enum DOTValue: Hashable, Sendable {
    case text(String)
    /// The markup between the outer `<` `>`; build it with `DOT.html(_:)` for any text inside.
    case html(String)
}

public typealias DOTAttributes = [String: DOTValue]

public struct DOTNode: Hashable, Sendable {
    public var id: String
    public var attributes: DOTAttributes
    public init(_ id: String, _ attributes: DOTAttributes = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

public struct DOTEdge: Hashable, Sendable {
    public var from: String
    public var to: String
    public var attributes: DOTAttributes
    public init(_ from: String, _ to: String, _ attributes: DOTAttributes = [:]) {
        self.from = from
        self.to = to
        self.attributes = attributes
    }
}

/// A `subgraph cluster_…` drawn as a box around its nodes.
public struct DOTCluster: Hashable, Sendable {
    public var id: String
    public var attributes: DOTAttributes
    public var nodes: [String]
    public init(_ id: String, _ attributes: DOTAttributes = [:], nodes: [String] = []) {
        self.id = id
        self.attributes = attributes
        self.nodes = nodes
    }
}

/// A whole directed graph, ready to write.
public struct DOTGraph: Hashable, Sendable {
    public var name: String
    /// Lines written as `//` comments at the top (e.g. what a limit left out).
    public var comments: [String] = []
    public var graphAttributes: DOTAttributes = [:]
    public var nodeDefaults: DOTAttributes = [:]
    public var edgeDefaults: DOTAttributes = [:]
    public var nodes: [DOTNode] = []
    public var edges: [DOTEdge] = []
    public var clusters: [DOTCluster] = []
    /// Groups of node ids drawn on the same rank.
    public var sameRank: [[String]] = []

    public init(name: String) { self.name = name }
}

/// Escaping for DOT's quoted strings and HTML-like labels.
public enum DOT {
    /// `text` as a DOT quoted string: `"`, `\` escaped, line breaks as `\n`, control characters dropped.
    ///
    ///     DOT.quoted(#"say "hi" \ {x}"#)  // "say \"hi\" \\ {x}"
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r", "\t": out += " "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// `text` escaped for the inside of an HTML-like label: `&`, `<`, `>`, `"` as entities,
    /// line breaks as `<BR/>`, control characters dropped.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += "<BR/>"
            case "\r", "\t": out += " "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Serialises a `DOTGraph` as DOT text.
public enum DOTWriter {
    public static func write(_ graph: DOTGraph) -> String {
        var out = ""
        for comment in graph.comments {
            for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
                out += "// \(line)\n"
            }
        }
        out += "digraph \(DOT.quoted(graph.name)) {\n"
        if !graph.graphAttributes.isEmpty { out += "  graph \(attributeList(graph.graphAttributes));\n" }
        if !graph.nodeDefaults.isEmpty { out += "  node \(attributeList(graph.nodeDefaults));\n" }
        if !graph.edgeDefaults.isEmpty { out += "  edge \(attributeList(graph.edgeDefaults));\n" }

        let nodesByID = Dictionary(graph.nodes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var clustered = Set<String>()
        for cluster in graph.clusters.sorted(by: { $0.id < $1.id }) {
            out += "  subgraph \(DOT.quoted("cluster_" + cluster.id)) {\n"
            if !cluster.attributes.isEmpty { out += "    graph \(attributeList(cluster.attributes));\n" }
            for id in Set(cluster.nodes).sorted() where !clustered.contains(id) {
                clustered.insert(id)
                out += "    " + nodeStatement(nodesByID[id] ?? DOTNode(id)) + "\n"
            }
            out += "  }\n"
        }
        for id in nodesByID.keys.sorted() where !clustered.contains(id) {
            out += "  " + nodeStatement(nodesByID[id]!) + "\n"
        }
        let ranks = graph.sameRank.map { Set($0).sorted() }.filter { !$0.isEmpty }.sorted { $0.lexicographicallyPrecedes($1) }
        for group in ranks {
            out += "  { rank=same; " + group.map { DOT.quoted($0) + ";" }.joined(separator: " ") + " }\n"
        }
        let edges = graph.edges.map { ($0, attributeList($0.attributes)) }
            .sorted { ($0.0.from, $0.0.to, $0.1) < ($1.0.from, $1.0.to, $1.1) }
        for (edge, attributes) in edges {
            out += "  \(DOT.quoted(edge.from)) -> \(DOT.quoted(edge.to))"
            if !edge.attributes.isEmpty { out += " " + attributes }
            out += ";\n"
        }
        out += "}\n"
        return out
    }

    static func nodeStatement(_ node: DOTNode) -> String {
        node.attributes.isEmpty ? DOT.quoted(node.id) + ";" : DOT.quoted(node.id) + " " + attributeList(node.attributes) + ";"
    }

    static func attributeList(_ attributes: DOTAttributes) -> String {
        "[" + attributes.keys.sorted().map { key in
            switch attributes[key]! {
            case .text(let text): return "\(key)=\(DOT.quoted(text))"
            case .html(let markup): return "\(key)=<\(markup)>"
            }
        }.joined(separator: ", ") + "]"
    }
}
