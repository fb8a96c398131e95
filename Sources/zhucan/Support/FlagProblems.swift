import ZhucanIdentifiers

/// The bad values of a command's flags, collected so that every one is named at once rather
/// than the first alone (`issue`, `correct`, `renew`).
struct FlagProblems {
    private var problems: [String] = []

    /// The value `make` reads from `flag`'s argument, or nil with the reason recorded.
    mutating func check<T>(_ flag: String, _ make: () throws -> T) -> T? {
        do {
            return try make()
        } catch let error as IdentifierError {
            problems.append("\(flag): \(error.reason)")
        } catch {
            problems.append("\(flag): \(error)")
        }
        return nil
    }

    /// - Throws: an input failure (exit 2) naming every bad value, if there is one.
    func throwIfAny() throws {
        guard problems.isEmpty else { throw CommandFailure.input(problems.joined(separator: "; ")) }
    }
}
