// Benchmarks for QueryEngine. Corpora come from ../shared/bench/gen_corpus.py under /tmp
// (LITGRAPH_BENCH_CORPUS names the folder, default /tmp/c100k).
import Benchmark
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.metrics = [.wallClock, .throughput, .peakMemoryResident]
}
