// The write side's bookkeeping across sessions: which indexes a bulk load leaves up, the repair of a
// database an earlier bulk load left without some, and the run's interned nodes after a rollback.
import Foundation
import GRDB
import Testing
import LitModel
@testable import LitStore

@Suite struct StoreWriteTests {
    private struct Abort: Error {}

    @Test func aBulkLoadKeepsEveryIndexButEdgesByTarget() throws {
        let (store, _) = try Fixtures.store()
        let indexes = try store.indexNames()
        try store.deferIndexes()
        #expect(Set(indexes).subtracting(try store.indexNames()) == ["edge_in"])
        try store.restoreIndexes()
        #expect(try store.indexNames() == indexes)
    }

    /// A paper's categories are read through its outgoing edges, inside a bulk load or not: a
    /// walk of every IN_CATEGORY edge by type would make each merge of a known paper cost as much as
    /// the graph's categories.
    @Test func aPapersCategoriesAreReadByItsOutgoingEdges() throws {
        let (store, dir) = try Fixtures.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        func plan() throws -> String {
            try store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + GraphStore.paperCategoriesSQL, arguments: [1])
                    .map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
            }
        }
        for bulk in [false, true] {
            if bulk { try store.deferIndexes() }
            let detail = try plan()
            #expect(detail.contains("edge_out (src=? AND type=?)"), "\(detail)")
            #expect(!detail.contains("edge_by_type"), "\(detail)")
        }
        try store.restoreIndexes()
    }

    /// A load interrupted under a version that deferred more indexes (the property indexes, labels
    /// and identifiers by node) gets all of them back on the next writable open.
    @Test func indexesAnEarlierBulkLoadDroppedReturnOnOpen() throws {
        let (store, dir) = try Fixtures.store()
        let indexes = try store.indexNames()
        try store.inDatabase { db in
            for name in ["node_prop_name", "node_prop_arxiv", "ident_by_node", "node_label_by_node", "edge_by_type"] {
                try db.execute(sql: "DROP INDEX \(name)")
            }
        }
        #expect(try store.indexNames().count == indexes.count - 5)
        let reopened = try GraphStore(path: dir.appendingPathComponent("graph.sqlite").path)
        #expect(try reopened.indexNames() == indexes)
    }

    /// A session that rolls back takes the nodes it interned out of the run's cache: the next
    /// session makes the node again instead of pointing at one that was never stored.
    @Test func aRolledBackSessionForgetsWhatItInterned() throws {
        let (store, _) = try Fixtures.store()
        let cache = InternCache()
        let source = SourceFile(path: "/tmp/one.atom", format: "atom")
        var lost: Int64 = 0
        #expect(throws: Abort.self) {
            try store.writeSession(source: source, cache: cache) { writer in
                lost = try writer.intern(label: "Author", key: "name", value: "Ada Lovelace", props: [:])
                throw Abort()
            }
        }
        #expect(lost > 0)
        let (author, props, again) = try store.writeSession(source: source, cache: cache) { writer in
            let author = try writer.intern(label: "Author", key: "name", value: "Ada Lovelace", props: [:])
            let again = try writer.intern(label: "Author", key: "name", value: "Ada Lovelace", props: [:])
            return (author, try writer.props(of: author), again)
        }
        #expect(props["name"]?.stringValue == "Ada Lovelace")
        #expect(again == author)
        let count = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM node_label WHERE label = 'Author'")
        }
        #expect(count == 1)
        // A third session finds it through the cache, without making another.
        let third = try store.writeSession(source: source, cache: cache) { writer in
            try writer.intern(label: "Author", key: "name", value: "Ada Lovelace", props: [:])
        }
        #expect(third == author)
    }
}
