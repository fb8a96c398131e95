import Foundation

/// A workspace's issuer key file moved out of `keys/` and back, as a key that cannot be read
/// leaves a workspace: a status change is then recorded, but its status list cannot be signed.
package struct HiddenIssuerKey {
    /// Where the key lives in the workspace.
    private let file: URL
    /// Where it waits while hidden.
    private let parked: URL

    /// Finds the workspace's issuer key file (`keys/issuer-….key.pem`) and hides it in `folder`.
    /// - Throws: when the workspace has no issuer key file, or it cannot be moved.
    package init(workspace: URL, parkingIn folder: URL) throws {
        let keys = workspace.appendingPathComponent("keys")
        guard let name = try FileManager.default.contentsOfDirectory(atPath: keys.path).first(where: { $0.hasPrefix("issuer-") && $0.hasSuffix(".key.pem") }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: keys.path + "/issuer-*.key.pem"])
        }
        file = keys.appendingPathComponent(name)
        parked = folder.appendingPathComponent("hidden-\(name)")
        try hide()
    }

    /// Moves the key out of the workspace.
    package func hide() throws {
        try FileManager.default.moveItem(at: file, to: parked)
    }

    /// Puts the key back.
    package func restore() throws {
        try FileManager.default.moveItem(at: parked, to: file)
    }
}
