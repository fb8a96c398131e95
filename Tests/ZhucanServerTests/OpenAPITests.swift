import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanRegistry
import ZhucanServer
import ZhucanTesting

/// `Docs/openapi.json` against the service: the same routes, and real answers with the
/// documented statuses, headers and body shapes.
@Suite("Server: Docs/openapi.json matches the service")
struct OpenAPITests {
    /// A well-formed certificate number that no fixture issues (ID 360426199101010071).
    static let unknownCertificate = "36042619910101007143"

    @Test("Every route the service registers is documented, and every documented operation is a route")
    func routes() throws {
        let document = try OpenAPIDocument()
        let fixture = try ServerFixture(catalogue: false)
        let registered = Set(try registeredRoutes(workspace: fixture.workspace.directory, configuration: ServiceConfiguration())
            .map { OpenAPIDocument.Operation(method: $0.method, path: $0.path) })
        let documented = Set(document.operations)
        #expect(registered.count >= 12)
        #expect(registered.subtracting(documented).isEmpty, "served but not in Docs/openapi.json: \(registered.subtracting(documented))")
        #expect(documented.subtracting(registered).isEmpty, "in Docs/openapi.json but not served: \(documented.subtracting(registered))")
    }

    @Test("Every documented operation answers with documented statuses, headers and bodies; every documented status is seen")
    func answersConform() async throws {
        let document = try OpenAPIDocument()
        let checker = JSONSchemaChecker(document: document)
        let fixture = try ServerFixture()
        var seen: Set<String> = []

        // The full workspace: every success, and the failures each operation documents.
        seen.formUnion(try await fixture.application().test(.router) { client async throws -> Set<String> in
            var seen = Set<String>()
            func exchange(_ method: HTTPRequest.Method, _ template: String, _ uri: String? = nil, token: String? = nil,
                          body: String? = nil, headers: HTTPFields = [:], bodyText: String? = nil) async throws -> TestResponse {
                let body = body ?? bodyText
                var headers = headers
                if let token { headers[.authorization] = "Bearer \(token)" }
                if body != nil { headers[.contentType] = "application/json" }
                let response = try await client.executeRequest(
                    uri: uri ?? template, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
                )
                seen.insert(try Self.check(response, .init(method: method.rawValue, path: template), document: document, checker: checker))
                return response
            }

            // Every operation with the key of exactly its documented scope, or none.
            func token(_ method: HTTPRequest.Method, _ template: String) -> String? {
                document.scope(.init(method: method.rawValue, path: template)).flatMap { scope in
                    fixture.tokens.first { $0.key.rawValue == scope }?.value
                }
            }
            let identity = try fixture.identityCode(showCategory: true)
            let bus = try fixture.serviceCode("free-bus", oneTime: true)
            let reusable = try fixture.serviceCode("family-doctor", oneTime: false)
            let care = try fixture.serviceCode("care-subsidy")

            _ = try await exchange(.get, "/healthz")
            #expect(try await exchange(.get, "/readyz").status == .ok)
            for token in fixture.tokens.values {
                #expect(try await exchange(.get, "/v1/api-key", token: token).status == .ok)
            }
            for template in ["/v1/trust-list", "/v1/status-lists/{id}", "/v1/catalogue", "/v1/catalogue/{sequence}"] {
                let uri = template.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{sequence}", with: "1")
                let fresh = try await exchange(.get, template, uri)
                #expect(fresh.status == .ok, "\(uri)")
                let tag = try #require(fresh.headers[.eTag])
                #expect(try await exchange(.get, template, uri, headers: [.ifNoneMatch: tag]).status == .notModified)
            }
            #expect(try await exchange(.get, "/v1/status-lists/{id}", "/v1/status-lists/2").status == .notFound)
            #expect(try await exchange(.get, "/v1/catalogue/{sequence}", "/v1/catalogue/99").status == .notFound)
            #expect(try await exchange(.get, "/v1/catalogue/{sequence}", "/v1/catalogue/abc").status == .badRequest)

            let verify = token(.post, "/v1/verify")
            for body in [
                Self.json(["code": identity]), Self.json(["code": bus, "service": "free-bus"]), Self.json(["code": care, "service": "care-subsidy"]),
                Self.json(["code": reusable, "service": "free-bus"]), Self.json(["code": "hello"]),
            ] {
                #expect(try await exchange(.post, "/v1/verify", token: verify, body: body).status == .ok)
            }
            #expect(try await exchange(.post, "/v1/verify", token: verify, body: "not json").status == .badRequest)

            let redeem = token(.post, "/v1/redeem")
            let redeemBody = Self.json(["code": bus, "service": "free-bus"])
            #expect(try await exchange(.post, "/v1/redeem", token: redeem, body: redeemBody).status == .ok)
            #expect(try await exchange(.post, "/v1/redeem", token: redeem, body: redeemBody).status == .ok)  // already_redeemed
            #expect(try await exchange(.post, "/v1/redeem", token: redeem, body: Self.json(["code": "hello", "service": "park"])).status == .ok)
            #expect(try await exchange(.post, "/v1/redeem", token: redeem, body: Self.json(["code": reusable, "service": "family-doctor"])).status == .unprocessableContent)
            #expect(try await exchange(.post, "/v1/redeem", token: redeem, body: Self.json(["code": reusable])).status == .badRequest)

            for (template, body) in [
                ("/v1/codes/identity", ["certificate": fixture.certificateNumber, "showCategory": true] as [String: Any]),
                ("/v1/codes/service", ["certificate": fixture.certificateNumber, "service": "free-bus", "oneTime": true]),
            ] {
                let issue = token(.post, template)
                #expect(try await exchange(.post, template, token: issue, body: Self.json(body)).status == .ok)
                var unknown = body
                unknown["certificate"] = Self.unknownCertificate
                #expect(try await exchange(.post, template, token: issue, body: Self.json(unknown)).status == .notFound)
                #expect(try await exchange(.post, template, token: issue, body: "{}").status == .badRequest)
            }

            // The people's pages and their assets.
            for (template, uri) in [("/holder", "/holder"), ("/window", "/window"), ("/assets/{file}", "/assets/holder.js"),
                                    ("/assets/{file}", "/assets/pages.css"), ("/assets/{file}", "/assets/window.js")] {
                #expect(try await exchange(.get, template, uri).status == .ok, "\(uri)")
            }

            // The holder's device: enrolment (scope issue), then DPoP-proved requests.
            let enrol = token(.post, "/v1/holders/enrollments")
            let enrolment = try await exchange(.post, "/v1/holders/enrollments", token: enrol, body: Self.json(["certificate": fixture.certificateNumber]))
            #expect(enrolment.status == .ok)
            #expect(try await exchange(.post, "/v1/holders/enrollments", token: enrol, body: Self.json(["certificate": Self.unknownCertificate])).status == .notFound)
            #expect(try await exchange(.post, "/v1/holders/enrollments", token: enrol, body: "{}").status == .badRequest)
            let link = try #require(try JSONValue(parsing: Data(enrolment.body.readableBytesView))["link"]?.string)
            let enrolToken = try #require(link.components(separatedBy: "#enrol=").last)
            let device = try HolderDeviceTests.Device()
            func proved(_ method: HTTPRequest.Method, _ path: String, body: String?, by key: HolderDeviceTests.Device = device) async throws -> TestResponse {
                try await exchange(method, path, headers: [HTTPField.Name("DPoP")!: try key.proof(method.rawValue, "http://localhost" + path)],
                                   bodyText: body)
            }
            #expect(try await proved(.post, "/v1/holder/device", body: Self.json(["enrollment": enrolToken])).status == .ok)
            #expect(try await proved(.post, "/v1/holder/device", body: Self.json(["enrollment": enrolToken]), by: try HolderDeviceTests.Device()).status == .conflict)
            #expect(try await proved(.post, "/v1/holder/device", body: Self.json(["enrollment": "he_0000000000000000_" + String(repeating: "A", count: 43)]),
                                     by: try HolderDeviceTests.Device()).status == .notFound)
            #expect(try await proved(.post, "/v1/holder/device", body: "{}", by: try HolderDeviceTests.Device()).status == .badRequest)
            #expect(try await proved(.get, "/v1/holder/state", body: nil).status == .ok)
            for (path, good) in [("/v1/holder/codes/identity", Self.json(["showCategory": true])), ("/v1/holder/codes/service", Self.json(["service": "free-bus"]))] {
                #expect(try await proved(.post, path, body: good).status == .ok, "\(path)")
                #expect(try await proved(.post, path, body: "[]").status == .badRequest, "\(path)")
            }
            // The certificate suspended: 409; the device revoked: 403.
            try fixture.workspace.change(.suspend, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
            for path in ["/v1/holder/codes/identity", "/v1/holder/codes/service"] {
                #expect(try await proved(.post, path, body: Self.json(["service": "free-bus"])).status == .conflict, "\(path)")
            }
            try fixture.workspace.change(.reinstate, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
            let state = try await proved(.get, "/v1/holder/state", body: nil)
            let deviceID = try #require(try JSONValue(parsing: Data(state.body.readableBytesView))["device"]?.string)
            try fixture.workspace.revokeHolderDevice(id: deviceID, reason: "test", now: ServerFixture.now)
            for path in ["/v1/holder/codes/identity", "/v1/holder/codes/service"] {
                #expect(try await proved(.post, path, body: Self.json(["service": "free-bus"])).status == .forbidden, "\(path)")
            }
            // A device's 60 requests a minute used up: 429 on each of its routes.
            var reads = 0
            while try await proved(.get, "/v1/holder/state", body: nil).status == .ok, reads < 100 {
                reads += 1
            }
            for path in ["/v1/holder/codes/identity", "/v1/holder/codes/service"] {
                #expect(try await proved(.post, path, body: Self.json(["service": "free-bus"])).status == .tooManyRequests, "\(path)")
            }

            let lookup = token(.get, "/v1/holders/by-ssc/{cardNumber}")
            let holder = "/v1/holders/by-ssc/{cardNumber}"
            #expect(try await exchange(.get, holder, "/v1/holders/by-ssc/\(ServerFixture.card)?purpose=counter", token: lookup).status == .ok)
            #expect(try await exchange(.get, holder, "/v1/holders/by-ssc/B12345678?purpose=counter", token: lookup).status == .notFound)
            #expect(try await exchange(.get, holder, "/v1/holders/by-ssc/\(ServerFixture.card)", token: lookup).status == .badRequest)

            let audit = token(.get, "/v1/stats")
            let statistics = try await exchange(.get, "/v1/stats", token: audit)
            #expect(try JSONValue(parsing: Data(statistics.body.readableBytesView))["days"]?.array?.isEmpty == false)
            #expect(try await exchange(.get, "/v1/stats", "/v1/stats?since=yesterday", token: audit).status == .badRequest)

            let checkpoint = try await exchange(.get, "/v1/log/checkpoint")
            #expect(checkpoint.status == .ok)
            let checkpointTag = try #require(checkpoint.headers[.eTag])
            #expect(try await exchange(.get, "/v1/log/checkpoint", headers: [.ifNoneMatch: checkpointTag]).status == .notModified)
            let size = try fixture.workspace.registry.logSize()
            for (template, good, bad) in [
                ("/v1/log/entries", "start=0&end=\(size)", "start=2&end=1"),
                ("/v1/log/proof/inclusion", "index=1&size=\(size)", "index=\(size)&size=\(size)"),
                ("/v1/log/proof/consistency", "from=2&to=\(size)", "from=0&to=\(size)"),
                ("/v1/log/proof/publication", "kind=status-list&size=\(size)", "kind=catalogue"),
            ] {
                let audit = token(.get, template)
                #expect(try await exchange(.get, template, "\(template)?\(good)", token: audit).status == .ok, "\(template)")
                #expect(try await exchange(.get, template, "\(template)?\(bad)", token: audit).status == .badRequest, "\(template)")
            }
            // The trust list logged at entry 3: not in the tree of its first 3 entries.
            #expect(try await exchange(.get, "/v1/log/proof/publication", "/v1/log/proof/publication?kind=trust-list&size=3").status == .notFound)

            // Authentication, driven by the document: a documented scope means 401 without a
            // key and 403 with a key of any other scope; no scope means no key is asked for.
            let large = #"{"code": ""# + String(repeating: "A", count: 70_000) + #""}"#
            for operation in document.operations {
                let method = HTTPRequest.Method(operation.method)!
                let uri = Self.example(operation.path)
                let unauthenticated = try await exchange(method, operation.path, uri, body: method == .post ? "{}" : nil)
                if document.isProvedByDevice(operation) {
                    #expect(unauthenticated.status == .unauthorized, "\(operation): no DPoP proof")
                    continue
                }
                if document.takesAnyKey(operation) {
                    #expect(unauthenticated.status == .unauthorized, "\(operation)")
                    continue
                }
                guard let scope = document.scope(operation) else {
                    #expect(unauthenticated.status != .unauthorized && unauthenticated.status != .forbidden, "\(operation)")
                    continue
                }
                #expect(unauthenticated.status == .unauthorized, "\(operation)")
                let other = try #require(fixture.tokens.first { $0.key.rawValue != scope }?.value)
                #expect(try await exchange(method, operation.path, uri, token: other, body: method == .post ? "{}" : nil).status == .forbidden,
                        "\(operation)")
                if method == .post {
                    #expect(try await exchange(method, operation.path, uri, token: fixture.allScopes, body: large).status == .contentTooLarge)
                    // A body in another media type: 415.
                    let plain = try await client.executeRequest(
                        uri: uri, method: method, headers: [.authorization: "Bearer \(fixture.allScopes)", .contentType: "text/plain"],
                        body: ByteBuffer(string: "{}"))
                    #expect(plain.status == .unsupportedMediaType, "\(operation)")
                    seen.insert(try Self.check(plain, operation, document: document, checker: checker))
                }
            }
            _ = try await exchange(.get, "/metrics")
            return seen
        })

