extension QRCode {
    /// Renders the symbol as an SVG document: black modules on a white background.
    ///
    /// Coordinates are pixels; dark modules are one `<path>` of rectangles, one per horizontal
    /// run of dark modules, drawn with `shape-rendering="crispEdges"` so viewers do not blur
    /// the edges between modules.
    /// - Parameters:
    ///   - scale: pixels per module, 1…32.
    ///   - border: quiet zone in modules, 0…32; ISO/IEC 18004 §6.3.8 asks for at least 4.
    /// - Returns: the SVG text, `(size + 2·border)·scale` pixels square.
    /// - Precondition: `scale` and `border` are in range.
    package func renderSVG(scale: Int = 8, border: Int = QRCode.quietZone) -> String {
        precondition((1...32).contains(scale), "scale must be 1…32, got \(scale)")
        precondition((0...32).contains(border), "border must be 0…32, got \(border)")
        let side = (size + 2 * border) * scale
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                let run = (x - start) * scale
                path += "M\((start + border) * scale) \((y + border) * scale)h\(run)v\(scale)h-\(run)z"
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(side)" height="\(side)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">
            <rect x="0" y="0" width="\(side)" height="\(side)" fill="#ffffff"/>
            <path fill="#000000" d="\(path)"/>
            </svg>

            """
    }
}
