// End-to-end runs of `litgraph query`: a small literature graph built through the binary, then
// saved queries by name, output formats, parameters, EXPLAIN and diagnostics with exit codes.
import Foundation
import Testing

@Suite("litgraph query end to end")
struct QueryCommandTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("litgraph")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    struct Run { var status: Int32; var out: String; var err: String }

    static func litgraph(_ args: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try #require(binary)
        process.arguments = args
        process.currentDirectoryURL = repo
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    /// A database with a few papers, authors, a method and citations, built with CREATE.
    static func graph() throws -> String {
        let db = NSTemporaryDirectory() + "litgraph-cli-query-\(UUID().uuidString).sqlite"
        let r = try litgraph(["query", "--db", db, """
            CREATE (s:Paper {key: 'lin2025survey', arxiv: '2502.17516', year: 2025, title: 'A Survey on Mechanistic Interpretability for Multi-Modal Foundation Models'}),
                   (r:Paper {key: 'meng2022locating', arxiv: '2202.05262', year: 2022, title: 'Locating and Editing Factual Associations in GPT'}),
                   (d:Paper {key: 'basu2024localizing', arxiv: '2310.13730', year: 2024, title: 'Localizing and Editing Knowledge in Text-to-Image Generative Models'}),
                   (m:Method {id: 'causal-tracing'}), (c:ModelClass {id: 'text-to-image-diffusion'}),
                   (a1:Author {name: 'Samyadeep Basu'}), (a2:Author {name: 'Soheil Feizi'}),
                   (s)-[:CITES]->(r), (s)-[:CITES]->(d), (d)-[:CITES]->(r),
                   (d)-[:USES_METHOD]->(m), (r)-[:USES_METHOD]->(m), (d)-[:STUDIES]->(c),
                   (s)-[:AUTHORED_BY {position: 1}]->(a1), (s)-[:AUTHORED_BY {position: 2}]->(a2),
                   (d)-[:AUTHORED_BY {position: 1}]->(a1), (d)-[:AUTHORED_BY {position: 2}]->(a2)
            """])
        #expect(r.status == 0, "setup failed: \(r.err)")
        return db
    }

    /// Deletes a database made by `graph()` with its WAL and shared-memory files.
    static func remove(_ db: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func savedQueryByNameWithParametersAsATable() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let r = try Self.litgraph(["query", "--db", db, "papers-by-method", "--param", "method=causal-tracing",
                                   "--param", "class=text-to-image-diffusion"])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "key                | arxiv      | year | title")
        #expect(lines.dropFirst(2).first == "basu2024localizing | 2310.13730 | 2024 | Localizing and Editing Knowledge in Text-to-Image Generative Models")
        #expect(lines.last == "(1 row)")
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func formatsForPipes() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let q = "MATCH (p:Paper)<-[:CITES]-(s:Paper {arxiv: $id}) RETURN p.arxiv AS arxiv, p.year AS year, [1, 2.5] AS l ORDER BY arxiv"
        let json = try Self.litgraph(["query", "--db", db, "--format", "json", "--param", "id=\"2502.17516\"", q])
        #expect(json.out == "[\n  {\"arxiv\": \"2202.05262\", \"year\": 2022, \"l\": [1, 2.5]},\n  {\"arxiv\": \"2310.13730\", \"year\": 2024, \"l\": [1, 2.5]}\n]\n")
        let csv = try Self.litgraph(["query", "--db", db, "--format", "csv", "--param", "id=\"2502.17516\"", q])
        #expect(csv.out == "arxiv,year,l\r\n2202.05262,2022,\"[1, 2.5]\"\r\n2310.13730,2024,\"[1, 2.5]\"\r\n")
        let tsv = try Self.litgraph(["query", "--db", db, "--format", "tsv", "--param", "id=\"2502.17516\"", q])
        #expect(tsv.out == "arxiv\tyear\tl\n2202.05262\t2022\t[1, 2.5]\n2310.13730\t2024\t[1, 2.5]\n")
        let tck = try Self.litgraph(["query", "--db", db, "--format", "tck"], stdin: "MATCH (p:Paper {arxiv: '2202.05262'}) RETURN p.year, 'a\tb' AS s")
        #expect(tck.out == "p.year\ts\n2022\t'a\\tb'\n")
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func arxivIdParameterUnquotedIsAString() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let q = "MATCH (p:Paper {arxiv: $id}) RETURN p.key AS key, $n AS n, $x AS x"
        for id in ["2502.17516", "\"2502.17516\""] {
            let r = try Self.litgraph(["query", "--db", db, "--format", "tsv", "--param", "id=\(id)", "--param", "n=2", "--param", "x=0.5", q])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out == "key\tn\tx\nlin2025survey\t2\t0.5\n", "--param id=\(id)")
        }
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func tckErrorsAndUnsupportedExitCodes() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let bad = try Self.litgraph(["query", "--db", db, "--format", "tck"], stdin: "RETURN 1 OR true")
        #expect(bad.status == 2)
        #expect(bad.out == "ERROR SyntaxError compile-time InvalidArgumentType\n")
        let runtime = try Self.litgraph(["query", "--db", db, "--format", "tck"], stdin: "UNWIND ['a'] AS x RETURN x * 2")
        #expect(runtime.status == 2)
        #expect(runtime.out == "ERROR TypeError runtime InvalidArgumentType\n")
        let unsupported = try Self.litgraph(["query", "--db", db, "--format", "tck"], stdin: "MATCH (n) SET n.x = 1")
        #expect(unsupported.status == 3)
        #expect(unsupported.out == "UNSUPPORTED SET\n")
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func diagnosticsOnStderrWithCaretAndSuggestion() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let r = try Self.litgraph(["query", "--db", db, "MATCH (paper:Paper)\nRETURN papr.title"])
        #expect(r.status == 2)
        #expect(r.out.isEmpty)
        #expect(r.err == "<query>:2:8: error: variable 'papr' is not defined\n 2 | RETURN papr.title\n   |        ^~~~\n  note: did you mean 'paper'?\n")
        let typo = try Self.litgraph(["query", "--db", db, "MATCH (p:Paprr) RETURN p.title"])
        #expect(typo.status == 0)
        #expect(typo.err.contains("<query>:1:10: warning: no label 'Paprr' in the graph"))
        #expect(typo.err.contains("did you mean 'Paper'?"))
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func explainPrintsSQLParametersAndPlan() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let r = try Self.litgraph(["query", "--db", db, "EXPLAIN MATCH (p:Paper {arxiv: $id}) RETURN p.title", "--param", "id=\"2502.17516\""])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("json_extract(n1.props, '$.arxiv') = :p3"))
        #expect(r.out.contains("-- :p3 = '2502.17516'"))
        #expect(r.out.contains("node_prop_arxiv"))
    }

    @Test(.enabled(if: binary != nil, "litgraph is not built"))
    func queryFromAFileAndFromStdin() throws {
        let db = try Self.graph()
        defer { Self.remove(db) }
        let file = NSTemporaryDirectory() + "litgraph-cli-\(UUID().uuidString).cypher"
        try "// coauthors\nMATCH (a:Author)<-[:AUTHORED_BY]-(p:Paper) RETURN a.name AS name, count(p) AS n ORDER BY name".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try Self.litgraph(["query", "--db", db, "--format", "tsv", file])
        #expect(r.out == "name\tn\nSamyadeep Basu\t2\nSoheil Feizi\t2\n")
        let s = try Self.litgraph(["query", "--db", db, "--format", "tsv"], stdin: "MATCH (p:Paper) RETURN count(*) AS papers")
        #expect(s.out == "papers\n3\n")
    }
}
