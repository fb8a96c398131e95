import Foundation

/// The address at which phones and browsers reach the service: `scheme://host[:port]`, the
/// origin of RFC 6454 §4, which enrolment links begin with and which a device's DPoP proof
/// names in `htu` (RFC 9449 §4.2).
///
/// Behind a proxy the service cannot tell it from a request: a proxy may pass on its own
/// `Host` (nginx does unless told otherwise), and only a configured origin gives links that
/// work and proofs that match.
package struct PublicOrigin: Sendable, Equatable, CustomStringConvertible {
    /// `https://zhucan.example` or `http://127.0.0.1:8080`: lower-case scheme and host, the port
    /// only where it is not the scheme's default, no trailing slash.
    package let description: String

    /// Reads an origin, refusing what would make links that do not work: another scheme, no
    /// host, a user, a path (the pages call the API at the root), a query or a fragment.
    /// - Throws: the reason, in words that name what to change.
    package init(_ text: String) throws(Invalid) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw Invalid("\(text) is not an http:// or https:// address")
        }
        guard let host = url.host, !host.isEmpty else { throw Invalid("\(text) names no host") }
        guard url.user == nil, url.password == nil else { throw Invalid("\(text) carries a user name; give the address alone") }
        guard url.path.isEmpty || url.path == "/" else {
            throw Invalid("\(text) has a path (\(url.path)); the pages call the service at its root, so give scheme://host[:port] only")
        }
        guard url.query == nil, url.fragment == nil else { throw Invalid("\(text) has a query or fragment; give scheme://host[:port] only") }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = url.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        description = "\(scheme)://\(bracketed.lowercased())\(port)"
    }

    /// Why a text is no origin.
    package struct Invalid: Error, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }
}
