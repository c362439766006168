// Locating ../shared beside the repository, and running the real bibtex through the oracle script.
import Foundation
import LitBibTeX

enum Fixtures {
    /// `<repo root>/../shared`, found from this file's path.
    static let shared: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static let bibtex = shared.appendingPathComponent("fixtures/bibtex")
    static let oracleTool = shared.appendingPathComponent("tools/bibtex-oracle")

    static var available: Bool { FileManager.default.fileExists(atPath: bibtex.path) }

    /// Every .bib file under fixtures/bibtex, as paths relative to it.
    static func bibFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: bibtex.path) else { return [] }
        var out: [String] = []
        while let path = walker.nextObject() as? String {
            if path.hasSuffix(".bib") { out.append(path) }
        }
        return out.sorted()
    }

    static func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: bibtex.appendingPathComponent(relative)))
    }

    static func parse(_ relative: String) throws -> BibTeXDatabase {
        BibTeXDatabase(BibTeXParser.parse(BibTeXSource(path: relative, bytes: try read(relative))))
    }

    /// The path of a program on $PATH, or nil.
    static func which(_ program: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static var hasBibtex: Bool { which("bibtex") != nil && FileManager.default.fileExists(atPath: oracleTool.path) }

    /// Runs a program, returning its exit status and standard output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    struct OracleEntry: Decodable { var key: String; var type: String; var fields: [String: String] }
    struct OracleResult: Decodable { var entries: [OracleEntry]; var messages: [String] }

    /// What the real bibtex sees in a file (every key cited, dump.bst).
    static func oracle(_ path: String) throws -> OracleResult {
        let (_, out) = try run("/bin/bash", [oracleTool.path, path])
        return try JSONDecoder().decode(OracleResult.self, from: Data(out.utf8))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("litbib-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
