import ZhucanCBOR

extension CoseSign1 {
    /// Reads a COSE_Sign1 in the plain shape every Zhucan signer writes, without building a
    /// CBOR tree: every verification reads one, and the tree was most of its decoding.
    ///
    /// The plain shape (RFC 8949 §3, §4.2.1):
    ///
    /// ```
    /// [0xD8 0x3D] [0xD2]   ; optionally tag 61 around tag 18, or tag 18 alone
    /// 0x84                 ; array of 4
    /// bstr                 ; protected header bytes
    /// 0xA0                 ; an empty unprotected header
    /// bstr bstr            ; payload, signature
    /// ```
    ///
    /// with each byte string's length in its shortest form and nothing after the signature.
    /// Every input of this shape is one the general decoder (`CBORDecoder`, then
    /// `CoseSign1.init(_:)`) accepts with the same fields under any `Limits` that allow
    /// it; `read()` answers `nil` for everything else, and the general decoder then reads,
    /// and judges, the input. The fuzz target `cose-sign1` holds both to the same answer.
    struct PlainReader {
        /// What the plain shape holds.
        struct Fields {
            var tags: [UInt64]
            var protectedBytes: [UInt8]
            var payload: [UInt8]
            var signature: [UInt8]
        }

        private let bytes: [UInt8]
        private var offset = 0

        /// A reader of `bytes`; `nil` when `limits` could refuse even the plain shape (so
        /// that the general decoder gives the refusal).
        init?(_ bytes: [UInt8], limits: CBORDecoder.Limits) {
            // At most 3 levels (two tags and the array) and 7 items (tags, array, 4 fields).
            guard bytes.count <= limits.maxBytes, limits.maxDepth >= 3, limits.maxElements >= 7 else { return nil }
            self.bytes = bytes
        }

        /// The fields, or `nil` when the input is not in the plain shape.
        mutating func read() -> Fields? {
            var tags: [UInt64] = []
            if take([0xD8, 0x3D]) { tags.append(CoseSign1.cwtTag) }
            if take([0xD2]) {
                tags.append(CoseSign1.tag)
            } else if !tags.isEmpty {
                return nil
            }
            guard take([0x84]), let protectedBytes = byteString(), take([0xA0]), let payload = byteString(),
                let signature = byteString(), offset == bytes.count
            else { return nil }
            return Fields(tags: tags, protectedBytes: protectedBytes, payload: payload, signature: signature)
        }

        /// Consumes `expected` if the input continues with it.
        private mutating func take(_ expected: [UInt8]) -> Bool {
            guard bytes.count - offset >= expected.count, bytes[offset..<offset + expected.count].elementsEqual(expected) else {
                return false
            }
            offset += expected.count
            return true
        }

        /// A definite byte string whose length is in its shortest form (at most 65,535 bytes).
        private mutating func byteString() -> [UInt8]? {
            guard offset < bytes.count, bytes[offset] >> 5 == 2 else { return nil }
            let length: Int, headLength: Int
            switch bytes[offset] & 0x1F {
            case let short where short < 24:
                (length, headLength) = (Int(short), 1)
            case 24 where bytes.count - offset >= 2 && bytes[offset + 1] >= 24:
                (length, headLength) = (Int(bytes[offset + 1]), 2)
            case 25 where bytes.count - offset >= 3 && bytes[offset + 1] != 0:
                (length, headLength) = (Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]), 3)
            default:
                return nil
            }
            guard bytes.count - offset - headLength >= length else { return nil }
            let start = offset + headLength
            offset = start + length
            return Array(bytes[start..<offset])
        }
    }
}
