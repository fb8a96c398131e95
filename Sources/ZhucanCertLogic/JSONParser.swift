/// A strict RFC 8259 JSON parser with hard limits, behind ``JSONValue/init(parsing:limits:)``.
///
/// Foundation's parsers were not used for rules because they disagree on duplicate object
/// names (`JSONDecoder` keeps the first, `JSONSerialization` the last: a signed rule could
/// mean two things) and report only "not valid JSON". This parser rejects duplicate names,
/// keeps integers exact, names the byte offset and JSONPath of every fault, and is iterative:
/// nesting costs heap (bounded by `maxDepth`), never stack.
struct JSONParser {
    private let bytes: [UInt8]
    private let limits: JSONValue.ParsingLimits
    private var offset = 0

    /// One open array or object.
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [String: JSONValue] = [:]
        /// The name of the member being read; `nil` between members.
        var key: String?
    }

    private var stack: [Frame] = []

    init(bytes: [UInt8], limits: JSONValue.ParsingLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses the whole input as one JSON text (RFC 8259 §2: ws value ws).
    mutating func parse() throws(CertLogicError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw CertLogicError(.invalidJSON, "JSON text of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes)")
        }
        skipWhitespace()
        var value = try parseValueOrOpen()
        while true {
            // `value` is complete: hand it to the innermost open container, or finish.
            guard !stack.isEmpty else {
                skipWhitespace()
                guard offset == bytes.count else { throw fault("unexpected text after the JSON value") }
                return value
            }
            let top = stack.count - 1
            if stack[top].isObject {
                stack[top].members[stack[top].key ?? ""] = value
                stack[top].key = nil
            } else {
                stack[top].elements.append(value)
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                offset += 1
                skipWhitespace()
                if stack[top].isObject { try parseKeyAndColon() }
                value = try parseValueOrOpen()
            case UInt8(ascii: "]") where !stack[top].isObject:
                offset += 1
                value = .array(stack.removeLast().elements)
            case UInt8(ascii: "}") where stack[top].isObject:
                offset += 1
                value = .object(stack.removeLast().members)
            default:
                throw fault(stack[top].isObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
    }

    /// Parses a scalar, or opens containers until it reaches a complete value (a scalar or an
    /// empty container), which it returns.
    private mutating func parseValueOrOpen() throws(CertLogicError) -> JSONValue {
        while true {
            guard let byte = peek() else { throw fault("unexpected end of input, expected a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard stack.count < limits.effectiveMaxDepth else {
                    throw fault("nesting deeper than the limit of \(limits.effectiveMaxDepth)")
                }
                offset += 1
                skipWhitespace()
                if isObject, peek() == UInt8(ascii: "}") {
                    offset += 1
                    return .object([:])
                }
                if !isObject, peek() == UInt8(ascii: "]") {
                    offset += 1
                    return .array([])
                }
                stack.append(Frame(isObject: isObject))
                if isObject { try parseKeyAndColon() }
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try parseNumber()
            default:
                throw fault("unexpected character, expected a value")
            }
        }
    }

    /// RFC 8259 §4: member = string name-separator value; names must be unique here.
    private mutating func parseKeyAndColon() throws(CertLogicError) {
        guard peek() == UInt8(ascii: "\"") else { throw fault("expected a string object name") }
        let keyOffset = offset
        let key = try parseString()
        let top = stack.count - 1
        guard stack[top].members[key] == nil else {
            offset = keyOffset
            stack[top].key = key
            throw fault("duplicate object name \(JSONValue.string(key).jsonString)")
        }
        stack[top].key = key
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw fault("expected ':' after an object name") }
        offset += 1
        skipWhitespace()
    }

    /// RFC 8259 §7: a string, with escapes; the result must be valid UTF-8 (§8.1) without lone
    /// surrogates (Swift strings hold Unicode scalars only).
    private mutating func parseString() throws(CertLogicError) -> String {
        offset += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fault("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let string = String(validating: out, as: UTF8.self) else {
                    throw fault("string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                offset += 1
                guard let escape = peek() else { throw fault("unterminated string") }
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    UTF8.encode(scalar) { out.append($0) }
                default:
                    offset -= 2
                    throw fault("invalid escape sequence")
                }
            case _ where byte < 0x20:
                throw fault("unescaped control character in string")
            default:
                out.append(byte)
                offset += 1
            }
        }
    }

    /// `\uXXXX`, joining a UTF-16 surrogate pair (RFC 8259 §7) into one scalar.
    private mutating func parseUnicodeEscape() throws(CertLogicError) -> Unicode.Scalar {
        let start = offset - 2
        let high = try parseHex4()
        var value = UInt32(high)
        if (0xD800..<0xDC00).contains(high) {
            guard peek() == UInt8(ascii: "\\"), peek(at: 1) == UInt8(ascii: "u") else {
                offset = start
                throw fault("lone UTF-16 surrogate in \\u escape")
            }
            offset += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else {
                offset = start
                throw fault("lone UTF-16 surrogate in \\u escape")
            }
            value = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else {
            offset = start
            throw fault("lone UTF-16 surrogate in \\u escape")
        }
        return scalar
    }

    private mutating func parseHex4() throws(CertLogicError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw fault("truncated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fault("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    /// RFC 8259 §6: `-? int frac? exp?`. Integers are kept exact when they fit in `Int64`.
    private mutating func parseNumber() throws(CertLogicError) -> JSONValue {
        let start = offset
        var isIntegerSyntax = true
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), isDigit(first) else { throw fault("invalid number") }
        offset += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw fault("number with a leading zero")
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            isIntegerSyntax = false
            offset += 1
            guard let digit = peek(), isDigit(digit) else { throw fault("number needs digits after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isIntegerSyntax = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard let digit = peek(), isDigit(digit) else { throw fault("number needs digits in its exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if isIntegerSyntax, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else {
            offset = start
            throw fault("number out of range")
        }
        return JSONValue(number: double)
    }

    private mutating func expectLiteral(_ literal: String) throws(CertLogicError) {
        let expected = Array(literal.utf8)
        let count = expected.count
        guard offset + count <= bytes.count, bytes[offset..<offset + count].elementsEqual(expected) else {
            throw fault("invalid literal, expected \(literal)")
        }
        offset += count
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { offset += 1 }
    }

    /// RFC 8259 §2: ws = space, horizontal tab, line feed, carriage return.
    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
    }

    private func peek(at distance: Int = 0) -> UInt8? {
        let index = offset + distance
        return index < bytes.count ? bytes[index] : nil
    }

    /// An error naming the byte offset and the JSONPath of the value being read.
    private func fault(_ message: String, code: CertLogicError.Code = .invalidJSON) -> CertLogicError {
        var path = JSONPath.root
        for frame in stack {
            if frame.isObject {
                if let key = frame.key { path = JSONPath.appending(path, key: key) }
            } else {
                path = JSONPath.appending(path, index: frame.elements.count)
            }
        }
        return CertLogicError(code, "\(message) (byte offset \(offset))", path: path)
    }
}
