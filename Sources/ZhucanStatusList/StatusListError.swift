/// An error thrown by the ``ZhucanStatusList`` module.
///
/// Check ``code`` to decide what to do; ``reason``, ``file`` and ``line`` are diagnostics.
/// Equality and hashing use the code only (the pattern of swift-asn1's `ASN1Error`), so tests
/// and callers can compare against a code without reproducing the message.
package struct StatusListError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; stable, and what callers should switch on.
    package let code: Code

    /// A human explanation of this particular failure (indices, values, limits).
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

    /// `StatusListError.<code>: <reason> (<file>:<line>)`.
    package var description: String {
        "StatusListError.\(code): \(reason) (\(file):\(line))"
    }

    /// Two errors are equal when their codes are equal; the reason and location are diagnostics.
    package static func == (lhs: StatusListError, rhs: StatusListError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension StatusListError {
    /// The kind of a ``StatusListError``.
    ///
    /// A struct rather than an enum so that new codes can be added without breaking callers
    /// that switch over the known ones.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// Creates a code; `name` is what `description` prints and must be unique in the module.
        init(_ name: String) {
            self.name = name
        }

        /// The code's name, e.g. `indexOutOfRange`.
        package var description: String { name }

        /// draft-ietf-oauth-status-list §4.1 step 1: `bits` is not 1, 2, 4 or 8.
        package static let invalidBits = Code("invalidBits")

        /// A list was asked for a negative or unrepresentable number of entries.
        package static let invalidCount = Code("invalidCount")

        /// §8.3 step 6: the index is negative or beyond the list; no statement about the
        /// token's status can be made and it must be rejected.
        package static let indexOutOfRange = Code("indexOutOfRange")

        /// A status value does not fit in `bits` bits (it is 2^bits or more).
        package static let valueTooLarge = Code("valueTooLarge")

        /// §4.3: the CBOR is not a `StatusList` map with a `bits` uint, an `lst` bstr and an
        /// optional `aggregation_uri` tstr.
        package static let malformedStatusList = Code("malformedStatusList")

        /// §4.1 step 4: `lst` is not one valid zlib stream (RFC 1950 around RFC 1951).
        package static let malformedCompression = Code("malformedCompression")

        /// `lst` inflates to more than the caller's entry limit allows (a decompression bomb).
        package static let decompressionLimitExceeded = Code("decompressionLimitExceeded")

        /// §5.2: the COSE message or its claims are not a Status List Token (wrong tags or
        /// `typ`, a missing or mistyped required claim).
        package static let malformedToken = Code("malformedToken")

        /// §5.2: the `ttl` claim is not a positive integer.
        package static let invalidTimeToLive = Code("invalidTimeToLive")

        /// §6.3: the `status` claim of a Referenced Token is missing, or its `status_list`
        /// entry is not `{ "idx": uint, "uri": tstr }`.
        package static let malformedReference = Code("malformedReference")

        /// §8.3 step 3a: the Status List Token's signature does not verify.
        package static let badSignature = Code("badSignature")

        /// Signing a Status List Token failed in the signing layer.
        package static let signingFailed = Code("signingFailed")

        /// §8.3 step 4a: the Status List Token's `sub` is not the Referenced Token's `uri`.
        package static let uriMismatch = Code("uriMismatch")

        /// Zhucan: a certificate status list is not 2-bit, or has fewer than
        /// ``CertificateStatusList/minimumEntries`` entries.
        package static let notCertificateList = Code("notCertificateList")

        /// Zhucan: the application-specific status 3 (§7.1) is never written by Zhucan.
        package static let reservedStatus = Code("reservedStatus")
    }
}
