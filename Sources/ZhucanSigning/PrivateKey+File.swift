#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import COpenSSL

extension PrivateKey {
    /// Reads a PKCS#8 private key file (PEM or DER, encrypted or not) and clears the file's
    /// bytes from memory once parsed.
    /// - Throws: `SigningError.unreadableFile`, or the errors of `init(contentsOf:passphrase:)`.
    public init(contentsOfFile path: String, passphrase: Passphrase? = nil) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SigningError(.unreadableFile, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // Key files are a few hundred bytes; 64 KiB bounds a wrong file given by mistake.
        var bytes = [UInt8](repeating: 0, count: 65_536)
        defer { bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        var count = 0
        while count < bytes.count {
            let read = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            guard read > 0 else {
                if read < 0 { throw SigningError(.unreadableFile, "cannot read \(path): \(String(cString: strerror(errno)))") }
                break
            }
            count += read
        }
        guard count < bytes.count else { throw SigningError(.malformedKey, "\(path) is too large to be a key file") }
        var contents = Array(bytes.prefix(count))
        defer { contents.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        try self.init(contentsOf: contents, passphrase: passphrase)
    }

    /// Writes the PEM PKCS#8 key to a new file with mode 0600, refusing to replace any existing
    /// file, and clears the PEM bytes from memory afterwards.
    /// - Throws: `SigningError.unsupportedOperation` if the file exists or cannot be written.
    public func write(toNewFileAt path: String, passphrase: Passphrase? = nil) throws {
        var pem = try pemRepresentation(passphrase: passphrase)
        defer { pem.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        // O_EXCL: never overwrite a key; 0600 from the start, so no window where others can read.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists; refusing to overwrite a key" : String(cString: strerror(errno))
            throw SigningError(.unsupportedOperation, "cannot create \(path): \(reason)")
        }
        let written = pem.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == pem.count, synced == 0 else {
            unlink(path)
            throw SigningError(.unsupportedOperation, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
