import HTTPTypes

/// Header names the service uses that HTTPTypes does not name.
package enum HeaderNames {
    /// `X-Request-Id`: the request id, taken from the client or generated, echoed back.
    package static let requestID = HTTPField.Name("X-Request-Id")!
}
