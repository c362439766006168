// `litgraph stats`: node counts per label and edge counts per type, as a table or JSON.
import ArgumentParser
import Foundation
import LitModel
import LitStore

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count the graph's nodes per label and edges per type.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Output format: table or json.")
    var format: Format = .table

    func run() throws {
        let stats: GraphStats
        do {
            stats = try GraphStore(path: database.path).stats()
        } catch let d as Diagnostic {
            DiagnosticPrinter.print([d])
            throw ExitCode(1)
        }
        switch format {
        case .json:
            var nodes: [String: JSONValue] = [:]
            for (label, n) in stats.nodes { nodes[label] = .int(n) }
            var edges: [String: JSONValue] = [:]
            for (type, n) in stats.edges { edges[type] = .int(n) }
            print(JSONValue.object(["nodes": .object(nodes), "edges": .object(edges)]).encoded)
        case .table:
            let width = max(12, (stats.nodes.map(\.label.count) + stats.edges.map(\.type.count)).max() ?? 0)
            func row(_ name: String, _ n: Int) -> String {
                name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(n)
            }
            print("nodes")
            for (label, n) in stats.nodes { print("  " + row(label, n)) }
            print("edges")
            for (type, n) in stats.edges { print("  " + row(type, n)) }
        }
    }
}
