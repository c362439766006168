// The openCypher TCK runner: parses the Gherkin features in ../shared/tck, expands outlines, runs
// the in-scope scenarios in process against a scratch store, and compares results as the TCK
// README (§4) specifies: bags or lists of rows, structural value equality, errors by type
// (lenient) and by type + phase + detail (strict), side effects counted straight from SQLite.
import Foundation
import GRDB
import LitQuery
import LitStore

struct TCKStep {
    var keyword: String
    var text: String
    var docString: String?
    var table: [[String]] = []
}

struct TCKScenario {
    var file: String
    var name: String
    var example: Int?
    var tags: [String]
    var steps: [TCKStep]
    var id: String { "\(file) :: \(name)" + (example.map { " #\($0)" } ?? "") }
}

enum Gherkin {
    /// Scenarios of one feature file, outlines expanded, Background prepended.
    static func scenarios(in text: String, file: String) -> [TCKScenario] {
        var out: [TCKScenario] = []
        var background: [TCKStep] = []
        var current: (name: String, outline: Bool, tags: [String], steps: [TCKStep], examples: [[[String]]])?
        var inBackground = false
        var pendingTags: [String] = []
        var examplesOpen = false
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        var i = 0
        func finish() {
            guard let c = current else { return }
            if c.outline {
                var k = 0
                for table in c.examples where table.count > 1 {
                    let header = table[0]
                    for row in table.dropFirst() {
                        k += 1
                        func sub(_ s: String) -> String {
                            var r = s
                            for (h, v) in zip(header, row) { r = r.replacingOccurrences(of: "<\(h)>", with: v) }
                            return r
                        }
                        let steps = (background + c.steps).map { st in
                            TCKStep(keyword: st.keyword, text: sub(st.text), docString: st.docString.map(sub),
                                    table: st.table.map { $0.map(sub) })
                        }
                        out.append(TCKScenario(file: file, name: c.name, example: k, tags: c.tags, steps: steps))
                    }
                }
            } else {
                out.append(TCKScenario(file: file, name: c.name, example: nil, tags: c.tags, steps: background + c.steps))
            }
            current = nil
        }
        func appendStep(_ step: TCKStep) {
            if inBackground { background.append(step) } else { current?.steps.append(step) }
        }
        func lastStepMutate(_ body: (inout TCKStep) -> Void) {
            if inBackground { if !background.isEmpty { body(&background[background.count - 1]) } } else if current != nil, !current!.steps.isEmpty {
                body(&current!.steps[current!.steps.count - 1])
            }
        }
        while i < lines.count {
            let raw = lines[i]
            let line = raw.trimmingCharacters(in: .whitespaces)
            i += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("@") { pendingTags += line.split(separator: " ").map(String.init); continue }
            if line.hasPrefix("Feature:") { continue }
            if line.hasPrefix("Background:") { inBackground = true; continue }
            if line.hasPrefix("Scenario Outline:") || line.hasPrefix("Scenario:") {
                finish()
                inBackground = false
                examplesOpen = false
                let outline = line.hasPrefix("Scenario Outline:")
                let name = String(line.dropFirst(outline ? "Scenario Outline:".count : "Scenario:".count)).trimmingCharacters(in: .whitespaces)
                current = (name, outline, pendingTags, [], [])
                pendingTags = []
                continue
            }
            if line.hasPrefix("Examples:") { examplesOpen = true; current?.examples.append([]); pendingTags = []; continue }
            if line.hasPrefix("\"\"\"") {
                // Doc string: strip the opening quotes' indentation.
                let indent = raw.prefix(while: { $0 == " " || $0 == "\t" }).count
                var body: [String] = []
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("\"\"\"") {
                    let l = lines[i]
                    let strip = min(indent, l.prefix(while: { $0 == " " || $0 == "\t" }).count)
                    body.append(String(l.dropFirst(strip)))
                    i += 1
                }
                i += 1
                lastStepMutate { $0.docString = body.joined(separator: "\n") }
                continue
            }
            if line.hasPrefix("|") {
                let cells = splitRow(line)
                if examplesOpen, current != nil {
                    current!.examples[current!.examples.count - 1].append(cells)
                } else {
                    lastStepMutate { $0.table.append(cells) }
                }
                continue
            }
            for kw in ["Given ", "When ", "Then ", "And ", "But "] where line.hasPrefix(kw) {
                examplesOpen = false
                appendStep(TCKStep(keyword: kw.trimmingCharacters(in: .whitespaces), text: String(line.dropFirst(kw.count)).trimmingCharacters(in: .whitespaces)))
            }
        }
        finish()
        return out
    }

