internal import CQRencode

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A QR code symbol (ISO/IEC 18004) for a text, made by libqrencode.
///
/// Text made only of QR-alphanumeric characters (`0–9 A–Z space $ % * + - . / :`, which covers
/// base45 and the envelope prefix) is encoded in alphanumeric mode, 5.5 bits per character;
/// anything else is encoded as its UTF-8 bytes in 8-bit mode. The smallest version that fits
/// is chosen. The module matrix is copied out of libqrencode, so the value is a plain
/// `Sendable` struct with no C pointer inside.
package struct QRCode: Hashable, Sendable {
    /// The error-correction level (ISO/IEC 18004 §7.5.1): how much of the symbol can be
    /// damaged or hidden and still decode.
    package enum ErrorCorrection: String, CaseIterable, Hashable, Sendable {
        /// Level L: about 7% of codewords recoverable.
        case low = "L"
        /// Level M: about 15% of codewords recoverable.
        case medium = "M"
        /// Level Q: about 25% of codewords recoverable; the project default for printed and
        /// on-screen codes, as for the EU DCC.
        case quartile = "Q"
        /// Level H: about 30% of codewords recoverable.
        case high = "H"

        fileprivate var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// The symbol version, 1…40 (ISO/IEC 18004 §5.3.1).
    package let version: Int

    /// Modules per side, `17 + 4 · version`, without the quiet zone.
    package let size: Int

    /// The error-correction level the symbol was made with.
    package let errorCorrection: ErrorCorrection

    /// Row-major, `size · size` entries, true for a dark module.
    private let modules: [Bool]

    /// Makes the smallest QR symbol that holds `text`.
    ///
    /// - Parameters:
    ///   - text: the content. Case matters: lower-case letters are not alphanumeric and push
    ///     the whole text into 8-bit mode.
    ///   - errorCorrection: the error-correction level; Q by default.
    /// - Throws: ``QRError/Code/tooLong`` when the text exceeds version 40 at that level
    ///   (for alphanumeric text at Q, 2,420 characters); ``QRError/Code/emptyText`` for an
    ///   empty text; ``QRError/Code/encodingFailed`` when libqrencode fails otherwise.
    package init(text: String, errorCorrection: ErrorCorrection = .quartile) throws(QRError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else {
            throw QRError(.emptyText, reason: "cannot make a QR code of an empty text")
        }
        let alphanumeric = Self.isAlphanumeric(bytes)
        let maximum = Self.capacity(errorCorrection: errorCorrection, alphanumeric: alphanumeric)
        // Checked here, before libqrencode, so the message can name the numbers and the
        // `Int32` length below cannot overflow.
        guard bytes.count <= maximum else {
            throw Self.tooLong(bytes.count, maximum, errorCorrection, alphanumeric)
        }

        // libqrencode is built thread-safe on Debian/Ubuntu (it locks its Reed–Solomon tables
        // with a pthread mutex), so concurrent encodes need no lock here.
        // Owner: this initialiser; freed on every path by the defer.
        guard let input = QRinput_new2(0, errorCorrection.level) else {
            throw QRError(.encodingFailed, reason: "QRinput_new2 failed (errno \(errno))")
        }
        defer { QRinput_free(input) }

        // ISO/IEC 18004 §7.4.4 alphanumeric mode or §7.4.5 byte mode, one segment for the
        // whole text. (`QRcode_encodeString` cannot be asked for alphanumeric mode: its hint
        // only accepts 8-bit or Kanji.) QRinput_append copies the data.
        let mode = alphanumeric ? QR_MODE_AN : QR_MODE_8
        let appended = bytes.withUnsafeBufferPointer { buffer in
            QRinput_append(input, mode, Int32(buffer.count), buffer.baseAddress)
        }
        guard appended == 0 else {
            throw QRError(.encodingFailed, reason: "QRinput_append rejected the text (errno \(errno))")
        }

        // Owner: this initialiser; the matrix is copied out and the QRcode freed by the defer.
        guard let code = QRcode_encodeInput(input) else {
            let error = errno
            if error == ERANGE {
                throw Self.tooLong(bytes.count, maximum, errorCorrection, alphanumeric)
            }
            throw QRError(.encodingFailed, reason: "QRcode_encodeInput failed (errno \(error))")
        }
        defer { QRcode_free(code) }

        let width = Int(code.pointee.width)
        let data = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        self.version = Int(code.pointee.version)
        self.size = width
        self.errorCorrection = errorCorrection
        // libqrencode: bit 0 of each byte is 1 for a dark module; the other bits describe
        // the module's role (finder, timing, …) and are not needed.
        self.modules = data.map { $0 & 1 == 1 }
    }

    /// Whether the module at column `x`, row `y` is dark; (0, 0) is the top-left corner.
    ///
    /// Coordinates outside `0..<size` are light, so callers can draw the quiet zone by reading
    /// beyond the symbol.
    package func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// The most characters (alphanumeric text) or UTF-8 bytes (other text) that fit in a
    /// version-40 symbol at `errorCorrection`.
    ///
    /// ISO/IEC 18004:2015 Table 7, version 40.
    package static func capacity(errorCorrection: ErrorCorrection, alphanumeric: Bool) -> Int {
        switch (errorCorrection, alphanumeric) {
        case (.low, true): 4296
        case (.low, false): 2953
        case (.medium, true): 3391
        case (.medium, false): 2331
        case (.quartile, true): 2420
        case (.quartile, false): 1663
        case (.high, true): 1852
        case (.high, false): 1273
        }
    }

    /// Whether every byte is in the QR alphanumeric set (ISO/IEC 18004 §7.4.4, Table 5).
    static func isAlphanumeric(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: " "), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"),
                 UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }

    private static func tooLong(
        _ length: Int, _ maximum: Int, _ level: ErrorCorrection, _ alphanumeric: Bool,
        file: String = #fileID, line: UInt = #line
    ) -> QRError {
        let unit = alphanumeric ? "alphanumeric characters" : "bytes in 8-bit mode"
        return QRError(
            .tooLong,
            reason: "text is \(length) \(unit); a QR code at error correction \(level.rawValue) holds at most \(maximum)",
            file: file,
            line: line
        )
    }
}
