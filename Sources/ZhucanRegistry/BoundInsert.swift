import Foundation
import GRDB
import GRDBSQLite

/// An INSERT prepared once for a transaction's many rows, each row's values bound through
/// SQLite's C API (https://sqlite.org/c3ref/bind_blob.html) and the statement stepped once.
///
/// For the rows a batch stores by the hundred thousand: through GRDB's `execute(arguments:)`
/// each value became an existential and then a `DatabaseValue`, and every execution ran GRDB's
/// observation hooks; in `perf` of 100,000 ES256 rows the store spent as much outside
/// `sqlite3_step` as inside it. The registry registers no transaction observers, so the hooks
/// had nothing to do. Errors are GRDB's `DatabaseError`, as from GRDB itself, so that a
/// violated constraint reads the same (`Registry.constraintMeaning`).
struct BoundInsert {
    private let statement: Statement
    private let db: Database

    /// Prepares `sql` on `db`'s connection, for use inside the current transaction.
    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// Binds one row's values, in the order of the statement's `?` parameters, and runs it.
    /// - Throws: `DatabaseError` when SQLite refuses the row.
    func run(_ bind: (inout Row) -> Void) throws {
        let handle = statement.sqliteStatement
        var row = Row(handle: handle)
        bind(&row)
        let code = sqlite3_step(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql
            )
        }
    }

    /// The values of one row, bound left to right.
    struct Row {
        /// SQLite copies a value bound with this destructor before the call returns.
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        fileprivate let handle: OpaquePointer
        private var index: Int32 = 1

        fileprivate init(handle: OpaquePointer) {
            self.handle = handle
        }

        mutating func bind(_ value: Int64) {
            sqlite3_bind_int64(handle, index, value)
            index += 1
        }

        mutating func bind(_ value: Int64?) {
            if let value { bind(value) } else { bindNull() }
        }

        mutating func bind(_ value: String) {
            var text = value
            text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    if let start = chars.baseAddress {
                        _ = sqlite3_bind_text(handle, index, start, Int32(chars.count), Self.transient)
                    } else {
                        // A null pointer would bind NULL, not an empty text.
                        _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    }
                }
            }
            index += 1
        }

        mutating func bind(_ value: String?) {
            if let value { bind(value) } else { bindNull() }
        }

        mutating func bind(_ value: [UInt8]) {
            if value.isEmpty {
                // A null pointer would bind NULL, not an empty blob.
                sqlite3_bind_zeroblob(handle, index, 0)
            } else {
                value.withUnsafeBytes { bytes in _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient) }
            }
            index += 1
        }

        mutating func bindNull() {
            sqlite3_bind_null(handle, index)
            index += 1
        }
    }
}
