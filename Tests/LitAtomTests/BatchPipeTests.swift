import Foundation
import Testing
@testable import LitIngest

/// The queue between an Atom ingest's reading thread and its writing thread.
@Suite struct BatchPipeTests {
    @Test func batchesArriveInOrderThroughASmallQueue() {
        let pipe = BatchPipe<Int>(capacity: 2)
        let producer = BackgroundJob {
            for i in 0..<50 { try? pipe.put([i, i]) }
            pipe.close()
        }
        var seen: [Int] = []
        while let batch = pipe.take() { seen += batch }
        producer.wait()
        #expect(seen == (0..<50).flatMap { [$0, $0] })
    }

    @Test func cancellingStopsABlockedProducer() {
        let pipe = BatchPipe<Int>(capacity: 1)
        final class Outcome: @unchecked Sendable { var put = 0; var cancelled = false }
        let outcome = Outcome()
        let producer = BackgroundJob {
            do {
                for i in 0..<1000 {
                    try pipe.put([i])
                    outcome.put += 1
                }
            } catch is BatchPipe<Int>.Cancelled {
                outcome.cancelled = true
            } catch {}
            pipe.close()
        }
        #expect(pipe.take() == [0])
        pipe.cancel()
        producer.wait()
        #expect(outcome.cancelled)
        #expect(outcome.put < 1000)
        #expect(pipe.take() == nil)
    }
}
