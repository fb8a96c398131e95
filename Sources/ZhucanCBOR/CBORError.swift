/// An error thrown by the ``ZhucanCBOR`` module.
///
/// Check ``code`` to decide what to do; ``reason`` says what happened and, for decoding
/// errors, at which byte offset of the input. Equality and hashing consider only ``code``, so
/// tests can compare against a freshly made error of the same kind.
package struct CBORError: Error, Hashable, CustomStringConvertible {
    /// The kind of error.
    package let code: Code

    /// A human explanation, naming the byte offset for decoding errors.
    package let reason: String

    /// The source file that raised the error.
    package let file: String

    /// The source line that raised the error.
    package let line: UInt

    /// Makes an error; `file` and `line` default to the caller's position.
    package init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// `CBORError.<code>: <reason> <file>:<line>`.
    package var description: String {
        "CBORError.\(code): \(reason) \(file):\(line)"
    }

    // Only the code matters for equality, as in swift-asn1's ASN1Error.
    package static func == (lhs: CBORError, rhs: CBORError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension CBORError {
    /// The kind of a ``CBORError``; new kinds may be added without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The code's name, such as `truncated`.
        package var description: String { name }

        /// The input ended inside a data item, or a length claims more bytes than remain.
        package static let truncated = Code("truncated")
        /// Bytes follow the single top-level data item.
        package static let trailingBytes = Code("trailingBytes")
        /// Additional information 28–30 (reserved, RFC 8949 §3), or 31 where no indefinite
        /// form exists (major types 0, 1 and 6).
        package static let invalidAdditionalInfo = Code("invalidAdditionalInfo")
        /// A simple value below 32 was encoded in two bytes (RFC 8949 §3.3).
        package static let invalidSimpleValue = Code("invalidSimpleValue")
        /// A chunk of an indefinite-length string is not a definite string of the same major
        /// type (RFC 8949 §3.2.3).
        package static let invalidChunk = Code("invalidChunk")
        /// Arrays, maps and tags are nested deeper than ``CBORDecoder/Limits/maxDepth``.
        package static let depthLimitExceeded = Code("depthLimitExceeded")
        /// The input holds more data items than ``CBORDecoder/Limits/maxElements``.
        package static let elementLimitExceeded = Code("elementLimitExceeded")
        /// The input is longer than ``CBORDecoder/Limits/maxBytes``.
        package static let sizeLimitExceeded = Code("sizeLimitExceeded")
        /// A text string is not valid UTF-8 (RFC 8949 §3.1, major type 3).
        package static let invalidUTF8 = Code("invalidUTF8")
        /// A map holds two keys with the same value (RFC 8949 §5.6).
        package static let duplicateMapKey = Code("duplicateMapKey")
        /// An indefinite length was found but is not allowed by the limits.
        package static let indefiniteLengthNotAllowed = Code("indefiniteLengthNotAllowed")
        /// An encoding is not the deterministic one of RFC 8949 §4.2.1.
        package static let nonDeterministic = Code("nonDeterministic")
        /// A "break" stop code appeared outside an indefinite-length item.
        package static let unexpectedBreak = Code("unexpectedBreak")
        /// A CBOR value does not have the type or range a Swift type needs.
        package static let unexpectedType = Code("unexpectedType")
    }
}
