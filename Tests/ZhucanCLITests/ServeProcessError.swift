/// Why a `ServeProcess` could not start.
struct ServeProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
