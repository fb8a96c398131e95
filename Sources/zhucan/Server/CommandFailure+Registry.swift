import ZhucanRegistry

extension CommandFailure {
    /// Runs `body`, turning registry errors into failures: an unknown record or a change not
    /// allowed in its state (an already revoked key) is a negative answer (exit 1), anything
    /// else (an empty name, an unreadable database) an input error (exit 2).
    static func mappingRegistryErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as RegistryError {
            switch error.code {
            case .notFound, .invalidTransition: throw negative(error.reason)
            default: throw input(error.reason)
            }
        }
    }
}

extension CommandFailure {
    /// `mappingRegistryErrors` for asynchronous work (a store on PostgreSQL).
    static func mappingRegistryErrorsAsync<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as RegistryError {
            switch error.code {
            case .notFound, .invalidTransition: throw negative(error.reason)
            default: throw input(error.reason)
            }
        }
    }
}
