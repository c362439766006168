// SHA-256 (FIPS 180-4), incremental, so that a file can be hashed while it streams through a parser.
// Sources are identified by path and content hash; the platform offers no hash on Linux. Blocks are
// compressed with the CPU's SHA extensions where it has them (CSHA256), else in portable Swift.
#if arch(x86_64)
internal import CSHA256
#endif

/// An incremental SHA-256 digest.
///
///     var h = SHA256(); h.update(bytes); h.hexDigest()
public struct SHA256: Sendable {
    /// How blocks are compressed.
    public enum Engine: Sendable, CaseIterable {
        /// The x86-64 SHA extensions (SHA-NI), where the CPU has them.
        case shaExtensions
        /// Plain Swift: any CPU.
        case portable

        /// Whether the running CPU can use this engine.
        public var isAvailable: Bool {
            switch self {
            case .portable: return true
            case .shaExtensions: return Engine.hasSHAExtensions
            }
        }

        /// The fastest engine the running CPU has.
        public static let fastest: Engine = hasSHAExtensions ? .shaExtensions : .portable

        private static let hasSHAExtensions: Bool = {
            #if arch(x86_64)
            return lit_sha256_shani_available() != 0
            #else
            return false
            #endif
        }()
    }

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0
    public let engine: Engine

