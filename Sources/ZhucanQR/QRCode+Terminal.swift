extension QRCode {
    /// The quiet zone drawn around every rendering unless the caller asks otherwise, in
    /// modules: ISO/IEC 18004 §6.3.8 requires four.
    package static let quietZone = 4

    /// Renders the symbol as text for a terminal, two module rows per line, with a four-module
    /// quiet zone.
    ///
    /// Each character is one module wide and two modules tall, drawn with the Unicode half
    /// blocks `▀ ▄ █` and space. By default the glyphs draw the *light* modules, so a terminal
    /// with light text on a dark background shows dark modules on a light field, as scanners
    /// expect; set `invert` for a terminal with dark text on a light background.
    /// - Parameter invert: draw the dark modules instead of the light ones (for light-background
    ///   terminals).
    /// - Returns: `⌈(size + 8) / 2⌉` lines of `size + 8` characters, joined by `\n` with no
    ///   final newline. An odd last line's lower half is more quiet zone.
    package func renderTerminal(invert: Bool = false) -> String {
        let margin = Self.quietZone
        let side = size + 2 * margin
        var text = ""
        text.unicodeScalars.reserveCapacity((side + 1) * (side + 1) / 2)
        var y = -margin
        while y < size + margin {
            if y > -margin { text.unicodeScalars.append("\n") }
            for x in -margin..<(size + margin) {
                // Ink is what the glyph paints in the terminal's text colour.
                let top = isDark(x: x, y: y) == invert
                let bottom = isDark(x: x, y: y + 1) == invert
                let glyph: Unicode.Scalar =
                    switch (top, bottom) {
                    case (true, true): "\u{2588}"  // █ full block
                    case (true, false): "\u{2580}"  // ▀ upper half block
                    case (false, true): "\u{2584}"  // ▄ lower half block
                    case (false, false): " "
                    }
                text.unicodeScalars.append(glyph)
            }
            y += 2
        }
        return text
    }
}
