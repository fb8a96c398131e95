import Foundation
import ZhucanTesting

/// `openapi-spec-validator` (PyPI; `make test` installs it): `$ZHUCAN_OPENAPI_VALIDATOR`, else
/// the one on `PATH`.
enum SpecValidator {
    static let command: String = ProcessInfo.processInfo.environment["ZHUCAN_OPENAPI_VALIDATOR"].flatMap { $0.isEmpty ? nil : $0 }
        ?? "openapi-spec-validator"

    /// Use as `.enabled(if: SpecValidator.shouldRun)`: true when the validator runs or `CI` is
    /// set (then a missing validator fails); otherwise warns loudly and skips.
    static let shouldRun: Bool = {
        if (try? Shell.run([command, "--help"]).status) == 0 || TestVectors.isRequired { return true }
        FileHandle.standardError.write(Data("""
            ********************************************************************
            WARNING: \(command) not found: the OpenAPI document's validity
            check is SKIPPED. `make test` installs it (pip, openapi-spec-validator
            0.9.0); with CI set, the check fails instead.
            ********************************************************************\n
            """.utf8))
        return false
    }()
}
