// Benchmarks for Linking. Corpora come from ../shared/bench/gen_corpus.py under /tmp
// (LITGRAPH_BENCH_CORPUS names the folder, default /tmp/c100k); the taxonomy is the shipped
// Corpus/taxonomy.yaml. Measures: the lexicon matcher alone over every title and abstract; linking
// every paper of a graph that has no links yet (all ~730k edges written); relinking a linked graph
// with an unchanged taxonomy (everything read and compared, nothing written); and `litgraph gaps`
// (the saved queries plus the report in table form) on the linked graph. Linking reports papers per
// second as a custom metric next to the wall clock.
import Benchmark
import Foundation
import LitAtom
import LitExport
import LitIngest
import LitQuery
import LitStore
import LitTaxonomy

let corpusFolder = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS"] ?? "/tmp/c100k"
let taxonomyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus/taxonomy.yaml").path
/// The graph of the corpus, built once and kept between runs (delete it to rebuild);
/// LITGRAPH_BENCH_LINKING_DB names another file.
let graphPath = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_LINKING_DB"]
    ?? "/tmp/litgraph-bench-linking-\(URL(fileURLWithPath: corpusFolder).lastPathComponent).sqlite"

final class LinkingState: @unchecked Sendable {
    var texts: [(title: String?, abstract: String?)] = []
    var taxonomy: Taxonomy?
    var lexicon: Lexicon?
    var store: GraphStore?
    var papers = 0
}
let state = LinkingState()

func atomPages() throws -> [String] {
    let folder = (corpusFolder as NSString).appendingPathComponent("atom")
    return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }.sorted()
        .map { (folder as NSString).appendingPathComponent($0) }
}

func loadTaxonomy() throws {
    guard state.taxonomy == nil else { return }
    let loaded = TaxonomyLoader.load(path: taxonomyPath)
    guard let taxonomy = loaded.taxonomy else { throw loaded.diagnostics.first ?? CocoaError(.fileReadCorruptFile) }
    state.taxonomy = taxonomy
    state.lexicon = Lexicon(taxonomy)
}

func loadTexts() throws {
    try loadTaxonomy()
    guard state.texts.isEmpty else { return }
    for page in try atomPages() {
        try AtomReader.read(path: page) { record in state.texts.append((record.title, record.abstract)) }
    }
}

func loadGraph() throws {
    try loadTaxonomy()
    guard state.store == nil else { return }
    let store = try QueryEngine.open(path: graphPath)
    if try store.count(label: "Paper") == 0 {
        let ingestor = Ingestor(store: store)
        ingestor.ingest(paths: try atomPages())
    }
    _ = try TaxonomyLinker.apply(state.taxonomy!, storedPath: taxonomyPath, sha256: nil, to: store, lexicon: state.lexicon)
    state.papers = try store.count(label: "Paper")
    state.store = store
}

let papersPerSecond = BenchmarkMetric.custom("papers/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .peakMemoryResident, papersPerSecond]
    Benchmark.defaultConfiguration.maxDuration = .seconds(30)
    Benchmark.defaultConfiguration.maxIterations = 5

    Benchmark("Lexicon matching of every title and abstract", closure: { benchmark in
        let lexicon = state.lexicon!
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        var links = 0
        for text in state.texts {
            links += lexicon.firstMatches(title: text.title, abstract: text.abstract).count
        }
        benchmark.stopMeasurement()
        blackHole(links)
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        benchmark.measurement(papersPerSecond, Int(Double(state.texts.count) / seconds))
    }, setup: { try loadTexts() })

    Benchmark("Link every paper of a graph without links (curated + lexicon links written)", closure: { benchmark in
        // Outside the measurement: remove every curated and lexicon link.
        try state.store!.writeSession(source: SourceFile(path: taxonomyPath, format: "taxonomy")) { writer in
            try writer.deleteEdges(types: LinkTypes.all, vias: ["curated", "lexicon"])
        }
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let (summary, _) = try TaxonomyLinker.apply(state.taxonomy!, storedPath: taxonomyPath, sha256: nil,
                                                    to: state.store!, lexicon: state.lexicon)
        benchmark.stopMeasurement()
        blackHole(summary)
        precondition(summary.removed == 0 && summary.added == summary.curated + summary.lexicon, "every link written")
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        benchmark.measurement(papersPerSecond, Int(Double(state.papers) / seconds))
    }, setup: { try loadGraph() })

    Benchmark("Relink every paper with the taxonomy unchanged (links compared, none written)", closure: { benchmark in
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let (summary, _) = try TaxonomyLinker.apply(state.taxonomy!, storedPath: taxonomyPath, sha256: nil,
                                                    to: state.store!, lexicon: state.lexicon)
        benchmark.stopMeasurement()
        blackHole(summary)
        precondition(summary.added == 0 && summary.removed == 0, "an unchanged taxonomy writes nothing")
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        benchmark.measurement(papersPerSecond, Int(Double(state.papers) / seconds))
    }, setup: { try loadGraph() })

    // CPU time too: on the shared machine the wall clock mostly tells the load.
    Benchmark("Gap report on the linked graph (saved queries + table)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident]), closure: { benchmark in
        benchmark.startMeasurement()
        let report = GapReportBuilder(data: try GapData.query(state.store!)).report()
        let text = GapReportWriter.write(report, format: .table)
        benchmark.stopMeasurement()
        blackHole(text)
    }, setup: { try loadGraph() })
}
