import ZhucanCertLogic

/// A request body read straight from the strict parse that `JSONResponse.decode` makes anyway
/// (duplicates, nulls, depth), so that the busiest routes skip `JSONDecoder`'s second pass over
/// the same bytes: 4% of a `POST /v1/verify` under load. Members it does not know are ignored,
/// as `JSONDecoder` ignores them.
package protocol JSONObjectBody: Decodable {
    /// The body from its members; `nil` when a member is missing or of the wrong type.
    init?(members: [String: JSONValue])
}

extension VerifyRequest: JSONObjectBody {
    package init?(members: [String: JSONValue]) {
        guard let code = members["code"]?.stringValue else { return nil }
        let service = members["service"]
        guard service == nil || service?.stringValue != nil else { return nil }
        self.init(code: code, service: service?.stringValue)
    }
}

extension RedeemRequest: JSONObjectBody {
    package init?(members: [String: JSONValue]) {
        guard let code = members["code"]?.stringValue, let service = members["service"]?.stringValue else { return nil }
        self.init(code: code, service: service)
    }
}
