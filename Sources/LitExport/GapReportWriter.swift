// The gap report as text: an aligned table for the terminal, Markdown, CSV (one block per section),
// LaTeX tables with booktabs ready for a paper, and JSON. Deterministic: the same report gives the
// same bytes.
import Foundation

public enum GapReportFormat: String, Sendable, CaseIterable {
    case table, markdown, csv, latex, json
}

public enum GapReportWriter {
    /// The whole report in `format`.
    public static func write(_ report: GapReport, format: GapReportFormat) -> String {
        switch format {
        case .json: return json(report)
        case .table: return table(report)
        case .markdown: return markdown(report)
        case .csv: return csv(report)
        case .latex: return latex(report)
        }
    }

    /// The papers behind one cell in `format`.
    public static func writeCell(method: String, modelClass: String, papers: [GapReport.Paper],
                                 format: GapReportFormat) -> String {
        let rows = papers.map { [$0.year.map(String.init) ?? "", $0.handle, $0.title ?? ""] }
        let header = ["year", "paper", "title"]
        switch format {
        case .json:
            struct Cell: Codable { var method: String; var model_class: String; var count: Int; var papers: [GapReport.Paper] }
            return encode(Cell(method: method, model_class: modelClass, count: papers.count, papers: papers))
        case .table:
            return "\(papers.count) paper\(papers.count == 1 ? "" : "s") using \(method) on \(modelClass)\n"
                + aligned([header] + rows, numeric: [])
        case .markdown:
            return "**\(markdownEscape(method)) × \(markdownEscape(modelClass))**: \(papers.count) paper\(papers.count == 1 ? "" : "s")\n\n"
                + markdownTable(header, rows)
        case .csv:
            return csvLines([header] + rows)
        case .latex:
            var out = "% Papers using \(method) on \(modelClass). Needs \\usepackage{booktabs}.\n"
            out += "\\begin{tabular}{rll}\n\\toprule\nYear & Paper & Title \\\\\n\\midrule\n"
            for r in rows { out += "\(latexEscape(r[0])) & \\texttt{\(latexEscape(r[1]))} & \(latexEscape(r[2])) \\\\\n" }
            out += "\\bottomrule\n\\end{tabular}\n"
            return out
        }
    }

    // MARK: JSON

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func json(_ report: GapReport) -> String { encode(report) }

    // MARK: Shared pieces

    static func indentedName(_ axis: GapReport.Axis) -> String {
        String(repeating: "  ", count: axis.depth) + axis.name
    }

    static func opportunityRows(_ report: GapReport) -> [[String]] {
        let classCounts = Dictionary(zip(report.modelClasses.map(\.id), report.modelClasses.indices).map { ($0.0, $0.1) },
                                     uniquingKeysWith: { a, _ in a })
        let methodIndex = Dictionary(zip(report.methods.map(\.id), report.methods.indices).map { ($0.0, $0.1) },
                                     uniquingKeysWith: { a, _ in a })
        return report.opportunities.map { o in
            var on = o.establishedOn.prefix(3).map { c -> String in
                let n = methodIndex[o.method].flatMap { i in classCounts[c].map { report.matrix[i][$0] } } ?? 0
                return "\(c) (\(n))"
            }.joined(separator: ", ")
            if o.establishedOn.count > 3 { on += ", +\(o.establishedOn.count - 3) more" }
            return [o.method, o.modelClass, String(o.papers), String(o.papersElsewhere), on, String(o.classPapers)]
        }
    }

    static let opportunityHeader = ["method", "model class", "papers here", "papers elsewhere", "established on (papers)", "class papers"]

    /// Papers listed under each gap in the table, Markdown and LaTeX (CSV and JSON list all).
    static let listed = 10

    static func timelineHeader(_ report: GapReport) -> [String] {
        ["method", "model class"] + report.years.map(String.init) + ["total"]
    }

    static func timelineRows(_ report: GapReport) -> [[String]] {
        report.timeline.map { [$0.method, $0.modelClass] + $0.counts.map(String.init) + [String($0.total)] }
    }

    // MARK: Table

