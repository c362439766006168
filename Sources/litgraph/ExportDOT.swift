// `litgraph export dot`: a Graphviz diagram of the graph (taxonomy, citations, neighbourhood,
// matrix) as DOT text, or rendered to SVG, PNG or PDF through Graphviz's `dot`.
import ArgumentParser
import Foundation
import LitExport
import LitModel
import LitQuery
import LitStore

extension DiagramView: ExpressibleByArgument {}
extension RenderFormat: ExpressibleByArgument {}

struct ExportDOT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dot",
        abstract: "Draw the graph as a Graphviz diagram.",
        discussion: """
            Views: taxonomy (methods, model classes, applications, weighted by paper counts),
            citations (citations among the selected papers, by year, outlined by model class, filled
            by method), neighbourhood (a paper's citing and cited papers: --around ID --depth N), matrix
            (the method × model-class heat map; empty cells are gaps).

            Examples:
              litgraph export dot --view taxonomy --render svg --out taxonomy.svg
              litgraph export dot --view neighbourhood --around 2502.17516 --depth 2 > near.dot
              litgraph export dot --view citations --cite-keys paper.aux --out cited.dot
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "What to draw: \(DiagramView.allCases.map(\.rawValue).joined(separator: ", ")).")
    var view: DiagramView
    @OptionGroup var selection: PaperSelectionOptions
    @Option(name: .long, help: ArgumentHelp("The paper at the centre of the neighbourhood view: arXiv id, DOI or BibTeX key.", valueName: "id"))
    var around: String?
    @Option(name: .long, help: "Citation hops each way from --around.")
    var depth: Int = 1
    @Option(name: .long, help: "At most this many papers (citations, neighbourhood), weighted edges (taxonomy) or rows (matrix); what is left out is noted in the caption. Defaults: 150, 150, 40, 60.")
    var limit: Int?
    @Option(name: .long, help: ArgumentHelp("Write here instead of standard output (the picture, with --render).", valueName: "file"))
    var out: String?
    @Option(name: .long, help: "Render through Graphviz's dot: svg, png or pdf.")
    var render: RenderFormat?

    func validate() throws {
        if view == .neighbourhood && (around ?? "").isEmpty { throw ValidationError("--view neighbourhood needs --around ID") }
        if view != .neighbourhood && around != nil { throw ValidationError("--around is for --view neighbourhood") }
        if depth < 1 { throw ValidationError("--depth must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try ExportReport.run {
            let store = try QueryEngine.open(path: database.path, readonly: true)
            let selected = try selection.select(in: store)
            let request = DiagramRequest(view: view, papers: selected?.papers, selectionNote: selected?.description,
                                         around: around, depth: depth, limit: limit)
            let text = DOTWriter.write(try Diagram.build(request, from: store))
            if let render {
                let target = out ?? "litgraph-\(view.rawValue).\(render.rawValue)"
                for warning in try GraphvizRenderer.render(text, format: render, to: target) {
                    ExportReport.note("dot: \(warning)")
                }
                ExportReport.note("wrote \(target)")
            } else {
                let output = try FileOutput(path: out)
                try output.write(text)
                try output.finish()
            }
        }
    }
}
