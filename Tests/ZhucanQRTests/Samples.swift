/// Text shaped like an envelope: a prefix and base45 characters from the whole alphabet.
enum Samples {
    static let base45Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    /// `ZC1:` followed by `count` base45 characters, a fixed pseudo-random mix.
    static func envelopeLike(base45Count count: Int) -> String {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var text = "ZC1:"
        for _ in 0..<count {
            // xorshift64: enough to spread the characters, and repeatable.
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            text.append(base45Alphabet[Int(state % 45)])
        }
        return text
    }

    /// `count` alphanumeric characters in total (prefix included).
    static func alphanumeric(count: Int) -> String {
        envelopeLike(base45Count: count - 4)
    }
}
