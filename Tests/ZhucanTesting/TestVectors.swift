import Foundation

/// Locates the external test vectors in `../shared/vectors` (beside the project) or in the
/// folder named by `ZHUCAN_VECTORS`.
///
/// The vectors are read in place, never copied. When they are missing, suites that need them
/// are skipped with a loud warning on standard error; when the `CI` environment variable is
/// set they run anyway and fail on the first missing file, so CI cannot pass without them.
package enum TestVectors {
    /// The vectors folder: `$ZHUCAN_VECTORS`, else `<project root>/../shared/vectors`.
    package static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["ZHUCAN_VECTORS"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return projectRoot
            .deletingLastPathComponent()
            .appendingPathComponent("shared/vectors", isDirectory: true)
    }()

    /// The project root, found from this file's path (`Tests/ZhucanTesting/TestVectors.swift`).
    package static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Whether the vectors folder exists.
    package static let isAvailable: Bool = {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }()

    /// Whether CI asked for the vector suites to be mandatory.
    package static let isRequired: Bool = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false

    /// Use as `@Suite(.enabled(if: TestVectors.shouldRun))`: true when the vectors are present
    /// or CI requires them; otherwise prints a warning once and skips.
    package static let shouldRun: Bool = {
        if isAvailable || isRequired { return true }
        FileHandle.standardError.write(Data("""
            ********************************************************************
            WARNING: test vectors not found at \(root.path)
            Vector suites are SKIPPED. Put ../shared beside the project or set
            ZHUCAN_VECTORS. (With CI set, these suites fail instead.)
            ********************************************************************\n
            """.utf8))
        return false
    }()

    /// The URL of a file inside the vectors folder.
    package static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The bytes of a file inside the vectors folder.
    /// - Throws: when the file cannot be read (for example, vectors missing under CI).
    package static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// The JSON files directly inside a vectors sub-folder, sorted by name.
    package static func jsonFiles(in relativeFolder: String) throws -> [URL] {
        try FileManager.default
            .contentsOfDirectory(at: url(relativeFolder), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
