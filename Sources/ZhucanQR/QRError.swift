/// An error thrown while making a QR code symbol.
///
/// Check ``code``; ``reason``, ``file`` and ``line`` are diagnostics. Equality and hashing use
/// the code only (the pattern of swift-asn1's `ASN1Error`).
package struct QRError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; stable, and what callers should switch on.
    package let code: Code

    /// A human explanation of this particular failure (lengths, limits, C error numbers).
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

    /// `QRError.<code>: <reason> (<file>:<line>)`.
    package var description: String {
        "QRError.\(code): \(reason) (\(file):\(line))"
    }

    /// Two errors are equal when their codes are equal; the reason and location are diagnostics.
    package static func == (lhs: QRError, rhs: QRError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension QRError {
    /// The kind of a ``QRError``; a struct so codes can be added without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// Creates a code; `name` is what `description` prints and must be unique in the module.
        init(_ name: String) {
            self.name = name
        }

        /// The code's name, e.g. `tooLong`.
        package var description: String { name }

        /// The text does not fit in the largest QR symbol (version 40) at the requested
        /// error-correction level; the reason names the length and the maximum.
        package static let tooLong = Code("tooLong")

        /// The text is empty; a QR code of nothing is never what the caller meant.
        package static let emptyText = Code("emptyText")

        /// libqrencode failed for another reason (out of memory, rejected input); the reason
        /// carries its `errno`.
        package static let encodingFailed = Code("encodingFailed")
    }
}
