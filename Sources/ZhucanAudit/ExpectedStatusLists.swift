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
        /// Indices no logged certificate holds that are INVALID for good: revoked as lost
        /// (`lost-statuses-revoked`), or carried revoked from a list a restore took
        /// (`status-restored`). Sorted, disjoint ranges, not entries: one is a list's capacity.
        var revoked: [Range<Int>] = []
        /// The first change the log made to what the list must hold since the last list of it
        /// was published: the log entry and what it changed.
        var unpublished: (entry: UInt64, change: String)?
        /// The last list of it published.
        var lastPublished: CertificateStatusList?

        /// What the log says the list must hold at `index`.
        func expected(_ index: Int) -> CertificateStatus {
            isRevoked(index) ? .invalid : inactive[index] ?? .valid
        }

        func isRevoked(_ index: Int) -> Bool {
            // The first range ending past `index` (binary search over sorted, disjoint ranges).
            var low = 0, high = revoked.count
            while low < high {
                let middle = (low + high) / 2
                if revoked[middle].upperBound <= index { low = middle + 1 } else { high = middle }
            }
            return low < revoked.count && revoked[low].contains(index)
        }

        /// Adds `range` to `revoked`, merged with the ranges it touches.
        mutating func revoke(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            var merged = range
            var kept: [Range<Int>] = []
            for existing in revoked {
                if existing.upperBound < merged.lowerBound || existing.lowerBound > merged.upperBound {
                    kept.append(existing)
                } else {
                    merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
                }
            }
            kept.append(merged)
            revoked = kept.sorted { $0.lowerBound < $1.lowerBound }
        }
    }

    /// The lists by URI; a log has one or a few, so certificates name theirs by position.
    private var lists: [List] = []
    private var positions: [String: Int] = [:]
    /// Certificate → its list's position and its index there (no URI string per certificate:
    /// a log holds millions).
    private var references: [String: (list: Int, index: Int)] = [:]

    /// Records the index a certificate was issued with.
    /// - Returns: the problem, when another certificate holds that index already, or it was
    ///   revoked for good before.
    mutating func assign(_ reference: StatusReference, to licenseID: String) -> String? {
        let list = position(of: reference.uri)
        references[licenseID] = (list, reference.index)
        if let other = lists[list].holders[reference.index], other != licenseID {
            return "certificate \(licenseID) is given status index \(reference.index) of \(reference.uri), which certificate \(other) holds"
        }
        lists[list].holders[reference.index] = licenseID
        if lists[list].isRevoked(reference.index) {
            return "certificate \(licenseID) is given status index \(reference.index) of \(reference.uri), revoked for good before (a restore's lost or carried revocation)"
        }
        return nil
    }

    /// Records a certificate's state after an event of its life story, logged at `entry`.
    mutating func update(_ licenseID: String, to state: CertificateHistory.State, at entry: UInt64) {
        guard let reference = references[licenseID] else { return }
        let status: CertificateStatus = switch state {
        case .active: .valid
        case .suspended: .suspended
        case .revoked, .superseded: .invalid
        }
        let changed = status != lists[reference.list].expected(reference.index)
        lists[reference.list].inactive[reference.index] = status == .valid ? nil : status
        if changed, lists[reference.list].unpublished == nil {
            lists[reference.list].unpublished = (entry, "certificate \(licenseID) became \(state.rawValue) (\(status) in its list)")
        }
    }

    /// Takes from `list` (a `status-restored` entry's) the statuses of the indices no logged
    /// certificate holds: certificates issued after the backup the registry was restored
    /// from, which every later list must keep. A later such entry replaces them (a newer
    /// list may show one reinstated), but not a revocation, which is final: runs of them are
    /// kept as ranges.
    /// - Returns: how many indices it took.
    @discardableResult
    mutating func restore(uri: String, from list: CertificateStatusList) -> Int {
        let position = position(of: uri)
        var taken = 0
        for (index, status) in lists[position].inactive where lists[position].holders[index] == nil && status != .invalid {
            lists[position].inactive[index] = nil
        }
        var run: Range<Int>?
        for (index, status) in list.inactiveEntries(passingOver: lists[position].revoked)
        where lists[position].holders[index] == nil && !lists[position].isRevoked(index) {
            taken += 1
            guard status == .invalid else {
                lists[position].inactive[index] = status
                continue
            }
            if let current = run, current.upperBound == index {
                run = current.lowerBound..<index + 1
            } else {
                if let current = run { lists[position].revoke(current) }
                run = index..<index + 1
            }
        }
        if let run { lists[position].revoke(run) }
        return taken
    }

    /// Revokes the indices of `uri` in `range` (a `lost-statuses-revoked` entry's): the
    /// certificates a restored registry lost, past every index a logged certificate holds.
    /// - Returns: the indices in it a logged certificate holds (a problem: a restore never
    ///   revokes those); `nil` for a list the log has named nowhere.
    mutating func revoke(uri: String, _ range: Range<Int>, at entry: UInt64) -> [Int]? {
        guard let position = positions[uri] else { return nil }
        lists[position].revoke(range)
        if lists[position].unpublished == nil {
            lists[position].unpublished = (entry, "indexes \(range.lowerBound)–\(range.upperBound - 1) were revoked as lost")
        }
        return lists[position].holders.keys.filter(range.contains).sorted()
    }

    /// Notes that `list` of `uri` was published: what the log changed before it is now
    /// published (or `differences` says where it is not).
    mutating func published(_ uri: String, _ list: CertificateStatusList) {
        let position = position(of: uri)
        lists[position].unpublished = nil
        lists[position].lastPublished = list
    }

    /// The lists whose latest publication says other than the log since a change it made to
    /// them, by URI, with the first such change: verifiers still see what the change undid (a
    /// revoked certificate as valid). A change undone before any list (a suspension lifted)
    /// leaves nothing to publish. The issuer's next command publishes them
    /// (`zhucan status-list publish` at once).
    func unpublishedChanges() -> [(uri: String, entry: UInt64, change: String)] {
        positions.compactMap { uri, position in
            let list = lists[position]
            guard let change = list.unpublished else { return nil }
            if let last = list.lastPublished, differences(uri: uri, published: last, limit: 1).isEmpty { return nil }
            return (uri, change.entry, change.change)
        }.sorted { $0.entry < $1.entry }
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
        for index in expected.inactive.keys where !expected.isRevoked(index) {
            let status = expected.inactive[index] ?? .valid, published = try? list[index]
            if published != status { differing.append((index, status, published)) }
        }
        // …every index revoked for good (its bytes read four entries at a time)…
        for range in expected.revoked {
            for index in list.indices(in: range, notEqualTo: .invalid) {
                differing.append((index, .invalid, try? list[index]))
            }
            if range.upperBound > list.count {
                differing.append((range.upperBound - 1, .invalid, nil))
            }
        }
        // …and every index the list says is not valid (passing over those ranges' bytes).
        for (index, published) in list.inactiveEntries(passingOver: expected.revoked) where expected.expected(index) == .valid {
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
