import ZhucanServiceStore

/// The answer of `GET /v1/api-key`: the key presented, never its secret.
package struct APIKeyResponse: Encodable, Sendable {
    /// The public id (8 hexadecimal digits), as logs and events name it.
    package let id: String
    /// The name given at `zhucan apikey create --name`.
    package let name: String
    /// What it may do, in declaration order.
    package let scopes: [String]

    package init(_ key: APIKey) {
        id = key.id
        name = key.name
        scopes = key.scopes.sorted().map(\.rawValue)
    }
}
