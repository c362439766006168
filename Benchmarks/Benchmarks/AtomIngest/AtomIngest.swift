// Benchmarks for AtomIngest. Corpora come from ../shared/bench/gen_corpus.py under /tmp
// (LITGRAPH_BENCH_CORPUS names the folder, default /tmp/c100k).
//
//   Atom parse          AtomReader over every page, no store: MB/s and entries/s.
//   Atom read + hash + prepare  the ingest's reading thread alone (parse, SHA-256, each record's
//                       JSON and name numbers), no store: MB per CPU second and papers per CPU second.
//   xmllint --stream    `xmllint --stream --noout` on the same pages, timed in the same run.
//   Atom parse / xmllint  both, alternated, with the ratio of their MB/s (percent) as a metric, by
//                       wall clock and by CPU time.
//   Atom ingest         the whole corpus into a fresh database: papers/s, peak memory.
//   Storage floor: Atom graph, Storage floor: BibTeX graph
//                       SQLite's own share of the Atom ingest's and of the corpus's bib/library.bib
//                       ingest's writing thread (StorageFloor.swift): the sqlite3 shell writes the
//                       finished rows into a fresh store, less the time it takes to read them. The
//                       rate of the ingest's entries at that time, by wall clock and by CPU time.
//   Storage floor row by row: …  the same rows, held in memory, through one prepared statement per
//                       table on SQLite's C API (WriterFloor.swift): a writer that parses and looks
//                       up nothing.
//   Storage floor, lean layout: …, Storage floor row by row, lean layout: …
//                       both on the leanest layout that keeps the same facts (`FloorLayout.lean`).
//   Storage floor paper by paper: …  row by row in the order an ingest streams them, a commit
//                       after every 2,000 papers (`FloorWrite.paperByPaper`).
//   Storage floor through a virtual table: …, … lean layout: …
//                       one INSERT … SELECT per table from a virtual table over the rows in memory.
//   Storage floor file by file: …, … lean layout: …  the same for every 2,000 papers, then a commit.
import Benchmark
import Foundation
import LitAtom
import LitIngest
import LitStore

let corpus = ProcessInfo.processInfo.environment["LITGRAPH_BENCH_CORPUS"] ?? "/tmp/c100k"

/// The corpus's Atom pages and their total size; empty when the corpus is absent.
func atomPages() -> (paths: [String], bytes: Int64) {
    let dir = corpus + "/atom"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".xml") }.sorted()
    let paths = names.map { dir + "/" + $0 }
    let bytes = paths.reduce(Int64(0)) { total, path in
        total + (((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0)
    }
    return (paths, bytes)
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Runs `body` with the path of a fresh store, made by `GraphStore` (its schema and settings) in a
/// folder of its own that is removed afterwards.
func withFreshStore<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("litgraph-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("graph.sqlite").path
    _ = try GraphStore(path: path)
    return try body(path)
}

/// CPU seconds used so far by this thread.
func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// CPU seconds used so far by this process, all its threads (`children` false), or by its finished
/// child processes.
func processCPU(children: Bool = false) -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue), &usage)
    #else
    getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Parses every page; returns the number of entries, the seconds taken and the CPU seconds.
func parseAll(_ paths: [String]) throws -> (entries: Int, seconds: Double, cpu: Double) {
    let start = ContinuousClock.now
    let cpu = threadCPU()
    var entries = 0
    for path in paths {
        let result = try AtomReader.read(path: path) { record in blackHole(record.title) }
        entries += result.entries
    }
    return (entries, (ContinuousClock.now - start).inSeconds, threadCPU() - cpu)
}

/// The ingest's reading side over every page, no store: parses, hashes each file (SHA-256) and
/// prepares each record (JSON, fingerprint, numbers for its authors and categories) as the reading
/// thread does; returns the entries, seconds and CPU seconds.
func readAll(_ paths: [String]) throws -> (entries: Int, seconds: Double, cpu: Double) {
    let start = ContinuousClock.now
    let cpu = threadCPU()
    var entries = 0
    let slots = InternSlots()
    for path in paths {
        let source = SourceFile(path: path, format: "atom")
        let result = try AtomReader.read(path: path, hashing: true) { record in
            blackHole(PreparedRecord(record, source: source, slots: slots))
        }
        blackHole(result.sha256)
        entries += result.entries
    }
    return (entries, (ContinuousClock.now - start).inSeconds, threadCPU() - cpu)
}

