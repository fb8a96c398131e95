import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanSigning

extension Workspace {
    /// A single-use enrolment link's secret part and its life.
    package struct HolderEnrollment: Sendable, Hashable {
        /// `he_<id>_<secret>`: what the link carries, in its fragment (never sent to a server
        /// log, never in a Referer). Shown once; only its hash is kept.
        package let token: String
        package let id: String
        package let expiresAt: Int64
    }

    /// What the holder's page shows for a device: the certificate in brief and its state.
    package struct HolderView: Sendable {
        package let device: Registry.HolderDevice
        package let certificate: StoredCertificate
        /// `active`, `suspended`, `revoked`, `superseded`, `expired`, or `device_revoked`.
        package let state: String
        package var agent: CodeAgent? {
            guard let name = device.agentName, let relation = device.agentRelation.flatMap(CodeAgent.Relation.init(rawValue:)) else { return nil }
            return CodeAgent(maskedName: (try? PersonName(name).masked) ?? "*", relation: relation)
        }
    }

    /// The longest an enrolment link may live: it is made at the window and opened there.
    package static let maxEnrollmentSeconds = 86_400

    /// Makes a single-use enrolment link for a certificate's holder, or for an agent.
    /// - Parameters:
    ///   - agent: the agent's name, ID number and relation, for 帮办代办.
    ///   - seconds: how long the link works (default 15 minutes, at most a day).
    ///   - madeBy: who makes it, kept on the device it enrolls (`Registry.HolderDevice.enrolledBy`):
    ///     ``enrolledBy(apiKey:)`` or ``enrolledByCommandLine``.
    /// - Throws: `IssuerError.invalidInput` for a bad agent or lifetime, `.notFound`,
    ///   `.notAllowed` for a certificate that is not active or has expired.
    package func enroll(
        certificateNumber: String, agent: Registry.EnrolledAgent?, seconds: Int?, madeBy: String, now: Int64
    ) throws -> HolderEnrollment {
        let stored = try activeCertificate(number: certificateNumber, now: now)
        let lifetime = seconds ?? 900
        guard (60...Self.maxEnrollmentSeconds).contains(lifetime) else {
            throw IssuerError(.invalidInput, "登记链接有效期须为 60–86400 秒 / an enrolment link lives 60–86400 seconds")
        }
        var checkedAgent: Registry.EnrolledAgent?
        if let agent {
            // The agent's details are typed at the window: a slip is the clerk's to fix (400),
            // not a failure of the service.
            func typed<T>(_ zh: String, _ en: String, _ read: () throws -> T) throws -> T {
                do { return try read() } catch let error as IdentifierError {
                    throw IssuerError(.invalidInput, "代办人\(zh)无效 / the agent's \(en) is not valid: \(error.reason)")
                }
            }
            let name = try typed("姓名", "name") { try PersonName(entered: agent.name) }
            guard CodeAgent.Relation(rawValue: agent.relation) != nil else {
                throw IssuerError(.invalidInput, "代办关系须为 guardian（监护人）、family（亲属）或 caseworker（社工） / the relation must be guardian, family or caseworker")
            }
            var idNumber: String?
            if let text = agent.idNumber { idNumber = try typed("身份证号", "ID number") { try CitizenIDNumber(text) }.value }
            if idNumber == stored.citizenID { throw IssuerError(.invalidInput, "代办人就是持证人本人：请直接为持证人登记 / the agent is the holder: enrol the holder, without an agent") }
            checkedAgent = Registry.EnrolledAgent(name: name.unmaskedValue, idNumber: idNumber, relation: agent.relation)
        }
        let id = Hexadecimal.encode(Self.randomBytes(8))
        let secret = Base64URL.encode(Self.randomBytes(32))
        try Self.wrap {
            try registry.addEnrollment(
                id: id, secretHash: Digest.sha256(Array(secret.utf8)), certificateID: stored.id, agent: checkedAgent, madeBy: madeBy, at: now,
                expiresAt: now + Int64(lifetime)
            )
        }
        return HolderEnrollment(token: "he_\(id)_\(secret)", id: id, expiresAt: now + Int64(lifetime))
    }

    /// Who made a link through the service: the API key's id.
    package static func enrolledBy(apiKey id: String) -> String { "apikey:\(id)" }

