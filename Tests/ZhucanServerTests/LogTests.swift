import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanSigning
import ZhucanTesting
import ZhucanTransparency

/// `GET /v1/log/*`: the checkpoint is public; entries and proofs need the audit scope; the
/// proofs verify with the independent verifier against the signed checkpoint's root.
@Suite("Server: transparency log")
struct LogTests {
    /// The checkpoint opened with the workspace's log key.
    static func checkpoint(_ text: String, fixture: ServerFixture) throws -> Checkpoint {
        try Checkpoint.open(Array(text.utf8), verifiers: [try fixture.workspace.logVerifierKey()], origin: fixture.workspace.logOrigin())
    }

    /// The bytes of a base64 string in a JSON value.
    static func bytes(_ value: Any?) throws -> [UInt8] {
        let text = try #require(value as? String)
        return Array(try #require(Data(base64Encoded: text)))
    }

    static func hashes(_ json: [String: Any], _ key: String = "hashes") throws -> [[UInt8]] {
        try #require(json[key] as? [String]).map { try #require(Data(base64Encoded: $0)).map { $0 } }
    }

    @Test("Checkpoint: public signed note of the whole log, no-cache with an ETag, 304 on If-None-Match")
    func checkpoint() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/log/checkpoint")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
            let checkpoint = try Self.checkpoint(response.text, fixture: fixture)
            #expect(checkpoint.size == (try fixture.workspace.registry.logSize()))
            #expect(checkpoint.rootHash == (try fixture.workspace.registry.logRoot(size: checkpoint.size)))
            let tag = try #require(response.headers[.eTag])
            #expect(try await client.get("/v1/log/checkpoint", headers: [.ifNoneMatch: tag]).status == .notModified)
        }
    }

    @Test("Entries: 401 without a key, 403 without the audit scope; pages of canonical records with their leaf hashes")
    func entries() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.get("/v1/log/entries?start=0&end=10").status == .unauthorized)
            #expect(try await client.get("/v1/log/entries?start=0&end=10", token: fixture.token(.verify)).status == .forbidden)
            let response = try await client.get("/v1/log/entries?start=0&end=100000", token: fixture.token(.audit))
            #expect(response.status == .ok)
            let json = try response.json()
            let size = try #require(json["size"] as? Int)
            #expect(json["count"] as? Int == size)
            let entries = try #require(json["entries"] as? [[String: Any]])
            #expect(entries.count == size)
            var events: [String] = []
            for (position, entry) in entries.enumerated() {
                #expect(entry["index"] as? Int == position)
                let data = try Self.bytes(entry["data"])
                #expect(MerkleTree.leafHash(data) == (try Self.bytes(entry["leafHash"])))
                events.append(try LogRecord(encoded: Array(data)).event.rawValue)
            }
            // init: three keys, a trust list and a status list; issue: the certificate and a status list.
            #expect(events == ["key-added", "key-added", "key-added", "trust-list-published", "status-list-published",
                               "issued", "status-list-published"])
            let past = try await client.get("/v1/log/entries?start=\(size)&end=\(size + 5)", token: fixture.token(.audit))
            #expect(try past.json()["entries"] as? [Any] != nil)
            #expect((try past.json()["entries"] as? [Any])?.isEmpty == true)
            // Near 2⁶⁴ and past Int64.max: empty pages (these trapped and took the service down).
            for query in ["start=18446744073709551000&end=18446744073709551615", "start=9223372036854775808&end=9223372036854775900",
                          "start=0&end=18446744073709551615"] {
                let far = try await client.get("/v1/log/entries?\(query)", token: fixture.token(.audit))
                #expect(far.status == .ok, "\(query)")
                #expect((try far.json()["entries"] as? [Any])?.count == (query.hasPrefix("start=0") ? Int(size) : 0), "\(query)")
            }
            for query in ["", "?start=0", "?start=a&end=2", "?start=-1&end=2", "?start=3&end=3", "?start=99999999999999999999999&end=1"] {
                let bad = try await client.get("/v1/log/entries\(query)", token: fixture.token(.audit))
                #expect(bad.status == .badRequest, "\(query)")
                #expect(try bad.json()["error"] as? String == "bad_request")
            }
        }
    }

    @Test("Inclusion and consistency proofs verify against the checkpoint's root; out of range is 400")
    func proofs() async throws {
        let fixture = try ServerFixture(catalogue: true)
        try await fixture.application().test(.router) { client async throws in
            let checkpoint = try Self.checkpoint(try await client.get("/v1/log/checkpoint").text, fixture: fixture)
            let size = checkpoint.size
            let entries = try #require(try await client.get("/v1/log/entries?start=0&end=\(size)", token: fixture.token(.audit))
                .json()["entries"] as? [[String: Any]])
            for index in 0..<size {
                let response = try await client.get("/v1/log/proof/inclusion?index=\(index)&size=\(size)", token: fixture.token(.audit))
                #expect(response.status == .ok)
                let json = try response.json()
                let data = try Self.bytes(entries[Int(index)]["data"])
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: MerkleTree.leafHash(data), index: index, size: size, proof: try Self.hashes(json), root: checkpoint.rootHash)
            }
            let old = try fixture.workspace.registry.logRoot(size: 3)
            let consistency = try await client.get("/v1/log/proof/consistency?from=3&to=\(size)", token: fixture.token(.audit))
            #expect(consistency.status == .ok)
            try MerkleProofVerifier.verifyConsistency(
                size1: 3, size2: size, proof: try Self.hashes(try consistency.json()), root1: old, root2: checkpoint.rootHash)

            #expect(try await client.get("/v1/log/proof/inclusion?index=0&size=1").status == .unauthorized)
            for query in ["inclusion?index=\(size)&size=\(size)", "inclusion?index=0&size=\(size + 1)", "inclusion?index=0",
                          "consistency?from=0&to=\(size)", "consistency?from=\(size)&to=3", "consistency?from=1&to=\(size + 1)"] {
                #expect(try await client.get("/v1/log/proof/\(query)", token: fixture.token(.audit)).status == .badRequest, "\(query)")
            }
        }
    }

    // The review of a dishonest issuer: a list stored without its log entry was served, taken
    // by nodes, and the audit of the log stayed clean. Nodes pinning the log key now ask this.
    @Test("Publication proof: public; the served trust list, status list and catalogue edition, named by their ETag's SHA-256, verify against the checkpoint's root; one stored behind the log, or not served, is 404; a bad kind, digest or size is 400")
    func publicationProofs() async throws {
        let fixture = try ServerFixture(catalogue: true)
        try await fixture.application().test(.router) { client async throws in
            let checkpoint = try Self.checkpoint(try await client.get("/v1/log/checkpoint").text, fixture: fixture)
            for (kind, event, path) in [("trust-list", LogRecord.Event.trustListPublished, "/v1/trust-list"), ("status-list", .statusListPublished, "/v1/status-lists/1"),
                                        ("catalogue", .cataloguePublished, "/v1/catalogue/1")] {
                let served = try await client.get(path)
                let body = Array(served.body.readableBytesView)
                let digest = Hexadecimal.encode(Digest.sha256(body))
                #expect(served.headers[.eTag] == "\"\(digest)\"", "the ETag names the list")
                let object = kind == "status-list" ? Data(body).base64EncodedString() : String(decoding: body, as: UTF8.self)
                let named = kind == "catalogue" ? "kind=catalogue&sequence=1" : "kind=\(kind)"
                let response = try await client.get("/v1/log/proof/publication?\(named)&sha256=\(digest)")
                #expect(response.status == .ok, "\(kind): \(response.text)")
                #expect(response.headers[.cacheControl] == "no-cache")
                let proof = try JSONDecoder().decode(PublicationProof.self, from: Data(response.body.readableBytesView))
                #expect(proof.size == checkpoint.size && proof.kind == kind)
                try proof.check(event: event, object: object, size: checkpoint.size, root: checkpoint.rootHash)
                // Offered for another object, or checked against another root, it fails.
                #expect(throws: TransparencyError(.entryMismatch, "")) {
                    try proof.check(event: event, object: object + "x", size: checkpoint.size, root: checkpoint.rootHash)
                }
                #expect(throws: TransparencyError(.rootMismatch, "")) {
                    try proof.check(event: event, object: object, size: checkpoint.size, root: Array(repeating: 0, count: 32))
                }
                let sized = try await client.get("/v1/log/proof/publication?\(named)&sha256=\(digest.uppercased())&size=\(checkpoint.size)")
                #expect(try JSONDecoder().decode(PublicationProof.self, from: Data(sized.body.readableBytesView)) == proof)
                // Before the list was logged: not in that tree.
                let early = try await client.get("/v1/log/proof/publication?\(named)&sha256=\(digest)&size=\(proof.index)")
                #expect(early.status == .notFound)
                #expect(early.text.contains("past the tree of \(proof.index) entries"), "\(early.text)")
                if kind != "catalogue" {
                    // Without a digest: the newest, the one served.
                    let newest = try await client.get("/v1/log/proof/publication?kind=\(kind)")
                    #expect(try JSONDecoder().decode(PublicationProof.self, from: Data(newest.body.readableBytesView)) == proof)
                }
            }
            let unknown = try await client.get("/v1/log/proof/publication?kind=status-list&sha256=\(String(repeating: "0", count: 64))")
            #expect(unknown.status == .notFound)
            #expect(try await client.get("/v1/log/proof/publication?kind=catalogue&sequence=2").status == .notFound)
            #expect(try await client.get("/v1/log/proof/publication?kind=catalogue&sha256=\(String(repeating: "0", count: 64))").status == .notFound)
            for query in ["kind=catalogue", "kind=status-list&sequence=1",
                          "kind=catalogue&sequence=-1", "kind=", "", "kind=status-list&sha256=abc", "kind=status-list&sha256=\(String(repeating: "g", count: 64))",
                          "kind=status-list&size=\(checkpoint.size + 1)", "kind=status-list&size=-1"] {
                #expect(try await client.get("/v1/log/proof/publication?\(query)").status == .badRequest, "\(query)")
            }
            // An early catalogue edition, behind later ones, is proven by its number (its row
            // names its entry: no window of recent editions).
            for edition in 2...4 {
                let text = try ShippedCatalogue.edited([
                    ShippedCatalogue.timeless, (#""catalogueVersion": "pinghu-2026.5""#, "\"catalogueVersion\": \"pinghu-2026.\(100 + edition)\""),
                ])
                try fixture.workspace.publishCatalogue(text, tests: try Data(contentsOf: ShippedCatalogue.testsFile()), now: ServerFixture.now)
            }
            let first = try await client.get("/v1/catalogue/1")
            let firstDigest = Hexadecimal.encode(Digest.sha256(Array(first.body.readableBytesView)))
            let old = try await client.get("/v1/log/proof/publication?kind=catalogue&sequence=1&sha256=\(firstDigest)")
            #expect(old.status == .ok, "\(old.text)")
            // As a node from before `&sequence=` asks: by the digest alone.
            let byDigest = try await client.get("/v1/log/proof/publication?kind=catalogue&sha256=\(firstDigest)")
            #expect(byDigest.status == .ok && byDigest.text == old.text, "\(byDigest.text)")
            let latest = try Self.checkpoint(try await client.get("/v1/log/checkpoint").text, fixture: fixture)
            try JSONDecoder().decode(PublicationProof.self, from: Data(old.body.readableBytesView))
                .check(event: .cataloguePublished, object: first.text, size: latest.size, root: latest.rootHash)

            // A list stored behind the application, never logged: served, and said not to be in the log.
            let database = try DatabaseQueue(path: fixture.workspace.directory.appendingPathComponent("zhucan.db").path)
            try await database.write { db in
                try db.execute(sql: "INSERT INTO publication (kind, sequence, text, issued_at, expires_at) VALUES ('status-list', 999, 'AAAA', 1, 4102444800)")
            }
            let served = Array(try await client.get("/v1/status-lists/1").body.readableBytesView)
            #expect(served == [0, 0, 0])
            let unlogged = try await client.get("/v1/log/proof/publication?kind=status-list&sha256=\(Hexadecimal.encode(Digest.sha256(served)))")
            #expect(unlogged.status == .notFound)
            #expect(unlogged.text.contains("the status-list served (sequence 999) is not in the log"), "\(unlogged.text)")
        }
    }

    @Test("A verified certificate's answer carries its log index, whose entry records its issuance")
    func verifyCarriesTheLogIndex() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let stored = try #require(try fixture.workspace.registry.certificate(number: fixture.certificateNumber))
        try await fixture.application().test(.router) { client async throws in
            let answer = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": stored.code]).json()
            #expect(answer["valid"] as? Bool == true)
            let index = try #require(answer["logIndex"] as? Int)
            let entry = try #require(try fixture.workspace.registry.logEntries(in: UInt64(index)..<UInt64(index + 1)).first)
            let record = try LogRecord(encoded: entry.data)
            #expect(record.event == .issued && record.licenseID == stored.licenseID && record.object == stored.code)
            let identity = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": try fixture.identityCode()]).json()
            #expect(identity["logIndex"] == nil)

            // A second certificate under the same identifier, signed by the issuer key but never
            // logged: valid, and no log index, since the entry records another certificate.
            let verifier = CredentialVerifier(lists: try fixture.workspace.verifierLists(), configuration: .init(validationTime: ServerFixture.now))
            guard case .certificate(var twin) = verifier.verify(stored.code).credential else {
                Issue.record("the stored certificate does not decode")
                return
            }
            twin.holderName = try PersonName("李小红")
            let unlogged = try EnvelopeSealer.seal(twin.claims, type: ObjectType.certificate.rawValue, key: try fixture.workspace.issuerKey())
            let answered = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": unlogged]).json()
            #expect(answered["valid"] as? Bool == true, "\(answered)")
            #expect(answered["logIndex"] == nil, "\(answered)")
        }
    }
}
