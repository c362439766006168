// The taxonomy loader: taxonomy.yaml text → `Taxonomy`, checking every rule of the format and
// reporting each violation as a diagnostic at the file:line:column of the offending YAML node.
// It never traps on user input; a file with errors yields the diagnostics and no taxonomy.
import Foundation
import LitModel
import Yams

/// Reads taxonomy.yaml. The format is documented in the README ("Taxonomy, linking and gaps").
public enum TaxonomyLoader {
    /// The outcome of a load: the taxonomy when the file had no errors, and every diagnostic found.
    public struct Result: Sendable {
        public var taxonomy: Taxonomy?
        public var diagnostics: [Diagnostic]
    }

    /// Loads the file at `path`.
    public static func load(path: String) -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Result(taxonomy: nil, diagnostics: [.error("taxonomy.unreadable", "cannot read '\(path)'",
                                                               at: SourceSpan(file: path, line: 1, column: 1))])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Result(taxonomy: nil, diagnostics: [.error("taxonomy.encoding", "'\(path)' is not UTF-8 text",
                                                               at: SourceSpan(file: path, line: 1, column: 1))])
        }
        return parse(text, path: path)
    }

    /// Parses taxonomy YAML `text`; `path` names it in diagnostics and edge evidence.
    public static func parse(_ text: String, path: String) -> Result {
        var reader = Reader(path: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return Result(taxonomy: nil, diagnostics: [reader.diagnostic(for: error)])
        } catch {
            return Result(taxonomy: nil, diagnostics: [.error("taxonomy.yaml", "\(error)",
                                                               at: SourceSpan(file: path, line: 1, column: 1))])
        }
        let taxonomy = reader.read(root)
        reader.check(taxonomy)
        let ok = !reader.diagnostics.hasErrors
        return Result(taxonomy: ok ? taxonomy : nil, diagnostics: reader.diagnostics)
    }

    static let rootKeys = ["taxonomy", "methods", "model_classes", "applications", "gaps", "papers"]
    static let paperKeys = ["paper", "methods", "model_classes", "applications", "gaps", "not"]

    static func entryKeys(_ kind: TaxonomyKind) -> [String] {
        switch kind {
        case .method: ["id", "name", "parent", "description", "phrases"]
        case .modelClass: ["id", "name", "parent", "description", "phrases", "models"]
        case .application: ["id", "name", "description", "phrases"]
        case .gap: ["id", "name", "description", "concerns", "phrases"]
        }
    }
}

/// One pass over the YAML tree, collecting diagnostics as it goes.
private struct Reader {
    let path: String
    var diagnostics: [Diagnostic] = []

    init(path: String) { self.path = path }

    func span(_ node: Node?) -> SourceSpan {
        guard let mark = node?.mark else { return SourceSpan(file: path, line: 1, column: 1) }
        let length = node?.scalar.map { max(1, $0.string.count) } ?? 1
        return SourceSpan(file: path, line: mark.line, column: mark.column, length: length)
    }

    mutating func error(_ id: String, _ message: String, at node: Node?, notes: [String] = []) {
        diagnostics.append(.error("taxonomy.\(id)", message, at: span(node), notes: notes))
    }

    func diagnostic(for error: YamlError) -> Diagnostic {
        func at(_ mark: Mark) -> SourceSpan { SourceSpan(file: path, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var notes: [String] = []
            if let context { notes.append("\(context.text) at line \(context.mark.line), column \(context.mark.column)") }
            return .error("taxonomy.yaml-syntax", "YAML syntax error: \(problem)", at: at(mark), notes: notes)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("taxonomy.duplicate-key",
                          "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping",
                          at: at(context.mark))
        case let .reader(problem, _, _, _):
            return .error("taxonomy.yaml-syntax", "cannot read YAML: \(problem)", at: SourceSpan(file: path, line: 1, column: 1))
        default:
            return .error("taxonomy.yaml-syntax", "YAML error: \(error)", at: SourceSpan(file: path, line: 1, column: 1))
        }
    }

    // MARK: Tree → values

    mutating func read(_ root: Node?) -> Taxonomy {
        var taxonomy = Taxonomy(path: path)
        guard let root else {
            error("empty", "the taxonomy file is empty; expected a mapping with 'methods', 'model_classes', …", at: nil)
            return taxonomy
        }
        guard let mapping = root.mapping else {
            error("expected-mapping", "expected a mapping with 'methods', 'model_classes', 'applications', 'gaps', 'papers'", at: root)
            return taxonomy
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error("expected-key", "expected a plain key", at: keyNode)
                continue
            }
            switch key {
            case "taxonomy": taxonomy.title = string(value, what: "the taxonomy's title")
            case "methods": taxonomy.methods = entries(value, kind: .method)
            case "model_classes": taxonomy.modelClasses = entries(value, kind: .modelClass)
            case "applications": taxonomy.applications = entries(value, kind: .application)
            case "gaps": taxonomy.gaps = entries(value, kind: .gap)
            case "papers": taxonomy.papers = assignments(value)
            default: unknownKey(key, node: keyNode, allowed: TaxonomyLoader.rootKeys, context: "at the top level")
            }
        }
        return taxonomy
    }

