// The hand-over between the reading thread and the writing thread of an ingest: a bounded queue of
// batches. The reader blocks while the queue is full, so memory stays bounded whatever the file
// size; the writer can cancel, which makes the reader's next `put` throw and the read stop.
import Foundation

/// A bounded, blocking queue of batches from one producer thread to one consumer thread.
///
///     let pipe = BatchPipe<Int>(capacity: 4)
///     // producer: try pipe.put([1, 2, 3]); …; pipe.close()
///     // consumer: while let batch = pipe.take() { … }
final class BatchPipe<Element: Sendable>: @unchecked Sendable {
    /// Thrown by `put` once the consumer has cancelled.
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private var batches: [[Element]] = []
    /// Batches the consumer is done with, released by the producer (see `take(returning:)`).
    private var spent: [[Element]] = []
    private let capacity: Int
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds a batch, waiting while `capacity` batches are queued. Batches the consumer handed back
    /// are released here, on the producer's thread.
    func put(_ batch: [Element]) throws {
        var released: [[Element]] = []
        defer { released.removeAll() }
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        swap(&released, &spent)
        if cancelled { throw Cancelled() }
        batches.append(batch)
        condition.broadcast()
    }

    /// No more batches will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order, waiting for one; nil once the pipe is closed and empty, or cancelled.
    /// `spent`, the batch the consumer is done with, goes back to the producer to be freed there:
    /// releasing many small objects costs the consumer (the busier thread) time it can spend better.
    func take(returning spent: [Element]? = nil) -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        if let spent, !closed { self.spent.append(spent) }
        while batches.isEmpty && !closed && !cancelled { condition.wait() }
        if cancelled || batches.isEmpty { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// The consumer stops: queued batches are dropped and the producer's next `put` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Work on a thread of its own, joined with `wait`.
final class BackgroundJob: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts `body` on a new thread (with a stack large enough for libxml2).
    init(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [finished] in
            body()
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Drops the last reference to `object` on a thread of its own, so that freeing a large
    /// structure does not hold up the caller (nobody waits for that thread).
    static func release(_ object: consuming AnyObject) {
        let box = Disposal(object)
        let thread = Thread { box.drop() }
        thread.start()
    }

    /// Holds an object until `drop`.
    private final class Disposal: @unchecked Sendable {
        private var object: AnyObject?
        init(_ object: AnyObject) { self.object = object }
        func drop() { object = nil }
    }

    /// Waits until the body has returned; later calls return at once.
    func wait() {
        guard !joined else { return }
        finished.wait()
        joined = true
    }
}
