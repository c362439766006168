// Rendering DOT through Graphviz's `dot` program when it is installed: DOT text in on stdin, an SVG,
// PNG or PDF file out. When `dot` is missing the error says how to install it.
import Foundation
import LitModel

/// Picture formats `dot` renders.
public enum RenderFormat: String, CaseIterable, Sendable {
    case svg, png, pdf
}

public enum GraphvizRenderer {
    /// The `dot` executable on `PATH`, if any.
    public static func dotExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/dot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let installHint = "install Graphviz: `apt-get install graphviz` (Debian, Ubuntu), `dnf install graphviz` (Fedora) or `brew install graphviz` (macOS); or leave out --render and render the DOT file elsewhere"

    /// Renders `dot` text to `output` in `format`; returns the warnings `dot` printed (one per line).
    public static func render(_ dotText: String, format: RenderFormat, to output: String) throws -> [String] {
        guard let executable = dotExecutable() else {
            throw Diagnostic.error("export.render.no-dot", "cannot render \(format.rawValue): Graphviz's `dot` is not installed (not found on PATH)",
                                   notes: [installHint])
        }
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("litgraph-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).dot")
        do {
            try Data(dotText.utf8).write(to: input)
        } catch {
            throw Diagnostic.error("export.render.failed", "cannot write a temporary file for `dot`: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-T\(format.rawValue)", "-o", output, input.path]
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Diagnostic.error("export.render.failed", "cannot run '\(executable)': \(error.localizedDescription)")
        }
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let messages = String(decoding: errorData, as: UTF8.self)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard process.terminationStatus == 0 else {
            throw Diagnostic.error("export.render.failed", "`dot -T\(format.rawValue)` failed with status \(process.terminationStatus)",
                                   notes: messages)
        }
        return messages
    }
}
