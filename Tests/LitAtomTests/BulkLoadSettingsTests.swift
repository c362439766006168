// The settings a bulk load changes while it runs (full-text merging, checkpoint interval) and puts
// back when it ends, or on the next open when it was interrupted.
import Foundation
import GRDB
import Testing
@testable import LitStore

@Suite struct BulkLoadSettingsTests {
    /// FTS5's `automerge` as stored in the full-text index's configuration (nil: never set).
    private func automerge(_ store: GraphStore) throws -> Int? {
        try store.read { try Int.fetchOne($0, sql: "SELECT v FROM paper_fts_config WHERE k = 'automerge'") }
    }

    private func checkpointPages(_ store: GraphStore) throws -> Int? {
        try store.inDatabase { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
    }

    @Test func aBulkLoadPausesFullTextMergingAndCheckpointsAndEndsWithBoth() throws {
        let (store, _) = try Fixtures.store()
        #expect(try checkpointPages(store) == 1000)
        try store.deferIndexes()
        #expect(try automerge(store) == 0)
        // The writer makes no checkpoints of its own: a thread of the bulk load does.
        #expect(try checkpointPages(store) == 0)
        #expect(store.checkpoint != nil)
        try store.restoreIndexes()
        #expect(try automerge(store) == 4)
        #expect(try checkpointPages(store) == 1000)
        #expect(store.checkpoint == nil)
    }

    /// During a bulk load the log is copied into the database file by the load's checkpoint
    /// thread, while the writer's commits go on: the file grows before the load ends.
    @Test func aBulkLoadCheckpointsOnAThreadOfItsOwn() throws {
        let (store, dir) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("graph.sqlite").path
        func fileSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0 }
        try store.deferIndexes(checkpointPages: 20)
        let checkpoint = try #require(store.checkpoint)
        let before = try fileSize()
        let text = String(repeating: "a long title ", count: 150)
        for batch in 0..<30 {
            try store.build { graph in
                for i in 0..<20 { try graph.addNode(labels: ["Paper"], properties: ["title": .string("\(text)\(batch).\(i)")]) }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while checkpoint.runs == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(checkpoint.runs > 0)
        #expect(try fileSize() > before)
        try store.restoreIndexes()
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM node") } == 600)
        #expect(try store.indexNames().contains("edge_in"))
    }

    @Test func anInterruptedBulkLoadGetsFullTextMergingBackOnOpen() throws {
        let (store, dir) = try Fixtures.store()
        try store.deferIndexes()
        #expect(try automerge(store) == 0)
        let reopened = try GraphStore(path: dir.appendingPathComponent("graph.sqlite").path)
        #expect(try automerge(reopened) == 4)
    }
}
