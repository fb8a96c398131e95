import Foundation

/// The catalogue editions the repository ships (`Sources/ZhucanCatalogue/Resources`), and
/// copies edited for a test: the shipped editions end on 31 December of their year, so a test
/// that runs in any year moves the end out, and tests of other dates or versions change those.
package enum ShippedCatalogue {
    /// The folder of the shipped editions and their rule tests.
    package static let resources = TestVectors.projectRoot.appendingPathComponent("Sources/ZhucanCatalogue/Resources")

    /// The 2026 edition's `validUntil` as the file has it, and moved to 2099 (`timeless`).
    package static let timeless = (#""validUntil": "2026-12-31""#, #""validUntil": "2099-12-31""#)

    /// The file of `edition`'s rule tests.
    package static func testsFile(of edition: String = "pinghu-catalogue.json") -> URL {
        resources.appendingPathComponent(edition.replacingOccurrences(of: ".json", with: ".tests.json"))
    }

    /// `edition`'s text with each of `edits` (a text and its replacement) made.
    /// - Throws: unless each text occurs exactly once: an edit that missed would test the
    ///   shipped edition unchanged.
    package static func edited(_ edits: [(String, String)], in edition: String = "pinghu-catalogue.json") throws -> Data {
        var text = try String(contentsOf: resources.appendingPathComponent(edition), encoding: .utf8)
        for (old, new) in edits {
            guard text.components(separatedBy: old).count == 2 else { throw EditMissed(edition: edition, text: old) }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return Data(text.utf8)
    }

    /// An edit whose text is not in the edition exactly once.
    package struct EditMissed: Error, CustomStringConvertible {
        package let edition: String
        package let text: String
        package var description: String { "\(text) does not occur exactly once in \(edition)" }
    }
}