    /// Cells of a table row, trimmed, with `\|` kept escaped until `unescape`.
    static func splitRow(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var chars = Array(line)
        if chars.first == "|" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count { cell.append(c); cell.append(chars[i + 1]); i += 2; continue }
            if c == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = ""; i += 1; continue }
            cell.append(c)
            i += 1
        }
        return cells
    }

    static func unescape(_ cell: String) -> String {
        var out = ""
        var chars = Array(cell)[...]
        while let c = chars.popFirst() {
            if c == "\\", let n = chars.first {
                if n == "|" { out.append("|"); chars.removeFirst(); continue }
                if n == "\\" { out.append("\\"); chars.removeFirst(); continue }
                if n == "n" { out.append("\n"); chars.removeFirst(); continue }
            }
            out.append(c)
        }
        return out
    }
}

enum TCKOutcome: String { case passed, failed, unsupported, skipped }

struct TCKResult {
    var scenario: TCKScenario
    var outcome: TCKOutcome
    var strict: Bool
    var reason: String
}

final class TCKRunner {
    let root: URL
    let store: GraphStore
    let dbPath: String

    /// How a query runs: in process by default; `viaBinary` runs the `litgraph` executable.
    var execute: (String, [String: CypherValue]) throws -> QueryResult = { _, _ in QueryResult(columns: [], rows: []) }

    init(root: URL) throws {
        self.root = root
        dbPath = NSTemporaryDirectory() + "litgraph-tck-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).sqlite"
        store = try QueryEngine.open(path: dbPath)
        let store = self.store
        execute = { query, parameters in try QueryEngine.run(query, parameters: parameters, on: store) }
    }

