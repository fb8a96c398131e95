import ZhucanCBOR
import ZhucanSigning

/// A COSE single-signer signed message (RFC 9052 §4.2).
///
/// ```
/// COSE_Sign1_Tagged = #6.18(COSE_Sign1)            ; optionally inside CWT tag #6.61
/// COSE_Sign1 = [
///     protected   : bstr .cbor header_map / bstr .size 0,
///     unprotected : header_map,
///     payload     : bstr / nil,                    ; Zhucan requires an attached payload
///     signature   : bstr
/// ]
/// ```
///
/// The received protected-header and payload bytes are kept exactly as they arrived and are
/// what the signature is checked against; they are never re-encoded.
package struct CoseSign1: Sendable, Hashable {
    /// The protected header exactly as received (the content of its byte string).
    package let protectedBytes: [UInt8]
    /// The protected header, decoded from `protectedBytes` (empty for a zero-length string).
    package let protectedHeader: [CBOR.Pair]
    /// The unprotected header.
    package let unprotectedHeader: [CBOR.Pair]
    /// The payload exactly as received.
    package let payload: [UInt8]
    /// The signature bytes.
    package let signature: [UInt8]
    /// The tags around the structure, outermost first: `[]`, `[18]`, or `[61, 18]`.
    package let tags: [UInt64]

    /// The COSE_Sign1 tag (RFC 9052 §2).
    package static let tag: UInt64 = 18
    /// The CWT tag (RFC 8392 §6), which the EU DCC may put around tag 18.
    package static let cwtTag: UInt64 = 61

    /// The `alg` of the protected header, or `nil` if absent or not an integer.
    ///
    /// `alg` is read from the protected header only: RFC 9052 §3.1 says it should be
    /// protected, and an unprotected `alg` could be changed without breaking the signature.
    package let algorithmValue: Int64?

    /// The `kid`: from the protected header if present there, else from the unprotected one.
    package let keyID: KeyID?

    /// The `typ` of the protected header (RFC 9596), if it is text.
    package var type: String? { typeValue?.text }

    /// The `typ` of the protected header if it is a CoAP Content-Format number (RFC 9596 §2:
    /// `typ` is `tstr / uint`), as the compact format writes it.
    package var contentFormat: UInt64? { typeValue?.uint }

    /// The protected `typ`, text or number, read once with the other labels the verifier asks
    /// for on every code.
    private let typeValue: CBOR?

    /// The `typ` for people: the text, or the number.
    package var typeDescription: String? {
        type ?? contentFormat.map { "content format \($0)" }
    }

    /// Decodes a COSE_Sign1, tagged (18, or 61 around 18) or untagged.
    /// - Throws: `EnvelopeError.malformedCBOR` if `bytes` is not one CBOR item within `limits`;
    ///   `.malformedCOSE` if it is not a COSE_Sign1.
    package init(decoding bytes: [UInt8], limits: CBORDecoder.Limits = .init()) throws(EnvelopeError) {
        if var reader = PlainReader(bytes, limits: limits), let plain = reader.read() {
            try self.init(
                tags: plain.tags, protectedBytes: plain.protectedBytes, unprotected: [], payload: plain.payload, signature: plain.signature
            )
            return
        }
        let item: CBOR
        do {
            item = try CBORDecoder.decode(bytes, limits: limits)
        } catch {
            throw EnvelopeError(.malformedCBOR, reason: error.reason)
        }
        try self.init(item)
    }

    /// Reads a COSE_Sign1 from a decoded CBOR item.
    /// - Throws: `EnvelopeError.malformedCOSE`.
    package init(_ item: CBOR) throws(EnvelopeError) {
        var tags: [UInt64] = []
        var body = item
        while case .tagged(let tag, let inner) = body {
            tags.append(tag)
            body = inner
        }
        guard tags == [] || tags == [Self.tag] || tags == [Self.cwtTag, Self.tag] else {
            throw EnvelopeError(.malformedCOSE, reason: "tags \(tags) are not COSE_Sign1 (18), optionally inside CWT (61)")
        }
        guard let elements = body.array, elements.count == 4 else {
            throw EnvelopeError(.malformedCOSE, reason: "a COSE_Sign1 is an array of 4 elements")
        }
        guard let protectedBytes = elements[0].bytes else {
            throw EnvelopeError(.malformedCOSE, reason: "the protected header must be a byte string")
        }
        guard let unprotected = elements[1].pairs else {
            throw EnvelopeError(.malformedCOSE, reason: "the unprotected header must be a map")
        }
        guard let payload = elements[2].bytes else {
            throw EnvelopeError(.malformedCOSE, reason: "the payload must be an attached byte string (detached payloads are not supported)")
        }
        guard let signature = elements[3].bytes else {
            throw EnvelopeError(.malformedCOSE, reason: "the signature must be a byte string")
        }
        try self.init(tags: tags, protectedBytes: protectedBytes, unprotected: unprotected, payload: payload, signature: signature)
    }

    /// Checks the headers (RFC 9052 §3) of the four fields, read by either decoder.
    private init(
        tags: [UInt64], protectedBytes: [UInt8], unprotected: [CBOR.Pair], payload: [UInt8], signature: [UInt8]
    ) throws(EnvelopeError) {
        var protectedHeader: [CBOR.Pair] = []
        if !protectedBytes.isEmpty {
            // RFC 9052 §3: a non-empty protected header is the encoding of a map.
            guard let decoded = try? CBORDecoder.decode(protectedBytes), let pairs = decoded.pairs else {
                throw EnvelopeError(.malformedCOSE, reason: "the protected header is not an encoded CBOR map")
            }
            protectedHeader = pairs
        }
        // RFC 9052 §3: a label must not appear in both buckets. (Zhucan's signers leave the
        // unprotected header empty: no set to build then.)
        if !unprotected.isEmpty {
            let protectedLabels = Set(protectedHeader.map(\.key))
            // The EU DCC test suite has kid in both (CO18, CO20, CO21) and expects the protected
            // one to win; that is allowed for kid only, as DCC verifiers do. Every other shared
            // label is refused, wherever it stands (kid, 4, comes before typ, 16, in a
            // deterministic map, and must not hide it).
            if let shared = unprotected.first(where: { protectedLabels.contains($0.key) && $0.key != CBOR(CoseHeaderLabel.keyID) }) {
                throw EnvelopeError(.malformedCOSE, reason: "header label \(shared.key) is both protected and unprotected")
            }
        }
        if protectedHeader.contains(where: { $0.key == CBOR(CoseHeaderLabel.critical) }) {
            // RFC 9052 §3.1: crit lists labels the recipient must understand; Zhucan defines none.
            throw EnvelopeError(.malformedCOSE, reason: "critical header parameters are not supported")
        }
        if unprotected.contains(where: { $0.key == CBOR(CoseHeaderLabel.critical) }) {
            // RFC 9052 §3.1: crit "MUST be placed in the protected-header bucket"; unprotected, an
            // attacker could add or strip it.
            throw EnvelopeError(.malformedCOSE, reason: "the crit header parameter is unprotected")
        }
        self.protectedBytes = protectedBytes
        self.protectedHeader = protectedHeader
        self.unprotectedHeader = unprotected
        self.payload = payload
        self.signature = signature
        self.tags = tags
        (algorithmValue, keyID, typeValue) = Self.labels(protectedHeader, unprotected)
    }

    /// `algorithmValue`, `keyID` and `typeValue`, by the rules their declarations give.
    private static func labels(_ protected: [CBOR.Pair], _ unprotected: [CBOR.Pair]) -> (Int64?, KeyID?, CBOR?) {
        // A decoded map holds no label twice (RFC 8949 §5.6, checked by the decoder).
        var algorithm: Int64?, keyID: CBOR?, type: CBOR?
        for pair in protected {
            switch pair.key.int {
            case CoseHeaderLabel.algorithm: algorithm = pair.value.int
            case CoseHeaderLabel.keyID: keyID = pair.value
            case CoseHeaderLabel.type: type = pair.value
            default: continue
            }
        }
        keyID = keyID ?? unprotected.first { $0.key == CBOR(CoseHeaderLabel.keyID) }?.value
        return (algorithm, keyID?.bytes.map(KeyID.init(bytes:)), type)
    }

    /// Signs `payload` with `key`: the protected header carries `alg`, `kid` and, if given, `typ`.
    /// - Throws: `EnvelopeError.signingFailed` if the signing layer fails.
    package static func sign(payload: [UInt8], type: String? = nil, key: PrivateKey) throws(EnvelopeError) -> CoseSign1 {
        var header: [CBOR.Pair] = [
            CBOR.Pair(key: CBOR(CoseHeaderLabel.algorithm), value: CBOR(CoseAlgorithm(key.algorithm).rawValue)),
            CBOR.Pair(key: CBOR(CoseHeaderLabel.keyID), value: CBOR(key.publicKey.keyID.bytes)),
        ]
        if let type {
            header.append(CBOR.Pair(key: CBOR(CoseHeaderLabel.type), value: CBOR(type)))
        }
        return try sign(payload: payload, header: header, key: key)
    }

    /// The length of the compact format's `kid`: the first bytes of the 8-byte key id.
    package static let compactKeyIDLength = 4

    /// Signs `payload` for the compact format (version 2): the fully specified `alg` of
    /// RFC 9864, the first four bytes of the key id as `kid`, and `typ` as a Content-Format
    /// number (RFC 9596 §2), so that the protected header is 14–17 bytes instead of 45–50.
    /// - Throws: `EnvelopeError.signingFailed` if the signing layer fails.
    package static func signCompact(payload: [UInt8], contentFormat: UInt64, key: PrivateKey) throws(EnvelopeError) -> CoseSign1 {
        let header: [CBOR.Pair] = [
            CBOR.Pair(key: CBOR(CoseHeaderLabel.algorithm), value: CBOR(CoseAlgorithm.fullySpecified(key.algorithm).rawValue)),
            CBOR.Pair(key: CBOR(CoseHeaderLabel.keyID), value: CBOR(Array(key.publicKey.keyID.bytes.prefix(compactKeyIDLength)))),
            CBOR.Pair(key: CBOR(CoseHeaderLabel.type), value: .unsigned(contentFormat)),
        ]
        return try sign(payload: payload, header: header, key: key)
    }

    private static func sign(payload: [UInt8], header: [CBOR.Pair], key: PrivateKey) throws(EnvelopeError) -> CoseSign1 {
        let protectedBytes = CBOR.map(header).encoded()
        let toBeSigned = signatureStructure(protected: protectedBytes, payload: payload)
        let signature: [UInt8]
        do {
            signature = try key.signature(for: toBeSigned, format: .raw)
        } catch {
            throw EnvelopeError(.signingFailed, reason: "\(error)")
        }
        return CoseSign1(protectedBytes: protectedBytes, protectedHeader: header, payload: payload, signature: signature)
    }

    private init(protectedBytes: [UInt8], protectedHeader: [CBOR.Pair], payload: [UInt8], signature: [UInt8]) {
        self.protectedBytes = protectedBytes
        self.protectedHeader = protectedHeader
        self.unprotectedHeader = []
        self.payload = payload
        self.signature = signature
        self.tags = [Self.tag]
        (algorithmValue, keyID, typeValue) = Self.labels(protectedHeader, [])
    }

    /// The deterministic encoding, tagged 18 (or untagged).
    package func encoded(tagged: Bool = true) -> [UInt8] {
        let body = CBOR.array([.bytes(protectedBytes), .map(unprotectedHeader), .bytes(payload), .bytes(signature)])
        return (tagged ? CBOR.tagged(Self.tag, body) : body).encoded()
    }

    /// Whether the signature is valid under `key`, with `alg` matching the key's algorithm.
    ///
    /// An `alg` that is missing, unknown, or of another key type is never valid: there is no
    /// algorithm confusion (a PS256 `alg` cannot make an ES256 key verify, and so on).
    package func isValidSignature(with key: PublicKey, externalAAD: [UInt8] = []) -> Bool {
        guard let value = algorithmValue, let algorithm = CoseAlgorithm(rawValue: value),
            algorithm.signatureAlgorithm == key.algorithm
        else { return false }
        let toBeSigned = Self.signatureStructure(protected: protectedBytes, externalAAD: externalAAD, payload: payload)
        return key.isValidSignature(signature, for: toBeSigned, format: .raw)
    }

    /// RFC 9052 §4.4: `Sig_structure = ["Signature1", body_protected, external_aad, payload]`,
    /// over the exact received protected bytes and payload.
    package static func signatureStructure(protected: [UInt8], externalAAD: [UInt8] = [], payload: [UInt8]) -> [UInt8] {
        // Written directly, not through a CBOR tree (every verification builds one): an array
        // of 4, the text "Signature1", then the three byte strings.
        var out: [UInt8] = [0x84, 0x6A]
        out.reserveCapacity(11 + 3 * 9 + protected.count + externalAAD.count + payload.count)
        out += "Signature1".utf8
        for field in [protected, externalAAD, payload] {
            CBOR.appendHead(major: 2, argument: UInt64(field.count), to: &out)
            out += field
        }
        return out
    }
}
