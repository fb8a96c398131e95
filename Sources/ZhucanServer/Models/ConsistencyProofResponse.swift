/// The answer of `GET /v1/log/proof/consistency`: the RFC 9162 §2.1.4 proof that the tree of
/// `to` leaves extends the tree of `from` leaves, each hash in standard base64.
struct ConsistencyProofResponse: Encodable, Sendable {
    let from: UInt64
    let to: UInt64
    let fromRootHash: String
    let toRootHash: String
    let hashes: [String]
}
