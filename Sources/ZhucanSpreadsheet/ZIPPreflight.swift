/// Checks a ZIP archive's directory before ZIPFoundation opens it, and refuses ZIP64.
///
/// A workbook the batch accepts (at most 256 MiB) never needs ZIP64 (APPNOTE.TXT §4.3.14,
/// §4.5.3), and ZIPFoundation 0.9 traps on a ZIP64 offset above `Int64.max` (it converts the
/// 64-bit offset to `off_t` unchecked): a few crafted bytes would end the process instead of
/// being refused. So any ZIP64 record or field is refused here, and every 32-bit offset must
/// lie inside the file.
enum ZIPPreflight {
    /// - Throws: `unreadable` naming what is wrong; nothing when the end record is not found
    ///   (ZIPFoundation then refuses the archive with its own reason).
    static func check(_ bytes: [UInt8]) throws(BatchFileError) {
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func uint32(_ at: Int) -> Int { uint16(at) | uint16(at + 2) << 16 }
        func refuse(_ why: String) -> BatchFileError {
            .unreadable("不是有效的 .xlsx 文件 / not a valid .xlsx workbook: \(why); 请用 Excel 或 WPS 重新保存 / save it again from Excel or WPS")
        }
        // End of central directory record (§4.3.16): 22 bytes and a comment of up to 65,535.
        guard bytes.count >= 22 else { return }
        var end = bytes.count - 22
        let lowest = max(0, end - 65_535)
        while end >= lowest, !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 0x05 && bytes[end + 3] == 0x06) {
            end -= 1
        }
        guard end >= lowest else { return }
        if end >= 20, bytes[end - 20] == 0x50, bytes[end - 19] == 0x4B, bytes[end - 18] == 0x06, bytes[end - 17] == 0x07 {
            throw refuse("ZIP64 archives are not read")
        }
        let entries = uint16(end + 10), directorySize = uint32(end + 12), directoryOffset = uint32(end + 16)
        guard entries != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw refuse("ZIP64 archives are not read")
        }
        guard directoryOffset + directorySize <= end else { throw refuse("the central directory lies outside the file") }
        // Central directory file headers (§4.3.12): 46 bytes, then name, extra field, comment.
        var at = directoryOffset
        for _ in 0..<entries {
            guard at + 46 <= end, bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x01, bytes[at + 3] == 0x02 else {
                throw refuse("the central directory is damaged")
            }
            let compressed = uint32(at + 20), uncompressed = uint32(at + 24), localHeader = uint32(at + 42)
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, localHeader != 0xFFFF_FFFF else {
                throw refuse("ZIP64 entries are not read")
            }
            guard localHeader < directoryOffset else { throw refuse("an entry lies outside the file") }
            let nameLength = uint16(at + 28), extraLength = uint16(at + 30), commentLength = uint16(at + 32)
            var field = at + 46 + nameLength
            let extraEnd = field + extraLength
            guard extraEnd + commentLength <= end else { throw refuse("the central directory is damaged") }
            // Extra fields (§4.5.1): a 2-byte id and a 2-byte size each; 0x0001 is ZIP64's.
            while field + 4 <= extraEnd {
                if uint16(field) == 0x0001 { throw refuse("ZIP64 entries are not read") }
                field += 4 + uint16(field + 2)
            }
            at = extraEnd + commentLength
        }
    }
}
