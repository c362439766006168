// Helpers for the query tests: a fresh store per test, and running queries to TCK-notation rows.
import Foundation
import LitQuery
import LitStore

/// A fresh database file removed when the value goes away.
final class ScratchStore {
    let path: String
    let store: GraphStore

    init() throws {
        path = NSTemporaryDirectory() + "litgraph-query-test-\(UUID().uuidString).sqlite"
        store = try QueryEngine.open(path: path)
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @discardableResult
    func run(_ query: String, _ parameters: [String: CypherValue] = [:]) throws -> QueryResult {
        try QueryEngine.run(query, parameters: parameters, on: store)
    }

    /// Rows as TCK text, one string per row with ` | ` between columns.
    func rows(_ query: String, _ parameters: [String: CypherValue] = [:]) throws -> [String] {
        try run(query, parameters).rows.map { $0.map(\.tckText).joined(separator: " | ") }
    }
}
