internal import CSystemZlib

extension QRCode {
    /// Renders the symbol as a 1-bit greyscale PNG: black modules on a white background.
    ///
    /// The file is written by hand (PNG, ISO/IEC 15948 / W3C PNG §5): signature, `IHDR`, one
    /// `IDAT` compressed with zlib, `IEND`, each chunk with its CRC-32.
    /// - Parameters:
    ///   - scale: pixels per module, 1…32.
    ///   - border: quiet zone in modules, 0…32; ISO/IEC 18004 §6.3.8 asks for at least 4.
    /// - Returns: the PNG file's bytes, `(size + 2·border)·scale` pixels square.
    /// - Precondition: `scale` and `border` are in range.
    package func renderPNG(scale: Int = 8, border: Int = QRCode.quietZone) -> [UInt8] {
        precondition((1...32).contains(scale), "scale must be 1…32, got \(scale)")
        precondition((0...32).contains(border), "border must be 0…32, got \(border)")
        let modulesPerSide = size + 2 * border
        let side = modulesPerSide * scale
        let rowBytes = (side + 7) / 8

        // PNG §7.3 / §9: each scanline is a filter-type byte (0, None) and then the pixels,
        // 8 per byte, most significant bit first; in 1-bit greyscale 1 is white.
        var raw = [UInt8]()
        raw.reserveCapacity((1 + rowBytes) * side)
        for moduleY in -border..<(size + border) {
            var line = [UInt8](repeating: 0, count: 1 + rowBytes)
            for pixelX in 0..<side where !isDark(x: pixelX / scale - border, y: moduleY) {
                line[1 + pixelX / 8] |= 0x80 >> UInt8(pixelX % 8)
            }
            for _ in 0..<scale { raw += line }
        }

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]  // PNG §5.2 signature
        var header = [UInt8]()
        Self.appendBigEndian(UInt32(side), to: &header)  // width
        Self.appendBigEndian(UInt32(side), to: &header)  // height
        // PNG §11.2.2: bit depth 1, colour type 0 (greyscale), compression 0 (deflate),
        // filter method 0, no interlace.
        header += [1, 0, 0, 0, 0]
        Self.appendChunk("IHDR", header, to: &png)
        Self.appendChunk("IDAT", Self.zlibCompress(raw), to: &png)
        Self.appendChunk("IEND", [], to: &png)
        return png
    }

    /// PNG §5.3: length, type, data, and CRC-32 over type and data.
    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeAndData = Array(type.utf8) + data
        appendBigEndian(UInt32(data.count), to: &png)
        png += typeAndData
        let crc = typeAndData.withUnsafeBufferPointer { buffer in
            CSystemZlib.crc32(0, buffer.baseAddress, UInt32(buffer.count))
        }
        appendBigEndian(UInt32(truncatingIfNeeded: crc), to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                  UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// PNG §10.1: image data is one zlib stream (RFC 1950). The input is at most a few MB
    /// (at most 241 modules × 32 px a side, under 8 MB), so zlib's one-shot `compress2` is enough.
    private static func zlibCompress(_ bytes: [UInt8]) -> [UInt8] {
        var capacity = compressBound(UInt(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                compress2(out.baseAddress, &capacity, input.baseAddress, UInt(input.count), Z_BEST_COMPRESSION)
            }
        }
        // compressBound guarantees room, so only Z_MEM_ERROR can remain: out of memory, as
        // for any failed Swift allocation.
        precondition(status == Z_OK, "compress2 failed with status \(status)")
        output.removeSubrange(Int(capacity)...)
        return output
    }
}
