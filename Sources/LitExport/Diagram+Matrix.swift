// The matrix view: methods down, model classes across, each cell the number of (selected) papers
// that use the method on the class, shaded from light to dark; an empty cell is a gap, drawn hatched
// grey with a dash. One HTML-like table node, so the picture is exactly the table.
import Foundation
import LitModel
import LitStore

extension Diagram {
    /// Blues from light to dark for counts 1…max.
    static let heat = ["#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B"]

    static func matrix(_ request: DiagramRequest, _ reader: GraphReader) throws -> DOTGraph {
        let selected = request.papers.map(Set.init)
        var methodLinks = try links(reader, type: "USES_METHOD")
        var classLinks = try links(reader, type: "STUDIES")
        if let selected {
            methodLinks = methodLinks.filter { selected.contains($0.key) }
            classLinks = classLinks.filter { selected.contains($0.key) }
        }
        let methods = try reader.taxonomy(label: "Method")
        let classes = try reader.taxonomy(label: "ModelClass")
        var cells: [EdgeEnds: Int] = [:]
        var methodTotal: [Int64: Int] = [:]
        var classTotal: [Int64: Int] = [:]
        for (paper, paperMethods) in methodLinks {
            for m in paperMethods { methodTotal[m, default: 0] += 1 }
            for m in paperMethods { for c in classLinks[paper] ?? [] { cells[EdgeEnds(source: m, target: c), default: 0] += 1 } }
        }
        for paperClasses in classLinks.values { for c in paperClasses { classTotal[c, default: 0] += 1 } }

        // Rows: the methods with most papers first (then by id); a limit keeps the top rows.
        let rows = methods.sorted { a, b in
            let ta = methodTotal[a.node] ?? 0, tb = methodTotal[b.node] ?? 0
            if ta != tb { return ta > tb }
            return (a.id, a.node) < (b.id, b.node)
        }
        let limit = request.effectiveLimit
        let drawnRows = Array(rows.prefix(limit))
        let highest = max(1, cells.values.max() ?? 1)
        let emptyCells = drawnRows.reduce(0) { sum, m in sum + classes.filter { cells[EdgeEnds(source: m.node, target: $0.node)] == nil }.count }

        var caption = "Method × model class: papers per cell (\(count(emptyCells, "empty cell")) of \(grouped(drawnRows.count * classes.count)))"
        if selected != nil {
            caption += "; over \(count(selected!.count, "selected paper"))"
            if let note = request.selectionNote { caption += " (\(squeezed(note)))" }
        }
        var comments = ["litgraph export dot --view matrix: \(count(methods.count, "method")) × \(count(classes.count, "model class"))"]
        if drawnRows.count < rows.count {
            let note = "Showing the \(grouped(drawnRows.count)) methods with most papers of \(grouped(rows.count)): \(grouped(rows.count - drawnRows.count)) left out (raise --limit)."
            caption += "\n" + note
            comments.append(note)
        }

        func cellColour(_ n: Int) -> String {
            let step = Int((Double(n) / Double(highest) * Double(heat.count - 1)).rounded())
            return heat[min(heat.count - 1, max(0, step))]
        }
        var table = "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">"
        table += "<TR><TD><B>Methods ↓  model classes →</B></TD>"
        for c in classes {
            table += "<TD TITLE=\"\(DOT.html(c.id))\"><B>\(DOT.html(c.name))</B></TD>"
        }
        table += "<TD><B>Papers</B></TD></TR>"
        for m in drawnRows {
            table += "<TR><TD ALIGN=\"LEFT\" TITLE=\"\(DOT.html(m.id))\"><B>\(DOT.html(m.name))</B></TD>"
            for c in classes {
                let tip = DOT.html("\(m.name) on \(c.name)")
                if let n = cells[EdgeEnds(source: m.node, target: c.node)] {
                    let fill = cellColour(n)
                    table += "<TD BGCOLOR=\"\(fill)\" TITLE=\"\(tip): \(count(n, "paper"))\"><FONT COLOR=\"\(textColour(onFill: fill))\">\(n)</FONT></TD>"
                } else {
                    table += "<TD BGCOLOR=\"#F2F2F2\" TITLE=\"\(tip): no paper (a gap)\"><FONT COLOR=\"#B22222\">–</FONT></TD>"
                }
            }
            table += "<TD>\(methodTotal[m.node] ?? 0)</TD></TR>"
        }
        table += "<TR><TD ALIGN=\"LEFT\"><B>Papers</B></TD>"
        for c in classes { table += "<TD>\(classTotal[c.node] ?? 0)</TD>" }
        table += "<TD> </TD></TR>"
        table += "<TR><TD COLSPAN=\"\(classes.count + 2)\" ALIGN=\"LEFT\"><FONT COLOR=\"#B22222\">–</FONT> no paper yet: a gap. Darker: more papers (at most \(highest) in a cell).</TD></TR>"
        table += "</TABLE>"

        var graph = baseGraph(name: "matrix", caption: caption)
        graph.comments = comments
        graph.nodes.append(DOTNode("matrix", ["shape": .text("plaintext"), "label": .html(table)]))
        return graph
    }
}
