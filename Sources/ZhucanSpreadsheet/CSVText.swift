#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of a CSV file as spreadsheets save it on Chinese desktops: UTF-8 (Excel's
/// "CSV UTF-8", with a byte order mark) or GB18030 (Excel's plain "CSV" on Chinese Windows,
/// which writes the system code page GBK, a subset of GB18030), told apart by the bytes.
enum CSVText {
    /// The encodings recognised.
    enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    /// The text of the bytes, without a byte order mark, and the encoding it was read in.
    ///
    /// Valid UTF-8 is read as UTF-8 (plain ASCII is both). Otherwise, when most invalid
    /// sequences are well-formed GBK or GB18030 characters, the bytes are converted from
    /// GB18030 (GB 18030-2005) with iconv; a byte sequence GB18030 does not define is refused.
    /// - Throws: `notUTF8` for UTF-16, for bytes that are neither, and for broken GB18030,
    ///   naming the line and byte of the first fault.
    static func decode(_ bytes: [UInt8]) throws(BatchFileError) -> (text: String, encoding: Encoding) {
        // The Unicode Standard §23.8: EF BB BF is the byte order mark in UTF-8.
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = bytes[(hasBOM ? 3 : 0)...]
        if !hasBOM, bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .notUTF8(
                "文件是 UTF-16（Excel 的“Unicode 文本”，以制表符分隔）/ the file is UTF-16 (Excel's \"Unicode Text\", which is also tab-separated): 请另存为“CSV UTF-8(逗号分隔)”或 .xlsx / save it as \"CSV UTF-8 (Comma delimited)\" or .xlsx instead")
        }
        let scan = UTF8Scan(body)
        guard let offset = scan.firstInvalidOffset else {
            return (String(decoding: body, as: UTF8.self), .utf8)
        }
        let line = 1 + body[body.startIndex..<(body.startIndex + offset)].reduce(0) { $1 == 0x0A ? $0 &+ 1 : $0 }
        // In GBK text nearly every invalid UTF-8 sequence is a GBK double-byte character
        // (lead 0x81–0xFE, trail 0x40–0xFE except 0x7F; GB 18030-2005 §5.2 adds four-byte
        // sequences), while in other encodings most are not.
        // UTF-8 with a few bytes of GBK pasted in: converted from GB18030, every UTF-8 name
        // would turn into other, valid-looking characters (张伟 → 寮犱紵) and be issued so.
        guard scan.utf8Sequences <= scan.invalidSequences else {
            throw .notUTF8(
                "文件是 UTF-8，但第 \(line) 行混有其他编码的字节 / the file is UTF-8 but line \(line) holds bytes of another encoding (byte \(offset + (hasBOM ? 3 : 0) + 1) of the file), pasted in from elsewhere: 请改正该行后另存为“CSV UTF-8(逗号分隔)” / correct that line and save the file as \"CSV UTF-8 (Comma delimited)\" again")
        }
        guard !hasBOM, scan.gbkSequences * 2 > scan.invalidSequences else {
            throw .notUTF8(
                "第 \(line) 行不是 UTF-8，也不像 GB18030 / line \(line) is neither UTF-8 nor GB18030 (byte \(offset + (hasBOM ? 3 : 0) + 1) of the file): 请另存为“CSV UTF-8(逗号分隔)”或 .xlsx / save it as \"CSV UTF-8 (Comma delimited)\" or .xlsx")
        }
        guard let text = gb18030(body) else {
            throw .notUTF8(
                "文件像 GB18030 但有无法转换的字节 / the file looks like GB18030 but holds bytes GB18030 does not define: 请另存为“CSV UTF-8(逗号分隔)”或 .xlsx / save it as \"CSV UTF-8 (Comma delimited)\" or .xlsx")
        }
        return (text, .gb18030)
    }

    /// GB18030 bytes converted to a string with iconv, or `nil` when a sequence is invalid
    /// or incomplete.
    static func gb18030(_ bytes: ArraySlice<UInt8>) -> String? {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = Array(bytes)
        // A GB18030 character of 1, 2 or 4 bytes becomes at most 4 bytes of UTF-8.
        var output = [UInt8](repeating: 0, count: input.count * 2 + 4)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(decoding: output[..<written], as: UTF8.self)
    }

    /// A pass over bytes that counts invalid UTF-8 sequences (RFC 3629 §4) and how many of them
    /// are well-formed GBK or GB18030 multi-byte characters.
    struct UTF8Scan {
        var invalidSequences = 0
        /// Well-formed multi-byte UTF-8 characters: in GBK text a few pairs look like one by
        /// chance (about one character in twelve), in UTF-8 text every Chinese character is one.
        var utf8Sequences = 0
        var gbkSequences = 0
        var firstInvalidOffset: Int?

        init(_ bytes: ArraySlice<UInt8>) {
            bytes.withUnsafeBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    if buffer[index] < 0x80 {
                        index += 1
                        continue
                    }
                    if let length = UTF8Scan.utf8Length(buffer, at: index) {
                        utf8Sequences += 1
                        index += length
                        continue
                    }
                    if firstInvalidOffset == nil {
                        firstInvalidOffset = index
                    }
                    invalidSequences += 1
                    if let length = UTF8Scan.gbkLength(buffer, at: index) {
                        gbkSequences += 1
                        index += length
                    } else {
                        index += 1
                    }
                }
            }
        }

        /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629 §4), or `nil`.
        static func utf8Length(_ b: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
            func byte(_ offset: Int, in range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                index + offset < b.count && range.contains(b[index + offset])
            }
            switch b[index] {
            case 0x00...0x7F:
                return 1
            case 0xC2...0xDF:
                return byte(1) ? 2 : nil
            case 0xE0:
                return byte(1, in: 0xA0...0xBF) && byte(2) ? 3 : nil
            case 0xE1...0xEC, 0xEE...0xEF:
                return byte(1) && byte(2) ? 3 : nil
            case 0xED:
                return byte(1, in: 0x80...0x9F) && byte(2) ? 3 : nil
            case 0xF0:
                return byte(1, in: 0x90...0xBF) && byte(2) && byte(3) ? 4 : nil
            case 0xF1...0xF3:
                return byte(1) && byte(2) && byte(3) ? 4 : nil
            case 0xF4:
                return byte(1, in: 0x80...0x8F) && byte(2) && byte(3) ? 4 : nil
            default:
                return nil
            }
        }

        /// The length of the GBK double-byte or GB18030 four-byte character at `index`, or `nil`.
        static func gbkLength(_ b: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
            func byte(_ offset: Int, in range: ClosedRange<UInt8>) -> Bool {
                index + offset < b.count && range.contains(b[index + offset])
            }
            guard byte(0, in: 0x81...0xFE) else { return nil }
            if byte(1, in: 0x40...0xFE), b[index + 1] != 0x7F {
                return 2
            }
            if byte(1, in: 0x30...0x39), byte(2, in: 0x81...0xFE), byte(3, in: 0x30...0x39) {
                return 4
            }
            return nil
        }
    }
}
