// The settings a bulk load changes while it runs (full-text merging, checkpoint interval) and puts
// back when it ends, or on the next open when it was interrupted.
import Foundation
import GRDB
import Testing
import LitStore

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
        #expect(try checkpointPages(store) == 16384)
        try store.restoreIndexes()
        #expect(try automerge(store) == 4)
        #expect(try checkpointPages(store) == 1000)
    }

    @Test func anInterruptedBulkLoadGetsFullTextMergingBackOnOpen() throws {
        let (store, dir) = try Fixtures.store()
        try store.deferIndexes()
        #expect(try automerge(store) == 0)
        let reopened = try GraphStore(path: dir.appendingPathComponent("graph.sqlite").path)
        #expect(try automerge(reopened) == 4)
    }
}
