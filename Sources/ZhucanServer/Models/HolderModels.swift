/// `POST /v1/holders/enrollments`: `{"certificate": "…", "agentName"?, "agentIdNumber"?,
/// "relation"?, "ttl"?}`.
struct EnrollmentRequest: Decodable, Sendable {
    let certificate: String
    let agentName: String?
    let agentIdNumber: String?
    /// `guardian`, `family` or `caseworker`; with `agentName`.
    let relation: String?
    /// Seconds the link works (default 900).
    let ttl: Int?

    static let expected =
        #"{"certificate": string, "agentName": string (optional), "agentIdNumber": string (optional), "relation": "guardian" | "family" | "caseworker" (with agentName), "ttl": integer (optional)}"#
}

/// A single-use enrolment link for the holder's page.
struct EnrollmentResponse: Encodable, Sendable {
    let link: String
    let expiresAt: String
    let requestId: String
}

/// `POST /v1/holder/device`: `{"enrollment": "he_…"}`, with a DPoP proof signed by the key
/// being registered.
struct DeviceRegistrationRequest: Decodable, Sendable {
    let enrollment: String

    static let expected = #"{"enrollment": string (the he_… token from the link's fragment)}"#
}

/// `POST /v1/holder/codes/identity`: `{"showCategory": false?}`.
struct HolderIdentityCodeRequest: Decodable, Sendable {
    let showCategory: Bool?

    static let expected = #"{"showCategory": boolean (optional)}"#
}

/// `POST /v1/holder/codes/service`: `{"service": "free-bus"}`.
struct HolderServiceCodeRequest: Decodable, Sendable {
    let service: String

    static let expected = #"{"service": string (a catalogue service id)}"#
}

/// What the holder's page shows.
struct HolderStateResponse: Encodable, Sendable {
    struct Agent: Encodable, Sendable {
        let name: String
        let relation: String
    }

    struct EntitledService: Encodable, Sendable {
        let id: String
        let name: String
        let nameEn: String
        let department: String
        let basis: String
        let oneTime: Bool
        /// What its service code shows the verifier, Chinese then English (残疾类别、残疾等级 /
        /// disability category, disability level); absent when its rule reads no fact.
        let discloses: String?
    }

    let device: String
    /// `active`, `suspended`, `revoked`, `superseded`, `expired`, `not_yet_valid` or `device_revoked`.
    let state: String
    /// The state in words, Chinese then English.
    let stateText: String
    // The certificate in brief, masked; absent for a revoked device, which learns nothing
    // more of the certificate (its state included, beyond `device_revoked`).
    let holder: String?
    let certificate: String?
    let category: Int?
    let level: Int?
    let categoryText: String?
    let validUntil: String?
    let agent: Agent?
    /// The devices not revoked that show this certificate's codes, this one included: the
    /// holder's and agents' (a phone the holder does not know is for the window to revoke).
    let devices: Int?
    let catalogueVersion: String?
    let entitlements: [EntitledService]
    let requestId: String
}

/// A code for the holder's page: the text, its expiry, and its QR code as SVG.
struct HolderCodeResponse: Encodable, Sendable {
    let code: String
    let expiresAt: String
    let expiresIn: Int
    let qrSVG: String
    /// "身份码，有效至 14:05" — the QR code's text alternative.
    let label: String
    let requestId: String
}