    /// Who made a link with `zhucan holder enroll`: the operating-system user, by name (its
    /// visible characters) or, without one, by number.
    package static var enrolledByCommandLine: String {
        let name = String(ProcessInfo.processInfo.userName.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0) })
        return "cli:" + (name.isEmpty ? "uid=\(getuid())" : name)
    }

    /// Registers a browser key with an enrolment token; the token then works no more.
    /// - Parameters:
    ///   - deviceID: the key's RFC 7638 thumbprint.
    /// - Throws: `IssuerError.notFound` for an unknown or wrong token, `.notAllowed` for one
    ///   used or expired.
    package func registerDevice(token: String, publicKey: PublicKey, deviceID: String, now: Int64) throws -> Registry.HolderDevice {
        let (id, presented) = try Self.enrollmentToken(token)
        // A certificate suspended since the link was made still gets its device: the page then
        // says so, and no code is minted until it is reinstated.
        return try Self.enrollmentAnswer {
            try registry.useEnrollment(
                id: id, matches: { Digest.constantTimeEquals($0, presented) }, deviceID: deviceID,
                subjectPublicKeyInfo: publicKey.subjectPublicKeyInfo, at: now
            )
        }
    }

    /// Checks an enrolment token as `registerDevice` does, without using it (a read).
    /// - Throws: as `registerDevice`.
    package func checkEnrollment(token: String, now: Int64) throws {
        let (id, presented) = try Self.enrollmentToken(token)
        try Self.enrollmentAnswer { try registry.checkEnrollment(id: id, matches: { Digest.constantTimeEquals($0, presented) }, at: now) }
    }

    /// A token's link id and the SHA-256 of its secret.
    private static func enrollmentToken(_ token: String) throws -> (id: String, presented: [UInt8]) {
        // he_<16 hex>_<43 base64url>: the secret may itself hold "_".
        let bytes = Array(token.utf8)
        guard bytes.count == 3 + 16 + 1 + 43, token.hasPrefix("he_"), bytes[19] == UInt8(ascii: "_") else {
            throw IssuerError(.notFound, "不是有效的登记链接 / not an enrolment link")
        }
        let secret = String(decoding: bytes[20...], as: UTF8.self)
        return (String(decoding: bytes[3..<19], as: UTF8.self), Digest.sha256(Array(secret.utf8)))
    }

    /// The registry's refusals of a link as the service answers them.
    private static func enrollmentAnswer<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RegistryError {
            switch error.code {
            case .notFound: throw IssuerError(.notFound, error.reason)
            case .invalidTransition: throw IssuerError(.notAllowed, error.reason)
            case .conflict: throw IssuerError(.notAllowed, "此设备已登记 / this device is enrolled already")
            default: throw IssuerError(.internalFailure, error.reason)
            }
        }
    }

    /// The certificate and state behind a device: the certificate it was enrolled for, or,
    /// once that was re-issued (a level or category change), the certificate that replaced
    /// it. The holder is the same person, and a re-assessment must not leave their phone
    /// showing a cancelled certificate until someone enrols it again.
    /// - Throws: `IssuerError.notFound` for an unknown device.
    package func holderView(deviceID: String, now: Int64) throws -> HolderView {
        guard let device = try Self.wrap({ try registry.holderDevice(id: deviceID) }),
            let certificate = try Self.wrap({ try registry.latestReissue(of: device.certificateID) })
        else { throw IssuerError(.notFound, "此设备未登记 / this device is not enrolled") }
        let state = device.revokedAt != nil ? "device_revoked" : certificate.state(on: ChinaTime.date(of: now))
        return HolderView(device: device, certificate: certificate, state: state)
    }

    /// The devices of a certificate's holder and agents, also those enrolled for the
    /// certificates it replaced (``holderView(deviceID:now:)``), oldest first.
    package func holderDevices(certificateNumber: String) throws -> [Registry.HolderDevice] {
        let stored = try storedCertificate(number: certificateNumber)
        return try Self.wrap {
            try registry.reissueChain(endingAt: stored.id).reversed().flatMap { try registry.holderDevices(certificateID: $0) }
        }
    }

    /// How many devices not revoked show the codes of the certificate `id`: the holder's and
    /// agents', also those enrolled for the certificates it replaced.
    package func liveHolderDeviceCount(certificateID id: Int64) throws -> Int {
        try Self.wrap { try registry.liveHolderDeviceCount(endingAt: id) }
    }

    /// The devices that links made by `enrolledBy` enrolled, on any certificate, oldest first:
    /// what to look at, and perhaps revoke, when a key is revoked or a clerk leaves.
    package func holderDevices(enrolledBy: String) throws -> [(device: Registry.HolderDevice, certificate: StoredCertificate)] {
        try Self.wrap {
            try registry.holderDevices(enrolledBy: enrolledBy).compactMap { device in
                try registry.latestReissue(of: device.certificateID).map { (device, $0) }
            }
        }
    }

    /// Ends a device at once: its next request is refused.
    package func revokeHolderDevice(id: String, reason: String, now: Int64) throws {
        let reason = try Self.loggedText(reason, ("原因", "the reason"))
        do {
            try registry.revokeHolderDevice(id: id, reason: reason, at: now)
        } catch let error as RegistryError {
            throw error.code == .notFound ? IssuerError(.notFound, error.reason) : IssuerError(.notAllowed, error.reason)
        }
        try signCheckpoint(now: now)
    }
}
