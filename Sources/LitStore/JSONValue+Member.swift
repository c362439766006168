// One member of a stored JSON object found straight in its UTF-8 bytes, for the query engine's
// property reads: the members before it are skipped (long strings with `memchr`), nothing is built.
// The answer is that of SQLite's `props -> '$.name'` on the same text: the first member of that
// name, compared as written.
import Foundation

extension JSONValue {
    /// Where the value of the first top-level member whose name is written as `name` (the bytes
    /// between its quotes) lies in the JSON object `bytes`: `.some(nil)` when there is none, nil
    /// when the text before it (or, when there is none, the whole text) is not a JSON object.
    public static func memberValue(named name: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>?? {
        var members = JSONMembers.Iterator(bytes)
        while let (written, member) = members.next() {
            if written.count == name.count, written.count == 0 || memcmp(written.baseAddress!, name.baseAddress!, name.count) == 0 {
                return .some(member.start..<member.end)
            }
        }
        return members.failed ? nil : .some(nil)
    }
}