        // No catalogue, and the certificate suspended: 404 for the catalogue, 409 for codes, a
        // lookup without entitlements.
        let bare = try ServerFixture(catalogue: false)
        try bare.workspace.change(.suspend, certificateNumber: bare.certificateNumber, reason: "test", now: ServerFixture.now)
        seen.formUnion(try await bare.application().test(.router) { client async throws -> Set<String> in
            var seen = Set<String>()
            let catalogue = try await client.get("/v1/catalogue")
            #expect(catalogue.status == .notFound)
            seen.insert(try Self.check(catalogue, .init(method: "GET", path: "/v1/catalogue"), document: document, checker: checker))
            // The newest status list expired: not ready.
            _ = try bare.workspace.publishStatusList(now: ServerFixture.now - 30 * 86_400)
            let stale = try await client.get("/readyz")
            #expect(stale.status == .serviceUnavailable)
            seen.insert(try Self.check(stale, .init(method: "GET", path: "/readyz"), document: document, checker: checker))
            for (template, body) in [
                ("/v1/codes/identity", ["certificate": bare.certificateNumber]),
                ("/v1/codes/service", ["certificate": bare.certificateNumber, "service": "free-bus"]),
                ("/v1/holders/enrollments", ["certificate": bare.certificateNumber]),
            ] {
                let refused = try await client.post(template, token: bare.token(.issue), json: body)
                #expect(refused.status == .conflict, "\(template)")
                seen.insert(try Self.check(refused, .init(method: "POST", path: template), document: document, checker: checker))
            }
            let lookup = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=x", token: bare.token(.lookup))
            #expect(lookup.status == .ok)
            seen.insert(try Self.check(lookup, .init(method: "GET", path: "/v1/holders/by-ssc/{cardNumber}"), document: document, checker: checker))
            return seen
        })

