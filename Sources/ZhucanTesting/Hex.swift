import ZhucanSigning

/// Hex for test vectors, which store bytes as hex strings: `Hex.decode(_:)`, `Hex.encode(_:)`.
public typealias Hex = Hexadecimal