    mutating func unknownKey(_ key: String, node: Node, allowed: [String], context: String) {
        var message = "unknown key '\(key)' \(context)"
        if let near = Suggest.nearest(key, in: allowed) { message += "; did you mean '\(near)'?" }
        error("unknown-key", message, at: node, notes: ["allowed keys: \(allowed.joined(separator: ", "))"])
    }

    mutating func string(_ node: Node, what: String) -> String? {
        guard let scalar = node.scalar, !scalar.string.isEmpty, scalar.string != "~" else {
            error("expected-string", "expected a text value for \(what)", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func strings(_ node: Node, what: String) -> [(String, Node)] {
        if let scalar = node.scalar, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            return []
        }
        guard let sequence = node.sequence else {
            error("expected-list", "expected a list for \(what), e.g. [a, b]", at: node)
            return []
        }
        var out: [(String, Node)] = []
        for item in sequence {
            guard let scalar = item.scalar, !scalar.string.isEmpty else {
                error("expected-string", "expected a text item in \(what)", at: item)
                continue
            }
            out.append((scalar.string, item))
        }
        return out
    }

    mutating func entries(_ node: Node, kind: TaxonomyKind) -> [TaxonomyEntry] {
        if let scalar = node.scalar, scalar.string.isEmpty || scalar.string == "~" { return [] }
        guard let sequence = node.sequence else {
            error("expected-list", "expected '\(kind.sectionKey)' to be a list of entries", at: node)
            return []
        }
        var out: [TaxonomyEntry] = []
        for item in sequence {
            if let entry = entry(item, kind: kind) { out.append(entry) }
        }
        return out
    }

    mutating func entry(_ node: Node, kind: TaxonomyKind) -> TaxonomyEntry? {
        guard let mapping = node.mapping else {
            error("expected-mapping", "expected a \(kind.noun) as a mapping with 'id', 'name', …", at: node)
            return nil
        }
        guard let idNode = mapping["id"] else {
            error("missing-id", "this \(kind.noun) has no 'id'", at: node)
            return nil
        }
        guard let id = string(idNode, what: "'id'") else { return nil }
        if !Self.isValidID(id) {
            error("invalid-id", "invalid id '\(id)': use lower-case letters, digits and '-'", at: idNode)
        }
        var entry = TaxonomyEntry(kind: kind, id: id, name: id, span: span(idNode))
        if let nameNode = mapping["name"] {
            entry.name = string(nameNode, what: "'name'") ?? id
        } else {
            error("missing-name", "\(kind.noun) '\(id)' has no 'name'", at: idNode)
        }
        let allowed = TaxonomyLoader.entryKeys(kind)
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error("expected-key", "expected a plain key", at: keyNode)
                continue
            }
            guard allowed.contains(key) else {
                unknownKey(key, node: keyNode, allowed: allowed, context: "in \(kind.noun) '\(id)'")
                continue
            }
            switch key {
            case "id", "name": break
            case "parent":
                if let parent = string(value, what: "'parent'") {
                    entry.parent = parent
                    parents[id] = value
                }
            case "description": entry.description = string(value, what: "'description'")
            case "phrases":
                let items = strings(value, what: "'phrases'")
                entry.phrases = items.map(\.0)
                for (phrase, item) in items where !Lexicon.isMatchable(phrase) {
                    error("empty-phrase", "phrase '\(phrase)' has no letters or digits to match", at: item)
                }
            case "models":
                let items = strings(value, what: "'models'")
                entry.models = items.map(\.0)
                for (model, item) in items where !Lexicon.isMatchable(model) {
                    error("empty-phrase", "model name '\(model)' has no letters or digits to match", at: item)
                }
            case "concerns":
                let items = strings(value, what: "'concerns'")
                entry.concerns = items.map(\.0)
                concerns[id] = items.map { TaxonomyReference(id: $0.0, span: span($0.1)) }
            default: break
            }
        }
        return entry
    }

    /// Where each entry's `parent:` value was written, for diagnostics in `check`.
    var parents: [String: Node] = [:]
    var concerns: [String: [TaxonomyReference]] = [:]

