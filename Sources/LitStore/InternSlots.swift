// Numbers for the authors and categories of a run's prepared records. The thread that prepares the
// records numbers each distinct name once (one hash per mention, on that thread); the writing thread
// keeps the node interned for each number in an array, so that a name it has met before costs it an
// index instead of hashing the name into the intern tables again. Numbers follow the intern tables'
// notion of equal names (Swift String equality), so a number stands for exactly one interned node.

/// Numbers for interned names, given while records are prepared, and the node of each number as the
/// writing thread learns it.
///
///     let slots = InternSlots()
///     let prepared = PreparedRecord(record, source: source, slots: slots)   // preparing thread
///     try writer.upsert(prepared, into: writer.resolve(prepared))           // writing thread
///     slots.commit()   // after the session's transaction committed (else `rollback()`)
public final class InternSlots: @unchecked Sendable {
    // The preparing thread's side: name → number.
    private var authorNumbers: [String: Int32] = [:]
    private var categoryNumbers: [String: Int32] = [:]

    // The writing thread's side: number → node (0: not known yet), and the numbers learnt in the
    // session not yet committed.
    private var authorNodes: [Int64] = []
    private var categoryNodes: [Int64] = []
    private var learnt: [(kind: Kind, slot: Int32)] = []

    enum Kind { case author, category }

    public init() {}

    // MARK: Preparing thread

    /// The number of an author's display name, and whether the name was new.
    func number(author name: String) -> (slot: Int32, new: Bool) {
        Self.number(name, in: &authorNumbers)
    }

    /// The number of a category id.
    func number(category id: String) -> Int32 {
        Self.number(id, in: &categoryNumbers).slot
    }

    private static func number(_ name: String, in numbers: inout [String: Int32]) -> (slot: Int32, new: Bool) {
        if let slot = numbers[name] { return (slot, false) }
        let slot = Int32(numbers.count)
        numbers[name] = slot
        return (slot, true)
    }

    // MARK: Writing thread

    /// The node interned for `slot`, if this run's writing has met it (and not rolled it back).
    func node(_ kind: Kind, _ slot: Int32) -> Int64? {
        let i = Int(slot)
        switch kind {
        case .author: return i < authorNodes.count && authorNodes[i] != 0 ? authorNodes[i] : nil
        case .category: return i < categoryNodes.count && categoryNodes[i] != 0 ? categoryNodes[i] : nil
        }
    }

    /// Records that `slot` names `node` (interned in the current session).
    func learn(_ kind: Kind, _ slot: Int32, node: Int64) {
        let i = Int(slot)
        switch kind {
        case .author:
            if i >= authorNodes.count { authorNodes.append(contentsOf: repeatElement(0, count: i + 1 - authorNodes.count)) }
            authorNodes[i] = node
        case .category:
            if i >= categoryNodes.count { categoryNodes.append(contentsOf: repeatElement(0, count: i + 1 - categoryNodes.count)) }
            categoryNodes[i] = node
        }
        learnt.append((kind, slot))
    }

    /// The session's transaction committed: what it learnt stays.
    public func commit() {
        learnt.removeAll(keepingCapacity: true)
    }

    /// The session rolled back: the nodes it interned are gone, and so are their numbers' nodes.
    public func rollback() {
        for (kind, slot) in learnt {
            switch kind {
            case .author: authorNodes[Int(slot)] = 0
            case .category: categoryNodes[Int(slot)] = 0
            }
        }
        learnt.removeAll(keepingCapacity: true)
    }
}
