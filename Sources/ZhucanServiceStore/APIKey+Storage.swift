import Foundation

/// How every `ServiceStore` checks a new key and stores its scopes, so that the stores
/// agree to the letter.
extension APIKey {
    /// How many times a store draws a new random id when the one drawn is taken; 32-bit ids
    /// collide rarely, so a few tries make a failure practically impossible.
    package static let idAttempts = 8

    /// The trimmed name and the stored scope list (`verify,redeem`, in `Scope` order).
    /// - Throws: `RegistryError.invalidInput` for an empty or over-long name or no scope.
    package static func checked(name: String, scopes: Set<Scope>) throws -> (name: String, scopeList: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw RegistryError(.invalidInput, "an API key needs a name of 1–100 characters") }
        guard !scopes.isEmpty else { throw RegistryError(.invalidInput, "an API key needs at least one scope") }
        return (name, scopes.sorted().map(\.rawValue).joined(separator: ","))
    }

    /// The scopes of a stored scope list; unknown names (from a newer version) are ignored.
    package static func scopes(stored list: String) -> Set<Scope> {
        Set(list.split(separator: ",").compactMap { Scope(rawValue: String($0)) })
    }

    /// The error when every attempt found its id taken.
    package static var noFreeID: RegistryError { RegistryError(.conflict, "could not find a free API key id") }
}
