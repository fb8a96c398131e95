import ZhucanRegistry
import ZhucanServiceStore

extension CommandFailure {
    /// Runs `body`, turning registry errors into failures (`init(registry:)`).
    static func mappingRegistryErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as RegistryError {
            throw CommandFailure(registry: error)
        }
    }

    /// `mappingRegistryErrors` for asynchronous work (a store on PostgreSQL).
    static func mappingRegistryErrorsAsync<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as RegistryError {
            throw CommandFailure(registry: error)
        }
    }

    /// A registry error as a failure: an unknown record or a change not allowed in its state
    /// (an already revoked key) is a negative answer (exit 1), anything else (an empty name,
    /// an unreadable database) an input error (exit 2).
    init(registry error: RegistryError) {
        switch error.code {
        case .notFound, .invalidTransition: self = .negative(error.reason)
        default: self = .input(error.reason)
        }
    }
}
