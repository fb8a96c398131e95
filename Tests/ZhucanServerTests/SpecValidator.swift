import Foundation
import ZhucanTesting

/// `openapi-spec-validator` (PyPI; `make test` installs it): `$ZHUCAN_OPENAPI_VALIDATOR`, else
/// the one on `PATH`.
enum SpecValidator {
    static let command: String = ProcessInfo.processInfo.environment["ZHUCAN_OPENAPI_VALIDATOR"].flatMap { $0.isEmpty ? nil : $0 }
        ?? "openapi-spec-validator"

    /// Use as `.enabled(if: SpecValidator.shouldRun)`: true when the validator runs; otherwise
    /// warns loudly and skips, even with `CI` set — it is a tool from PyPI, not one of the
    /// project's vectors, and the document's structure is also checked in Swift
    /// (`OpenAPITests.routes`, `answersConform`).
    static let shouldRun: Bool = {
        if (try? Shell.run([command, "--help"]).status) == 0 { return true }
        FileHandle.standardError.write(Data("""
            ********************************************************************
            WARNING: \(command) not found: the OpenAPI document's validity
            check is SKIPPED. `make test` installs it (pip, openapi-spec-validator
            0.9.0) when it can.
            ********************************************************************\n
            """.utf8))
        return false
    }()
}
