#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL

extension PrivateKey {
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
