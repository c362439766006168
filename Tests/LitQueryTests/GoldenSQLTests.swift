// Golden files: each Golden/NAME.cypher compiles to exactly Golden/NAME.sql (the SQL of every
// stage, then the parameters). Re-record after an intended change with LITGRAPH_RECORD=1 and
// review the diff.
import Foundation
import Testing
@testable import LitQuery

@Suite("Query → SQL goldens")
struct GoldenSQLTests {
    static let folder = Paths.repo.appendingPathComponent("Tests/LitQueryTests/Golden")
    static let parameters: [String: CypherValue] = [
        "id": .string("2502.17516"), "names": .list([.string("Ada"), .string("Grace")]),
    ]

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".cypher") }.map { String($0.dropLast(7)) }.sorted()
    }

    static func render(_ compiled: CompiledQuery) -> String {
        var out = compiled.sqlText + ";\n"
        for name in compiled.arguments.keys.sorted(by: { ($0.count, $0) < ($1.count, $1) }) {
            out += "-- :\(name) = \(CypherValue.fromDatabase(compiled.arguments[name]!).tckText)\n"
        }
        return out
    }

    @Test func goldenFolderHasCases() {
        #expect(Self.cases.count >= 8)
    }

    @Test(arguments: cases)
    func sqlMatchesGolden(_ name: String) throws {
        let query = try String(contentsOf: Self.folder.appendingPathComponent(name + ".cypher"), encoding: .utf8)
        let sql = Self.render(try QueryEngine.compile(query, parameters: Self.parameters))
        let golden = Self.folder.appendingPathComponent(name + ".sql")
        if ProcessInfo.processInfo.environment["LITGRAPH_RECORD"] != nil {
            try sql.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(sql == expected, "\(name).sql differs; re-record with LITGRAPH_RECORD=1 if intended")
    }
}
