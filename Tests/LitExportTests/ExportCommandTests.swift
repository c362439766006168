// The `litgraph export …` commands end to end: the built binary on a database built through the
// store. Skipped when the binary has not been built (`swift build` first).
import Foundation
import Testing
import LitStore

private let binary: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for configuration in ["debug", "release"] {
        let path = root.appendingPathComponent(".build/\(configuration)/litgraph").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}()

private func litgraph(_ arguments: [String], environment: [String: String]? = nil) throws -> ExternalTools.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary!)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litexport-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    return ExternalTools.Result(status: process.terminationStatus,
                                stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                                stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

@Suite(.enabled(if: binary != nil, "the litgraph binary is not built: run `swift build` first"))
struct ExportCommandTests {
    @Test func dotToStandardOutputAndByQuery() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let all = try litgraph(["export", "dot", "--db", db.path, "--view", "citations"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.hasPrefix("// litgraph export dot --view citations") && all.stdout.contains("digraph \"citations\""))
        let selected = try litgraph(["export", "dot", "--db", db.path, "--view", "citations",
                                     "--query", "MATCH (p:Paper) WHERE p.year = $y RETURN p", "--param", "y=2023"])
        #expect(selected.status == 0, "\(selected.stderr)")
        #expect(selected.stdout.contains("Citations among 3 papers"))
    }

    @Test func badInputGivesPositionedDiagnosticsAndFailure() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let badQuery = try litgraph(["export", "dot", "--db", db.path, "--view", "citations", "--query", "MATCH (p:Paper RETURN p"])
        #expect(badQuery.status != 0)
        #expect(badQuery.stderr.contains("<query>:1:"), "\(badQuery.stderr)")
        let unknown = try litgraph(["export", "dot", "--db", db.path, "--view", "neighbourhood", "--around", "nosuch"])
        #expect(unknown.status == 1 && unknown.stderr.contains("error: no paper in the graph is named 'nosuch'"))
        let noAround = try litgraph(["export", "dot", "--db", db.path, "--view", "neighbourhood"])
        #expect(noAround.status != 0 && noAround.stderr.contains("--around"))
        let aux = db.file("doc.aux")
        try "\\citation{basu2023,missing2020}\n".write(toFile: aux, atomically: true, encoding: .utf8)
        let cited = try litgraph(["export", "dot", "--db", db.path, "--view", "citations", "--cite-keys", aux])
        #expect(cited.status == 0)
        #expect(cited.stderr.contains("doc.aux:1:20: warning: no paper in the graph answers to the key 'missing2020'"), "\(cited.stderr)")
        #expect(cited.stdout.contains("Citations among 1 paper selected by cited in"))
    }

    @Test func renderSaysHowToInstallGraphvizWhenItIsMissing() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let result = try litgraph(["export", "dot", "--db", db.path, "--view", "matrix", "--render", "svg", "--out", db.file("m.svg")],
                                  environment: ["PATH": db.directory.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Graphviz's `dot` is not installed") && result.stderr.contains("apt-get install graphviz"))
    }

    @Test(.enabled(if: ExternalTools.hasDot, "Graphviz `dot` is not installed"))
    func renderWritesThePicture() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let svg = db.file("taxonomy.svg")
        let result = try litgraph(["export", "dot", "--db", db.path, "--view", "taxonomy", "--render", "svg", "--out", svg])
        #expect(result.status == 0 && result.stderr == "wrote \(svg)\n", "\(result.stderr)")
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
    }

    @Test func graphmlJsonAndNeo4jCommands() throws {
        let db = try TemporaryStore()
        try SampleGraphs.small(db.store)
        let json = try litgraph(["export", "json", "--db", db.path])
        #expect(json.status == 0 && json.stdout.hasPrefix("{\"nodes\":["))
        let graphml = try litgraph(["export", "graphml", "--db", db.path, "--out", db.file("g.graphml")])
        #expect(graphml.status == 0 && graphml.stderr.contains("27 nodes, 37 edges"))
        let neo4j = try litgraph(["export", "neo4j", "--db", db.path, "--out", db.file("neo")])
        #expect(neo4j.status == 0)
        #expect(neo4j.stdout.contains("nodes_Paper.csv\t8") && neo4j.stdout.contains("relationships_CITES.csv\t10"))
    }
}