/// Runs `xmllint --stream --noout` over every page; returns the seconds and CPU seconds taken.
func xmllintAll(_ paths: [String]) throws -> (seconds: Double, cpu: Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    process.arguments = ["--stream", "--noout"] + paths
    process.standardOutput = FileHandle.nullDevice
    let cpu = processCPU(children: true)
    let start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    return ((ContinuousClock.now - start).inSeconds, processCPU(children: true) - cpu)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .throughput, .peakMemoryResident]
    Benchmark.defaultConfiguration.maxIterations = 5
    Benchmark.defaultConfiguration.maxDuration = .seconds(60)
    Benchmark.defaultConfiguration.timeUnits = .milliseconds

    let (pages, bytes) = atomPages()
    guard !pages.isEmpty else {
        print("AtomIngest: no corpus at \(corpus)/atom; generate one with "
              + "python3 ../shared/bench/gen_corpus.py --papers 100000 --out \(corpus)")
        return
    }
    let mb = Double(bytes) / 1_048_576
    let mbps = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    let entriesPerSecond = BenchmarkMetric.custom("entries/s", polarity: .prefersLarger, useScalingFactor: false)
    let ratio = BenchmarkMetric.custom("parse/xmllint %", polarity: .prefersLarger, useScalingFactor: false)
    let cpuRatio = BenchmarkMetric.custom("parse/xmllint % (CPU)", polarity: .prefersLarger, useScalingFactor: false)
    let xmllintMBps = BenchmarkMetric.custom("xmllint MB/s", polarity: .prefersLarger, useScalingFactor: false)
    let papersPerSecond = BenchmarkMetric.custom("papers/s", polarity: .prefersLarger, useScalingFactor: false)

    let cpuMBps = BenchmarkMetric.custom("MB per CPU s", polarity: .prefersLarger, useScalingFactor: false)

    Benchmark("Atom parse", configuration: .init(metrics: [.wallClock, .peakMemoryResident, mbps, cpuMBps, entriesPerSecond])) { benchmark in
        let (entries, seconds, cpu) = try parseAll(pages)
        benchmark.measurement(mbps, Int(mb / seconds))
        benchmark.measurement(cpuMBps, Int(mb / cpu))
        benchmark.measurement(entriesPerSecond, Int(Double(entries) / seconds))
    }

    // What the ingest's reading thread does, alone: its CPU time is the figure (it runs beside the
    // writing thread, which must not wait for it).
    let papersPerCPUSecond = BenchmarkMetric.custom("papers per CPU s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark("Atom read + hash + prepare", configuration: .init(metrics: [.wallClock, mbps, cpuMBps, papersPerCPUSecond])) { benchmark in
        let (entries, seconds, cpu) = try readAll(pages)
        benchmark.measurement(mbps, Int(mb / seconds))
        benchmark.measurement(cpuMBps, Int(mb / cpu))
        benchmark.measurement(papersPerCPUSecond, Int(Double(entries) / cpu))
    }

    Benchmark("xmllint --stream", configuration: .init(metrics: [.wallClock, mbps])) { benchmark in
        let (seconds, _) = try xmllintAll(pages)
        benchmark.measurement(mbps, Int(mb / seconds))
    }

    // Both in one iteration; the CPU-time ratio is the steadier one on a shared machine.
    Benchmark("Atom parse / xmllint", configuration: .init(metrics: [ratio, cpuRatio, mbps, xmllintMBps])) { benchmark in
        let lint = try xmllintAll(pages)
        let (_, ours, oursCPU) = try parseAll(pages)
        benchmark.measurement(mbps, Int(mb / ours))
        benchmark.measurement(xmllintMBps, Int(mb / lint.seconds))
        benchmark.measurement(ratio, Int(100 * lint.seconds / ours))
        benchmark.measurement(cpuRatio, Int(100 * lint.cpu / oursCPU))
    }

    Benchmark("Atom ingest", configuration: .init(metrics: [.wallClock, .peakMemoryResident, papersPerSecond],
                                                  warmupIterations: 0, maxIterations: 2)) { benchmark in
        try withFreshStore { path in
            let ingestor = Ingestor(store: try GraphStore(path: path))
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            let summary = ingestor.ingest(paths: [corpus + "/atom"])
            benchmark.stopMeasurement()
            benchmark.measurement(papersPerSecond, Int(Double(summary.papersNew) / (ContinuousClock.now - start).inSeconds))
            if !ingestor.diagnostics.isEmpty { benchmark.error("ingest reported \(ingestor.diagnostics.count) diagnostics") }
        }
    }

    // SQLite's share of each ingest, measured beside it (the BibTeX ingest is in BibTeXParse): set-based
    // and row by row, on the store's layout and on the lean one.
    let perCPUSecond = BenchmarkMetric.custom("entries per CPU s", polarity: .prefersLarger, useScalingFactor: false)
    let floorInputs = [("Atom graph", "atom", corpus + "/atom"), ("BibTeX graph", "bib", corpus + "/bib/library.bib")]
    // (source, target) → seconds and CPU seconds.
    let floors: [(name: String, measure: (String, String) throws -> (seconds: Double, cpu: Double))] = [
        ("Storage floor", { try storageFloor(source: $0, target: $1, layout: .store) }),
        ("Storage floor, lean layout", { try storageFloor(source: $0, target: $1, layout: .lean) }),
        ("Storage floor row by row", { try writerFloor(source: $0, target: $1, layout: .store, write: .tableByTable) }),
        ("Storage floor row by row, lean layout", { try writerFloor(source: $0, target: $1, layout: .lean, write: .tableByTable) }),
        ("Storage floor paper by paper", { try writerFloor(source: $0, target: $1, layout: .store, write: .paperByPaper) }),
        ("Storage floor through a virtual table", { try writerFloor(source: $0, target: $1, layout: .store, write: .virtualTable) }),
        ("Storage floor through a virtual table, lean layout",
         { try writerFloor(source: $0, target: $1, layout: .lean, write: .virtualTable) }),
        ("Storage floor file by file", { try writerFloor(source: $0, target: $1, layout: .store, write: .fileByFile) }),
        ("Storage floor file by file, lean layout", { try writerFloor(source: $0, target: $1, layout: .lean, write: .fileByFile) }),
    ]
    for (title, name, input) in floorInputs where FileManager.default.fileExists(atPath: input) {
        for floor in floors {
            Benchmark("\(floor.name): \(title)", configuration: .init(metrics: [.wallClock, entriesPerSecond, perCPUSecond],
                                                                      warmupIterations: 0, maxIterations: 3)) { benchmark in
                let source = try FloorSources.shared.database(of: [input], name: name)
                benchmark.startMeasurement()
                let (seconds, cpu) = try withFreshStore { try floor.measure(source.path, $0) }
                benchmark.stopMeasurement()
                benchmark.measurement(entriesPerSecond, Int(Double(source.entries) / seconds))
                benchmark.measurement(perCPUSecond, Int(Double(source.entries) / cpu))
            }
        }
    }
}
