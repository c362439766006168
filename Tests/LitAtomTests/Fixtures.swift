// Where the shared fixtures and the corpus generator live: `<repo root>/../shared`, found from this
// file's path so that a clone elsewhere with shared/ beside it works too.
import Foundation
import LitStore

enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let atom = shared.appendingPathComponent("fixtures/atom")
    static let generator = shared.appendingPathComponent("bench/gen_corpus.py")

    static var available: Bool { FileManager.default.fileExists(atPath: atom.path) }
    static var generatorAvailable: Bool {
        FileManager.default.fileExists(atPath: generator.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    static func golden(_ name: String) -> String {
        atom.appendingPathComponent("arxiv.py-golden-2026").appendingPathComponent(name).path
    }

    static func doc(_ name: String) -> String {
        atom.appendingPathComponent("arxiv-docs").appendingPathComponent(name).path
    }

    /// A fresh temporary folder.
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A fresh database in a temporary folder.
    static func store() throws -> (GraphStore, URL) {
        let dir = try tempDir()
        return (try GraphStore(path: dir.appendingPathComponent("graph.sqlite").path), dir)
    }

    /// Runs the corpus generator; returns the corpus folder.
    static func generate(papers: Int, style: String, pageSize: Int = 500) throws -> URL {
        let dir = try tempDir()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [generator.path, "--papers", String(papers), "--page-size", String(pageSize),
                             "--atom-style", style, "--out", dir.path, "--jobs", "1"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return dir
    }
}
