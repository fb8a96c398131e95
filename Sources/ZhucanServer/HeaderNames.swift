import HTTPTypes

/// Header names the service uses that HTTPTypes does not name.
enum HeaderNames {
    /// `X-Request-Id`: the request id, taken from the client or generated, echoed back.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
