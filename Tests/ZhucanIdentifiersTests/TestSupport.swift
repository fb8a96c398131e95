import Foundation
import ZhucanIdentifiers
import ZhucanTesting

/// The validation date the tests use, so that they do not depend on the clock.
let testToday = CivilDate(fixed: 2025, 6, 1)

extension CivilDate {
    /// A date the test knows to be valid.
    init(fixed year: Int, _ month: Int, _ day: Int) {
        // swiftlint-style force is fine in tests: the literal dates are valid.
        self = try! CivilDate(year: year, month: month, day: day)
    }
}

/// Every string that differs from `value` in exactly one position, the replacement taken
/// from `alphabet`, with its 1-based position.
func singleSubstitutions(of value: String, alphabet: String) -> [(position: Int, variant: String)] {
    let characters = Array(value)
    var variants: [(Int, String)] = []
    for index in characters.indices {
        for replacement in alphabet where replacement != characters[index] {
            var copy = characters
            copy[index] = replacement
            variants.append((index + 1, String(copy)))
        }
    }
    return variants
}

/// Every string that swaps two adjacent, distinct characters of `value`.
func adjacentTranspositions(of value: String) -> [(position: Int, variant: String)] {
    let characters = Array(value)
    var variants: [(Int, String)] = []
    for index in characters.indices.dropLast() where characters[index] != characters[index + 1] {
        var copy = characters
        copy.swapAt(index, index + 1)
        variants.append((index + 1, String(copy)))
    }
    return variants
}

/// The error `body` throws, or `nil`.
func identifierError(_ body: () throws(IdentifierError) -> Void) -> IdentifierError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

/// A JSON round trip.
func jsonRoundTrip<T: Codable>(_ value: T) throws -> T {
    let data = try JSONEncoder().encode([value])
    return try JSONDecoder().decode([T].self, from: data)[0]
}

/// The JSON text of a single value inside an array.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONEncoder().encode([value]), as: UTF8.self)
}
