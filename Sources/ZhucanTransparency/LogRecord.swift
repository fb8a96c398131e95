import ZhucanCBOR

/// One leaf of the issuance transparency log: an issuance event, as a canonical CBOR record
/// that names (or carries) what it is about. `Docs/audit.md` specifies it for auditors.
///
/// ```
/// LogRecord = {                    ; deterministic CBOR (RFC 8949 §4.2.1), text keys
///   "v": 1,                        ; record version
///   "event": tstr,                 ; LogRecord.Event raw value
///   "at": int,                     ; event time, seconds since the epoch
///   ? "lid": tstr,                 ; certificate events: the certificate's e-license identifier
///   ? "other": tstr,               ; issued: the lid it supersedes; superseded: the lid replacing it
///   ? "obj": tstr,                 ; issued, *-published and status-restored: the signed envelope, exactly as issued
///   ? "seq": uint,                 ; *-published: the publication's sequence number
///   ? "role": tstr,                ; key events: root | issuer | log
///   ? "kid": tstr,                 ; key events: key id (hex)
///   ? "alg": tstr,                 ; key-added: sm2 | es256 | ed25519
///   ? "spki": bstr,                ; key-added: DER SubjectPublicKeyInfo
///   ? "reason": tstr               ; the operator's reason, when one was given; an export's purpose
///   ? "by": tstr                   ; personal-data-exported: who exported
///   ? "rows": uint                 ; personal-data-exported: how many people the export lists
///   ? "uri": tstr                  ; lost-statuses-revoked: the status list
///   ? "from": uint                 ; lost-statuses-revoked: the first index revoked
///   ? "below": uint                ; lost-statuses-revoked: the first index past them
/// }
/// ```
///
/// The leaf hash is `SHA-256(0x00 ‖ encoded record)` (RFC 9162 §2.1.1). The certificate code
/// in `obj` carries personal data: log entries are served only to the `audit` scope.
package struct LogRecord: Hashable, Sendable {
    /// What happened.
    package enum Event: String, Sendable, Hashable, CaseIterable {
        case issued
        case superseded
        case suspended
        case reinstated
        case revoked
        case keyAdded = "key-added"
        case keyRetired = "key-retired"
        /// An issuer key no verifier may accept any more, whatever it signed and when
        /// (`zhucan keys revoke`; `role`, `kid`, `reason`).
        case keyRevoked = "key-revoked"
        case trustListPublished = "trust-list-published"
        case statusListPublished = "status-list-published"
        case cataloguePublished = "catalogue-published"
        /// The registry restored from a backup took the statuses of a later status list the
        /// verifiers held (`zhucan restore-check`; `obj`: that list, as signed; `reason`): an
        /// index it marks that no logged certificate holds (a certificate issued after the
        /// backup, then suspended or revoked) keeps that status in every list from here on.
        case statusRestored = "status-restored"
        /// The registry restored from a backup revoked, in the status list `uri`, the indexes
        /// from `from` up to `below`, past every one a logged certificate holds (`zhucan
        /// restore-check --revoke-lost`): certificates issued after the backup, which the
        /// registry lost and could neither suspend nor revoke, stop verifying.
        case lostStatusesRevoked = "lost-statuses-revoked"
        /// A holder's or agent's device enrolled for a certificate (`lid`; `kid`: the device
        /// id; `role`: `holder` or the agent's relation).
        case deviceEnrolled = "device-enrolled"
        /// A device revoked (`lid`, `kid`, `reason`).
        case deviceRevoked = "device-revoked"
        /// A list naming people exported for the issuer's staff, e.g. the holders newly
        /// entitled to a service (`by`: who; `reason`: the purpose; `rows`: how many).
        case personalDataExported = "personal-data-exported"

        /// Whether the event is about one certificate (and names it by `lid`).
        package var isCertificateEvent: Bool {
            switch self {
            case .issued, .superseded, .suspended, .reinstated, .revoked: true
            default: false
            }
        }
    }

    /// The record version this code writes and reads.
    package static let version: Int64 = 1
    /// The largest encoded record accepted when reading a log (a certificate is about 1 KiB).
    package static let maxEncodedBytes = 64 * 1024

    /// What happened.
    package var event: Event
    /// When, seconds since the epoch.
    package var at: Int64
    /// The certificate's e-license identifier (certificate events).
    package var licenseID: String?
    /// The other certificate of a supersession.
    package var otherLicenseID: String?
    /// The signed object, as issued (certificates and publications).
    package var object: String?
    /// The publication's sequence number.
    package var sequence: Int64?
    /// The key's role (key events).
    package var keyRole: String?
    /// The key id, hex (key events).
    package var keyID: String?
    /// The key's algorithm (key-added).
    package var keyAlgorithm: String?
    /// The key's DER SubjectPublicKeyInfo (key-added).
    package var subjectPublicKeyInfo: [UInt8]?
    /// The operator's reason; an export's purpose.
    package var reason: String?
    /// Who exported (personal-data-exported).
    package var actor: String?
    /// How many people an export lists (personal-data-exported).
    package var rowCount: Int64?
    /// The status list (lost-statuses-revoked).
    package var statusListURI: String?
    /// The first status index revoked (lost-statuses-revoked).
    package var indexFrom: Int64?
    /// The first status index past those revoked (lost-statuses-revoked).
    package var indexBelow: Int64?

    /// Makes a record; set the optional fields the event needs.
    package init(
        event: Event, at: Int64, licenseID: String? = nil, otherLicenseID: String? = nil, object: String? = nil,
        sequence: Int64? = nil, keyRole: String? = nil, keyID: String? = nil, keyAlgorithm: String? = nil,
        subjectPublicKeyInfo: [UInt8]? = nil, reason: String? = nil, actor: String? = nil, rowCount: Int64? = nil,
        statusListURI: String? = nil, indexFrom: Int64? = nil, indexBelow: Int64? = nil
    ) {
        self.event = event
        self.at = at
        self.licenseID = licenseID
        self.otherLicenseID = otherLicenseID
        self.object = object
        self.sequence = sequence
        self.keyRole = keyRole
        self.keyID = keyID
        self.keyAlgorithm = keyAlgorithm
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
        self.reason = reason
        self.actor = actor
        self.rowCount = rowCount
        self.statusListURI = statusListURI
        self.indexFrom = indexFrom
        self.indexBelow = indexBelow
    }

    /// The canonical encoding: the leaf data.
    package var encoded: [UInt8] {
        var pairs: [CBOR.Pair] = [
            .init(key: CBOR("v"), value: CBOR(Self.version)),
            .init(key: CBOR("event"), value: CBOR(event.rawValue)),
            .init(key: CBOR("at"), value: CBOR(at)),
        ]
        func add(_ key: String, _ value: CBOR?) {
            if let value { pairs.append(.init(key: CBOR(key), value: value)) }
        }
        add("lid", licenseID.map(CBOR.init))
        add("other", otherLicenseID.map(CBOR.init))
        add("obj", object.map(CBOR.init))
        add("seq", sequence.map(CBOR.init))
        add("role", keyRole.map(CBOR.init))
        add("kid", keyID.map(CBOR.init))
        add("alg", keyAlgorithm.map(CBOR.init))
        add("spki", subjectPublicKeyInfo.map(CBOR.init))
        add("reason", reason.map(CBOR.init))
        add("by", actor.map(CBOR.init))
        add("rows", rowCount.map(CBOR.init))
        add("uri", statusListURI.map(CBOR.init))
        add("from", indexFrom.map(CBOR.init))
        add("below", indexBelow.map(CBOR.init))
        return CBOR.map(pairs).encoded()
    }

    /// Reads a record, requiring the canonical encoding (so one event has one leaf hash).
    /// - Throws: `TransparencyError.malformedRecord` naming the fault.
    package init(encoded bytes: [UInt8]) throws {
        guard bytes.count <= Self.maxEncodedBytes else {
            throw TransparencyError(.malformedRecord, "a log record of \(bytes.count) bytes is over \(Self.maxEncodedBytes)")
        }
        let item: CBOR
        do {
            item = try CBORDecoder.decode(bytes, limits: .init(maxDepth: 4, maxElements: 64, maxBytes: Self.maxEncodedBytes, requireDeterministic: true))
        } catch {
            throw TransparencyError(.malformedRecord, "not canonical CBOR: \(error)")
        }
        guard let pairs = item.pairs else { throw TransparencyError(.malformedRecord, "not a CBOR map") }
        let known: Set<String> = ["v", "event", "at", "lid", "other", "obj", "seq", "role", "kid", "alg", "spki", "reason", "by", "rows", "uri", "from", "below"]
        for pair in pairs {
            guard let key = pair.key.text, known.contains(key) else {
                throw TransparencyError(.malformedRecord, "unknown field \(pair.key)")
            }
        }
        guard item[text: "v"]?.int == Self.version else { throw TransparencyError(.malformedRecord, "version is not \(Self.version)") }
        guard let name = item[text: "event"]?.text, let event = Event(rawValue: name) else {
            throw TransparencyError(.malformedRecord, "missing or unknown event")
        }
        guard let at = item[text: "at"]?.int else { throw TransparencyError(.malformedRecord, "missing time") }
        func text(_ key: String) throws -> String? {
            guard let value = item[text: key] else { return nil }
            guard let text = value.text else { throw TransparencyError(.malformedRecord, "\(key) is not text") }
            return text
        }
        self.init(event: event, at: at)
        licenseID = try text("lid")
        otherLicenseID = try text("other")
        object = try text("obj")
        keyRole = try text("role")
        keyID = try text("kid")
        keyAlgorithm = try text("alg")
        reason = try text("reason")
        actor = try text("by")
        statusListURI = try text("uri")
        if let value = item[text: "rows"] {
            guard let rows = value.int, rows >= 0 else { throw TransparencyError(.malformedRecord, "rows is not a count") }
            rowCount = rows
        }
        for (key, path) in [("from", \LogRecord.indexFrom), ("below", \LogRecord.indexBelow)] {
            guard let value = item[text: key] else { continue }
            guard let index = value.int, index >= 0 else { throw TransparencyError(.malformedRecord, "\(key) is not a status index") }
            self[keyPath: path] = index
        }
        if let value = item[text: "seq"] {
            guard let sequence = value.int else { throw TransparencyError(.malformedRecord, "seq is not an integer") }
            self.sequence = sequence
        }
        if let value = item[text: "spki"] {
            guard let spki = value.bytes else { throw TransparencyError(.malformedRecord, "spki is not a byte string") }
            subjectPublicKeyInfo = spki
        }
        if event.isCertificateEvent && licenseID == nil {
            throw TransparencyError(.malformedRecord, "a \(event.rawValue) record must name its certificate (lid)")
        }
    }
}
