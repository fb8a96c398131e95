import ZhucanStatusList

/// What every published status list must say, from the life stories logged before it: the
/// index each certificate was given (its `status_list.idx`, Docs/format.md §6.5), and its state
/// as the log tells it (active 0, suspended 2, revoked or superseded 1). Every other index is
/// 0: a non-zero entry nobody holds is a certificate the log never saw.
///
/// A status list's signature proves only that the issuer signed it; this is what proves that
/// it says what the log says, so that a revocation cannot be logged and left out of the list
/// (the certificate stays valid everywhere) nor a certificate suspended without a log entry.
struct ExpectedStatusLists {
    private struct List {
        /// Index → the certificate given it.
        var holders: [Int: String] = [:]
        /// Index → its status, for the indices whose status is not VALID.
        var inactive: [Int: CertificateStatus] = [:]
    }

    private var lists: [String: List] = [:]
    /// Certificate → where its status is published.
    private var references: [String: StatusReference] = [:]

    /// Records the index a certificate was issued with.
    /// - Returns: the problem, when another certificate holds that index already.
    mutating func assign(_ reference: StatusReference, to licenseID: String) -> String? {
        references[licenseID] = reference
        if let other = lists[reference.uri]?.holders[reference.index], other != licenseID {
            return "certificate \(licenseID) is given status index \(reference.index) of \(reference.uri), which certificate \(other) holds"
        }
        lists[reference.uri, default: List()].holders[reference.index] = licenseID
        return nil
    }

    /// Records a certificate's state after an event of its life story.
    mutating func update(_ licenseID: String, to state: CertificateHistory.State) {
        guard let reference = references[licenseID] else { return }
        let status: CertificateStatus = switch state {
        case .active: .valid
        case .suspended: .suspended
        case .revoked, .superseded: .invalid
        }
        lists[reference.uri, default: List()].inactive[reference.index] = status == .valid ? nil : status
    }

    /// The differences between a published list and what the log says it must hold.
    /// - Returns: at most `limit` descriptions, then a count of the rest; empty when it agrees.
    func differences(uri: String, published list: CertificateStatusList, limit: Int = 5) -> [String] {
        let expected = lists[uri] ?? List()
        var found: [String] = []
        var count = 0
        func note(_ text: @autoclosure () -> String) {
            count += 1
            if found.count < limit { found.append(text()) }
        }
        func who(_ index: Int) -> String {
            expected.holders[index].map { "certificate \($0) (index \(index))" } ?? "index \(index), which no logged certificate holds,"
        }
        // Every index the log says is not valid…
        for (index, status) in expected.inactive.sorted(by: { $0.key < $1.key }) {
            guard let published = try? list[index] else {
                note("\(who(index)) is \(status) in the log and beyond the list's \(list.count) entries")
                continue
            }
            if published != status { note("\(who(index)) is \(status) in the log and \(published) in the list") }
        }
        // …and every index the list says is not valid, four to a byte (§4.1).
        for (offset, byte) in list.statusList.bytes.enumerated() where byte != 0 {
            for slot in 0..<4 where (byte >> (2 * slot)) & 3 != 0 {
                let index = offset * 4 + slot
                guard expected.inactive[index] == nil, let published = try? list[index] else { continue }
                note("\(who(index)) is valid in the log and \(published) in the list")
            }
        }
        if count > found.count { found.append("and \(count - found.count) more") }
        return found
    }
}
