import Foundation
import ZhucanCBOR

/// An envelope read layer by layer — prefix, base45, zlib, COSE_Sign1, CWT claims — as far as
/// it could be read. A broken input keeps the layers before the one that failed, so tools can
/// show how far it got.
///
/// Reading checks structure only; signatures and time are checked by `EnvelopeVerifier`.
package struct EnvelopeLayers: Sendable {
    /// Hard limits for untrusted input.
    package struct Limits: Sendable, Hashable {
        /// Longest accepted text (a version-40 QR holds 4,296 alphanumeric characters;
        /// published lists are files and may be longer).
        package var maxTextLength: Int
        /// Largest accepted inflated size, in bytes (a zip bomb stops here).
        package var maxInflatedBytes: Int
        /// CBOR decoding limits for the COSE structure and the claims.
        package var cbor: CBORDecoder.Limits

        /// Defaults that fit every Zhucan object, including a status list of 1,048,576 entries.
        package init(maxTextLength: Int = 1 << 20, maxInflatedBytes: Int = 1 << 20, cbor: CBORDecoder.Limits = .init()) {
            self.maxTextLength = maxTextLength
            self.maxInflatedBytes = maxInflatedBytes
            self.cbor = cbor
        }
    }

    /// Where and why reading stopped.
    package struct Failure: Sendable, Hashable {
        /// The reason code.
        package let reason: VerificationReason
        /// A human explanation.
        package let detail: String
    }

    /// The input, without surrounding whitespace.
    package let text: String
    /// The prefix.
    package private(set) var prefix: EnvelopePrefix?
    /// The base45-decoded bytes: the zlib stream, or the COSE structure itself after the
    /// uncompressed compact prefix `ZC2:`.
    package private(set) var compressed: [UInt8]?
    /// The inflated bytes (the COSE structure).
    package private(set) var inflated: [UInt8]?
    /// The COSE_Sign1.
    package private(set) var cose: CoseSign1?
    /// The CWT claims of the payload.
    package private(set) var claims: CWTClaims?
    /// Why reading stopped, or `nil` if every layer was read.
    package private(set) var failure: Failure?

    /// Reads `text` as far as it goes.
    package init(reading text: String, limits: Limits = Limits()) {
        self.text = Self.trimmed(text)
        read(limits)
    }

    /// `text` without the whitespace around it (Unicode White_Space: spaces, tabs, line ends,
    /// NEL, no-break and ideographic spaces). A code is ASCII, so when both ends are printable
    /// ASCII the text is returned as it is; otherwise the ends are scanned by scalar. Foundation's
    /// trimming converted the whole text to UTF-16 first, which was a sixth of verifying a code
    /// read from a file (its final line break).
    private static func trimmed(_ text: String) -> String {
        let printable: ClosedRange<UInt8> = 0x21...0x7E
        if let first = text.utf8.first, let last = text.utf8.last, printable.contains(first), printable.contains(last) {
            return text
        }
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) {
            scalars.formIndex(after: &start)
        }
        while end > start, isWhitespace(scalars[scalars.index(before: end)]) {
            scalars.formIndex(before: &end)
        }
        return String(scalars[start..<end])
    }

    /// White_Space, answered without the property tables for ASCII (tab to carriage return,
    /// and space): a code read from a file ends in a line break.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// Reads a binary COSE_Sign1 (RFC 9052), as a status list token travels
    /// (draft-ietf-oauth-status-list §8, `application/statuslist+cwt`): no prefix, base45 or
    /// zlib layer; `text` is empty.
    package init(decodingCOSE bytes: [UInt8], limits: Limits = Limits()) {
        text = ""
        guard bytes.count <= limits.maxInflatedBytes else {
            failure = Failure(reason: .malformedCOSE, detail: "the object is \(bytes.count) bytes, over the limit of \(limits.maxInflatedBytes)")
            return
        }
        inflated = bytes
        readCOSE(limits)
    }

    private mutating func read(_ limits: Limits) {
        guard text.utf8.count <= limits.maxTextLength else {
            return fail(.malformedPrefix, "the text is \(text.utf8.count) bytes, over the limit of \(limits.maxTextLength)")
        }
        guard let prefix = EnvelopePrefix.of(text) else {
            return fail(.malformedPrefix, "the text does not start with \(EnvelopePrefix.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        self.prefix = prefix
        do {
            compressed = try Base45.decode(String(text.dropFirst(prefix.rawValue.count)))
        } catch {
            return fail(.malformedBase45, error.reason)
        }
        guard prefix.isDeflated else {
            // Base45 of n characters is at most 2n/3 bytes, and the text is bounded already.
            inflated = compressed
            return readCOSE(limits)
        }
        do {
            inflated = try Zlib.decompress(compressed ?? [], maxOutput: limits.maxInflatedBytes)
        } catch {
            return fail(.malformedCompression, error.reason)
        }
        readCOSE(limits)
    }

    private mutating func readCOSE(_ limits: Limits) {
        do {
            cose = try CoseSign1(decoding: inflated ?? [], limits: limits.cbor)
        } catch {
            return fail(error.code == .malformedCBOR ? .malformedCBOR : .malformedCOSE, error.reason)
        }
        do {
            let payload = try CBORDecoder.decode(cose?.payload ?? [], limits: limits.cbor)
            claims = try CWTClaims(payload)
        } catch let error as CBORError {
            return fail(.malformedCBOR, "payload: \(error.reason)")
        } catch let error as EnvelopeError {
            return fail(.malformedCBOR, "payload: \(error.reason)")
        } catch {
            return fail(.malformedCBOR, "payload: \(error)")
        }
    }

    private mutating func fail(_ reason: VerificationReason, _ detail: String) {
        failure = Failure(reason: reason, detail: detail)
    }
}
