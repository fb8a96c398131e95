/// A type that can be read from a CBOR value.
package protocol CBORDecodable {
    /// Reads a value of this type from `cbor`.
    /// - Throws: ``CBORError`` with code ``CBORError/Code/unexpectedType`` when `cbor` has the
    ///   wrong type or is out of range.
    init(cbor: CBOR) throws(CBORError)
}

extension CBORError {
    /// An ``Code/unexpectedType`` error: `found` is not the `expected` kind of value.
    package static func unexpectedType(expected: String, found: CBOR, file: String = #fileID, line: UInt = #line) -> CBORError {
        var shown = found.diagnostic
        if shown.count > 40 { shown = shown.prefix(40) + "…" }
        return CBORError(.unexpectedType, "expected \(expected), found \(shown)", file: file, line: line)
    }
}

extension CBOR: CBORDecodable {
    /// The value itself.
    package init(cbor: CBOR) {
        self = cbor
    }
}

extension Int64: CBORDecodable {
    /// Reads an unsigned or negative integer within `Int64`'s range.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.int else { throw .unexpectedType(expected: "an integer within Int64", found: cbor) }
        self = value
    }
}

extension Int: CBORDecodable {
    /// Reads an unsigned or negative integer within `Int`'s range.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.int.flatMap(Int.init(exactly:)) else {
            throw .unexpectedType(expected: "an integer within Int", found: cbor)
        }
        self = value
    }
}

extension UInt64: CBORDecodable {
    /// Reads an unsigned integer.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.uint else { throw .unexpectedType(expected: "an unsigned integer", found: cbor) }
        self = value
    }
}

extension UInt8: CBORDecodable {
    /// Reads an unsigned integer up to 255.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.uint.flatMap(UInt8.init(exactly:)) else {
            throw .unexpectedType(expected: "an unsigned integer up to 255", found: cbor)
        }
        self = value
    }
}

extension String: CBORDecodable {
    /// Reads a text string.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.text else { throw .unexpectedType(expected: "a text string", found: cbor) }
        self = value
    }
}

extension Bool: CBORDecodable {
    /// Reads `true` or `false`.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.bool else { throw .unexpectedType(expected: "a boolean", found: cbor) }
        self = value
    }
}

extension Double: CBORDecodable {
    /// Reads a float; integers are not converted, so that a type mix-up is not hidden.
    package init(cbor: CBOR) throws(CBORError) {
        guard let value = cbor.double else { throw .unexpectedType(expected: "a float", found: cbor) }
        self = value
    }
}

extension Array: CBORDecodable where Element: CBORDecodable {
    /// Reads a byte string into `[UInt8]`, otherwise an array whose items all decode as
    /// `Element`.
    package init(cbor: CBOR) throws(CBORError) {
        if Element.self == UInt8.self {
            // A byte string only: an array of small integers is a different data item.
            guard let bytes = cbor.bytes, let same = bytes as? [Element] else {
                throw .unexpectedType(expected: "a byte string", found: cbor)
            }
            self = same
            return
        }
        guard let items = cbor.array else { throw .unexpectedType(expected: "an array", found: cbor) }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            result.append(try Element(cbor: item))
        }
        self = result
    }
}
