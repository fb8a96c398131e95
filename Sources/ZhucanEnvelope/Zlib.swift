import Foundation
internal import CSystemZlib

/// zlib compression (RFC 1950 around RFC 1951 deflate) through the system zlib, with a bounded
/// inflate for untrusted input.
package enum Zlib {
    /// How much inflated output is produced per `inflate` call; also the most the decoder
    /// allocates beyond what it has already accepted.
    private static let outputChunk = 64 * 1024

    /// Compresses bytes into one zlib stream.
    ///
    /// - Parameters:
    ///   - bytes: the data to compress.
    ///   - level: zlib level 0…9, or -1 for zlib's default; 9 (smallest output) is what the EU
    ///     DCC and this project use for QR payloads.
    /// - Returns: the zlib stream (RFC 1950 header, deflate data, Adler-32 trailer).
    /// - Precondition: `level` is in -1…9.
    package static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
        compress(chunks: CollectionOfOne(bytes), level: level)
    }

    /// Compresses a sequence of chunks into one zlib stream without joining them first.
    ///
    /// Produces the same stream format as ``compress(_:level:)`` for the concatenated input;
    /// useful for large inputs that should not be held in memory at once.
    /// - Parameters:
    ///   - chunks: the data to compress, in order.
    ///   - level: zlib level 0…9, or -1 for zlib's default.
    /// - Returns: the zlib stream.
    /// - Precondition: `level` is in -1…9.
    package static func compress(chunks: some Sequence<[UInt8]>, level: Int32 = 9) -> [UInt8] {
        precondition((-1...9).contains(level), "zlib level must be -1…9, got \(level)")
        return ZStream.pool.withDeflater(level: level) { deflater in
        var output: [UInt8] = []
        return deflater.withStreamAndScratch { stream, buffer in
            // Runs `deflate` with `flush` until it has consumed the current input and (for
            // Z_FINISH) written the whole stream end, appending everything it writes.
            func drain(_ flush: Int32) {
                do {
                    let out = buffer
                    while true {
                        stream.pointee.next_out = out.baseAddress
                        stream.pointee.avail_out = UInt32(out.count)
                        let status = CSystemZlib.deflate(stream, flush)
                        // Z_BUF_ERROR only means "no progress possible", which is how a
                        // Z_NO_FLUSH round ends once the input is used up.
                        precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR,
                                     "deflate failed with status \(status)")
                        let produced = out.count - Int(stream.pointee.avail_out)
                        output.append(contentsOf: out[..<produced])
                        if flush == Z_FINISH {
                            if status == Z_STREAM_END { return }
                        } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                            return
                        }
                    }
                }
            }
            for chunk in chunks {
                chunk.withUnsafeBufferPointer { input in
                    guard let base = input.baseAddress else { return }
                    var offset = 0
                    // avail_in is 32 bits wide; feed larger chunks in slices.
                    while offset < input.count {
                        let slice = min(input.count - offset, Int(UInt32.max))
                        stream.pointee.next_in = UnsafeMutablePointer(mutating: base + offset)
                        stream.pointee.avail_in = UInt32(slice)
                        drain(Z_NO_FLUSH)
                        offset += slice
                    }
                }
            }
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            drain(Z_FINISH)
            return output
        }
        }
    }

    /// Inflates one zlib stream, refusing to produce more than `maxOutput` bytes.
    ///
    /// Inflates in chunks of at most 64 KiB, so memory stays within `maxOutput` plus one chunk
    /// whatever the input claims; a decompression bomb fails as soon as it passes the limit.
    /// - Parameters:
    ///   - bytes: exactly one zlib stream (RFC 1950), nothing before or after it.
    ///   - maxOutput: the largest inflated size accepted, in bytes (negative counts as 0).
    /// - Returns: the inflated bytes.
    /// - Throws: ``EnvelopeError/Code/decompressionLimitExceeded`` when the output would exceed
    ///   `maxOutput`; ``EnvelopeError/Code/malformedCompression`` for a bad header, corrupt
    ///   deflate data, a wrong Adler-32, a stream needing a preset dictionary, a truncated
    ///   stream, or bytes after the end of the stream.
    package static func decompress(_ bytes: [UInt8], maxOutput: Int) throws(EnvelopeError) -> [UInt8] {
        let limit = max(0, maxOutput)
        return try ZStream.pool.withInflater { inflater throws(EnvelopeError) in
        var output: [UInt8] = []
        return try inflater.withStreamAndScratch { stream, scratch throws(EnvelopeError) in
            try bytes.withUnsafeBufferPointer { input throws(EnvelopeError) in
                // One byte beyond the limit is enough to tell "exactly at the limit" from "over
                // it". (Compared before adding, so `maxOutput: .max` cannot overflow.)
                let out = UnsafeMutableBufferPointer(rebasing: scratch[..<(limit < outputChunk ? limit + 1 : outputChunk)])
                do {
                    var fed = 0
                    while true {
                        if stream.pointee.avail_in == 0, fed < input.count, let base = input.baseAddress {
                            // avail_in is 32 bits wide; feed larger inputs in slices.
                            let slice = min(input.count - fed, Int(UInt32.max))
                            stream.pointee.next_in = UnsafeMutablePointer(mutating: base + fed)
                            stream.pointee.avail_in = UInt32(slice)
                            fed += slice
                        }
                        let remaining = limit - output.count
                        let room = remaining < out.count ? remaining + 1 : out.count
                        stream.pointee.next_out = out.baseAddress
                        stream.pointee.avail_out = UInt32(room)
                        let status = CSystemZlib.inflate(stream, Z_NO_FLUSH)
                        let produced = room - Int(stream.pointee.avail_out)
                        if produced > remaining {
                            throw EnvelopeError(
                                .decompressionLimitExceeded,
                                reason: "inflated data exceeds the limit of \(limit) bytes"
                            )
                        }
                        output.append(contentsOf: out[..<produced])
                        switch status {
                        case Z_OK:
                            continue
                        case Z_STREAM_END:
                            // RFC 1950 §2.2: the stream ends after ADLER32; anything after it
                            // is not part of the payload and is rejected, not ignored.
                            let trailing = Int(stream.pointee.avail_in) + (input.count - fed)
                            guard trailing == 0 else {
                                throw EnvelopeError(
                                    .malformedCompression,
                                    reason: "\(trailing) trailing bytes after the end of the zlib stream"
                                )
                            }
                            return output
                        case Z_BUF_ERROR where stream.pointee.avail_in == 0 && fed == input.count:
                            throw EnvelopeError(
                                .malformedCompression,
                                reason: "zlib stream is truncated after \(input.count) bytes"
                            )
                        case Z_NEED_DICT:
                            throw EnvelopeError(
                                .malformedCompression,
                                reason: "zlib stream needs a preset dictionary (RFC 1950 §2.2 FDICT), which is not allowed"
                            )
                        default:
                            throw EnvelopeError(
                                .malformedCompression,
                                reason: "inflate failed (status \(status)): \(ZStream.message(stream))"
                            )
                        }
                    }
                }
            }
        }
        }
    }

    /// The CRC-32 (ISO 3309 / ITU-T V.42, as used by PNG and gzip) of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: the data to checksum.
    ///   - crc: the CRC of the data that precedes `bytes`, to checksum in pieces; 0 to start.
    package static func crc32(_ bytes: some Collection<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        func checksum(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
            var value = UInt(crc)
            guard let base = buffer.baseAddress else { return crc }
            var offset = 0
            // The length parameter is 32 bits wide; checksum larger buffers in slices.
            while offset < buffer.count {
                let slice = min(buffer.count - offset, Int(UInt32.max))
                value = CSystemZlib.crc32(value, base + offset, UInt32(slice))
                offset += slice
            }
            return UInt32(truncatingIfNeeded: value)
        }
        if let value = bytes.withContiguousStorageIfAvailable(checksum) {
            return value
        }
        return Array(bytes).withUnsafeBufferPointer(checksum)
    }
}

