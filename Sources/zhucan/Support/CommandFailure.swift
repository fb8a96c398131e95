import ZhucanHTTP
import ZhucanIssuer
import ZhucanSigning

/// A command that ends without success: a message for standard error and an exit status.
struct CommandFailure: Error {
    /// Status for a negative answer ("not valid").
    static let negativeStatus: Int32 = 1
    /// Status for a usage or input error (unreadable file, bad key, wrong passphrase).
    static let usageStatus: Int32 = 2

    let message: String
    let status: Int32

    /// A usage or input error (exit status 2).
    static func input(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: usageStatus)
    }

    /// A negative answer (exit status 1).
    static func negative(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: negativeStatus)
    }

    /// Runs `body`, turning library errors about the user's input into input failures.
    static func mappingInputErrors<Result>(_ context: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as SigningError {
            throw input("\(context): \(error.reason)")
        }
    }

    /// Runs `body`, turning issuer errors into failures (``init(_:)``).
    static func mappingIssuerErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as IssuerError {
            throw CommandFailure(error)
        }
    }

    /// `mappingIssuerErrors` for async work.
    static func mappingIssuerErrorsAsync<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as IssuerError {
            throw CommandFailure(error)
        }
    }

    /// Runs a service, turning a port in use or an address not this machine's into an input
    /// failure (exit 2) naming `--host` or `--port`.
    static func mappingListenFailure(host: String, port: Int, _ body: () async throws -> Void) async throws {
        do {
            try await ListenFailure.naming(host: host, port: port, body)
        } catch let failure as ListenFailure {
            throw input(failure.description)
        }
    }
}

// In an extension, so that the memberwise initializer stays.
extension CommandFailure {
    /// An issuer error as a failure: invalid input and missing workspaces exit 2, refusals
    /// (already issued, not allowed, not found) exit 1.
    init(_ error: IssuerError) {
        switch error.code {
        case .invalidInput, .workspace: self = .input(error.reason)
        default: self = .negative(error.reason)
        }
    }
}
