import Foundation
import Synchronization
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanServiceStore
import ZhucanSigning
import ZhucanStatusList

/// The lists a node verifies with, and the rules by which a fetched object may replace the
/// one in use. Each object is checked by `SignedObjectVerifier` before it is taken:
/// - the trust list under the trust anchor, typed `trust-list`, not signed in the future,
///   unexpired, and not older than the newest taken (`iat`, then sequence);
/// - a status list under an issuer key of that trust list allowed to sign at its `iat`,
///   typed `status-list`, for the id asked, unexpired, not older than the newest taken by
///   `(iat, seq)` (`StatusListPublication`);
/// - a catalogue edition under an issuer key, typed `catalogue`, at its own number (`seq`) and
///   of a version not held under another; an edition never changes.
///
/// A refused object changes nothing: the last good one stays in use. Once a list in use
/// expires, verifications answer `status_unknown` (`CredentialVerifier`), never `valid`.
///
/// "Older" is judged against the list's floor (``ListFloor``): the newest publication of it
/// the node has taken, at least the list in use, kept in its store (``raise(floors:now:)``),
/// which a cache lost or damaged does not take with it.
package final class NodeLists: Sendable {
    /// Why an object was not taken; `list` and `reason` are bounded label values.
    package struct Refusal: Error, Sendable, CustomStringConvertible {
        /// `trust-list`, `status-list/<id>`, `catalogue/<sequence>` or `checkpoint`.
        package let list: String
        /// `signature`, `clock`, `malformed`, `older`, `expired`, `changed`, `misplaced`, `inconsistent`,
        /// `unlogged` (`ListRefresher`: not in the issuer's log, with the log key pinned).
        package let reason: String
        package let detail: String
        package var description: String { "\(list): \(reason): \(detail)" }
    }

    private struct HeldStatusList {
        let bytes: [UInt8]
        /// Its `sub`.
        let uri: String
        let publication: StatusListPublication
        let expiresAt: Int64?
    }

    private struct State {
        var trustListText: String?
        var trustList: TrustList?
        var statusLists: [String: HeldStatusList] = [:]
        var catalogues: [Int64: (text: String, issued: IssuerCatalogue)] = [:]
        var verified: VerifiedLists
        var floors: [String: ListFloor] = [:]
    }

    private let anchors: [PublicKey]
    private let skew: Int64
    private let state: Mutex<State>

    package init(trustAnchors: [PublicKey], skew: Int64) {
        anchors = trustAnchors
        self.skew = skew
        state = Mutex(State(verified: VerifiedLists(CredentialVerifier.Lists(trustAnchors: trustAnchors, trustList: nil, statusLists: []))))
    }

    /// The lists in use, their signatures checked.
    package var current: VerifiedLists { state.withLock { $0.verified } }

    /// Whether a trust list and every status list in `ids` are held.
    package func isLoaded(statusListIDs ids: [String]) -> Bool {
        state.withLock { state in state.trustList != nil && ids.allSatisfy { state.statusLists[$0] != nil } }
    }

    /// Whether a node with these lists should take verifications (`GET /readyz`): every list
    /// held, unexpired, and usable under the trust list held.
    package enum Readiness: Sendable, Equatable {
        /// Every list is held and unexpired.
        case ready
        /// The trust list or a status list is not held yet.
        case loading
        /// A list in use has expired (`list` is its label): every answer that needs it is
        /// `status_unknown`, so the balancer should send verifications to a node that has
        /// been able to fetch a newer one.
        case expired(list: String, at: Int64)
        /// A status list held no longer verifies under the trust list held (signed by a key
        /// the newer trust list revokes, while its endpoint still serves the old list): every
        /// answer that needs it is `status_unknown`.
        case unusable(list: String, reason: String)
    }

    /// The node's readiness at `now` for the status lists `ids`.
    package func readiness(statusListIDs ids: [String], now: Int64) -> Readiness {
        state.withLock { state in
            guard let trustList = state.trustList, ids.allSatisfy({ state.statusLists[$0] != nil }) else { return .loading }
            if trustList.expiresAt <= now { return .expired(list: "trust-list", at: trustList.expiresAt) }
            for id in ids {
                if let at = state.statusLists[id]?.expiresAt, at <= now { return .expired(list: "status-list/\(id)", at: at) }
            }
            for id in ids {
                if let held = state.statusLists[id], let problem = state.verified.statusListProblem(uri: held.uri) {
                    return .unusable(list: "status-list/\(id)", reason: problem)
                }
            }
            return .ready
        }
    }

    /// The trust list in use, if any.
    package var trustList: TrustList? { state.withLock { $0.trustList } }

    /// The floor of each list, by label (`trust-list`, `status-list/<id>`): raised by every
    /// list taken, for the refresher to keep in the node's store.
    package var floors: [String: ListFloor] { state.withLock { $0.floors } }

    /// Raises the floors to `floors`, read from the node's store, except any signed later than
    /// `now` allows: a node whose clock once ran ahead would otherwise refuse every list
    /// until that time.
    /// - Returns: the labels of the floors left aside for that.
    @discardableResult
    package func raise(floors: [String: ListFloor], now: Int64) -> [String] {
        state.withLock { state in
            var ahead: [String] = []
            for (list, floor) in floors.sorted(by: { $0.key < $1.key }) {
                guard floor.issuedAt <= now + skew else {
                    ahead.append(list)
                    continue
                }
                state.floors[list] = max(state.floors[list] ?? floor, floor)
            }
            // A list held below its floor (taken while the store did not answer) is known to be
            // replaced: it goes, and verifications that need it answer status_unknown until
            // the refresher brings its successor.
            if let list = state.trustList, ListFloor(list) < state.floors["trust-list"] ?? .lowest {
                state.trustList = nil
                state.trustListText = nil
            }
            state.statusLists = state.statusLists.filter { id, held in
                ListFloor(held.publication) >= state.floors["status-list/\(id)"] ?? .lowest
            }
            Self.rebuild(&state, anchors: anchors)
            return ahead
        }
    }

    /// `iat` and `exp` of each list in use, by its label (`trust-list`, `status-list/1`).
    package func times() -> [(list: String, issuedAt: Int64, expiresAt: Int64?)] {
        state.withLock { state in
            var times: [(String, Int64, Int64?)] = []
            if let list = state.trustList { times.append(("trust-list", list.issuedAt, list.expiresAt)) }
            for (id, held) in state.statusLists.sorted(by: { $0.key < $1.key }) { times.append(("status-list/\(id)", held.publication.issuedAt, held.expiresAt)) }
            return times
        }
    }

    /// The highest catalogue sequence held (0 for none).
    package var latestCatalogueSequence: Int64 { state.withLock { $0.catalogues.keys.max() ?? 0 } }

    /// The catalogue editions held, by number.
    package var catalogueSequences: Set<Int64> { state.withLock { Set($0.catalogues.keys) } }

    /// Offers a trust list.
    /// - Parameters:
    ///   - text: the envelope text.
    ///   - now: the node's clock.
    ///   - cached: read back from the node's cache: an expired list is still taken, since
    ///     nothing better is at hand and verifications answer `status_unknown` with it.
    /// - Returns: whether it replaced the one in use (`false`: the same list).
    /// - Throws: `Refusal`.
    @discardableResult
    package func offerTrustList(_ text: String, now: Int64, cached: Bool = false) throws(Refusal) -> Bool {
        func refuse(_ reason: String, _ detail: String) -> Refusal { Refusal(list: "trust-list", reason: reason, detail: detail) }
        let result = SignedObjectVerifier(
            keys: SignedObjectVerifier.anchors(anchors), policies: [.type([.trustList]), .signedBy(now, skew: skew)]
        ).verify(text)
        guard let claims = result.claims else { throw Self.refusal(result, refuse) }
        let list: TrustList
        do { list = try TrustList(claims: claims) } catch { throw refuse("malformed", "\(error)") }
        if !cached, list.expiresAt <= now { throw refuse("expired", "expired at \(Timestamp.iso(list.expiresAt))") }
        return try state.withLock { state throws(Refusal) -> Bool in
            if state.trustListText == text { return false }
            // Publication order, `(iat, seq)`, as for status lists (Docs/format.md §6): `iat`
            // first, so that an issuer restored from a backup, whose numbers start again lower,
            // is still followed; `seq` orders two lists of one second. The floor is at least
            // the list in use.
            let publication = ListFloor(list)
            if let floor = state.floors["trust-list"], publication < floor {
                throw refuse("older", "sequence \(list.sequence) signed \(Timestamp.iso(list.issuedAt)) \(Self.olderThan(floor))")
            }
            state.trustListText = text
            state.trustList = list
            state.floors["trust-list"] = max(state.floors["trust-list"] ?? publication, publication)
            // The catalogue editions held are read again under the new list: one signed by a key
            // it revokes is dropped, and the refresher asks for that number again, which the
            // issuer has signed again (`zhucan keys revoke`); the others take their issuer from
            // the new list's entry for their key.
            state.catalogues = state.catalogues.compactMapValues { held in
                (try? CatalogueEdition(verifying: held.text, under: list.entries)).map { (held.text, $0.issued) }
            }
            Self.rebuild(&state, anchors: anchors)
            return true
        }
    }

    /// Offers the status list `id` (binary COSE_Sign1), under the trust list in use.
    /// - Returns: whether it replaced the one in use.
    /// - Throws: `Refusal`; also when no trust list is held yet.
    @discardableResult
    package func offerStatusList(id: String, _ bytes: [UInt8], now: Int64, cached: Bool = false) throws(Refusal) -> Bool {
        let label = "status-list/\(id)"
        func refuse(_ reason: String, _ detail: String) -> Refusal { Refusal(list: label, reason: reason, detail: detail) }
        guard let trustList = self.trustList else { throw refuse("signature", "no trust list is held to check it with") }
        let result = SignedObjectVerifier(
            keys: trustList.entries, policies: [.type([.statusList]), .keyMaySignAtIssuance(fallback: 0), .signedBy(now, skew: skew)]
        ).verify(cose: bytes)
        guard let claims = result.claims else { throw Self.refusal(result, refuse) }
        let token: StatusListToken
        let publication: StatusListPublication
        do {
            token = try StatusListToken(claims: claims)
            publication = try StatusListPublication(claims: claims)
        } catch {
            throw refuse("malformed", "\(error)")
        }
        guard token.uri.split(separator: "/").last?.utf8.elementsEqual(id.utf8) == true else {
            throw refuse("malformed", "the token is for \(token.uri), not list \(id)")
        }
        // The draft lets a status list go without `exp`; a node that held one would never see it
        // expire, and its `valid` answers would have no bound on their staleness.
        guard let expiration = token.expiration else {
            throw refuse("malformed", "the status list has no exp: a node needs one to bound how stale its answers may be")
        }
        if !cached, expiration <= now {
            throw refuse("expired", "expired at \(Timestamp.iso(expiration))")
        }
        let floor = ListFloor(publication)
        return try state.withLock { state throws(Refusal) -> Bool in
            if state.statusLists[id]?.bytes == bytes { return false }
            // Publication order, `(iat, seq)` (`StatusListPublication`): by `iat` alone, a list
            // signed in the same second as the one in use, but before it, would undo its
            // changes. The floor is at least the list in use.
            if let held = state.floors[label], floor < held {
                throw refuse("older", "publication \(publication) \(Self.olderThan(held))")
            }
            if let held = state.statusLists[id] {
                if publication.sequence != nil, publication == held.publication {
                    throw refuse("changed", "publication \(publication) differs from the list in use of that number")
                }
            }
            state.statusLists[id] = HeldStatusList(bytes: bytes, uri: token.uri, publication: publication, expiresAt: token.expiration)
            state.floors[label] = max(state.floors[label] ?? floor, floor)
            Self.rebuild(&state, anchors: anchors)
            return true
        }
    }

    /// Offers catalogue edition `sequence` (envelope text), under the trust list in use.
    /// - Returns: whether it was new.
    /// - Throws: `Refusal`, also for an edition that differs from the one held: a published
    ///   edition never changes.
    @discardableResult
    package func offerCatalogue(sequence: Int64, _ text: String) throws(Refusal) -> Bool {
        let label = "catalogue/\(sequence)"
        func refuse(_ reason: String, _ detail: String) -> Refusal { Refusal(list: label, reason: reason, detail: detail) }
        guard let trustList = self.trustList else { throw refuse("signature", "no trust list is held to check it with") }
        let read: CatalogueEdition
        do {
            read = try CatalogueEdition(verifying: text, under: trustList.entries)
        } catch {
            switch error {
            case .signature(let detail): throw refuse("signature", detail)
            case .malformed(let detail): throw refuse("malformed", detail)
            }
        }
        let catalogue = read.catalogue, edition = read.number
        // Editions signed with their number (`seq`) are bound to their place; every edition's
        // version is unique (the issuer refuses to publish one twice). Either way an edition
        // replayed at a later number is refused, so it cannot fill the numbers the refresher
        // asks for next and keep the real editions out.
        if let edition, edition != sequence {
            throw refuse("misplaced", "edition \(edition) was served as edition \(sequence)")
        }
        return try state.withLock { state throws(Refusal) -> Bool in
            if let held = state.catalogues[sequence] {
                guard held.text == text else { throw refuse("changed", "edition \(sequence) differs from the one held; a published edition never changes") }
                return false
            }
            if let other = state.catalogues.first(where: { $0.value.issued.catalogue.version == catalogue.version }) {
                throw refuse("misplaced", "\(catalogue.version) is held as edition \(other.key), and was served as edition \(sequence)")
            }
            state.catalogues[sequence] = (text, read.issued)
            Self.rebuild(&state, anchors: anchors)
            return true
        }
    }

    /// The refusal of an object whose verification failed: `clock` when it was signed after
    /// this node's time and skew (one clock or the other is wrong), else `signature`.
    private static func refusal(_ result: SignedObjectVerifier.Result, _ refuse: (String, String) -> Refusal) -> Refusal {
        result.reason == .notYetValid
            ? refuse("clock", "\(result.detail), with \(result.reason.rawValue): this node's clock or the issuer's is wrong (NTP)")
            : refuse("signature", "\(result.reason.rawValue): \(result.detail)")
    }

    /// A refusal's words for a list below `floor`.
    private static func olderThan(_ floor: ListFloor) -> String {
        "is older than the newest this node has taken, sequence \(floor.sequence) signed \(Timestamp.iso(floor.issuedAt))"
    }

    private static func rebuild(_ state: inout State, anchors: [PublicKey]) {
        let lists = CredentialVerifier.Lists(
            trustAnchors: anchors, trustList: state.trustListText,
            statusLists: state.statusLists.sorted { $0.key < $1.key }.map(\.value.bytes),
            catalogues: state.catalogues.sorted { $0.key < $1.key }.map(\.value.issued)
        )
        state.verified = VerifiedLists(lists)
    }
}
