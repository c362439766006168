// The TCK runner contract end to end: a sample of scenarios run through the built `litgraph`
// binary (`query --format tck`, query on stdin, `--params` file, exit codes 0/2/3) and judged by
// the same comparison as the in-process run.
import Foundation
import Testing
@testable import LitQuery

enum Binary {
    /// The built `litgraph` executable, beside the test bundle.
    static var litgraph: URL? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("litgraph")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = Paths.repo.appendingPathComponent(".build/debug/litgraph")
        return FileManager.default.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }
}

@Suite("TCK through the litgraph binary")
struct TCKCLITests {
    static let sample = [
        "clauses/match/Match1.feature",
        "clauses/match/Match4.feature",
        "clauses/return-orderby/ReturnOrderBy1.feature",
        "expressions/literals/Literals3.feature",
        "expressions/boolean/Boolean5.feature",
        "clauses/return-skip-limit/ReturnSkipLimit1.feature",
    ]

    @Test(.enabled(if: Paths.hasTCK && Binary.litgraph != nil, "needs ../shared/tck and a built litgraph"))
    func sampleScenariosPassThroughTheBinary() throws {
        let runner = try TCKRunner(root: Paths.tck)
        runner.useBinary(try #require(Binary.litgraph))
        let scope = try runner.scope()
        var passed = 0, total = 0
        for s in try runner.allScenarios() where Self.sample.contains(s.file) {
            let key = "\(s.file)\t\(s.name)\t\(s.example.map(String.init) ?? "")"
            guard scope[key] == "core" else { continue }
            total += 1
            let r = runner.run(s)
            if r.outcome == .passed { passed += 1 } else if r.outcome == .failed {
                Issue.record("\(s.id): \(r.reason)")
            }
        }
        print("tck via binary: \(passed) of \(total) sampled core scenarios passed")
        #expect(total >= 40)
        #expect(passed >= total - 1)
    }
}
