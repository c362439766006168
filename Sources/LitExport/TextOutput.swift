// Where exporters write: a buffered UTF-8 stream to a file or standard output, or a string in
// memory (tests). Large exports stream through it instead of building one huge string.
import Foundation
import LitModel

/// A destination for exported text.
public protocol TextOutput: AnyObject {
    func write(_ text: String) throws
    /// Writes what is buffered; call once at the end.
    func finish() throws
}

/// Collects output in memory.
public final class StringOutput: TextOutput {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) throws { self.text += text }
    public func finish() throws {}
}

/// Writes to a file (created or truncated) or to standard output, through a 256 KB buffer.
public final class FileOutput: TextOutput {
    private let handle: FileHandle
    private let closes: Bool
    private var buffer: [UInt8] = []
    public let path: String?

    /// Opens `path` for writing; nil or `-` means standard output.
    public init(path: String?) throws {
        if let path, path != "-" {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw Diagnostic.error("export.output", "cannot write '\(path)'")
            }
            self.handle = handle
            self.closes = true
            self.path = path
        } else {
            self.handle = FileHandle.standardOutput
            self.closes = false
            self.path = nil
        }
        buffer.reserveCapacity(1 << 18)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 18 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw Diagnostic.error("export.output", "cannot write \(path.map { "'\($0)'" } ?? "standard output"): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func finish() throws {
        try flush()
        if closes { try? handle.close() }
    }
}