    /// A digest computed with `engine` (which must be available on this CPU).
    public init(engine: Engine = .fastest) {
        precondition(engine.isAvailable, "SHA-256 engine \(engine) is not available on this CPU")
        self.engine = engine
        buffer.reserveCapacity(64)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, bytes.count)
            buffer.append(contentsOf: bytes[0..<take])
            offset = take
            if buffer.count == 64 {
                buffer.withUnsafeBytes { compress($0.baseAddress!, count: 1) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let blocks = (bytes.count - offset) / 64
        if blocks > 0 {
            compress(base + offset, count: blocks)
            offset += 64 * blocks
        }
        if offset < bytes.count { buffer.append(contentsOf: bytes[offset...]) }
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// Finishes and returns the digest as 64 lower-case hex digits.
    public mutating func hexDigest() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        let used = Int(length % 64)
        let padding = (used < 56 ? 55 - used : 119 - used)
        tail.append(contentsOf: repeatElement(0, count: padding))
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8((bitLength >> UInt64(shift)) & 0xff)) }
        let saved = length
        tail.withUnsafeBytes { update($0) }
        length = saved
        precondition(buffer.isEmpty)
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for w in words {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((w >> UInt32(shift)) & 0xf)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex<C: Collection>(of bytes: C, engine: Engine = .fastest) -> String where C.Element == UInt8 {
        var h = SHA256(engine: engine)
        h.update(bytes)
        return h.hexDigest()
    }

    /// Compresses `count` 64-byte blocks starting at `blocks`.
    private mutating func compress(_ blocks: UnsafeRawPointer, count: Int) {
        #if arch(x86_64)
        if engine == .shaExtensions {
            withUnsafeMutableBytes(of: &state) { words in
                lit_sha256_compress_shani(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                          blocks.assumingMemoryBound(to: UInt8.self), count)
            }
            return
        }
        #endif
        var (a, b, c, d, e, f, g, h) = state
        for n in 0..<count {
            let block = blocks + 64 * n
            Self.compress(block, &a, &b, &c, &d, &e, &f, &g, &h)
        }
        state = (a, b, c, d, e, f, g, h)
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }

    /// One round: `d` and `h` take their new values; the caller renames the eight words instead of
    /// moving them, so a round is a fixed pattern of register operations. `bc` holds `b ^ c` and
    /// leaves with `a ^ b`, the next round's `b ^ c`.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
                              _ bc: inout UInt32, _ k: UInt32, _ w: UInt32) {
        // Σ1(e) = e ⋙ 6 ^ e ⋙ 11 ^ e ⋙ 25 and Σ0(a) = a ⋙ 2 ^ a ⋙ 13 ^ a ⋙ 22, nested to need one copy.
        let s1 = rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6)
        let ch = g ^ (e & (f ^ g))
        let t1 = h &+ s1 &+ ch &+ k &+ w
        let s0 = rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2)
        let ab = a ^ b
        let maj = b ^ (ab & bc)
        bc = ab
        d = d &+ t1
        h = t1 &+ s0 &+ maj
    }

    /// The next schedule word in the 16-word ring: w[i] from w[i-16], w[i-15], w[i-7], w[i-2].
    @inline(__always)
    private static func schedule(_ w16: UInt32, _ w15: UInt32, _ w7: UInt32, _ w2: UInt32) -> UInt32 {
        let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)
        let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10)
        return w16 &+ s0 &+ w7 &+ s1
    }

    @inline(__always)
    private static func word(_ block: UnsafeRawPointer, _ i: Int) -> UInt32 {
        UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
    }

    /// One 64-byte block, fully unrolled: the working words and the 16-word message schedule live in
    /// locals (registers and stack), the round constants are immediates.
    @inline(__always)
    private static func compress(_ block: UnsafeRawPointer, _ a0: inout UInt32, _ b0: inout UInt32, _ c0: inout UInt32,
                                 _ d0: inout UInt32, _ e0: inout UInt32, _ f0: inout UInt32, _ g0: inout UInt32,
                                 _ h0: inout UInt32) {
        var (a, b, c, d, e, f, g, h) = (a0, b0, c0, d0, e0, f0, g0, h0)
        var w0 = word(block, 0), w1 = word(block, 1), w2 = word(block, 2), w3 = word(block, 3)
        var w4 = word(block, 4), w5 = word(block, 5), w6 = word(block, 6), w7 = word(block, 7)
        var w8 = word(block, 8), w9 = word(block, 9), w10 = word(block, 10), w11 = word(block, 11)
        var w12 = word(block, 12), w13 = word(block, 13), w14 = word(block, 14), w15 = word(block, 15)
        var bc = b ^ c
        round(a, b, c, &d, e, f, g, &h, &bc, 0x428a2f98, w0)
        round(h, a, b, &c, d, e, f, &g, &bc, 0x71374491, w1)
        round(g, h, a, &b, c, d, e, &f, &bc, 0xb5c0fbcf, w2)
        round(f, g, h, &a, b, c, d, &e, &bc, 0xe9b5dba5, w3)
        round(e, f, g, &h, a, b, c, &d, &bc, 0x3956c25b, w4)
        round(d, e, f, &g, h, a, b, &c, &bc, 0x59f111f1, w5)
        round(c, d, e, &f, g, h, a, &b, &bc, 0x923f82a4, w6)
        round(b, c, d, &e, f, g, h, &a, &bc, 0xab1c5ed5, w7)
        round(a, b, c, &d, e, f, g, &h, &bc, 0xd807aa98, w8)
        round(h, a, b, &c, d, e, f, &g, &bc, 0x12835b01, w9)
        round(g, h, a, &b, c, d, e, &f, &bc, 0x243185be, w10)
        round(f, g, h, &a, b, c, d, &e, &bc, 0x550c7dc3, w11)
        round(e, f, g, &h, a, b, c, &d, &bc, 0x72be5d74, w12)
        round(d, e, f, &g, h, a, b, &c, &bc, 0x80deb1fe, w13)
        round(c, d, e, &f, g, h, a, &b, &bc, 0x9bdc06a7, w14)
        round(b, c, d, &e, f, g, h, &a, &bc, 0xc19bf174, w15)
        w0 = schedule(w0, w1, w9, w14)
        round(a, b, c, &d, e, f, g, &h, &bc, 0xe49b69c1, w0)
        w1 = schedule(w1, w2, w10, w15)
        round(h, a, b, &c, d, e, f, &g, &bc, 0xefbe4786, w1)
        w2 = schedule(w2, w3, w11, w0)
        round(g, h, a, &b, c, d, e, &f, &bc, 0x0fc19dc6, w2)
        w3 = schedule(w3, w4, w12, w1)
        round(f, g, h, &a, b, c, d, &e, &bc, 0x240ca1cc, w3)
        w4 = schedule(w4, w5, w13, w2)
        round(e, f, g, &h, a, b, c, &d, &bc, 0x2de92c6f, w4)
        w5 = schedule(w5, w6, w14, w3)
        round(d, e, f, &g, h, a, b, &c, &bc, 0x4a7484aa, w5)
        w6 = schedule(w6, w7, w15, w4)
        round(c, d, e, &f, g, h, a, &b, &bc, 0x5cb0a9dc, w6)
        w7 = schedule(w7, w8, w0, w5)
        round(b, c, d, &e, f, g, h, &a, &bc, 0x76f988da, w7)
        w8 = schedule(w8, w9, w1, w6)
        round(a, b, c, &d, e, f, g, &h, &bc, 0x983e5152, w8)
        w9 = schedule(w9, w10, w2, w7)
        round(h, a, b, &c, d, e, f, &g, &bc, 0xa831c66d, w9)
        w10 = schedule(w10, w11, w3, w8)
        round(g, h, a, &b, c, d, e, &f, &bc, 0xb00327c8, w10)
        w11 = schedule(w11, w12, w4, w9)
        round(f, g, h, &a, b, c, d, &e, &bc, 0xbf597fc7, w11)
        w12 = schedule(w12, w13, w5, w10)
        round(e, f, g, &h, a, b, c, &d, &bc, 0xc6e00bf3, w12)
        w13 = schedule(w13, w14, w6, w11)
        round(d, e, f, &g, h, a, b, &c, &bc, 0xd5a79147, w13)
        w14 = schedule(w14, w15, w7, w12)
        round(c, d, e, &f, g, h, a, &b, &bc, 0x06ca6351, w14)
        w15 = schedule(w15, w0, w8, w13)
        round(b, c, d, &e, f, g, h, &a, &bc, 0x14292967, w15)
        w0 = schedule(w0, w1, w9, w14)
        round(a, b, c, &d, e, f, g, &h, &bc, 0x27b70a85, w0)
        w1 = schedule(w1, w2, w10, w15)
        round(h, a, b, &c, d, e, f, &g, &bc, 0x2e1b2138, w1)
        w2 = schedule(w2, w3, w11, w0)
        round(g, h, a, &b, c, d, e, &f, &bc, 0x4d2c6dfc, w2)
        w3 = schedule(w3, w4, w12, w1)
        round(f, g, h, &a, b, c, d, &e, &bc, 0x53380d13, w3)
        w4 = schedule(w4, w5, w13, w2)
        round(e, f, g, &h, a, b, c, &d, &bc, 0x650a7354, w4)
        w5 = schedule(w5, w6, w14, w3)
        round(d, e, f, &g, h, a, b, &c, &bc, 0x766a0abb, w5)
        w6 = schedule(w6, w7, w15, w4)
        round(c, d, e, &f, g, h, a, &b, &bc, 0x81c2c92e, w6)
        w7 = schedule(w7, w8, w0, w5)
        round(b, c, d, &e, f, g, h, &a, &bc, 0x92722c85, w7)
        w8 = schedule(w8, w9, w1, w6)
        round(a, b, c, &d, e, f, g, &h, &bc, 0xa2bfe8a1, w8)
        w9 = schedule(w9, w10, w2, w7)
        round(h, a, b, &c, d, e, f, &g, &bc, 0xa81a664b, w9)
        w10 = schedule(w10, w11, w3, w8)
        round(g, h, a, &b, c, d, e, &f, &bc, 0xc24b8b70, w10)
        w11 = schedule(w11, w12, w4, w9)
        round(f, g, h, &a, b, c, d, &e, &bc, 0xc76c51a3, w11)
        w12 = schedule(w12, w13, w5, w10)
        round(e, f, g, &h, a, b, c, &d, &bc, 0xd192e819, w12)
        w13 = schedule(w13, w14, w6, w11)
        round(d, e, f, &g, h, a, b, &c, &bc, 0xd6990624, w13)
        w14 = schedule(w14, w15, w7, w12)
        round(c, d, e, &f, g, h, a, &b, &bc, 0xf40e3585, w14)
        w15 = schedule(w15, w0, w8, w13)
        round(b, c, d, &e, f, g, h, &a, &bc, 0x106aa070, w15)
        w0 = schedule(w0, w1, w9, w14)
        round(a, b, c, &d, e, f, g, &h, &bc, 0x19a4c116, w0)
        w1 = schedule(w1, w2, w10, w15)
        round(h, a, b, &c, d, e, f, &g, &bc, 0x1e376c08, w1)
        w2 = schedule(w2, w3, w11, w0)
        round(g, h, a, &b, c, d, e, &f, &bc, 0x2748774c, w2)
        w3 = schedule(w3, w4, w12, w1)
        round(f, g, h, &a, b, c, d, &e, &bc, 0x34b0bcb5, w3)
        w4 = schedule(w4, w5, w13, w2)
        round(e, f, g, &h, a, b, c, &d, &bc, 0x391c0cb3, w4)
        w5 = schedule(w5, w6, w14, w3)
        round(d, e, f, &g, h, a, b, &c, &bc, 0x4ed8aa4a, w5)
        w6 = schedule(w6, w7, w15, w4)
        round(c, d, e, &f, g, h, a, &b, &bc, 0x5b9cca4f, w6)
        w7 = schedule(w7, w8, w0, w5)
        round(b, c, d, &e, f, g, h, &a, &bc, 0x682e6ff3, w7)
        w8 = schedule(w8, w9, w1, w6)
        round(a, b, c, &d, e, f, g, &h, &bc, 0x748f82ee, w8)
        w9 = schedule(w9, w10, w2, w7)
        round(h, a, b, &c, d, e, f, &g, &bc, 0x78a5636f, w9)
        w10 = schedule(w10, w11, w3, w8)
        round(g, h, a, &b, c, d, e, &f, &bc, 0x84c87814, w10)
        w11 = schedule(w11, w12, w4, w9)
        round(f, g, h, &a, b, c, d, &e, &bc, 0x8cc70208, w11)
        w12 = schedule(w12, w13, w5, w10)
        round(e, f, g, &h, a, b, c, &d, &bc, 0x90befffa, w12)
        w13 = schedule(w13, w14, w6, w11)
        round(d, e, f, &g, h, a, b, &c, &bc, 0xa4506ceb, w13)
        w14 = schedule(w14, w15, w7, w12)
        round(c, d, e, &f, g, h, a, &b, &bc, 0xbef9a3f7, w14)
        w15 = schedule(w15, w0, w8, w13)
        round(b, c, d, &e, f, g, h, &a, &bc, 0xc67178f2, w15)
        a0 &+= a; b0 &+= b; c0 &+= c; d0 &+= d
        e0 &+= e; f0 &+= f; g0 &+= g; h0 &+= h
    }
}
