// The gap report runs gap-matrix and gap-status at the same time (on two connections): an error in
// an edited query is still reported at its line and column in its .cypher file, and when both are
// broken the error is gap-matrix's, as when they ran one after the other.
import Foundation
import LitExport
import LitModel
import Testing

@Suite("Errors of the saved gap queries")
struct GapQueryErrorTests {
    /// A folder holding the built-in gap queries, with `broken` replaced by text that fails to compile.
    static func folder(breaking broken: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-gapq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in GapQueries.names {
            let text = broken.contains(name) ? "// edited\nMATCH (p:Paper)\nRETURN p.year AS year, nope AS methods\n" : GapQueries.builtIn[name]!
            try text.write(to: folder.appendingPathComponent(name + ".cypher"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test(arguments: [(["gap-status"], "gap-status"), (["gap-matrix"], "gap-matrix"), (["gap-matrix", "gap-status"], "gap-matrix")])
    func errorNamesTheFileLineAndColumn(_ broken: [String], _ reported: String) throws {
        let (store, graphFolder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: graphFolder) }
        let queries = try Self.folder(breaking: broken)
        defer { try? FileManager.default.removeItem(at: queries) }
        do {
            _ = try GapData.query(store, queries: queries.path)
            Issue.record("a broken \(broken) gave no error")
        } catch let d as Diagnostic {
            #expect(d.severity == .error)
            #expect(d.span?.file == queries.appendingPathComponent(reported + ".cypher").path, "\(d)")
            #expect(d.span?.line == 3 && d.span?.column == 24, "\(d)")
            #expect(d.message.contains("nope"), "\(d)")
        }
    }

    /// The report is the same however often it is asked: the two queries' rows are gathered apart.
    @Test func repeatedReportsAreEqual() throws {
        let (store, graphFolder) = try buildGapGraph()
        defer { try? FileManager.default.removeItem(at: graphFolder) }
        let first = GapReportBuilder(data: try GapData.query(store)).report()
        for _ in 0..<5 {
            #expect(GapReportBuilder(data: try GapData.query(store)).report() == first)
        }
    }
}
