import Hummingbird
import Logging
import ZhucanHTTP

/// `POST /v1/codes/identity` and `POST /v1/codes/service`: fresh codes for the holder's app,
/// which asks again before the last one expires.
struct CodeController: Sendable {
    let state: ServerState

    /// Mints an identity code.
    @Sendable func identity(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(IdentityCodeRequest.self, from: request, expected: IdentityCodeRequest.expected)
        let lifetime = body.ttl ?? state.workspace.configuration.identityCodeSeconds
        let code = try state.answering {
            try state.workspace.identityCode(
                certificateNumber: body.certificate, seconds: lifetime, showCategory: body.showCategory ?? false, now: state.clock()
            )
        }
        context.summary.add(["code.minted": "identity", "code.ttl": .stringConvertible(lifetime)])
        return JSONResponse.make(CodeResponse(code: code, expiresIn: lifetime, requestId: context.requestID))
    }

    /// Mints a service code.
    @Sendable func service(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(ServiceCodeRequest.self, from: request, expected: ServiceCodeRequest.expected)
        let lifetime = body.ttl ?? state.workspace.configuration.serviceCodeSeconds
        let code = try state.answering {
            try state.workspace.serviceCode(
                certificateNumber: body.certificate, service: body.service, seconds: lifetime, oneTime: body.oneTime ?? false,
                now: state.clock()
            )
        }
        context.summary.add([
            "code.minted": "service", "code.ttl": .stringConvertible(lifetime), "code.service": .string(String(body.service.prefix(64))),
        ])
        return JSONResponse.make(CodeResponse(code: code, expiresIn: lifetime, requestId: context.requestID))
    }
}
