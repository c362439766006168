// Runs the built `litgraph` binary (<repo>/.build/debug or release) for end-to-end tests.
import Foundation

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum LitgraphBinary {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let atomFixtures = shared.appendingPathComponent("fixtures/atom")

    /// The built binary: next to this test bundle first, else in the repo's .build folders.
    static let path: String? = {
        var candidates: [String] = []
        if let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent().path as String? {
            candidates.append(bundleDir + "/litgraph")
        }
        for config in ["debug", "release"] {
            candidates.append(repoRoot.appendingPathComponent(".build/\(config)/litgraph").path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var available: Bool { path != nil }
    static var fixturesAvailable: Bool { available && FileManager.default.fileExists(atPath: atomFixtures.path) }

    static func run(_ arguments: [String], in folder: URL? = nil,
                    environment: [String: String] = [:]) throws -> RunResult {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LITGRAPH_DB")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // stderr to a file, stdout through a pipe read to its end: neither can fill up and block the child.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let errData = try Data(contentsOf: errURL)
        return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
