/// The life story of every certificate a log names, checked event by event: a certificate is
/// issued once; it is suspended only while active, reinstated only while suspended, revoked
/// or superseded only while live (active or suspended), and nothing follows revocation or
/// supersession; one person has at most one live certificate.
struct CertificateHistory {
    enum State: String {
        case active, suspended, revoked, superseded
    }

    private struct Certificate {
        var state: State
        let person: String
        /// For a superseded certificate: the certificate that replaces it.
        var supersededBy: String?
    }

    private var certificates: [String: Certificate] = [:]
    /// Person (citizen ID) → their live certificate's e-license identifier.
    private var live: [String: String] = [:]

    /// The problems only the end of the log can show: a certificate superseded by one that was
    /// never issued (its holder left with no live certificate, and no trace of why).
    func unfinished() -> [String] {
        certificates.compactMap { licenseID, certificate in
            guard certificate.state == .superseded, let successor = certificate.supersededBy, certificates[successor] == nil else { return nil }
            return "certificate \(licenseID) was superseded by \(successor), which was never issued"
        }.sorted()
    }

    /// A certificate's state after the events applied so far.
    func state(of licenseID: String) -> State? {
        certificates[licenseID]?.state
    }

    /// Applies an issuance; returns the problem, if any.
    mutating func issue(_ licenseID: String, person: String, supersedes: String?) -> String? {
        guard certificates[licenseID] == nil else { return "certificate \(licenseID) is issued a second time" }
        if let supersedes {
            guard let old = certificates[supersedes], old.state == .superseded, old.supersededBy == licenseID else {
                return "certificate \(licenseID) claims to supersede \(supersedes), which no superseded entry hands over to it"
            }
            guard old.person == person else { return "certificate \(licenseID) supersedes a certificate of another person" }
        }
        certificates[licenseID] = Certificate(state: .active, person: person)
        if let other = live[person] {
            live[person] = licenseID
            return "certificate \(licenseID) makes a second live certificate for the holder of \(other)"
        }
        live[person] = licenseID
        return nil
    }

    /// Applies a status change (`suspended`, `reinstated`, `revoked`, `superseded`); returns
    /// the problem, if any.
    mutating func change(_ licenseID: String, to event: String, by successor: String? = nil) -> String? {
        guard var certificate = certificates[licenseID] else {
            return "certificate \(licenseID) is \(event) before it was issued"
        }
        let (allowed, target): ([State], State) = switch event {
        case "suspended": ([.active], .suspended)
        case "reinstated": ([.suspended], .active)
        case "revoked": ([.active, .suspended], .revoked)
        default: ([.active, .suspended], .superseded)
        }
        guard allowed.contains(certificate.state) else {
            return "certificate \(licenseID) is \(event) while \(certificate.state.rawValue)"
        }
        certificate.state = target
        certificate.supersededBy = successor
        certificates[licenseID] = certificate
        if target == .revoked || target == .superseded, live[certificate.person] == licenseID {
            live[certificate.person] = nil
        }
        return nil
    }
}
