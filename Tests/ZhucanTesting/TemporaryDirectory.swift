import Foundation

/// A fresh folder for one test, removed when the value is released.
package final class TemporaryDirectory: Sendable {
    /// The folder.
    package let url: URL

    /// Creates `…/tmp/zhucan-test-<uuid>`.
    package init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the folder.
    package func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
