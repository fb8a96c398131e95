import Foundation

extension JSONValue {
    /// Hard limits for ``init(parsing:limits:)``: text that breaks one is rejected, never
    /// partially read.
    package struct ParsingLimits: Hashable, Sendable {
        /// The largest accepted text, in bytes.
        package var maxBytes: Int
        /// The deepest accepted nesting of arrays and objects (`[[1]]` has depth 2); values above
        /// ``depthCeiling`` count as the ceiling.
        package var maxDepth: Int

        /// The most nesting the parser ever accepts. Parsing is iterative, but comparing,
        /// hashing, printing and freeing a `JSONValue` recurse once per level, so a value much
        /// deeper than this could exhaust a thread's stack later, far from the parser.
        package static let depthCeiling = 1_000

        /// Makes limits; the defaults fit rules (64 operations deep is 128 JSON levels) and
        /// certificate data with room to spare.
        package init(maxBytes: Int = 16 << 20, maxDepth: Int = 256) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
        }

        /// 16 MiB and depth 256.
        package static let `default` = ParsingLimits()

        /// The depth limit in force.
        var effectiveMaxDepth: Int { min(maxDepth, Self.depthCeiling) }
    }

    /// Parses one JSON text (RFC 8259) strictly: UTF-8 without a byte-order mark, no trailing
    /// text, unique object names, finite numbers, no lone surrogates.
    /// - Throws: ``CertLogicError/Code/invalidJSON`` naming the byte offset and JSONPath.
    package init(parsing data: Data, limits: ParsingLimits = .default) throws(CertLogicError) {
        guard data.count <= limits.maxBytes else {
            throw CertLogicError(.invalidJSON, "JSON text of \(data.count) bytes exceeds the limit of \(limits.maxBytes)")
        }
        var parser = JSONParser(bytes: [UInt8](data), limits: limits)
        self = try parser.parse()
    }

    /// Parses one JSON text given as a string; see ``init(parsing:limits:)-(Data,_)``.
    package init(parsing text: String, limits: ParsingLimits = .default) throws(CertLogicError) {
        try self.init(parsing: Data(text.utf8), limits: limits)
    }
}
