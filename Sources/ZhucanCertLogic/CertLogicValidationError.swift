/// One fault that ``CertLogic/validate(_:limits:)`` found in a rule, without evaluating it.
///
/// A finding is a value, not a thrown error: validation reports every fault it finds (up to a
/// cap). ``error`` turns it into the ``CertLogicError`` that evaluation throws.
package struct CertLogicValidationError: Hashable, Sendable, CustomStringConvertible {
    /// The kind of fault.
    package let code: CertLogicError.Code
    /// The JSONPath of the faulty sub-expression or operand (`$.and[1].if[0]`).
    package let path: String
    /// A one-line human explanation, without the path.
    package let message: String

    /// Makes a finding.
    package init(_ code: CertLogicError.Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// The finding as an error, its path at the head of its reason.
    package var error: CertLogicError {
        CertLogicError(code, message, path: path)
    }

    package var description: String { "\(path): \(message)" }
}
