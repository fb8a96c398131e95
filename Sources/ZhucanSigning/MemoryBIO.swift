internal import COpenSSL

/// The one owner of a memory `BIO*`, freed in `deinit`.
///
/// Reading BIOs wrap a Swift buffer only for the duration of `withReading`; writing BIOs use
/// OpenSSL's secure memory BIO, which clears its buffer when freed, because they hold PEM
/// text of private keys.
final class MemoryBIO {
    let pointer: OpaquePointer

    private init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        BIO_free(pointer)
    }

    /// A BIO to write into, backed by memory cleared on free (`BIO_s_secmem`).
    static func forWriting() throws -> MemoryBIO {
        guard let bio = BIO_new(BIO_s_secmem()) else { throw OpenSSLErrorQueue.error("cannot allocate a BIO") }
        return MemoryBIO(takingOwnershipOf: bio)
    }

    /// Runs `body` with a read-only BIO over `bytes`; the BIO must not outlive the call.
    static func withReading<Result>(_ bytes: [UInt8], _ body: (MemoryBIO) throws -> Result) throws -> Result {
        try bytes.withUnsafeBytes { raw in
            // BIO_new_mem_buf does not copy: the BIO borrows `raw` and is freed before it ends.
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(clamping: raw.count)) else {
                throw OpenSSLErrorQueue.error("cannot allocate a BIO")
            }
            return try body(MemoryBIO(takingOwnershipOf: bio))
        }
    }

    /// Everything written so far.
    func contents() -> [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        let length = zhucan_bio_get_mem_data(pointer, &data)
        guard length > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }
}
