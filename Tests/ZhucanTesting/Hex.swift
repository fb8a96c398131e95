import ZhucanSigning

/// Hex for test vectors, which store bytes as hex strings: `Hex.decode(_:)`, `Hex.encode(_:)`.
package typealias Hex = Hexadecimal
