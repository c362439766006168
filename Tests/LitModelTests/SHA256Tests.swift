import Foundation
import Testing
import LitModel

/// Every engine this CPU can run: the portable one always (the fallback on CPUs without SHA
/// extensions), the SHA extensions where present.
let sha256Engines = SHA256.Engine.allCases.filter(\.isAvailable)

@Suite struct SHA256Tests {
    /// The bytes 0, 1, …, 250, 0, 1, … of length `count`.
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8($0 % 251) }
    }

    // Digests of `pattern(n)` as computed by coreutils' sha256sum: lengths around the 64-byte block
    // and the 56-byte padding boundaries, where one or two final blocks are needed.
    static let known: [(Int, String)] = [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (57, "2fe741af801cc238602ac0ec6a7b0c3a8a87c7fc7d7f02a3fe03d1c12eac4d8f"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
        (121, "335a461692b30bba1d647cc71604e88e676c90e4c22455d0b8c83f4bd7c8ac9b"),
        (128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"),
        (1_000_000, "2c030d49ec131bfbbb446ad21e7a2f12cdb4f2f4f3fda3ac709dd2e68a4646c7"),
    ]

    @Test(arguments: sha256Engines)
    func lengthsAroundBlockBoundaries(engine: SHA256.Engine) {
        for (count, digest) in Self.known {
            #expect(SHA256.hex(of: Self.pattern(count), engine: engine) == digest, "\(count) bytes")
        }
    }

    @Test(arguments: sha256Engines)
    func nistVectors(engine: SHA256.Engine) {
        #expect(SHA256.hex(of: Array("abc".utf8), engine: engine)
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), engine: engine)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(of: Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8), engine: engine)
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(SHA256.hex(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), engine: engine)
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length from 0 to 300 bytes (each position of the message end and the padding in a
    /// block, one to five blocks): the engines agree.
    @Test func enginesAgreeOnEveryLength() {
        let data = Self.pattern(300)
        for count in 0...300 {
            let digests = sha256Engines.map { SHA256.hex(of: data[0..<count], engine: $0) }
            #expect(Set(digests).count == 1, "\(count) bytes: \(digests)")
        }
    }

    /// Fed in pieces of every size from 1 to 130 bytes (so that pieces straddle block ends in every
    /// way), the digest is that of the whole.
    @Test(arguments: sha256Engines)
    func piecesGiveTheDigestOfTheWhole(engine: SHA256.Engine) {
        let data = Self.pattern(1_000)
        let whole = SHA256.hex(of: data, engine: engine)
        #expect(whole == SHA256.hex(of: data, engine: .portable))
        for size in 1...130 {
            var h = SHA256(engine: engine)
            var start = 0
            while start < data.count {
                let end = min(start + size, data.count)
                data[start..<end].withUnsafeBytes { h.update($0) }
                start = end
            }
            #expect(h.hexDigest() == whole, "pieces of \(size) bytes")
        }
    }

    /// A collection without contiguous storage hashes as its bytes.
    @Test func nonContiguousCollection() {
        let bytes = Self.pattern(200)
        #expect(SHA256.hex(of: bytes.lazy.map { $0 }) == SHA256.hex(of: bytes))
        #expect(SHA256.hex(of: (0..<200).lazy.map { UInt8($0 % 251) }) == SHA256.hex(of: bytes))
    }

    @Test func fastestIsAvailable() {
        #expect(SHA256.Engine.fastest.isAvailable)
        #expect(SHA256().engine == .fastest)
    }
}

/// Every file of the shared fixtures and the repository's Corpus/, hashed by each engine, against
/// coreutils' sha256sum.
@Suite(.enabled(if: HashedFiles.available, "../shared/fixtures or /usr/bin/sha256sum is absent: SHA-256 corpus test skipped"))
struct SHA256CorpusTests {
    @Test func everyFileMatchesSha256sum() throws {
        let paths = HashedFiles.paths()
        #expect(paths.count > 100)
        let expected = try HashedFiles.reference(paths)
        for path in paths {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            for engine in sha256Engines {
                #expect(SHA256.hex(of: data, engine: engine) == expected[path], "\(path) with \(engine)")
            }
        }
    }
}

/// The files hashed against sha256sum: the shared fixtures (`<repo root>/../shared/fixtures`) and Corpus/.
enum HashedFiles {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    static let sha256sum = "/usr/bin/sha256sum"
    static var available: Bool {
        FileManager.default.fileExists(atPath: fixtures.path) && FileManager.default.isExecutableFile(atPath: sha256sum)
    }

    static func paths() -> [String] {
        var out: [String] = []
        for root in [fixtures, repoRoot.appendingPathComponent("Corpus")] {
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                out.append(url.path)
            }
        }
        return out.sorted()
    }

    /// path → digest, as sha256sum prints them (`<hex>  <path>` per line).
    static func reference(_ paths: [String]) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sha256sum)
        process.arguments = ["--"] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var digests: [String: String] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let hex = line.prefix(64)
            let path = line.dropFirst(66)
            digests[String(path)] = String(hex)
        }
        return digests
    }
}
