import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer

@Suite("Server: GET /metrics")
struct MetricsTests {
    /// The value of the sample `name{labels}` in a Prometheus text exposition, when there is one.
    /// Labels are matched as a set, whatever order the exposition writes them in.
    static func sample(_ exposition: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space], value = line[line.index(after: space)...]
            let seriesName = series.prefix { $0 != "{" }
            guard seriesName == name else { continue }
            var found: [String: String] = [:]
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                // Our label values hold no quotes, commas or escapes.
                for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    found[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            if found == labels { return Double(value) }
        }
        return nil
    }

    @Test("Public Prometheus text: requests by route template and status, durations, verifications by reason, redemptions")
    func exposition() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let bus = try fixture.serviceCode("free-bus", oneTime: true)
        let identity = try fixture.identityCode()
        try await fixture.application().test(.router) { client async throws in
            _ = try await client.get("/healthz")
            _ = try await client.get("/healthz")
            _ = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": identity])
            _ = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": "hello"])
            _ = try await client.post("/v1/verify", token: nil, json: ["code": "hello"])
            _ = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": bus, "service": "free-bus"])
            _ = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": bus, "service": "free-bus"])
            _ = try await client.get("/v1/nothing-here")

            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = response.text
            #expect(Self.sample(text, "zhucan_http_requests_total", ["method": "GET", "route": "/healthz", "status": "200"]) == 2)
            #expect(Self.sample(text, "zhucan_http_requests_total", ["method": "POST", "route": "/v1/verify", "status": "200"]) == 2)
            #expect(Self.sample(text, "zhucan_http_requests_total", ["method": "POST", "route": "/v1/verify", "status": "401"]) == 1)
            #expect(Self.sample(text, "zhucan_http_requests_total", ["method": "GET", "route": "unmatched", "status": "404"]) == 1)
            #expect(Self.sample(text, "zhucan_http_request_duration_seconds_count", ["method": "POST", "route": "/v1/verify"]) == 3)
            #expect(Self.sample(text, "zhucan_http_request_duration_seconds_bucket", ["method": "POST", "route": "/v1/verify", "le": "+Inf"]) == 3)
            #expect(text.contains("# TYPE zhucan_http_request_duration_seconds histogram"))
            #expect(Self.sample(text, "zhucan_verifications_total", ["endpoint": "verify", "reason": "valid", "type": "identity_code"]) == 1)
            #expect(Self.sample(text, "zhucan_verifications_total", ["endpoint": "verify", "reason": "malformed_prefix", "type": "unknown"]) == 1)
            #expect(Self.sample(text, "zhucan_verifications_total", ["endpoint": "redeem", "reason": "valid", "type": "service_code"]) == 1)
            #expect(Self.sample(text, "zhucan_verifications_total", ["endpoint": "redeem", "reason": "already_redeemed", "type": "service_code"]) == 1)
            #expect(Self.sample(text, "zhucan_redemptions_total", ["outcome": "redeemed"]) == 1)
            #expect(Self.sample(text, "zhucan_redemptions_total", ["outcome": "already_redeemed"]) == 1)
            #expect(Self.sample(text, "zhucan_redemptions_total", ["outcome": "refused"]) == 0)
            #expect(response.headers[HTTPField.Name("X-Request-Id")!] != nil)
        }
    }

    @Test("Labels hold route templates and known methods only: no card number, no code, no name, no invented method")
    func noPersonalData() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let identity = try fixture.identityCode()
        try await fixture.application().test(.router) { client async throws in
            _ = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=secret-purpose", token: fixture.token(.lookup))
            _ = try await client.get("/v1/holders/B12345678?purpose=secret-purpose")
            _ = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": identity, "service": "王小明-free-bus"])
            _ = try await client.executeRequest(uri: "/healthz", method: HTTPRequest.Method("BREW")!, headers: [:], body: nil)
            let text = try await client.get("/metrics").text
            #expect(Self.sample(text, "zhucan_http_requests_total",
                                ["method": "GET", "route": "/v1/holders/by-ssc/{cardNumber}", "status": "200"]) == 1)
            // BREW on a known path: 405 with Allow (RFC 9110 §15.5.6), the method counted as "other".
            #expect(Self.sample(text, "zhucan_http_requests_total", ["method": "other", "route": "unmatched", "status": "405"]) == 1)
            for secret in [ServerFixture.card, "B12345678", "secret-purpose", ServerFixture.name, fixture.certificateNumber, String(identity.prefix(20)), "BREW"] {
                #expect(!text.contains(secret), "\(secret) in /metrics")
            }
        }
    }

    @Test("The issuer's lists' remaining life, as of the scrape: an alert fires before verifiers answer status_unknown")
    func listExpiry() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let text = try await client.get("/metrics").text
            let now = Double(Int64(Date().timeIntervalSince1970))
            let trustList = try #require(try fixture.workspace.registry.latestPublication(.trustList))
            let statusList = try #require(try fixture.workspace.registry.latestPublication(.statusList))
            let trust = try #require(Self.sample(text, "zhucan_issuer_list_expires_in_seconds", ["list": "trust-list"]), "\(text)")
            let status = try #require(Self.sample(text, "zhucan_issuer_list_expires_in_seconds", ["list": "status-list"]))
            #expect(abs(trust - (Double(trustList.expiresAt) - now)) < 5)
            #expect(abs(status - (Double(statusList.expiresAt) - now)) < 5)
        }
    }

    @Test("Each application counts only its own requests")
    func separateRegistries() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            _ = try await client.get("/healthz")
        }
        try await fixture.application().test(.router) { client async throws in
            let text = try await client.get("/metrics").text
            #expect(Self.sample(text, "zhucan_http_requests_total", ["method": "GET", "route": "/healthz", "status": "200"]) == nil)
        }
    }
}
