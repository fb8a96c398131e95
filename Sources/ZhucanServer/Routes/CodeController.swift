import Hummingbird
import Logging
import ZhucanHTTP
import ZhucanIssuer

/// `POST /v1/codes/identity` and `POST /v1/codes/service`: fresh codes for the holder's app,
/// which asks again before the last one expires.
struct CodeController: Sendable {
    let state: ServerState

    /// Mints an identity code.
    @Sendable func identity(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(IdentityCodeRequest.self, from: request, expected: IdentityCodeRequest.expected)
        let lifetime = body.ttl ?? state.workspace.configuration.identityCodeSeconds
        let format = try Self.format(body.format)
        let code = try state.answering {
            try state.workspace.identityCode(
                certificateNumber: body.certificate, seconds: lifetime, showCategory: body.showCategory ?? false, format: format,
                now: state.clock()
            )
        }
        context.summary.add(["code.minted": "identity", "code.ttl": .stringConvertible(lifetime)])
        return JSONResponse.make(CodeResponse(code: code, expiresIn: lifetime, requestId: context.requestID))
    }

    /// Mints a service code.
    @Sendable func service(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(ServiceCodeRequest.self, from: request, expected: ServiceCodeRequest.expected)
        let lifetime = body.ttl ?? state.workspace.configuration.serviceCodeSeconds
        let format = try Self.format(body.format)
        let code = try state.answering {
            try state.workspace.serviceCode(
                certificateNumber: body.certificate, service: body.service, seconds: lifetime, oneTime: body.oneTime ?? false,
                now: state.clock(), format: format
            )
        }
        context.summary.add([
            "code.minted": "service", "code.ttl": .stringConvertible(lifetime), "code.service": .string(String(body.service.prefix(64))),
        ])
        return JSONResponse.make(CodeResponse(code: code, expiresIn: lifetime, requestId: context.requestID))
    }

    /// The requested format: compact unless the client asks for version 1.
    private static func format(_ number: Int?) throws -> CodeFormat {
        guard let number else { return .compact }
        guard let format = CodeFormat(rawValue: number) else {
            throw ServerError(.badRequest, "format must be 2 (compact, the default) or 1 (ZC1:, for verifiers not yet updated), got \(number)")
        }
        return format
    }
}
