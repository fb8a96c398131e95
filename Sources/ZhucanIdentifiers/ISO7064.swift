/// The ISO/IEC 7064 check character systems used by the identifiers here.
enum ISO7064 {
    // GB 11643-1999 §5.2: weights W_i = 2^(i-1) mod 11 for positions 18…2, read left to right.
    static let mod11_2Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    // GB 11643-1999 §5.2: S = Σ a_i·W_i mod 11 selects the check character.
    static let mod11_2CheckCharacters: [UInt8] = Array("10X98765432".utf8)

    /// The ISO 7064 MOD 11-2 check character for 17 ASCII digits, as GB 11643-1999 uses it.
    static func mod11_2(_ digits: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (byte, weight) in zip(digits, mod11_2Weights) {
            sum += Int(byte &- UInt8(ascii: "0")) * weight
        }
        return mod11_2CheckCharacters[sum % 11]
    }

    /// The alphabet of ISO 7064 MOD 37,36 (GB/T 36904-2018): `0`–`9` are 0–9, `A`–`Z` 10–35.
    static let mod37_36Alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// The value 0…35 of an upper-case alphanumeric byte, or `nil`.
    static func mod37_36Value(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// The ISO 7064 MOD 37,36 (hybrid system) check character over upper-case alphanumerics,
    /// leaving out `separator`, or `nil` if a byte is outside the alphabet.
    static func mod37_36(_ bytes: some Collection<UInt8>, skipping separator: UInt8? = nil) -> UInt8? {
        // ISO/IEC 7064 §7 hybrid system with M = 36, M+1 = 37: start with P = M; for each
        // character S = (P + value) mod M, with 0 read as M; P = 2S mod (M+1). The check
        // character makes (P + check) mod M == 1, i.e. check = (M + 1 − P) mod M.
        var p = 36
        for byte in bytes where byte != separator {
            guard let value = mod37_36Value(byte) else { return nil }
            var s = (p + value) % 36
            if s == 0 { s = 36 }
            p = (2 * s) % 37
        }
        return mod37_36Alphabet[(37 - p) % 36]
    }
}
