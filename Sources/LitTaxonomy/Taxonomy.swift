// The taxonomy of a field as data: methods (a hierarchy), model classes (with the model names that
// signal them), applications, the field's gaps (with what they concern), and curated assignments of
// papers. Values only; `TaxonomyLoader` builds them from YAML and `Lexicon` matches their phrases.
import LitModel

/// A taxonomy: the entries of its four sections in file order, and the curated paper assignments.
public struct Taxonomy: Sendable {
    /// The file's `taxonomy:` title, if any.
    public var title: String?
    /// The path the taxonomy was read from, as given (used in diagnostics and edge evidence).
    public var path: String
    public var methods: [TaxonomyEntry] = []
    public var modelClasses: [TaxonomyEntry] = []
    public var applications: [TaxonomyEntry] = []
    public var gaps: [TaxonomyEntry] = []
    public var papers: [PaperAssignment] = []

    public init(title: String? = nil, path: String) {
        self.title = title
        self.path = path
    }

    /// Every entry of every section, methods first, in file order.
    public var entries: [TaxonomyEntry] { methods + modelClasses + applications + gaps }

    /// The entry with this id, in any section.
    public func entry(_ id: String) -> TaxonomyEntry? {
        entries.first { $0.id == id }
    }
}

/// The four sections; the raw value is the graph label of their nodes.
public enum TaxonomyKind: String, Sendable, CaseIterable, Codable {
    case method = "Method"
    case modelClass = "ModelClass"
    case application = "Application"
    case gap = "Gap"

    /// The section key in taxonomy.yaml (`methods`, `model_classes`, …).
    public var sectionKey: String {
        switch self {
        case .method: "methods"
        case .modelClass: "model_classes"
        case .application: "applications"
        case .gap: "gaps"
        }
    }

    /// The edge type from a paper to an entry of this kind.
    public var linkType: String {
        switch self {
        case .method: "USES_METHOD"
        case .modelClass: "STUDIES"
        case .application: "APPLIES_TO"
        case .gap: "ADDRESSES"
        }
    }

    /// Singular noun for messages (`method`, `model class`, …).
    public var noun: String {
        switch self {
        case .method: "method"
        case .modelClass: "model class"
        case .application: "application"
        case .gap: "gap"
        }
    }
}

/// One method, model class, application or gap.
public struct TaxonomyEntry: Sendable, Hashable {
    public var kind: TaxonomyKind
    /// Unique across the whole file: `[a-z0-9-]+`.
    public var id: String
    public var name: String
    public var description: String?
    /// Parent entry of the same section (methods and model classes).
    public var parent: String?
    /// Phrases that signal the entry in a paper's title, abstract or keywords.
    public var phrases: [String] = []
    /// Model names that signal a model class (matched like phrases).
    public var models: [String] = []
    /// For gaps: ids of the methods and model classes the gap concerns.
    public var concerns: [String] = []
    /// Where the entry starts in the file (its `id:` value).
    public var span: SourceSpan

    public init(kind: TaxonomyKind, id: String, name: String, span: SourceSpan) {
        self.kind = kind
        self.id = id
        self.name = name
        self.span = span
    }
}

/// A reference to a taxonomy id from a curated assignment, with where it was written.
public struct TaxonomyReference: Sendable, Hashable {
    public var id: String
    public var span: SourceSpan

    public init(id: String, span: SourceSpan) {
        self.id = id
        self.span = span
    }
}

/// A curated assignment of one paper: the entries it is linked to, and the lexicon links it must not get.
public struct PaperAssignment: Sendable, Hashable {
    /// Any identifier of the paper: arXiv id (any form), DOI, or BibTeX key.
    public var paper: String
    public var span: SourceSpan
    public var methods: [TaxonomyReference] = []
    public var modelClasses: [TaxonomyReference] = []
    public var applications: [TaxonomyReference] = []
    public var gaps: [TaxonomyReference] = []
    /// Ids whose lexicon link for this paper is removed.
    public var not: [TaxonomyReference] = []

    public init(paper: String, span: SourceSpan) {
        self.paper = paper
        self.span = span
    }

    /// The positive links, each with its kind.
    public var links: [(kind: TaxonomyKind, reference: TaxonomyReference)] {
        methods.map { (.method, $0) } + modelClasses.map { (.modelClass, $0) }
            + applications.map { (.application, $0) } + gaps.map { (.gap, $0) }
    }
}