    /// Columns padded to their widest cell; columns in `numeric` right-aligned.
    static func aligned(_ rows: [[String]], numeric: Set<Int>) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (k, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                let text = numeric.contains(k) ? pad + cell : (k == row.count - 1 ? cell : cell + pad)
                line += (k == 0 ? "" : "  ") + text
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    static func table(_ r: GapReport) -> String {
        var out = "Method × model class: papers linked to both (an entry counts the papers of its specialisations)\n\n"
        let header = ["method"] + r.modelClasses.indices.map { "[\($0 + 1)]" } + ["all"]
        var rows = [header]
        for (i, m) in r.methods.enumerated() {
            rows.append([indentedName(m)] + r.matrix[i].map { $0 == 0 ? "·" : String($0) } + [String(r.methodTotals[i])])
        }
        rows.append(["all"] + r.classTotals.map(String.init) + [""])
        out += aligned(rows, numeric: Set(1...(r.modelClasses.count + 1)))
        out += "\n"
        for (j, c) in r.modelClasses.enumerated() {
            out += "[\(j + 1)] \(String(repeating: "  ", count: c.depth))\(c.name) (\(c.id))\n"
        }
        out += "\nTransfer opportunities: cells with at most \(r.thin) paper\(r.thin == 1 ? "" : "s") whose method has at least \(r.established) papers on another model class\n\n"
        if r.opportunities.isEmpty {
            out += "(none)\n"
        } else {
            out += aligned([opportunityHeader] + opportunityRows(r), numeric: [2, 3, 5])
        }
        out += "\nGaps named by the taxonomy\n\n"
        if r.gaps.isEmpty { out += "(none)\n" }
        for g in r.gaps {
            out += "\(g.status == "open" ? "OPEN     " : "addressed") \(g.id): \(g.name)\n"
            if !g.concerns.isEmpty { out += "          concerns: \(g.concerns.joined(separator: ", "))\n" }
            for p in g.papers.prefix(listed) {
                out += "          \(p.year.map(String.init) ?? "    ")  \(p.handle)  \(p.title ?? "")\n"
            }
            if g.papers.count > listed { out += "          … and \(g.papers.count - listed) more (all in --format json or csv)\n" }
        }
        out += "\nPapers per cell per year\n\n"
        if r.timeline.isEmpty {
            out += "(none)\n"
        } else {
            out += aligned([timelineHeader(r)] + timelineRows(r), numeric: Set(2..<(r.years.count + 3)))
        }
        return out
    }

    // MARK: Markdown

    static func markdownEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "`", with: "\\`")
    }

    static func markdownTable(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var out = "| " + header.map(markdownEscape).joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { rightAligned.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.map(markdownEscape).joined(separator: " | ") + " |\n" }
        return out
    }

    static func markdown(_ r: GapReport) -> String {
        var out = "## Method × model class\n\nPapers linked to both; an entry counts the papers of its specialisations.\n\n"
        let header = ["Method"] + r.modelClasses.map(\.id) + ["all"]
        let rows = r.methods.enumerated().map { i, m in
            [String(repeating: "\u{00A0}\u{00A0}", count: m.depth) + m.name] + r.matrix[i].map(String.init) + [String(r.methodTotals[i])]
        } + [["all"] + r.classTotals.map(String.init) + [""]]
        out += markdownTable(header, rows, rightAligned: Set(1...(r.modelClasses.count + 1)))
        out += "\n## Transfer opportunities\n\nCells with at most \(r.thin) paper\(r.thin == 1 ? "" : "s") whose method has at least \(r.established) papers on another model class.\n\n"
        out += r.opportunities.isEmpty ? "None.\n" : markdownTable(opportunityHeader, opportunityRows(r), rightAligned: [2, 3, 5])
        out += "\n## Gaps\n\n"
        if r.gaps.isEmpty { out += "None.\n" }
        for g in r.gaps {
            out += "- **\(markdownEscape(g.name))** (`\(g.id)`): \(g.status)"
            if !g.concerns.isEmpty { out += "; concerns " + g.concerns.map { "`\($0)`" }.joined(separator: ", ") }
            out += "\n"
            for p in g.papers.prefix(listed) {
                out += "  - \(p.year.map(String.init) ?? "n.d.") `\(p.handle)` \(markdownEscape(p.title ?? ""))\n"
            }
            if g.papers.count > listed { out += "  - … and \(g.papers.count - listed) more\n" }
        }
        out += "\n## Papers per cell per year\n\n"
        out += r.timeline.isEmpty ? "None.\n" : markdownTable(timelineHeader(r), timelineRows(r), rightAligned: Set(2..<(r.years.count + 3)))
        return out
    }

    // MARK: CSV

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csvLines(_ rows: [[String]]) -> String {
        rows.map { $0.map(csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Four blocks separated by an empty line: matrix (long form), opportunities, gaps, timeline.
    static func csv(_ r: GapReport) -> String {
        var matrix = [["method", "model_class", "papers"]]
        for (i, m) in r.methods.enumerated() {
            for (j, c) in r.modelClasses.enumerated() { matrix.append([m.id, c.id, String(r.matrix[i][j])]) }
        }
        let opportunities = [["method", "model_class", "papers_here", "papers_elsewhere", "established_on", "class_papers"]]
            + r.opportunities.map { [$0.method, $0.modelClass, String($0.papers), String($0.papersElsewhere),
                                     $0.establishedOn.joined(separator: " "), String($0.classPapers)] }
        var gaps = [["gap", "status", "concerns", "year", "paper", "title"]]
        for g in r.gaps {
            if g.papers.isEmpty { gaps.append([g.id, g.status, g.concerns.joined(separator: " "), "", "", ""]) }
            for p in g.papers {
                gaps.append([g.id, g.status, g.concerns.joined(separator: " "), p.year.map(String.init) ?? "", p.handle, p.title ?? ""])
            }
        }
        var timeline = [["method", "model_class", "year", "papers"]]
        for row in r.timeline {
            for (k, y) in r.years.enumerated() where row.counts[k] > 0 {
                timeline.append([row.method, row.modelClass, String(y), String(row.counts[k])])
            }
        }
        return [matrix, opportunities, gaps, timeline].map(csvLines).joined(separator: "\r\n")
    }

    // MARK: LaTeX

    static func latexEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(ch)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "|": out += "\\textbar{}"
            default: out.append(ch)
            }
        }
        return out
    }

    static func latex(_ r: GapReport) -> String {
        var out = "% Gap report. Needs \\usepackage{booktabs} and \\usepackage{graphicx}.\n"
        out += "% Method x model class: papers linked to both; an entry counts the papers of its specialisations.\n"
        out += "\\begin{tabular}{l" + String(repeating: "r", count: r.modelClasses.count + 1) + "}\n\\toprule\n"
        out += "Method & " + r.modelClasses.map { "\\rotatebox{90}{\(latexEscape($0.name))}" }.joined(separator: " & ")
            + " & \\rotatebox{90}{All} \\\\\n\\midrule\n"
        for (i, m) in r.methods.enumerated() {
            let name = (m.depth > 0 ? "\\hspace{\(m.depth)em}" : "") + latexEscape(m.name)
            out += name + " & " + r.matrix[i].map { $0 == 0 ? "--" : String($0) }.joined(separator: " & ")
                + " & \(r.methodTotals[i]) \\\\\n"
        }
        out += "\\midrule\nAll & " + r.classTotals.map(String.init).joined(separator: " & ") + " & \\\\\n"
        out += "\\bottomrule\n\\end{tabular}\n\n"

        out += "% Transfer opportunities: cells with at most \(r.thin) paper(s) whose method has at least \(r.established) papers on another model class.\n"
        out += "\\begin{tabular}{llrrlr}\n\\toprule\nMethod & Model class & Here & Elsewhere & Established on & Class \\\\\n\\midrule\n"
        for row in opportunityRows(r) { out += row.map(latexEscape).joined(separator: " & ") + " \\\\\n" }
        out += "\\bottomrule\n\\end{tabular}\n\n"

        out += "% Gaps named by the taxonomy, with the papers addressing them (newest first).\n"
        out += "\\begin{tabular}{llp{0.5\\linewidth}}\n\\toprule\nGap & Status & Papers \\\\\n\\midrule\n"
        for g in r.gaps {
            var papers = g.papers.prefix(listed).map { "\\texttt{\(latexEscape($0.handle))} (\($0.year.map(String.init) ?? "n.d."))" }
            if g.papers.count > listed { papers.append("and \(g.papers.count - listed) more") }
            out += "\(latexEscape(g.name)) & \(g.status) & \(papers.isEmpty ? "--" : papers.joined(separator: ", ")) \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n\n"

        out += "% Papers per cell per year.\n"
        out += "\\begin{tabular}{ll" + String(repeating: "r", count: r.years.count + 1) + "}\n\\toprule\n"
        out += (["Method", "Model class"] + r.years.map(String.init) + ["Total"]).joined(separator: " & ") + " \\\\\n\\midrule\n"
        for row in timelineRows(r) { out += row.map(latexEscape).joined(separator: " & ") + " \\\\\n" }
        out += "\\bottomrule\n\\end{tabular}\n"
        return out
    }
}