/// Owns one `z_stream`: allocates it at a fixed address (zlib keeps a back-pointer to it and
/// refuses a moved stream), and ends and frees it in `deinit`; with a 64 KiB scratch buffer.
///
/// Streams are reused through ``pool``: setting one up costs far more than compressing a code.
/// A deflater at level 9 holds some 270 KiB, above glibc's mmap threshold, so each new one was
/// an mmap, page faults and an munmap; `deflateReset` / `inflateReset` keep the memory and
/// give the same output as a fresh stream.
private final class ZStream: @unchecked Sendable {
    private enum Direction {
        case deflate
        case inflate
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let direction: Direction
    private let scratch: UnsafeMutableBufferPointer<UInt8>

    /// Takes ownership of an initialised stream; `deinit` calls the matching `…End` and frees it.
    private init(takingOwnershipOf stream: UnsafeMutablePointer<z_stream>, direction: Direction) {
        self.stream = stream
        self.direction = direction
        self.scratch = .allocate(capacity: 64 * 1024)
    }

    /// Returns the stream to its freshly initialised state (same level, same format).
    func reset() {
        switch direction {
        case .deflate: _ = CSystemZlib.deflateReset(stream)
        case .inflate: _ = CSystemZlib.inflateReset(stream)
        }
        // The reset keeps the buffer pointers; a stream returned with unread input would
        // otherwise read it again at its next use.
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        stream.pointee.next_out = nil
        stream.pointee.avail_out = 0
    }

