import ZhucanCBOR

/// Reading and writing the content map (`ClaimKey.content`) with typed errors.
struct ContentMap {
    private(set) var pairs: [CBOR.Pair] = []

    init() {}

    init(_ cbor: CBOR?) throws(CredentialError) {
        guard let pairs = cbor?.pairs else {
            throw CredentialError(.malformedContent, "the content claim (\(ClaimKey.content)) is missing or not a map")
        }
        self.pairs = pairs
    }

    var cbor: CBOR { .map(pairs) }

    mutating func set(_ key: String, _ value: CBOR?) {
        if let value { pairs.append(CBOR.Pair(key: .text(key), value: value)) }
    }

    func value(_ key: String) -> CBOR? {
        pairs.first { $0.key == .text(key) }?.value
    }

    func text(_ key: String) throws(CredentialError) -> String {
        guard let text = value(key)?.text else { throw CredentialError(.malformedContent, "\"\(key)\" must be text") }
        return text
    }

    func optionalText(_ key: String) throws(CredentialError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.text else { throw CredentialError(.malformedContent, "\"\(key)\" must be text") }
        return text
    }

    func int(_ key: String) throws(CredentialError) -> Int64 {
        guard let int = value(key)?.int else { throw CredentialError(.malformedContent, "\"\(key)\" must be an integer") }
        return int
    }

    func optionalInt(_ key: String) throws(CredentialError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else { throw CredentialError(.malformedContent, "\"\(key)\" must be an integer") }
        return int
    }

    func bytes(_ key: String) throws(CredentialError) -> [UInt8] {
        guard let bytes = value(key)?.bytes else { throw CredentialError(.malformedContent, "\"\(key)\" must be a byte string") }
        return bytes
    }

    func bool(_ key: String) -> Bool {
        value(key)?.bool ?? false
    }

    /// Runs a validating initialiser, turning its error into `invalidValue` naming the key.
    func validated<T>(_ key: String, _ make: (String) throws -> T) throws(CredentialError) -> T {
        let raw = try text(key)
        do {
            return try make(raw)
        } catch {
            throw CredentialError(.invalidValue, "\"\(key)\": \(error)")
        }
    }
}
