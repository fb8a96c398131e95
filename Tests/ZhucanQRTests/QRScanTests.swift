import Foundation
import Testing
import ZhucanQR

@Suite("QR scan round trips through zbarimg", .enabled(if: Zbar.shouldRun))
final class QRScanTests {
    /// A fresh folder per test, removed afterwards.
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("zhucan-qr-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ bytes: [UInt8], name: String) throws -> URL {
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    @Test("an envelope-like base45 text scans back from the PNG")
    func png() throws {
        let text = Samples.envelopeLike(base45Count: 600)
        let file = try write(try QRCode(text: text).renderPNG(), name: "envelope.png")
        #expect(try Zbar.scan(file) == text)
    }

    @Test("an envelope-like base45 text scans back from the SVG")
    func svg() throws {
        let text = Samples.envelopeLike(base45Count: 600)
        let file = try write(Array(try QRCode(text: text).renderSVG().utf8), name: "envelope.svg")
        #expect(try Zbar.scan(file) == text)
    }

    @Test("the longest alphanumeric text at Q (2,420 characters, version 40) scans back from the PNG")
    func longestPNG() throws {
        let text = Samples.alphanumeric(count: 2420)
        let code = try QRCode(text: text)
        #expect(code.version == 40)
        let file = try write(code.renderPNG(), name: "longest.png")
        #expect(try Zbar.scan(file) == text)
    }

    @Test("8-bit text, a small scale and a minimal border scan back from the PNG")
    func byteModeSmallScale() throws {
        let text = "zc1:lower case goes in 8-bit mode; punctuation too!"
        let file = try write(try QRCode(text: text, errorCorrection: .low).renderPNG(scale: 3, border: 4), name: "bytes.png")
        #expect(try Zbar.scan(file) == text)
    }
}
