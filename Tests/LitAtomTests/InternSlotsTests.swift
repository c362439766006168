import Foundation
import GRDB
import Testing
import LitIngest
import LitModel
@testable import LitStore

/// The run's numbering of author names and categories, given while records are prepared, and the
/// nodes the writing thread keeps for the numbers.
@Suite struct InternSlotsTests {
    static let source = SourceFile(path: "/feeds/page.xml", format: "atom")

    static func record(_ id: String, authors: [String], categories: [String]) -> WorkRecord {
        var r = WorkRecord(via: "atom", line: 3)
        r.arxiv = ArxivID(base: id, version: 1)
        r.authors = authors.map { PersonName(display: $0, family: String($0.split(separator: " ").last ?? ""),
                                             given: String($0.split(separator: " ").first ?? "")) }
        r.categories = categories
        r.primaryCategory = categories.first
        return r
    }

    @Test func namesAreNumberedOnceAndNewOnesGetTheirNodeJSON() {
        let slots = InternSlots()
        let first = PreparedRecord(Self.record("2401.00001", authors: ["Ada Lovelace", "Alan Turing"], categories: ["cs.LG", "cs.AI"]),
                                   source: Self.source, slots: slots)
        let second = PreparedRecord(Self.record("2401.00002", authors: ["Grace Hopper", "Ada Lovelace"], categories: ["cs.AI"]),
                                    source: Self.source, slots: slots)
        #expect(Array(first.authorSlots) == [0, 1])
        #expect(Array(second.authorSlots) == [2, 0])
        #expect(Array(first.categorySlots) == [0, 1])
        #expect(Array(second.categorySlots) == [1])
        // The node text is prepared where a name is met first, as the writer would write it.
        #expect(first.authorNodes.map { String(decoding: $0, as: UTF8.self) } == [
            #"{"family":"Lovelace","given":"Ada","name":"Ada Lovelace"}"#,
            #"{"family":"Turing","given":"Alan","name":"Alan Turing"}"#,
        ])
        #expect(second.authorNodes.map(\.isEmpty) == [false, true])
        let hopper = second.record.authors[0]
        #expect(String(decoding: second.authorNodes[0], as: UTF8.self)
                == JSONValue.object(["family": .string(hopper.family), "given": .string(hopper.given),
                                     "name": .string(hopper.display)]).encoded)
        // Without a numbering nothing is numbered.
        let plain = PreparedRecord(Self.record("2401.00003", authors: ["Ada Lovelace"], categories: ["cs.LG"]), source: Self.source)
        #expect(plain.slots == nil && plain.slotNumbers.isEmpty && plain.authorNodes.isEmpty)
        // A record whose authors were all named before carries no node texts.
        let again = PreparedRecord(Self.record("2401.00004", authors: ["Alan Turing"], categories: ["cs.LG"]), source: Self.source, slots: slots)
        #expect(again.authorNodes.isEmpty && Array(again.authorSlots) == [1] && Array(again.categorySlots) == [0])
    }

    @Test func learntNodesStayOnCommitAndGoOnRollback() {
        let slots = InternSlots()
        slots.learn(.author, 2, node: 40)
        slots.learn(.category, 0, node: 7)
        #expect(slots.node(.author, 2) == 40)
        #expect(slots.node(.author, 0) == nil)
        #expect(slots.node(.author, 9) == nil)
        slots.commit()
        slots.learn(.author, 0, node: 41)
        slots.learn(.category, 1, node: 8)
        slots.rollback()
        #expect(slots.node(.author, 2) == 40)
        #expect(slots.node(.category, 0) == 7)
        #expect(slots.node(.author, 0) == nil)
        #expect(slots.node(.category, 1) == nil)
    }

    /// A file that fails after its first entry was stored met an author and a category first; its
    /// nodes are rolled back with it, and the next file, naming them again, gets nodes of its own
    /// rather than the rolled-back ids (which SQLite hands out again).
    @Test func namesFirstMetInAFailedFileStillResolve() throws {
        let (store, dir) = try Fixtures.store()
        let broken = feed(id: "2401.00001v1", title: "First", authors: ["Shared Author"], categories: ["cs.XX", "cs.AI"])
            .replacingOccurrences(of: "</feed>", with: """
                <entry><id>http://arxiv.org/abs/2401.00003v1</id><title>Broken</titel></entry>
                </feed>
                """)
        try broken.write(toFile: dir.appendingPathComponent("a-broken.xml").path, atomically: true, encoding: .utf8)
        try feed(id: "2401.00002v1", title: "Second", authors: ["Other Person", "Shared Author"], categories: ["cs.XX"])
            .write(toFile: dir.appendingPathComponent("b-good.xml").path, atomically: true, encoding: .utf8)
        let ingestor = Ingestor(store: store)
        let summary = ingestor.ingest(paths: [dir.path])
        #expect(summary.failedFiles == 1 && summary.papersNew == 1)
        let view = try paper(store, "2401.00002")
        #expect(view.authors.map(\.name) == ["Other Person", "Shared Author"])
        #expect(view.categories == ["cs.XX"])
        let ends = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.type, l.label, n.props FROM edge e JOIN node n ON n.id = e.dst JOIN node_label l ON l.node = n.id
                WHERE e.type IN ('AUTHORED_BY', 'IN_CATEGORY') ORDER BY e.id
                """).map { "\($0["type"] as String) \($0["label"] as String) \($0["props"] as String)" }
        }
        #expect(ends == [
            #"AUTHORED_BY Author {"family":"Person","given":"Other","name":"Other Person"}"#,
            #"AUTHORED_BY Author {"family":"Author","given":"Shared","name":"Shared Author"}"#,
            #"IN_CATEGORY Category {"id":"cs.XX"}"#,
        ])
        #expect(try store.count(label: "Author") == 2)
        #expect(try store.count(label: "Category") == 1)
    }
}