        // One request a minute: every authenticated operation's 429.
        seen.formUnion(try await bare.application(rateLimit: 1).test(.router) { client async throws -> Set<String> in
            var seen = Set<String>()
            _ = try await client.get("/v1/stats", token: bare.allScopes)
            for operation in document.operations where document.scope(operation) != nil || document.takesAnyKey(operation) {
                var headers: HTTPFields = [.authorization: "Bearer \(bare.allScopes)"]
                if operation.method == "POST" { headers[.contentType] = "application/json" }
                let response = try await client.executeRequest(
                    uri: Self.example(operation.path), method: HTTPRequest.Method(operation.method)!, headers: headers,
                    body: operation.method == "POST" ? ByteBuffer(string: "{}") : nil
                )
                #expect(response.status == .tooManyRequests, "\(operation)")
                seen.insert(try Self.check(response, operation, document: document, checker: checker))
            }
            return seen
        })

        // Every documented status was seen, except faults (500) and a workspace without a
        // trust list or checkpoint, which `Workspace.create` never leaves.
        var missing: [String] = []
        for operation in document.operations {
            for status in document.statuses(operation) where status != 500 {
                let key = "\(operation) \(status)"
                if !seen.contains(key) && key != "GET /v1/trust-list 404" && key != "GET /v1/log/checkpoint 404" { missing.append(key) }
            }
        }
        #expect(missing.isEmpty, "documented but never seen: \(missing.sorted())")
    }

    @Test("openapi-spec-validator accepts the document as OpenAPI 3.1", .enabled(if: SpecValidator.shouldRun))
    func validDocument() throws {
        let output = try Shell.run([SpecValidator.command, OpenAPIDocument.url.path])
        #expect(output.status == 0, "\(output.text)\(output.errorText)")
        #expect(output.text.contains("OK"), "\(output.text)")
    }

    /// Checks one answer against the document — status documented for the operation, its
    /// required headers present and well-formed, its media type, its body against the schema
    /// — and returns `METHOD /path STATUS`.
    static func check(
        _ response: TestResponse, _ operation: OpenAPIDocument.Operation, document: OpenAPIDocument, checker: JSONSchemaChecker
    ) throws -> String {
        let status = Int(response.status.code)
        let key = "\(operation) \(status)"
        guard let documented = document.response(operation, status: status) else {
            Issue.record("\(key) is not documented: \(response.text.prefix(300))")
            return key
        }
        for (name, reference) in documented["headers"]?.object ?? [:] {
            guard let header = document.followed(reference), header["required"] == .bool(true), let schema = header["schema"] else { continue }
            let field = try #require(HTTPField.Name(name), "\(key): \(name) is not a header name")
            let value = try #require(response.headers[field], "\(key): no \(name) header")
            let typed: JSONValue = schema["type"]?.string == "integer" ? Int(value).map(JSONValue.integer) ?? .string(value) : .string(value)
            #expect(checker.violations(of: typed, against: schema, at: name) == [], "\(key)")
        }
        guard let content = documented["content"]?.object else {
            #expect(response.body.readableBytes == 0, "\(key): a body where none is documented")
            return key
        }
        let contentType = response.headers[.contentType] ?? ""
        let essence = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = content[contentType] ?? content[essence], let schema = media["schema"] else {
            Issue.record("\(key): Content-Type \(contentType) is not documented (\(content.keys.sorted()))")
            return key
        }
        if essence == "application/json" {
            let body = try JSONValue(parsing: Data(response.body.readableBytesView))
            #expect(checker.violations(of: body, against: schema) == [], "\(key): \(response.text.prefix(300))")
        } else if essence.hasPrefix("text/") {
            #expect(checker.violations(of: .string(response.text), against: schema) == [], "\(key)")
        }
        return key
    }

    /// A concrete path for a template (the fixture's card, list 1, catalogue 1).
    static func example(_ template: String) -> String {
        template.replacingOccurrences(of: "{cardNumber}", with: "\(ServerFixture.card)?purpose=x")
            .replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{sequence}", with: "1")
    }

    /// A JSON object as text.
    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
