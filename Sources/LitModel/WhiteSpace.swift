/// XML and BibTeX white space (space, tab, newline, carriage return) collapsed to single spaces, on
/// UTF-8 bytes; shared by the Atom and BibTeX readers, where it sits on the hot path.
public enum WhiteSpace {
    /// Appends `input` to `buffer` with each run of white space collapsed to one space, also across the
    /// join with what `buffer` already ends with. With `atStart` false, no space is written while
    /// `buffer` is empty. The bytes are copied in bulk, then compressed in place, eight bytes at a
    /// time where the only white space is single spaces after a word.
    public static func appendCollapsed(_ input: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8],
                                       atStart: Bool) {
        guard !input.isEmpty else { return }
        var out = buffer.count
        buffer.append(contentsOf: input)
        buffer.withUnsafeMutableBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            let raw = UnsafeMutableRawPointer(base)
            var i = out
            let end = out + input.count
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, spaces: UInt64 = 0x2020_2020_2020_2020
            while i < end {
                while i + 8 <= end {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let atMost20 = ~(((w & lows) &+ ones &* 0x5F) | w) & highs   // bytes <= 0x20, exactly
                    let x = w ^ spaces
                    let isSpace = ~(((x & lows) &+ lows) | x) & highs          // bytes == 0x20, exactly
                    guard atMost20 == isSpace, isSpace & (isSpace << 8) == 0 else { break }
                    if isSpace & 0x80 != 0 && (out == 0 ? !atStart : base[out - 1] == 0x20) { break }
                    raw.storeBytes(of: w, toByteOffset: out, as: UInt64.self)
                    out += 8
                    i += 8
                }
                if i >= end { break }
                let c = base[i]
                i += 1
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                    if out == 0 ? atStart : base[out - 1] != 0x20 {
                        base[out] = 0x20
                        out += 1
                    }
                } else {
                    base[out] = c
                    out += 1
                }
            }
        }
        buffer.removeLast(buffer.count - out)
    }
}
