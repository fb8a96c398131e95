internal import COpenSSL
import Foundation

/// A passphrase for an encrypted private key, held in memory that is zeroed when released.
///
/// `@unchecked Sendable`: the bytes are written once in the initialiser and only read after.
public final class Passphrase: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<UInt8>

    /// The longest passphrase: OpenSSL reads a key file's passphrase into a buffer of
    /// `PEM_BUFSIZE` (1,024) bytes, so a key encrypted under a longer one could never be read.
    public static let maximumLength = 1_024

    /// Takes a copy of `bytes`.
    /// - Throws: `SigningError.wrongPassphrase` if `bytes` is empty or longer than
    ///   ``maximumLength``.
    public init(bytes: some Collection<UInt8>) throws {
        guard !bytes.isEmpty else { throw SigningError(.wrongPassphrase, "the passphrase is empty") }
        guard bytes.count <= Self.maximumLength else {
            throw SigningError(.wrongPassphrase, "the passphrase is \(bytes.count) bytes; at most \(Self.maximumLength) can be used")
        }
        storage = .allocate(capacity: bytes.count)
        _ = storage.initialize(from: bytes)
    }

    /// Takes the UTF-8 bytes of `text`.
    public convenience init(_ text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    /// Reads the first line of a passphrase file (as `openssl … -pass file:F` does), without its
    /// line ending.
    /// - Throws: `SigningError.wrongPassphrase` if the file cannot be read or its first line is empty.
    public convenience init(contentsOfFile path: String) throws {
        guard var contents = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw SigningError(.wrongPassphrase, "cannot read the passphrase file \(path)")
        }
        defer { contents.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        let line = contents.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        guard !line.isEmpty else { throw SigningError(.wrongPassphrase, "the passphrase file \(path) is empty") }
        try self.init(bytes: line)
    }

    deinit {
        // OPENSSL_cleanse cannot be optimised away as a dead store, unlike a plain memset.
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    /// Lends the bytes for the duration of `body`.
    func withUnsafeBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(storage))
    }
}
