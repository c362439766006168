// Mutation of the saved queries: deleting or duplicating any one token gives either a query that
// still compiles or a positioned diagnostic — never a trap — and running what compiles on a small
// graph fails, if at all, with a classified error.
import Foundation
import Testing
@testable import LitQuery

@Suite("Saved-query mutations")
struct MutationTests {
    static let folder = Paths.repo.appendingPathComponent("Queries")
    static var savedQueries: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".cypher") }.sorted()
    }
    static let parameters: [String: CypherValue] = [
        "method": .string("causal-tracing"), "class": .string("text-to-image-diffusion"),
        "arxiv": .string("2202.05262"), "depth": .int(2), "name": .string("Soheil Feizi"),
        "arxivs": .list([.string("2202.05262")]),
    ]

    @Test func savedQueriesExistWithHeaders() throws {
        #expect(Self.savedQueries.count >= 4)
        for name in Self.savedQueries {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("// "), "\(name) needs a header comment")
            #expect(text.contains("Parameters"), "\(name) should list its parameters")
            #expect(QueryEngine.check(text).isEmpty, "\(name) should compile")
        }
    }

    @Test(arguments: savedQueries)
    func everyTokenMutationGivesADiagnosticNotATrap(_ name: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
        let bytes = Array(text.utf8)
        let tokens = Lexer.tokenize(text).filter { $0.kind != .end }
        let graph = try QueryRowsTests.literature()
        var failures = 0
        for (i, token) in tokens.enumerated() {
            let piece = Array(bytes[token.start..<token.end])
            let deleted = Array(bytes[..<token.start]) + Array(bytes[token.end...])
            let duplicated = Array(bytes[..<token.end]) + [32] + piece + Array(bytes[token.end...])
            for (kind, variant) in [("delete", deleted), ("duplicate", duplicated)] {
                let mutated = String(decoding: variant, as: UTF8.self)
                do {
                    let compiled = try QueryEngine.compile(mutated, parameters: Self.parameters)
                    _ = try? QueryEngine.execute(compiled, on: graph.store)
                } catch let e as QueryError {
                    failures += 1
                    let d = e.diagnostic(source: mutated)
                    #expect(!e.message.isEmpty)
                    if !e.isUnsupported && e.detail != "MissingParameter" {
                        let span = try #require(d.span, "\(kind) token \(i) of \(name): no position for \(e)")
                        #expect(span.line >= 1 && span.column >= 1)
                        #expect(d.rendered(source: mutated).contains("^"))
                    }
                }
                if kind == "delete", case .symbol(let s) = token.kind, ["(", ")", "[", "]", "{", "}"].contains(s) {
                    #expect(!QueryEngine.check(mutated).isEmpty, "deleting '\(s)' (token \(i)) of \(name) should be an error")
                }
            }
        }
        #expect(failures > tokens.count / 2, "\(name): only \(failures) of \(tokens.count * 2) mutations were rejected")
    }
}