    mutating func assignments(_ node: Node) -> [PaperAssignment] {
        if let scalar = node.scalar, scalar.string.isEmpty || scalar.string == "~" { return [] }
        guard let sequence = node.sequence else {
            error("expected-list", "expected 'papers' to be a list of assignments", at: node)
            return []
        }
        var out: [PaperAssignment] = []
        for item in sequence {
            guard let mapping = item.mapping else {
                error("expected-mapping", "expected a paper assignment as a mapping with 'paper', 'methods', …", at: item)
                continue
            }
            guard let paperNode = mapping["paper"], let paper = string(paperNode, what: "'paper'"), !paper.isEmpty else {
                error("missing-paper", "this assignment has no 'paper' (an arXiv id, DOI or BibTeX key)", at: item)
                continue
            }
            var assignment = PaperAssignment(paper: paper, span: span(paperNode))
            for (keyNode, value) in mapping {
                guard let key = keyNode.scalar?.string else {
                    error("expected-key", "expected a plain key", at: keyNode)
                    continue
                }
                let refs = { (reader: inout Reader) in
                    reader.strings(value, what: "'\(key)'").map { TaxonomyReference(id: $0.0, span: reader.span($0.1)) }
                }
                switch key {
                case "paper": break
                case "methods": assignment.methods = refs(&self)
                case "model_classes": assignment.modelClasses = refs(&self)
                case "applications": assignment.applications = refs(&self)
                case "gaps": assignment.gaps = refs(&self)
                case "not": assignment.not = refs(&self)
                default:
                    unknownKey(key, node: keyNode, allowed: TaxonomyLoader.paperKeys, context: "in the assignment of paper '\(paper)'")
                }
            }
            out.append(assignment)
        }
        return out
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    // MARK: Cross-references

    mutating func check(_ taxonomy: Taxonomy) {
        var first: [String: TaxonomyEntry] = [:]
        for entry in taxonomy.entries {
            if let earlier = first[entry.id] {
                diagnostics.append(.error("taxonomy.duplicate-id", "duplicate id '\(entry.id)'", at: entry.span,
                                          notes: ["first defined as a \(earlier.kind.noun) at line \(earlier.span.line), column \(earlier.span.column)"]))
            } else {
                first[entry.id] = entry
            }
        }
        let allIDs = Array(first.keys).sorted()
        for entry in taxonomy.entries {
            guard let parent = entry.parent else { continue }
            let node = parents[entry.id]
            guard let target = first[parent] else {
                reference("unknown-parent", "unknown parent '\(parent)' of \(entry.kind.noun) '\(entry.id)'",
                          id: parent, span: span(node), candidates: ids(of: entry.kind, in: taxonomy))
                continue
            }
            if target.kind != entry.kind {
                diagnostics.append(.error("taxonomy.parent-kind",
                                          "parent '\(parent)' of \(entry.kind.noun) '\(entry.id)' is a \(target.kind.noun); a parent must be a \(entry.kind.noun)",
                                          at: span(node)))
            }
        }
        // Cycles in the parent chains.
        for entry in taxonomy.entries where entry.parent != nil {
            var seen: Set<String> = [entry.id]
            var current = entry.parent
            while let id = current, let next = first[id] {
                if id == entry.id {
                    diagnostics.append(.error("taxonomy.parent-cycle", "the parents of '\(entry.id)' form a cycle",
                                              at: span(parents[entry.id])))
                    break
                }
                if !seen.insert(id).inserted { break }
                current = next.parent
            }
        }
        for gap in taxonomy.gaps {
            for reference in concerns[gap.id] ?? [] {
                guard let target = first[reference.id] else {
                    self.reference("unknown-reference", "gap '\(gap.id)' concerns unknown id '\(reference.id)'",
                                   id: reference.id, span: reference.span,
                                   candidates: ids(of: .method, in: taxonomy) + ids(of: .modelClass, in: taxonomy))
                    continue
                }
                if target.kind != .method && target.kind != .modelClass {
                    diagnostics.append(.error("taxonomy.concerns-kind",
                                              "gap '\(gap.id)' concerns '\(reference.id)', a \(target.kind.noun); a gap concerns methods and model classes",
                                              at: reference.span))
                }
            }
        }
        for assignment in taxonomy.papers {
            for (kind, reference) in assignment.links {
                guard let target = first[reference.id] else {
                    self.reference("unknown-reference", "unknown \(kind.noun) '\(reference.id)' for paper '\(assignment.paper)'",
                                   id: reference.id, span: reference.span, candidates: ids(of: kind, in: taxonomy))
                    continue
                }
                if target.kind != kind {
                    diagnostics.append(.error("taxonomy.reference-kind",
                                              "'\(reference.id)' is a \(target.kind.noun), listed under '\(kind.sectionKey)' for paper '\(assignment.paper)'",
                                              at: reference.span, notes: ["move it to '\(target.kind.sectionKey)'"]))
                }
            }
            for reference in assignment.not where first[reference.id] == nil {
                self.reference("unknown-reference", "unknown id '\(reference.id)' in 'not' for paper '\(assignment.paper)'",
                               id: reference.id, span: reference.span, candidates: allIDs)
            }
        }
    }

    func ids(of kind: TaxonomyKind, in taxonomy: Taxonomy) -> [String] {
        taxonomy.entries.filter { $0.kind == kind }.map(\.id)
    }

    mutating func reference(_ id: String, _ message: String, id name: String, span: SourceSpan, candidates: [String]) {
        var text = message
        if let near = Suggest.nearest(name, in: candidates) { text += "; did you mean '\(near)'?" }
        diagnostics.append(.error("taxonomy.\(id)", text, at: span))
    }
}

/// Spelling suggestions by edit distance.
enum Suggest {
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(word, candidate)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