    /// Lends the stream and the scratch buffer to `body`; neither pointer may escape it.
    func withStreamAndScratch<Result, Failure: Error>(
        _ body: (UnsafeMutablePointer<z_stream>, UnsafeMutableBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(stream, scratch)
    }

    /// Idle streams, at most a few per kind: one per thread compressing or inflating at once.
    static let pool = Pool()

    final class Pool: @unchecked Sendable {
        private let lock = NSLock()
        private var deflaters: [Int32: [ZStream]] = [:]
        private var inflaters: [ZStream] = []
        /// More idle streams than this are freed, not kept.
        private let keep = 16

        func withDeflater<Result>(level: Int32, _ body: (ZStream) -> Result) -> Result {
            let stream = lock.withLock { deflaters[level]?.popLast() } ?? ZStream.deflater(level: level)
            defer { give(back: stream) { $0.deflaters[level, default: []].append(stream) } }
            return body(stream)
        }

        func withInflater<Result>(_ body: (ZStream) throws(EnvelopeError) -> Result) throws(EnvelopeError) -> Result {
            let stream: ZStream
            if let idle = lock.withLock({ inflaters.popLast() }) {
                stream = idle
            } else {
                stream = try ZStream.inflater()
            }
            defer { give(back: stream) { $0.inflaters.append(stream) } }
            return try body(stream)
        }

        /// Resets `stream` (whatever state a failure left it in) and keeps it if there is room.
        private func give(back stream: ZStream, _ keepIt: (Pool) -> Void) {
            stream.reset()
            lock.withLock {
                if deflaters.values.reduce(0, { $0 + $1.count }) + inflaters.count < keep { keepIt(self) }
            }
        }
    }

    deinit {
        switch direction {
        case .deflate: CSystemZlib.deflateEnd(stream)
        case .inflate: CSystemZlib.inflateEnd(stream)
        }
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// A stream set up for `deflate` at `level`, writing the zlib format.
    static func deflater(level: Int32) -> ZStream {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        // Zero zalloc/zfree/opaque select zlib's default allocator.
        stream.initialize(to: z_stream())
        let status = czlib_deflateInit(stream, level)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            // The level was checked, so only Z_MEM_ERROR remains: out of memory, like any
            // failed Swift allocation.
            fatalError("deflateInit failed with status \(status)")
        }
        return ZStream(takingOwnershipOf: stream, direction: .deflate)
    }

    /// A stream set up for `inflate`, accepting only the zlib format (RFC 1950 header).
    static func inflater() throws(EnvelopeError) -> ZStream {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_inflateInit(stream)
        guard status == Z_OK else {
            let message = message(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw EnvelopeError(.malformedCompression, reason: "inflateInit failed (status \(status)): \(message)")
        }
        return ZStream(takingOwnershipOf: stream, direction: .inflate)
    }

    /// Lends the stream to `body`; the pointer must not escape it.
    func withStream<Result, Failure: Error>(
        _ body: (UnsafeMutablePointer<z_stream>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(stream)
    }

    /// zlib's message for the last error on `stream`, if it set one.
    static func message(_ stream: UnsafeMutablePointer<z_stream>) -> String {
        stream.pointee.msg.map { String(cString: $0) } ?? "no message"
    }
}
