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

    /// The lists by URI; a log has one or a few, so certificates name theirs by position.
    private var lists: [List] = []
    private var positions: [String: Int] = [:]
    /// Certificate → its list's position and its index there (no URI string per certificate:
    /// a log holds millions).
    private var references: [String: (list: Int, index: Int)] = [:]

    /// Records the index a certificate was issued with.
    /// - Returns: the problem, when another certificate holds that index already.
    mutating func assign(_ reference: StatusReference, to licenseID: String) -> String? {
        let list = position(of: reference.uri)
        references[licenseID] = (list, reference.index)
        if let other = lists[list].holders[reference.index], other != licenseID {
            return "certificate \(licenseID) is given status index \(reference.index) of \(reference.uri), which certificate \(other) holds"
        }
        lists[list].holders[reference.index] = licenseID
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
        lists[reference.list].inactive[reference.index] = status == .valid ? nil : status
    }

    /// Takes from `list` (a `status-restored` entry's) the statuses of the indices no logged
    /// certificate holds: certificates issued after the backup the registry was restored
    /// from, which every later list must keep. A later such entry replaces them (a newer
    /// list may show one reinstated), but not a revocation, which is final.
    /// - Returns: how many indices it took.
    @discardableResult
    mutating func restore(uri: String, from list: CertificateStatusList) -> Int {
        let position = position(of: uri)
        var taken = 0
        for (index, status) in lists[position].inactive where lists[position].holders[index] == nil && status != .invalid {
            lists[position].inactive[index] = nil
        }
        for (index, status) in list.inactiveEntries
        where lists[position].holders[index] == nil && lists[position].inactive[index] != .invalid {
            lists[position].inactive[index] = status
            taken += 1
        }
        return taken
    }

    /// Revokes every index of `uri` under `bound` that no logged certificate holds (a
    /// `lost-statuses-revoked` entry's): the certificates a restored registry lost.
    /// - Returns: how many indices it revoked that were not revoked already.
    @discardableResult
    mutating func revokeUnheld(uri: String, below bound: Int) -> Int {
        let position = position(of: uri)
        var revoked = 0
        for index in 0..<max(bound, 0) where lists[position].holders[index] == nil && lists[position].inactive[index] != .invalid {
            lists[position].inactive[index] = .invalid
            revoked += 1
        }
        return revoked
    }

    /// The position of `uri`'s list, made when it is new.
    private mutating func position(of uri: String) -> Int {
        if let position = positions[uri] { return position }
        lists.append(List())
        positions[uri] = lists.count - 1
        return lists.count - 1
    }

    /// The differences between a published list and what the log says it must hold.
    /// - Returns: at most `limit` descriptions, then a count of the rest; empty when it agrees.
    func differences(uri: String, published list: CertificateStatusList, limit: Int = 5) -> [String] {
        let expected = positions[uri].map { lists[$0] } ?? List()
        // The indices that differ, with what each says; normally none, so only they are sorted.
        var differing: [(index: Int, logged: CertificateStatus, published: CertificateStatus?)] = []
        // Every index the log says is not valid…
        for (index, status) in expected.inactive {
            let published = try? list[index]
            if published != status { differing.append((index, status, published)) }
        }
        // …and every index the list says is not valid.
        for (index, published) in list.inactiveEntries where expected.inactive[index] == nil {
            differing.append((index, .valid, published))
        }
        differing.sort { $0.index < $1.index }
        var found = differing.prefix(limit).map { difference in
            let who = expected.holders[difference.index].map { "certificate \($0) (index \(difference.index))" }
                ?? "index \(difference.index), which no logged certificate holds,"
            let listed = difference.published.map { "\($0) in the list" } ?? "beyond the list's \(list.count) entries"
            return "\(who) is \(difference.logged) in the log and \(listed)"
        }
        if differing.count > limit { found.append("and \(differing.count - limit) more") }
        return found
    }
}
