import ZhucanCBOR

extension EnvelopeLayers {
    /// Every layer read, as a CBOR map with text keys, ready to print as JSON
    /// (`report.jsonString(prettyPrinted: true)`): sizes, tags, headers (alg by name, kid in
    /// hex), the claims (registered ones by name, times also in ISO 8601), and the failure.
    package var report: CBOR {
        var fields: [CBOR.Pair] = []
        func add(_ key: String, _ value: CBOR?) {
            if let value { fields.append(CBOR.Pair(key: .text(key), value: value)) }
        }
        add("prefix", prefix.map { .text($0.rawValue) })
        add("base45Characters", prefix.map { _ in CBOR(Int64(text.utf8.count - (prefix?.rawValue.count ?? 0))) })
        add("compressedBytes", compressed.map { CBOR(Int64($0.count)) })
        add("inflatedBytes", inflated.map { CBOR(Int64($0.count)) })
        if let cose {
            add("coseTags", .array(cose.tags.map { .unsigned($0) }))
            add("protectedHeader", .map(cose.protectedHeader.map(Self.readableHeader)))
            add("unprotectedHeader", .map(cose.unprotectedHeader.map(Self.readableHeader)))
            add("payloadBytes", CBOR(Int64(cose.payload.count)))
            add("signature", .bytes(cose.signature))
        }
        if let claims {
            add("claims", Self.readableClaims(claims))
        }
        if let failure {
            add("failure", .map([
                CBOR.Pair(key: .text("layer"), value: .text(failedLayer)),
                CBOR.Pair(key: .text("reason"), value: .text(failure.reason.rawValue)),
                CBOR.Pair(key: .text("detail"), value: .text(failure.detail)),
            ]))
        }
        return .map(fields)
    }

    /// The name of the layer that failed, for people.
    package var failedLayer: String {
        if failure == nil { return "none" }
        if prefix == nil { return "prefix" }
        if compressed == nil { return "base45" }
        if inflated == nil { return "zlib" }
        if cose == nil { return "COSE" }
        return "CWT claims"
    }

    /// A header parameter with its label named and `alg` / `kid` made readable.
    package static func readableHeader(_ pair: CBOR.Pair) -> CBOR.Pair {
        switch pair.key.int {
        case CoseHeaderLabel.algorithm:
            let name = pair.value.int.flatMap(CoseAlgorithm.init(rawValue:))?.description ?? pair.value.diagnostic
            return CBOR.Pair(key: .text("alg"), value: .text(name))
        case CoseHeaderLabel.keyID: return CBOR.Pair(key: .text("kid"), value: pair.value)
        case CoseHeaderLabel.type: return CBOR.Pair(key: .text("typ"), value: pair.value)
        case CoseHeaderLabel.contentType: return CBOR.Pair(key: .text("content type"), value: pair.value)
        default: return pair
        }
    }

    /// The claims with registered keys named and NumericDates also shown as ISO 8601.
    package static func readableClaims(_ claims: CWTClaims) -> CBOR {
        var fields: [CBOR.Pair] = []
        func add(_ key: String, _ value: CBOR?) {
            if let value { fields.append(CBOR.Pair(key: .text(key), value: value)) }
        }
        func time(_ seconds: Int64?) -> CBOR? {
            seconds.map { .text("\(Timestamp.iso($0)) (\($0))") }
        }
        add("iss", claims.issuer.map { .text($0) })
        add("sub", claims.subject.map { .text($0) })
        add("aud", claims.audience.map { .text($0) })
        add("iat", time(claims.issuedAt))
        add("nbf", time(claims.notBefore))
        add("exp", time(claims.expiration))
        add("cti", claims.cwtID.map { .bytes($0) })
        return .map(fields + claims.otherClaims)
    }
}
