/// The answer of `GET /v1/log/proof/inclusion`: the RFC 9162 §2.1.3 audit path of leaf
/// `index` in the tree of `size` leaves, from the leaf up, each hash in standard base64.
struct InclusionProofResponse: Encodable, Sendable {
    let index: UInt64
    let size: UInt64
    let leafHash: String
    let rootHash: String
    let hashes: [String]
}
