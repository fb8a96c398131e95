import Foundation

/// The workspace's issuance lock, an advisory `flock(2)` on `issuance.lock`: one issuing
/// process at a time, so that status indexes and serial numbers reserved and not stored (a
/// batch killed mid-chunk) can be reclaimed safely, and a second batch is refused with a
/// clear message instead of failing on the registry's constraints. The kernel releases the
/// lock when the process ends, however it ends.
final class IssuanceLock {
    private let descriptor: Int32
    /// When the lock was got, by the system clock, if it had to be waited for: `nil` when it
    /// was free.
    private let acquiredAfterWaiting: Int64?

    /// The lock file inside a workspace.
    static let fileName = "issuance.lock"

    /// Takes the lock, waiting up to `wait` for another process to release it.
    /// - Throws: `IssuerError.busy` when another process holds it past `wait`;
    ///   `.workspace` when the lock file cannot be opened.
    init(workspace: URL, wait: Duration, holder: String) throws {
        let path = workspace.appendingPathComponent(Self.fileName).path
        // A local until the lock is held: once `descriptor` is set, a throw runs `deinit`,
        // which would unlock and close a number the process may have reused by then.
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            throw IssuerError(.workspace, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = ContinuousClock.now + wait
        var waited = false
        while flock(opened, LOCK_EX | LOCK_NB) != 0 {
            waited = true
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                let other = Self.describeHolder(opened)
                close(opened)
                throw IssuerError(.busy, "另一个命令正在修改本工作区\(other)，请等待完成后再试 / another command is changing this workspace\(other); wait for it to finish, then try again")
            }
            usleep(20_000)
        }
        descriptor = opened
        acquiredAfterWaiting = waited ? Int64(Date().timeIntervalSince1970) : nil
        // Who holds it, for the message another process prints.
        _ = ftruncate(descriptor, 0)
        let note = "\(holder) pid \(getpid())\n"
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// `now`, read before the lock was asked for, as it stands once the lock is held: the
    /// system clock's time of getting it, when that is later and the lock had to be waited for.
    /// What the other process did meanwhile is dated by the clock, later than `now`: a key it
    /// rotated in is valid from then, and a list signed at `now` would be signed by a key not
    /// yet valid (every verifier refuses it), or dated before the list it follows. (Adding the
    /// seconds waited, rounded, to `now`, itself rounded down, could fall a second short of the
    /// other process's time.) A lock got at once leaves `now` as given.
    func time(_ now: Int64) -> Int64 {
        acquiredAfterWaiting.map { max(now, $0) } ?? now
    }

    deinit {
        // The note names a holder only while there is one; cleared before the lock is let go,
        // so never over the next holder's.
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func describeHolder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : " (\(text))"
    }
}
