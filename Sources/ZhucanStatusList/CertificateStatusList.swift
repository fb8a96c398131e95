/// Zhucan's certificate status list: a 2-bit ``StatusList`` of ``CertificateStatus`` values
/// with at least ``minimumEntries`` entries.
///
/// Herd privacy (draft-ietf-oauth-status-list §12.1, §13.3): a list must be large enough that
/// fetching it says little about which certificate is being checked, and unused indices are
/// VALID, so the list does not reveal how many certificates were issued.
package struct CertificateStatusList: Sendable, Hashable {
    /// Bits per certificate: 2, for VALID, INVALID and SUSPENDED (§4.1, §7.1).
    package static let bits = 2
    /// The fewest entries a Zhucan list has: 2^17 = 131,072 (32 KiB uncompressed).
    package static let minimumEntries = 131_072

    /// The underlying status list.
    package private(set) var statusList: StatusList

    /// The number of certificates the list can hold.
    package var count: Int { statusList.count }

    /// Makes a list of `count` certificates, all valid.
    /// - Throws: ``StatusListError/Code/notCertificateList`` when `count` is below
    ///   ``minimumEntries``.
    package init(count: Int = CertificateStatusList.minimumEntries, aggregationURI: String? = nil) throws(StatusListError) {
        guard count >= Self.minimumEntries else {
            throw StatusListError(.notCertificateList, reason: "a certificate status list needs at least \(Self.minimumEntries) entries, not \(count)")
        }
        try self.init(StatusList(bits: Self.bits, count: count, aggregationURI: aggregationURI))
    }

    /// Accepts a received list as a certificate status list.
    /// - Throws: ``StatusListError/Code/notCertificateList`` unless it is 2-bit with at least
    ///   ``minimumEntries`` entries.
    package init(_ statusList: StatusList) throws(StatusListError) {
        guard statusList.bits == Self.bits else {
            throw StatusListError(.notCertificateList, reason: "a certificate status list has 2 bits per entry, not \(statusList.bits)")
        }
        guard statusList.count >= Self.minimumEntries else {
            throw StatusListError(.notCertificateList, reason: "a certificate status list needs at least \(Self.minimumEntries) entries, not \(statusList.count)")
        }
        self.statusList = statusList
    }

    /// The status of the certificate at `index`.
    /// - Throws: ``StatusListError/Code/indexOutOfRange``.
    package subscript(index: Int) -> CertificateStatus {
        get throws(StatusListError) {
            // Two bits hold 0…3, and every one of those is a case.
            CertificateStatus(rawValue: try statusList[index]) ?? .applicationSpecific
        }
    }

    /// The index and status of every entry that is not valid, in index order: only the bytes
    /// that are not zero are read, four entries to a byte (§4.1).
    package var inactiveEntries: [(index: Int, status: CertificateStatus)] {
        inactiveEntries(passingOver: [])
    }

    /// ``inactiveEntries``, passing over every byte whose four entries lie in one of `invalid`
    /// (sorted, disjoint ranges) and all are INVALID: what a reader checks there otherwise
    /// (``indices(in:notEqualTo:)``), a list's capacity after a restore.
    package func inactiveEntries(passingOver invalid: [Range<Int>]) -> [(index: Int, status: CertificateStatus)] {
        var entries: [(index: Int, status: CertificateStatus)] = []
        let allInvalid = CertificateStatus.invalid.rawValue &* 0x55
        var next = 0  // the first range that may still hold a byte ahead
        for (offset, byte) in statusList.bytes.enumerated() where byte != 0 {
            let first = offset * 4
            if byte == allInvalid {
                while next < invalid.count, invalid[next].upperBound <= first { next += 1 }
                if next < invalid.count, invalid[next].lowerBound <= first, first + 4 <= invalid[next].upperBound { continue }
            }
            for slot in 0..<4 where (byte >> (2 * slot)) & 3 != 0 {
                let index = first + slot
                if let status = try? self[index] { entries.append((index, status)) }
            }
        }
        return entries
    }

    /// The indices in `range` (within the list) whose status is not `status`: a byte whose
    /// four entries all are `status` is passed over whole (§4.1: entry 4k + j in bits 2j…2j+1).
    package func indices(in range: Range<Int>, notEqualTo status: CertificateStatus) -> [Int] {
        let range = range.clamped(to: 0..<count)
        let bytes = statusList.bytes
        let filled = UInt8(truncatingIfNeeded: status.rawValue) &* 0x55
        var found: [Int] = []
        var index = range.lowerBound
        while index < range.upperBound {
            if index % 4 == 0, index + 4 <= range.upperBound, bytes[index / 4] == filled {
                index += 4
                continue
            }
            if (try? self[index]) != status { found.append(index) }
            index += 1
        }
        return found
    }

    /// Sets the status of every certificate in `range`.
    /// - Throws: as ``set(_:at:)``.
    package mutating func set(_ status: CertificateStatus, in range: Range<Int>) throws(StatusListError) {
        for index in range { try set(status, at: index) }
    }

    /// Sets the status of the certificate at `index`.
    /// - Throws: ``StatusListError/Code/indexOutOfRange``, or
    ///   ``StatusListError/Code/reservedStatus`` for ``CertificateStatus/applicationSpecific``.
    package mutating func set(_ status: CertificateStatus, at index: Int) throws(StatusListError) {
        guard status != .applicationSpecific else {
            throw StatusListError(.reservedStatus, reason: "Zhucan never writes the application-specific status 3")
        }
        try statusList.set(status.rawValue, at: index)
    }
}
