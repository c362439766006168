// arXiv identifiers in every form users and feeds write them, reduced to one canonical base
// (without version) plus an optional version.
import Foundation

/// An arXiv identifier: new style `2502.17516` or old style `hep-th/9901001`, with an optional version.
public struct ArxivID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The identifier without version, e.g. `2502.17516` or `hep-th/9901001`.
    public let base: String
    /// The version number, if the text named one.
    public let version: Int?

    public init(base: String, version: Int?) {
        self.base = base
        self.version = version
    }

    /// Parses `2502.17516v2`, `arXiv:2502.17516`, `hep-th/9901001v2`, `https://arxiv.org/abs/…`,
    /// `http://arxiv.org/pdf/….pdf`, and the DOI form `10.48550/arXiv.2502.17516`.
    ///
    ///     ArxivID("arXiv:2502.17516v2")  // base 2502.17516, version 2
    public init?(_ text: String) {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = s.lowercased()
        for prefix in ["https://doi.org/10.48550/arxiv.", "http://dx.doi.org/10.48550/arxiv.",
                       "doi:10.48550/arxiv.", "10.48550/arxiv."] where lower.hasPrefix(prefix) {
            s = String(s.dropFirst(prefix.count))
            break
        }
        if let range = s.range(of: "arxiv.org/", options: .caseInsensitive) {
            s = String(s[range.upperBound...])
            for kind in ["abs/", "pdf/", "html/", "format/"] where s.lowercased().hasPrefix(kind) {
                s = String(s.dropFirst(kind.count))
                break
            }
            if s.lowercased().hasSuffix(".pdf") { s = String(s.dropLast(4)) }
            while s.hasSuffix("/") { s.removeLast() }
        }
        if s.lowercased().hasPrefix("arxiv:") { s = String(s.dropFirst(6)) }
        s = s.trimmingCharacters(in: .whitespaces)
        guard let parsed = Self.split(s) else { return nil }
        self = parsed
    }

    private static func split(_ s: String) -> ArxivID? {
        let chars = Array(s)
        var end = chars.count
        var version: Int? = nil
        if let v = chars.lastIndex(where: { $0 == "v" || $0 == "V" }), v > 0, v < chars.count - 1,
           chars[(v + 1)...].allSatisfy(\.isASCIIDigit) {
            version = Int(String(chars[(v + 1)...]))
            end = v
        }
        let base = String(chars[..<end])
        if isNewStyle(base) || isOldStyle(base) {
            return ArxivID(base: oldStyleNormalised(base), version: version)
        }
        return nil
    }

    /// `YYMM.NNNN` (2007–2014) or `YYMM.NNNNN` (2015 on).
    private static func isNewStyle(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCIIDigit),
              (4...5).contains(parts[1].count), parts[1].allSatisfy(\.isASCIIDigit) else { return false }
        let month = Int(parts[0].suffix(2)) ?? 0
        return (1...12).contains(month)
    }

    /// `archive(.SUBJ)?/YYMMNNN`, e.g. `hep-th/9901001`, `math.GT/0309136`.
    private static func isOldStyle(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 7, parts[1].allSatisfy(\.isASCIIDigit) else { return false }
        let archive = parts[0]
        guard let first = archive.first, first.isLetter else { return false }
        return archive.allSatisfy { $0.isLetter || $0 == "-" || $0 == "." }
    }

    private static func oldStyleNormalised(_ s: String) -> String {
        guard let slash = s.firstIndex(of: "/") else { return s }
        let archive = s[..<slash]
        // The archive is lower case; a subject class after a dot keeps its capitals (math.GT).
        if let dot = archive.firstIndex(of: ".") {
            return archive[..<dot].lowercased() + archive[dot...] + s[slash...]
        }
        return archive.lowercased() + s[slash...]
    }

    /// `2502.17516v2`, or the base alone when no version is known.
    public var description: String { version.map { "\(base)v\($0)" } ?? base }

    /// Year of submission from the identifier (`2502.…` → 2025, `hep-th/9901001` → 1999).
    public var year: Int? {
        let digits: Substring
        if let slash = base.firstIndex(of: "/") { digits = base[base.index(after: slash)...] } else { digits = Substring(base) }
        guard let yy = Int(digits.prefix(2)) else { return nil }
        return yy >= 91 ? 1900 + yy : 2000 + yy
    }

    public static func < (a: ArxivID, b: ArxivID) -> Bool {
        (a.base, a.version ?? 0) < (b.base, b.version ?? 0)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// DOI normalisation: lower case, no resolver prefix, no `doi:` prefix, no trailing punctuation.
public enum DOI {
    /// `https://doi.org/10.1000/ABC.` → `10.1000/abc`; nil when the text holds no DOI.
    public static func normalise(_ text: String) -> String? {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = s.lowercased()
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:", "doi "]
        where lower.hasPrefix(prefix) {
            s = String(s.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        while let last = s.last, ".,;".contains(last) { s.removeLast() }
        guard s.hasPrefix("10."), s.contains("/") else { return nil }
        return s.lowercased()
    }

    /// The arXiv id inside an arXiv-issued DOI (`10.48550/arXiv.2502.17516`).
    public static func arxiv(_ doi: String) -> ArxivID? {
        guard doi.lowercased().hasPrefix("10.48550/arxiv.") else { return nil }
        return ArxivID(doi)
    }
}
