import ZhucanCBOR

/// A key of a content map: short text in envelope version 1 (`"nm"`), a small integer in
/// the compact format (`3`).
protocol ContentMapKey {
    var cbor: CBOR { get }
    /// The key as an error message names it: `"nm"`, `3`.
    var quoted: String { get }
}

extension String: ContentMapKey {
    var cbor: CBOR { .text(self) }
    var quoted: String { "\"\(self)\"" }
}

extension Int64: ContentMapKey {
    var cbor: CBOR { CBOR(self) }
    var quoted: String { "key \(self)" }
}

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

    mutating func set(_ key: some ContentMapKey, _ value: CBOR?) {
        if let value { pairs.append(CBOR.Pair(key: key.cbor, value: value)) }
    }

    func value(_ key: some ContentMapKey) -> CBOR? {
        let key = key.cbor
        return pairs.first { $0.key == key }?.value
    }

    func text(_ key: some ContentMapKey) throws(CredentialError) -> String {
        guard let text = value(key)?.text else { throw CredentialError(.malformedContent, "\(key.quoted) must be text") }
        return text
    }

    func optionalText(_ key: some ContentMapKey) throws(CredentialError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.text else { throw CredentialError(.malformedContent, "\(key.quoted) must be text") }
        return text
    }

    func int(_ key: some ContentMapKey) throws(CredentialError) -> Int64 {
        guard let int = value(key)?.int else { throw CredentialError(.malformedContent, "\(key.quoted) must be an integer") }
        return int
    }

    func optionalInt(_ key: some ContentMapKey) throws(CredentialError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else { throw CredentialError(.malformedContent, "\(key.quoted) must be an integer") }
        return int
    }

    func uint(_ key: some ContentMapKey) throws(CredentialError) -> UInt64 {
        guard let uint = value(key)?.uint else { throw CredentialError(.malformedContent, "\(key.quoted) must be an unsigned integer") }
        return uint
    }

    func bytes(_ key: some ContentMapKey) throws(CredentialError) -> [UInt8] {
        guard let bytes = value(key)?.bytes else { throw CredentialError(.malformedContent, "\(key.quoted) must be a byte string") }
        return bytes
    }

    func bool(_ key: some ContentMapKey) -> Bool {
        value(key)?.bool ?? false
    }

    /// Runs a validating initialiser, turning its error into `invalidValue` naming the key.
    func validated<T>(_ key: some ContentMapKey, _ make: (String) throws -> T) throws(CredentialError) -> T {
        let raw = try text(key)
        do {
            return try make(raw)
        } catch {
            throw CredentialError(.invalidValue, "\(key.quoted): \(error)")
        }
    }
}
