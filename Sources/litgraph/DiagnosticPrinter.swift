// Printing diagnostics for people: compiler-style on stderr, with the offending source line and a
// caret, read from the file only as far as that line.
import Foundation
import LitModel

enum DiagnosticPrinter {
    /// Writes each diagnostic to stderr with its source excerpt when the file can be read.
    static func print(_ diagnostics: [Diagnostic]) {
        for d in diagnostics {
            var source: String?
            if let span = d.span, let line = sourceLine(span.line, of: span.file) {
                // `rendered` looks the line up by number: give it that line at that number.
                source = String(repeating: "\n", count: span.line - 1) + line
            }
            printError(d.rendered(source: source))
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Line `number` (1-based) of the file at `path`, reading no further than needed.
    static func sourceLine(_ number: Int, of path: String) -> String? {
        guard number >= 1, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var current = 1
        var lineBytes: [UInt8] = []
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            for byte in chunk {
                if byte == 0x0A {
                    if current == number { return String(decoding: lineBytes, as: UTF8.self) }
                    current += 1
                    lineBytes.removeAll(keepingCapacity: true)
                } else if current == number {
                    lineBytes.append(byte)
                    if lineBytes.count > 4000 { return String(decoding: lineBytes, as: UTF8.self) }
                }
            }
        }
        return current == number ? String(decoding: lineBytes, as: UTF8.self) : nil
    }
}
