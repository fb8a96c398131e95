/// A type that can be written as a CBOR value.
package protocol CBOREncodable {
    /// This value as CBOR.
    var cbor: CBOR { get }
}

extension CBOR: CBOREncodable {
    /// The value itself.
    package var cbor: CBOR { self }
}

extension Int64: CBOREncodable {
    /// An unsigned or negative integer.
    package var cbor: CBOR { CBOR(self) }
}

extension Int: CBOREncodable {
    /// An unsigned or negative integer.
    package var cbor: CBOR { CBOR(Int64(self)) }
}

extension UInt64: CBOREncodable {
    /// An unsigned integer.
    package var cbor: CBOR { .unsigned(self) }
}

extension UInt8: CBOREncodable {
    /// An unsigned integer. (An array of `UInt8` is a byte string instead; see `Array.cbor`.)
    package var cbor: CBOR { .unsigned(UInt64(self)) }
}

extension String: CBOREncodable {
    /// A text string.
    package var cbor: CBOR { .text(self) }
}

extension Bool: CBOREncodable {
    /// `true` or `false`.
    package var cbor: CBOR { .bool(self) }
}

extension Double: CBOREncodable {
    /// A float, encoded in its shortest exact width.
    package var cbor: CBOR { .float(self) }
}

extension Array: CBOREncodable where Element: CBOREncodable {
    /// A byte string (major type 2) for `[UInt8]`, otherwise an array of the elements' values.
    ///
    /// Swift allows only one conditional conformance of `Array` to a protocol, so bytes are
    /// recognised at run time; an array of small integers would be a different, longer encoding.
    package var cbor: CBOR {
        if let bytes = self as? [UInt8] { return .bytes(bytes) }
        return .array(map(\.cbor))
    }
}
