import Foundation
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanStatusList
import ZhucanTransparency

/// The part of auditing one log entry that depends on no other entry once the trust list in
/// force is known: re-verifying its signed object (certificate, status list, catalogue) and
/// reading the certificate. `LogAuditor` runs many of these in parallel, then applies their
/// results in log order.
struct SignedObjectCheck: Sendable {
    /// What the auditor needs of a certificate that verified.
    struct Certificate: Sendable {
        let licenseID: String
        let person: String
        let issuedAt: Int64
        let status: StatusReference
    }

    /// Problems found (code, message), for the entry's index.
    private(set) var problems: [(code: String, message: String)] = []
    /// The certificate of an `issued` entry, when it verified and decoded.
    private(set) var certificate: Certificate?
    /// The list of a `status-list-published` entry, when it verified and decoded.
    private(set) var statusList: (uri: String, list: CertificateStatusList)?
    /// That list's publication number (`seq`), when it carries one.
    private(set) var statusListSequence: Int64?
    /// The edition number (`seq`) a `catalogue-published` entry's edition was signed with,
    /// when it verified and carries one.
    private(set) var catalogueSequence: Int64?

    /// Checks `record`'s signed object under `trustList` (the trust list in force at its place
    /// in the log; `nil` when none was published yet). Entries without one check nothing.
    init(_ record: LogRecord, trustList: [TrustList.Entry]?) {
        switch record.event {
        case .statusListPublished, .statusRestored:
            guard let text = record.object, let bytes = Data(base64Encoded: text) else {
                problems.append(("malformed_object", "the status list is not base64"))
                return
            }
            guard let (claims, _) = verify(EnvelopeLayers(decodingCOSE: Array(bytes)), type: .statusList, record: record, trustList: trustList) else { return }
            do {
                let token = try StatusListToken(claims: claims)
                statusList = (token.uri, try CertificateStatusList(token.statusList))
            } catch {
                problems.append(("malformed_object", "the status list does not decode: \(error.reason)"))
            }
            do {
                statusListSequence = try StatusListPublication(claims: claims).sequence
            } catch {
                problems.append(("malformed_object", "the status list's publication number: \(error.reason)"))
            }
        case .cataloguePublished:
            guard let text = record.object else {
                problems.append(("malformed_record", "a catalogue entry without the catalogue"))
                return
            }
            guard let (claims, _) = verify(EnvelopeLayers(reading: text), type: .catalogue, record: record, trustList: trustList) else { return }
            do {
                catalogueSequence = try Catalogue.edition(in: claims)
            } catch {
                problems.append(("malformed_object", "the catalogue's edition number: \(error.reason)"))
            }
        case .issued:
            guard let text = record.object, let licenseID = record.licenseID else {
                problems.append(("malformed_record", "an issued entry without its certificate"))
                return
            }
            let layers = EnvelopeLayers(reading: text)
            guard let (claims, signer) = verify(layers, type: .certificate, record: record, trustList: trustList) else { return }
            // A compact certificate (Docs/format.md §15) is expanded with its signer's entry.
            let compact = layers.cose?.contentFormat != nil
            guard let decoded = compact ? try? DisabilityCertificate(compact: claims, signer: signer) : try? DisabilityCertificate(claims: claims) else {
                problems.append(("malformed_object", "certificate \(licenseID) does not decode"))
                return
            }
            certificate = Certificate(
                licenseID: decoded.licenseID.value, person: decoded.citizenID.value, issuedAt: decoded.issuedAt, status: decoded.status
            )
        default:
            break
        }
    }

    /// Verifies a signed object under the trust list, at the entry's time.
    /// - Returns: its claims and signer when genuine.
    private mutating func verify(
        _ layers: EnvelopeLayers, type: ObjectType, record: LogRecord, trustList: [TrustList.Entry]?
    ) -> (claims: CWTClaims, signer: TrustList.Entry)? {
        guard let trustList else {
            problems.append(("no_trust_list", "\(record.event.rawValue) before any trust list was published"))
            return nil
        }
        // A status list a restore took (`status-restored`) was signed before its entry, and may
        // have expired since: its key is judged when it signed, and it must only predate the entry.
        // A certificate may be issued to take effect later (`--valid-from`), and a catalogue
        // edition published ahead of its year: their `nbf` may follow the entry, and they must
        // only have been signed by then. A list is in force from when it is signed.
        let policies: [SignedObjectVerifier.Policy] = switch (record.event, type) {
        case (.statusRestored, _): [.type([type]), .signedBy(record.at, skew: 0), .keyMaySignAtIssuance(fallback: record.at)]
        case (_, .certificate), (_, .catalogue): [.type([type]), .signedBy(record.at, skew: 0), .keyMaySign(at: record.at)]
        default: [.type([type]), .validAt(record.at, skew: 0), .keyMaySign(at: record.at)]
        }
        let result = SignedObjectVerifier(keys: trustList, policies: policies).verify(layers)
        switch result.reason {
        case .valid:
            guard let claims = result.claims, let signer = result.signer else { return nil }
            return (claims, signer)
        case .keyNotValidAtSigning:
            // Still read: the object is genuine, its key was just not allowed then.
            let key = result.signer?.key.keyID.hex ?? "?"
            problems.append(("key_not_valid", "\(record.event.rawValue) is signed by key \(key), not allowed to sign at \(Timestamp.iso(record.at))"))
            guard let claims = result.layers.claims, let signer = result.signer else { return nil }
            return (claims, signer)
        case .malformedCOSE where result.layers.cose.flatMap(ObjectType.init(of:)) != type:
            problems.append(("malformed_object", "\(record.event.rawValue) carries a \(result.layers.cose?.typeDescription ?? "untyped") object"))
            return nil
        default:
            problems.append(("bad_signature", "\(record.event.rawValue): \(result.reason.rawValue) — \(result.detail)"))
            return nil
        }
    }
}

extension SignedObjectCheck {
    /// The checks of `records`, in the same order, spread over every core.
    static func parallel(_ records: [LogRecord], trustList: [TrustList.Entry]?) -> [SignedObjectCheck] {
        SignedObjectVerifier.onEveryCore(records) { SignedObjectCheck($0, trustList: trustList) }
    }
}
