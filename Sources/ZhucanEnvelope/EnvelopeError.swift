/// An error thrown while encoding or decoding the credential envelope (base45, zlib, CBOR, COSE).
///
/// Check ``code`` to decide what to do; ``reason``, ``file`` and ``line`` are diagnostics.
/// Equality and hashing use the code only, so tests and callers can compare against a code
/// without reproducing the message (the pattern of swift-asn1's `ASN1Error`).
package struct EnvelopeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; stable, and what callers should switch on.
    package let code: Code

    /// A human explanation of this particular failure (offsets, values, limits).
    package let reason: String

    /// The source file (`#fileID`) that threw the error.
    package let file: String

    /// The source line that threw the error.
    package let line: UInt

    /// Creates an error with a code and a human reason, recording where it was thrown.
    package init(_ code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// `EnvelopeError.<code>: <reason> (<file>:<line>)`.
    package var description: String {
        "EnvelopeError.\(code): \(reason) (\(file):\(line))"
    }

    /// Two errors are equal when their codes are equal; the reason and location are diagnostics.
    package static func == (lhs: EnvelopeError, rhs: EnvelopeError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension EnvelopeError {
    /// The kind of an ``EnvelopeError``.
    ///
    /// A struct rather than an enum so that new codes can be added (as `static let`s in an
    /// extension in this module) without breaking callers that switch over the known ones.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// Creates a code; `name` is what `description` prints and must be unique in the module.
        init(_ name: String) {
            self.name = name
        }

        /// The code's name, e.g. `malformedBase45`.
        package var description: String { name }

        /// RFC 9285 §4: a character outside the 45-character alphabet, a dangling single
        /// character, or a group whose value overflows its byte count.
        package static let malformedBase45 = Code("malformedBase45")

        /// RFC 1950 / RFC 1951: the zlib stream is corrupt, truncated, needs a preset
        /// dictionary, or is followed by trailing bytes.
        package static let malformedCompression = Code("malformedCompression")

        /// The inflated data would exceed the caller's output limit (a decompression bomb).
        package static let decompressionLimitExceeded = Code("decompressionLimitExceeded")

        /// The text does not start with a known envelope prefix (`ZC1:`, `ZC2:`, `ZC2Z:`, or `HC1:` for EU DCC).
        package static let malformedPrefix = Code("malformedPrefix")

        /// RFC 8949: the bytes are not one well-formed CBOR item within the decoding limits.
        package static let malformedCBOR = Code("malformedCBOR")

        /// RFC 9052 §4.2: the CBOR item is not a COSE_Sign1 structure, or its headers are invalid.
        package static let malformedCOSE = Code("malformedCOSE")

        /// RFC 8392 §7.1: the payload is not a CWT claims map with well-typed claims.
        package static let malformedClaims = Code("malformedClaims")

        /// The key cannot sign or verify with the requested COSE algorithm.
        package static let algorithmMismatch = Code("algorithmMismatch")

        /// Signing failed in the signing layer.
        package static let signingFailed = Code("signingFailed")

        /// A validation time that is not one of ``TimeInput``'s accepted forms.
        package static let invalidTime = Code("invalidTime")
    }
}
