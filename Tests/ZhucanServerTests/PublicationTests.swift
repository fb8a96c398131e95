import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer

@Suite("Server: trust list, status list, catalogue")
struct PublicationTests {
    @Test("Trust list: public, cacheable, strong ETag, 304 on If-None-Match")
    func trustList() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let stored = try #require(try fixture.workspace.registry.latestPublication(.trustList))
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/trust-list")
            #expect(response.status == .ok)
            #expect(response.text == stored.text)
            #expect(response.text.hasPrefix("ZC1:"))
            let tag = try #require(response.headers[.eTag])
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 66)
            #expect(response.headers[.cacheControl] == "public, max-age=3600")

            let again = try await client.get("/v1/trust-list", headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == tag)
            let listed = try await client.get("/v1/trust-list", headers: [.ifNoneMatch: "\"other\", W/\(tag)"])
            #expect(listed.status == .notModified)
            let stale = try await client.get("/v1/trust-list", headers: [.ifNoneMatch: "\"0000\""])
            #expect(stale.status == .ok)
        }
    }

    @Test("Status list 1: binary statuslist+cwt, the stored bytes; other ids 404")
    func statusList() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let stored = try #require(try fixture.workspace.registry.latestPublication(.statusList))
        let bytes = try #require(Data(base64Encoded: stored.text))
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/status-lists/1")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/statuslist+cwt")
            #expect(Data(response.body.readableBytesView) == bytes)
            #expect(response.headers[.eTag] != nil)
            #expect(try await client.get("/v1/status-lists/2").status == .notFound)
        }
    }

    @Test("Catalogue: current and by sequence; missing ones 404")
    func catalogue() async throws {
        let fixture = try ServerFixture()
        let stored = try #require(try fixture.workspace.registry.latestPublication(.catalogue))
        try await fixture.application().test(.router) { client async throws in
            let current = try await client.get("/v1/catalogue")
            #expect(current.status == .ok)
            #expect(current.text == stored.text)
            let first = try await client.get("/v1/catalogue/1")
            #expect(first.status == .ok)
            #expect(first.headers[.eTag] == current.headers[.eTag])
            #expect(try await client.get("/v1/catalogue/99").status == .notFound)
            #expect(try await client.get("/v1/catalogue/abc").status == .badRequest)
        }
    }

    @Test("No catalogue published: 404 JSON")
    func noCatalogue() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/catalogue")
            #expect(response.status == .notFound)
            #expect(try response.json()["error"] as? String == "not_found")
        }
    }
}
