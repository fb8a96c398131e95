import Foundation

/// Files that hold personal data or keys: created with mode 0600 (folders 0700), whatever the
/// process's umask, and written whole or not at all.
package enum OwnerOnlyFile {
    /// Writes `data` to `url` atomically (``write(to:by:)``).
    /// - Throws: `CocoaError` with the system's reason when a step fails; nothing is left
    ///   behind then, except as ``write(to:by:)`` says.
    package static func write(_ data: Data, to url: URL, mode: mode_t = 0o600) throws {
        try write(to: url, mode: mode) { temporary in
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
        }
    }

    /// Writes `url` atomically through `body`, which fills `temporary`: a new, empty 0600 file
    /// beside `url`, which `body` opens, writes and closes. It is then flushed to disk and
    /// renamed over `url` (rename(2) replaces in one step, so a reader or a crash sees the old
    /// file or the new one, never a part), and the folder is flushed so that the new one stays.
    /// - Throws: what `body` throws, or `CocoaError` with the system's reason when a step
    ///   fails; nothing is left behind then, except when the folder cannot be flushed: the new
    ///   file is then in place, but a power loss may undo it.
    ///
    /// The temporary file is `.NAME.PID.RANDOM.tmp`. One left by a process that was killed
    /// while writing (it may hold personal data) is removed by the next write to `url`, once
    /// no process has that PID.
    /// - Parameter mode: the file's mode; 0600 unless what it holds is public.
    package static func write(to url: URL, mode: mode_t = 0o600, by body: (_ temporary: URL) throws -> Void) throws {
        removeAbandonedTemporaries(of: url)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        var written = false
        defer {
            close(descriptor)
            if !written { unlink(temporary) }
        }
        // The umask can only narrow the mode given to open(2); fchmod makes it exactly `mode`.
        guard fchmod(descriptor, mode) == 0 else { throw failure("cannot set the mode of \(temporary)") }
        try body(URL(fileURLWithPath: temporary))
        // fsync(2) flushes the file, whichever descriptor wrote it.
        guard fsync(descriptor) == 0 else { throw failure("cannot flush \(temporary)") }
        guard rename(temporary, url.path) == 0 else { throw failure("cannot replace \(url.path)") }
        written = true
        // Without this, a power loss right after could bring back the old file (or none) while
        // the registry, synced at its commit, already relies on the new one.
        try flushFolder(containing: url)
    }

    /// Removes the temporary files of `write(to:by:)` for `url` whose writing process is gone:
    /// `kill(pid, 0)` fails with ESRCH. A live process with that PID, or a name this code did
    /// not make, keeps the file. Best effort: a file that cannot be removed stays.
    private static func removeAbandonedTemporaries(of url: URL) {
        let prefix = ".\(url.lastPathComponent)."
        let folder = url.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let parts = name.dropFirst(prefix.count).dropLast(".tmp".count).split(separator: ".")
            guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                unlink(folder.appendingPathComponent(name).path)
            }
        }
    }

    /// Flushes the folder holding `url` to disk, so that a name just created or renamed in it
    /// survives a power loss: fsync(2) of a file does not flush its folder's entry.
    /// - Throws: `CocoaError` with the system's reason; not when the file system cannot sync a
    ///   folder (EINVAL), where a rename is as durable as it makes it.
    package static func flushFolder(containing url: URL) throws {
        let folder = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw failure("cannot open the folder of \(url.path)") }
        defer { close(folder) }
        guard fsync(folder) == 0 || errno == EINVAL else { throw failure("cannot flush the folder of \(url.path)") }
    }

    /// Creates `url` as an empty 0600 file if it does not exist yet (SQLite then gives its
    /// `-wal` and `-shm` files the same mode), and makes an existing one 0600.
    ///
    /// An existing file is never opened: closing any descriptor of a database file drops every
    /// POSIX lock the process holds on it (fcntl(2); "How To Corrupt An SQLite Database File"
    /// §2.2), and a service that opens the registry twice would then look to other processes
    /// as if it read nothing — one of them, closing last, would checkpoint and reset the WAL
    /// under the service's readers, which would go on reading a stale snapshot.
    package static func prepare(_ url: URL) throws {
        if chmod(url.path, 0o600) == 0 { return }
        guard errno == ENOENT else { throw failure("cannot set the mode of \(url.path)") }
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            // Another process created it meanwhile.
            if errno == EEXIST, chmod(url.path, 0o600) == 0 { return }
            throw failure("cannot create \(url.path)")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw failure("cannot set the mode of \(url.path)") }
    }

    /// Creates the folder `url` (and its missing parents) with mode 0700, or makes an existing
    /// one 0700.
    package static func createFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard chmod(url.path, 0o700) == 0 else { throw failure("cannot set the mode of \(url.path)") }
    }

    private static func failure(_ what: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(errno)))"])
    }
}
