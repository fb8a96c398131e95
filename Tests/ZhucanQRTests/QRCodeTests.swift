import Foundation
import Testing
import ZhucanQR

@Suite("QRCode")
struct QRCodeTests {
    @Test("a short alphanumeric text makes a version 1 symbol of 21 modules")
    func smallest() throws {
        let code = try QRCode(text: "HELLO WORLD")
        #expect(code.version == 1)
        #expect(code.size == 21)
        #expect(code.errorCorrection == .quartile)
    }

    @Test("size is 17 + 4·version, and longer text needs a higher version")
    func sizeFollowsVersion() throws {
        let short = try QRCode(text: Samples.envelopeLike(base45Count: 100))
        let long = try QRCode(text: Samples.envelopeLike(base45Count: 600))
        #expect(short.size == 17 + 4 * short.version)
        #expect(long.size == 17 + 4 * long.version)
        #expect(long.version > short.version)
    }

    @Test("the three finder patterns sit in the corners (ISO/IEC 18004 §6.3.3)")
    func finderPatterns() throws {
        let code = try QRCode(text: Samples.envelopeLike(base45Count: 600))
        let last = code.size - 1
        for (originX, originY) in [(0, 0), (last - 6, 0), (0, last - 6)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    // Rings 3 (outer) and 0…1 (centre) are dark, ring 2 is light.
                    #expect(code.isDark(x: originX + dx, y: originY + dy) == (ring != 2), "(\(originX + dx), \(originY + dy))")
                }
            }
        }
        #expect(!code.isDark(x: 7, y: 0))  // separator
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: code.size))
    }

    @Test("alphanumeric capacity at version 40 is exact for each level", arguments: QRCode.ErrorCorrection.allCases)
    func alphanumericCapacity(level: QRCode.ErrorCorrection) throws {
        let maximum = QRCode.capacity(errorCorrection: level, alphanumeric: true)
        let code = try QRCode(text: Samples.alphanumeric(count: maximum), errorCorrection: level)
        #expect(code.version == 40)
        #expect(code.size == 177)
        let error = #expect(throws: QRError.self) {
            try QRCode(text: Samples.alphanumeric(count: maximum + 1), errorCorrection: level)
        }
        #expect(error?.code == .tooLong)
        #expect(error?.reason.contains("\(maximum + 1)") == true)
        #expect(error?.reason.contains("at most \(maximum)") == true)
    }

    @Test("2,420 alphanumeric characters fit at Q; 2,421 are too long, and the error says so")
    func quartileLimit() throws {
        #expect(QRCode.capacity(errorCorrection: .quartile, alphanumeric: true) == 2420)
        #expect(try QRCode(text: Samples.alphanumeric(count: 2420)).version == 40)
        let error = #expect(throws: QRError.self) { try QRCode(text: Samples.alphanumeric(count: 2421)) }
        #expect(error?.code == .tooLong)
        #expect(error?.reason == "text is 2421 alphanumeric characters; a QR code at error correction Q holds at most 2420")
    }

    @Test("lower case is not alphanumeric: such text uses 8-bit mode and its smaller capacity")
    func byteMode() throws {
        let maximum = QRCode.capacity(errorCorrection: .quartile, alphanumeric: false)
        #expect(maximum == 1663)
        #expect(try QRCode(text: String(repeating: "a", count: maximum)).version == 40)
        let error = #expect(throws: QRError.self) { try QRCode(text: String(repeating: "a", count: maximum + 1)) }
        #expect(error?.code == .tooLong)
        #expect(error?.reason.contains("8-bit") == true)
        // Upper case of the same length is alphanumeric and fits easily.
        #expect(try QRCode(text: String(repeating: "A", count: maximum + 1)).version < 40)
    }

    @Test("empty text is refused")
    func empty() {
        let error = #expect(throws: QRError.self) { try QRCode(text: "") }
        #expect(error?.code == .emptyText)
    }

    @Test("terminal rendering: dimensions, glyphs, and the modules read back", arguments: [false, true])
    func terminal(invert: Bool) throws {
        let code = try QRCode(text: Samples.envelopeLike(base45Count: 600))
        let text = code.renderTerminal(invert: invert)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let side = code.size + 8
        #expect(lines.count == (side + 1) / 2)
        #expect(lines.allSatisfy { $0.count == side })
        #expect(!text.hasSuffix("\n"))

        // Read each glyph back as (top ink, bottom ink) and compare with the matrix, quiet zone
        // included: ink is a light module by default and a dark one when inverted.
        for (row, line) in lines.enumerated() {
            for (column, glyph) in line.enumerated() {
                let ink: (Bool, Bool)
                switch glyph {
                case "\u{2588}": ink = (true, true)
                case "\u{2580}": ink = (true, false)
                case "\u{2584}": ink = (false, true)
                case " ": ink = (false, false)
                default:
                    Issue.record("unexpected glyph \(glyph) at line \(row), column \(column)")
                    continue
                }
                let x = column - 4
                let y = 2 * row - 4
                #expect(ink.0 == (code.isDark(x: x, y: y) == invert), "line \(row) column \(column) top")
                #expect(ink.1 == (code.isDark(x: x, y: y + 1) == invert), "line \(row) column \(column) bottom")
            }
        }
        // The first two lines are pure quiet zone: all ink by default, none when inverted.
        let quiet: Unicode.Scalar = invert ? " " : "\u{2588}"
        #expect(lines[0].allSatisfy { $0 == quiet } && lines[1].allSatisfy { $0 == quiet })
    }

    @Test("PNG: signature, IHDR fields, chunk order and every chunk CRC", arguments: [(1, 0), (8, 4), (3, 2)])
    func pngStructure(scale: Int, border: Int) throws {
        let code = try QRCode(text: Samples.envelopeLike(base45Count: 300))
        let png = code.renderPNG(scale: scale, border: border)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

        var offset = 8
        var types: [String] = []
        var header: [UInt8] = []
        while offset + 12 <= png.count {
            let length = Int(Self.bigEndian(png, at: offset))
            try #require(offset + 12 + length <= png.count, "chunk at \(offset) overruns the file")
            let typeAndData = Array(png[(offset + 4)..<(offset + 8 + length)])
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            #expect(Self.bigEndian(png, at: offset + 8 + length) == Self.referenceCRC32(typeAndData), "CRC of \(type)")
            if type == "IHDR" { header = Array(typeAndData.dropFirst(4)) }
            types.append(type)
            offset += 12 + length
        }
        #expect(offset == png.count)
        #expect(types == ["IHDR", "IDAT", "IEND"])

        let side = UInt32((code.size + 2 * border) * scale)
        try #require(header.count == 13)
        #expect(Self.bigEndian(header, at: 0) == side)
        #expect(Self.bigEndian(header, at: 4) == side)
        #expect(Array(header[8...]) == [1, 0, 0, 0, 0])  // 1-bit greyscale, deflate, no interlace
    }

    @Test("SVG: pixel size, crisp edges, white background, one rectangle per run of dark modules")
    func svgStructure() throws {
        let code = try QRCode(text: Samples.envelopeLike(base45Count: 300))
        let svg = code.renderSVG(scale: 5, border: 4)
        let side = (code.size + 8) * 5
        #expect(svg.contains("width=\"\(side)\" height=\"\(side)\" viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<rect x=\"0\" y=\"0\" width=\"\(side)\" height=\"\(side)\" fill=\"#ffffff\"/>"))
        #expect(svg.components(separatedBy: "<path").count == 2)

        var runs = 0
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) && !code.isDark(x: x - 1, y: y) {
                runs += 1
            }
        }
        #expect(svg.filter { $0 == "M" }.count == runs)
        // The top-left finder pattern's first row is one 7-module run at the border.
        #expect(svg.contains("d=\"M20 20h35v5h-35z"))
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// CRC-32 computed bit by bit (PNG Annex D), independent of the zlib the renderer uses.
    private static func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
