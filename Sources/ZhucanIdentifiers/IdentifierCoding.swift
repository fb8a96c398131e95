/// Codable support shared by the identifiers: each is encoded as a single string.
enum IdentifierCoding {
    /// Decodes a single string and parses it, turning a parse failure into
    /// `DecodingError.dataCorrupted` that carries the ``IdentifierError``.
    static func decode<T>(
        from decoder: any Decoder,
        _ parse: (String) throws(IdentifierError) -> T
    ) throws -> T {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            return try parse(string)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath,
                debugDescription: error.reason,
                underlyingError: error
            ))
        }
    }

    /// Encodes `string` as a single value.
    static func encode(_ string: String, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
