/// Compact JSON (RFC 8259) for the answer of the hottest route, `POST /v1/verify`, written
/// member by member: Foundation's `JSONEncoder` was 5% of the service's CPU at full load. The
/// output is byte for byte what `JSONResponse.make` gives (keys sorted, `/` and non-ASCII
/// unescaped), provided members are written in sorted order — a test holds it to that.
package struct JSONObjectWriter {
    private(set) package var bytes: [UInt8]
    private var isEmpty = true

    /// Starts an object.
    package init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// The object, closed.
    package consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// A string member; none when `value` is nil (as `encodeIfPresent`).
    package mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        Self.append(string: value, to: &bytes)
    }

    /// A boolean member; none when `value` is nil.
    package mutating func member(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    /// An integer member; none when `value` is nil.
    package mutating func member(_ name: String, _ value: (some BinaryInteger)?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// An array-of-strings member; none when `values` is nil.
    package mutating func member(_ name: String, _ values: [String]?) {
        guard let values else { return }
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.append(string: value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object member, written by `body`.
    package mutating func member(_ name: String, object body: (inout JSONObjectWriter) -> Void) {
        key(name)
        var nested = JSONObjectWriter(capacity: 0)
        body(&nested)
        bytes.append(contentsOf: nested.finished())
    }

    private mutating func key(_ name: String) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        Self.append(string: name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// RFC 8259 §7: the quotation mark, the reverse solidus and control characters are escaped,
    /// as `JSONEncoder` escapes them; everything else is written as its UTF-8.
    package static func append(string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00...0x1F:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