    /// Runs queries through `litgraph query --format tck` as the TCK README's runner contract says.
    func useBinary(_ binary: URL) {
        let db = dbPath
        execute = { query, parameters in
            var args = ["query", "--db", db, "--format", "tck"]
            var paramFile: String?
            if !parameters.isEmpty {
                let path = NSTemporaryDirectory() + "litgraph-tck-params-\(UUID().uuidString).tsv"
                let lines = parameters.map { "\($0.key)\t\($0.value.tckText.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n"))" }
                try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
                args += ["--params", path]
                paramFile = path
            }
            defer { if let paramFile { try? FileManager.default.removeItem(atPath: paramFile) } }
            let (status, out) = try Self.spawn(binary, args, stdin: query)
            func unwire(_ s: Substring) -> String {
                var r = ""
                var it = s.makeIterator()
                while let c = it.next() {
                    if c == "\\" {
                        // Only \t and \n are wire escapes; anything else stays as written.
                        if let n = it.next() {
                            if n == "t" { r.append("\t") } else if n == "n" { r.append("\n") } else { r.append(c); r.append(n) }
                        } else { r.append(c) }
                    } else { r.append(c) }
                }
                return r
            }
            switch status {
            case 0:
                let lines = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                guard let header = lines.first else { return QueryResult(columns: [], rows: []) }
                let columns = header.split(separator: "\t", omittingEmptySubsequences: false).map(unwire)
                var rows: [[CypherValue]] = []
                for line in lines.dropFirst() {
                    let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
                    rows.append(try cells.map { cell in
                        guard let v = CypherValue.parseTCK(unwire(cell)) else {
                            throw QueryError("Error", "*", "unparseable output cell \(cell)", phase: .runtime)
                        }
                        return v
                    })
                }
                return QueryResult(columns: columns, rows: rows)
            case 2:
                let f = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
                guard f.count == 4, f[0] == "ERROR" else { throw QueryError("Error", "*", "bad error line: \(out)", phase: .runtime) }
                throw QueryError(f[1], f[3], "from litgraph", phase: f[2] == "runtime" ? .runtime : .compileTime)
            case 3:
                throw QueryError("Unsupported", String(out.dropFirst("UNSUPPORTED ".count)).trimmingCharacters(in: .whitespacesAndNewlines), "unsupported")
            default:
                throw QueryError("Error", "*", "litgraph exited with \(status): \(out)", phase: .runtime)
            }
        }
    }

    static func spawn(_ binary: URL, _ args: [String], stdin: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
    }

    /// `file\tscenario\texample` → tier.
    func scope() throws -> [String: String] {
        let text = try String(contentsOf: root.appendingPathComponent("scope.tsv"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4 else { continue }
            out["\(f[0])\t\(f[1])\t\(f[2])"] = f[3]
        }
        return out
    }

    func allScenarios() throws -> [TCKScenario] {
        let features = root.appendingPathComponent("features")
        guard let walker = FileManager.default.enumerator(at: features, includingPropertiesForKeys: nil) else { return [] }
        var paths: [String] = []
        for case let url as URL in walker where url.pathExtension == "feature" {
            paths.append(String(url.path.dropFirst(features.path.count + 1)))
        }
        var out: [TCKScenario] = []
        for rel in paths.sorted() {
            let text = try String(contentsOf: features.appendingPathComponent(rel), encoding: .utf8)
            out += Gherkin.scenarios(in: text, file: rel)
        }
        return out
    }

    func reset() throws {
        try store.write { db in
            try db.execute(sql: "DELETE FROM node_label; DELETE FROM edge; DELETE FROM node;")
        }
    }

    struct Counts: Equatable { var nodes = 0, rels = 0, props = 0, labels = 0 }

    func counts() throws -> Counts {
        try store.read { db in
            Counts(
                nodes: try Int.fetchOne(db, sql: "SELECT count(*) FROM node") ?? 0,
                rels: try Int.fetchOne(db, sql: "SELECT count(*) FROM edge") ?? 0,
                props: (try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM node, json_each(node.props)) + (SELECT count(*) FROM edge, json_each(edge.props))") ?? 0),
                labels: try Int.fetchOne(db, sql: "SELECT count(DISTINCT label) FROM node_label") ?? 0)
        }
    }

    func run(_ s: TCKScenario) -> TCKResult {
        func result(_ o: TCKOutcome, _ reason: String = "", strict: Bool = false) -> TCKResult {
            TCKResult(scenario: s, outcome: o, strict: strict || o == .passed && reason.isEmpty, reason: reason)
        }
        if s.tags.contains("@ignore") { return result(.skipped, "@ignore") }
        do { try reset() } catch { return result(.failed, "reset: \(error)") }
        var params: [String: CypherValue] = [:]
        var outcome: Result<QueryResult, QueryError>?
        var before = Counts(), after = Counts()
        for step in s.steps {
            let text = step.text
            switch step.keyword {
            // A setup step: a Given, or an And before the query has run.
            case let keyword where keyword == "Given" || keyword == "And" && outcome == nil:
                if text == "an empty graph" || text == "any graph" { continue }
                if text.hasPrefix("the ") && text.hasSuffix(" graph") {
                    let name = String(text.dropFirst(4).dropLast(6))
                    let file = root.appendingPathComponent("graphs/\(name)/\(name).cypher")
                    guard var q = try? String(contentsOf: file, encoding: .utf8) else { return result(.skipped, "graph \(name)") }
                    q = q.trimmingCharacters(in: .whitespacesAndNewlines)
                    if q.hasSuffix(";") { q.removeLast() }
                    do { _ = try execute(q, [:]) } catch { return result(.failed, "setup: \(error)") }
                    continue
                }
                if text.hasPrefix("having executed") {
                    do { _ = try execute(step.docString ?? "", [:]) } catch {
                        if let e = error as? QueryError, e.isUnsupported { return result(.unsupported, "setup: \(e.detail)") }
                        return result(.failed, "setup: \(error)")
                    }
                    continue
                }
                if text.hasPrefix("parameters are") {
                    for row in step.table {
                        guard row.count >= 2, let v = CypherValue.parseTCK(Gherkin.unescape(row[1])) else {
                            return result(.skipped, "unparseable parameter")
                        }
                        params[row[0]] = v
                    }
                    continue
                }
                return result(.skipped, "unhandled step: \(text)")
            case "When":
                guard text.hasPrefix("executing query") else { return result(.skipped, "unhandled step: \(text)") }
                do {
                    before = try counts()
                    outcome = .success(try execute(step.docString ?? "", params))
                } catch let e as QueryError {
                    if e.isUnsupported { return result(.unsupported, e.detail) }
                    outcome = .failure(e)
                } catch {
                    outcome = .failure(QueryError("Error", "*", "\(error)", phase: .runtime))
                }
                after = (try? counts()) ?? before
            default:
                guard let outcome else { return result(.skipped, "step before query: \(text)") }
                if text.hasPrefix("executing control query") { return result(.skipped, "control query") }
                if text.hasPrefix("the result should be") {
                    guard case .success(let r) = outcome else {
                        if case .failure(let e) = outcome { return result(.failed, "error: \(e.type) \(e.detail): \(e.message)") }
                        continue
                    }
                    if text == "the result should be empty" {
                        if !r.rows.isEmpty { return result(.failed, "expected no rows, got \(r.rows.count)") }
                        continue
                    }
                    let ordered = text.contains("in order")
                    let ignoreListOrder = text.contains("ignoring element order for lists")
                    if let failure = compare(step.table, r, ordered: ordered, ignoreListOrder: ignoreListOrder) {
                        return result(.failed, failure)
                    }
                    continue
                }
                if let m = text.range(of: #"^an? (.+) should be raised at (.+): (.+)$"#, options: .regularExpression) {
                    _ = m
                    let parts = parseErrorStep(text)
                    guard case .failure(let e) = outcome else { return result(.failed, "expected \(parts.type) \(parts.detail), query succeeded") }
                    let typeOK = parts.type == "Error" || e.type == parts.type
                    let phaseOK = parts.phase == "any time" || parts.phase.replacingOccurrences(of: " ", with: "-") == e.phase.rawValue
                    let detailOK = parts.detail == "*" || parts.detail == e.detail
                    if !typeOK { return result(.failed, "expected \(parts.type) \(parts.detail), got \(e.type) \(e.detail): \(e.message)") }
                    return TCKResult(scenario: s, outcome: .passed, strict: typeOK && phaseOK && detailOK,
                                     reason: typeOK && phaseOK && detailOK ? "" : "lenient: got \(e.type) \(e.phase.rawValue) \(e.detail)")
                }
                if text == "no side effects" {
                    if case .success = outcome, before != after { return result(.failed, "side effects: \(before) → \(after)") }
                    continue
                }
                if text.hasPrefix("the side effects should be") {
                    var want = Counts()
                    for row in step.table where row.count >= 2 {
                        let n = Int(row[1]) ?? 0
                        switch row[0] {
                        case "+nodes": want.nodes = n
                        case "+relationships": want.rels = n
                        case "+properties": want.props = n
                        case "+labels": want.labels = n
                        default: if n != 0 { return result(.failed, "side effect \(row[0]) not supported") }
                        }
                    }
                    let got = Counts(nodes: after.nodes - before.nodes, rels: after.rels - before.rels,
                                     props: after.props - before.props, labels: after.labels - before.labels)
                    if got != want { return result(.failed, "side effects \(got), expected \(want)") }
                    continue
                }
                return result(.skipped, "unhandled step: \(text)")
            }
        }
        return result(.passed)
    }

    func parseErrorStep(_ text: String) -> (type: String, phase: String, detail: String) {
        var rest = text
        rest = rest.hasPrefix("an ") ? String(rest.dropFirst(3)) : String(rest.dropFirst(2))
        let typeEnd = rest.range(of: " should be raised at ")!
        let type = String(rest[..<typeEnd.lowerBound])
        let tail = rest[typeEnd.upperBound...]
        let colon = tail.range(of: ": ")!
        return (type, String(tail[..<colon.lowerBound]), String(tail[colon.upperBound...]))
    }

    func compare(_ table: [[String]], _ r: QueryResult, ordered: Bool, ignoreListOrder: Bool) -> String? {
        guard let header = table.first else { return "no expected table" }
        if header != r.columns { return "columns \(r.columns), expected \(header)" }
        var expected: [[CypherValue]] = []
        for row in table.dropFirst() {
            var values: [CypherValue] = []
            for cell in row {
                guard let v = CypherValue.parseTCK(Gherkin.unescape(cell)) else { return "unparseable expected cell \(cell)" }
                values.append(v)
            }
            expected.append(values)
        }
        let describe = { (rows: [[CypherValue]]) in rows.map { $0.map(\.tckText).joined(separator: " | ") }.joined(separator: " / ") }
        let mismatch = "expected \(ordered ? "(in order)" : "(any order)"): \(describe(expected))\n  actual: \(describe(r.rows))"
        if expected.count != r.rows.count { return mismatch }
        func rowsEqual(_ a: [CypherValue], _ b: [CypherValue]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { TCKRunner.same($0, $1, ignoreListOrder) }
        }
        if ordered {
            for (a, b) in zip(expected, r.rows) where !rowsEqual(a, b) { return mismatch }
            return nil
        }
        var remaining = r.rows
        for e in expected {
            guard let i = remaining.firstIndex(where: { rowsEqual(e, $0) }) else { return mismatch }
            remaining.remove(at: i)
        }
        return nil
    }

    /// Test equality: structural, `1` ≠ `1.0`, NaN = NaN, nodes by labels and properties.
    static func same(_ a: CypherValue, _ b: CypherValue, _ unorderedLists: Bool) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)):
            guard x.count == y.count else { return false }
            if !unorderedLists { return zip(x, y).allSatisfy { same($0, $1, unorderedLists) } }
            var rest = y
            for item in x {
                guard let i = rest.firstIndex(where: { same(item, $0, unorderedLists) }) else { return false }
                rest.remove(at: i)
            }
            return true
        case let (.map(x), .map(y)):
            return Set(x.keys) == Set(y.keys) && x.allSatisfy { same($0.value, y[$0.key]!, unorderedLists) }
        case let (.node(x), .node(y)):
            return Set(x.labels) == Set(y.labels) && same(.map(x.properties), .map(y.properties), unorderedLists)
        case let (.relationship(x), .relationship(y)):
            return x.labels == y.labels && same(.map(x.properties), .map(y.properties), unorderedLists)
        default: return false
        }
    }
}
