// SQLite's process-wide settings (multi-thread mode, memory statistics off) take effect, and the
// store still behaves when several threads and connections use one database at once.
import Foundation
import GRDB
import Testing
@testable import LitStore

@Suite struct EngineSettingsTests {
    @Test func sqliteRunsWithoutConnectionMutexesOrMemoryStatistics() throws {
        let (store, dir) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        try store.build { graph in
            for i in 0..<50 { try graph.addNode(labels: ["Paper"], properties: ["title": .string("Paper \(i)")]) }
        }
        #expect(GraphStore.engineConfigured)
        let state = store.engineState()
        #expect(!state.connectionMutex)
        #expect(state.countedBytes == 0)
    }

    /// One writer commits batches of ten nodes while readers count them, on their own connections and
    /// on one connection that two threads share: every count is a whole number of batches, never
    /// smaller than one seen before, and the last is all of them.
    @Test func concurrentReadersSeeWholeTransactions() throws {
        let (store, dir) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = store.path
        let shared = try GraphStore(path: path, readonly: true)
        let batches = 40, perBatch = 10
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            do {
                if worker == 0 {
                    for batch in 0..<batches {
                        try store.build { graph in
                            for i in 0..<perBatch {
                                let node = try graph.addNode(labels: ["Paper"], properties: ["title": .string("P\(batch).\(i)")])
                                try graph.addIdentifier(kind: "bibkey", value: "k\(batch).\(i)", node: node)
                            }
                        }
                    }
                    return
                }
                let reader = worker <= 2 ? try GraphStore(path: path, readonly: true) : shared
                var last = 0
                for _ in 0..<200 {
                    let (nodes, idents) = try reader.read { db in
                        (try Int.fetchOne(db, sql: "SELECT count(*) FROM node") ?? -1,
                         try Int.fetchOne(db, sql: "SELECT count(*) FROM ident") ?? -1)
                    }
                    if nodes % perBatch != 0 || nodes < last || nodes != idents { failures.add("\(worker): \(nodes) nodes, \(idents) idents after \(last)") }
                    last = nodes
                }
            } catch {
                failures.add("\(worker): \(error)")
            }
        }
        #expect(failures.list.isEmpty, "\(failures.list.prefix(5))")
        #expect(try shared.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM node") } == batches * perBatch)
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ item: String) { lock.withLock { items.append(item) } }
        var list: [String] { lock.withLock { items } }
    }
}
