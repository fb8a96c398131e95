/// The format a code is minted in. Verifiers read both.
package enum CodeFormat: Int, Sendable, Hashable, CaseIterable {
    /// Envelope version 1 (`ZC1:`): text claim keys, the status URI, zlib always.
    case standard = 1
    /// The compact format, version 2 (`ZC2:` / `ZC2Z:`, Docs/format.md §15): integer keys,
    /// the status list by number, zlib only where it shrinks the code — about half the text.
    case compact = 2

    /// A compact code's nonce (`cti`) length.
    static let compactNonceLength = 8
}
