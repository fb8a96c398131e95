import Foundation
import GRDB
import GRDBSQLite

/// An INSERT prepared once for many rows, each row's values bound through
/// SQLite's C API (https://sqlite.org/c3ref/bind_blob.html) and the statement stepped once.
///
/// For the rows a batch stores by the hundred thousand: through GRDB's `execute(arguments:)`
/// each value became an existential and then a `DatabaseValue`, and every execution ran GRDB's
/// observation hooks; in `perf` of 100,000 ES256 rows the store spent as much outside
/// `sqlite3_step` as inside it. The registry registers no transaction observers, so the hooks
/// had nothing to do. Errors are GRDB's `DatabaseError`, as from GRDB itself, so that a
/// violated constraint reads the same (`Registry.constraintMeaning`).
struct BoundInsert {
    fileprivate let statement: Statement
    private let db: Database

    /// Prepares `sql` on `db`'s connection, for use inside the current transaction; with
    /// `cached`, takes it from the connection's statement cache (prepared once for every
    /// transaction; SQLite prepares it again when a pragma or the schema changes).
    init(_ db: Database, sql: String, cached: Bool = false) throws {
        self.db = db
        statement = try cached ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql)
    }

    /// Binds one row's values, in the order of the statement's `?` parameters, and runs it.
    /// - Throws: `DatabaseError` when SQLite refuses the row; SQLITE_MISUSE when `bind` gave
    ///   another number of values than the statement has parameters, or when no transaction is
    ///   open (SQLite rolled it back after an earlier error: rows must not commit one by one).
    func run(_ bind: (inout Row) -> Void) throws {
        let handle = statement.sqliteStatement
        var row = Row(handle: handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        bind(&row)
        guard row.bound == sqlite3_bind_parameter_count(handle), row.failure == SQLITE_OK else {
            throw DatabaseError(
                resultCode: row.failure == SQLITE_OK ? .SQLITE_MISUSE : ResultCode(rawValue: row.failure),
                message: "\(row.bound) values bound of \(sqlite3_bind_parameter_count(handle)) parameters", sql: statement.sql
            )
        }
        guard sqlite3_get_autocommit(db.sqliteConnection) == 0 else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "no transaction is open", sql: statement.sql)
        }
        let code = sqlite3_step(handle)
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
        /// The first `sqlite3_bind_*` result other than SQLITE_OK, or SQLITE_OK.
        fileprivate private(set) var failure = SQLITE_OK

        /// How many values are bound.
        fileprivate var bound: Int32 { index - 1 }

        fileprivate init(handle: OpaquePointer) {
            self.handle = handle
        }

        mutating func bind(_ value: Int64) {
            advance(sqlite3_bind_int64(handle, index, value))
        }

        mutating func bind(_ value: Int64?) {
            if let value { bind(value) } else { bindNull() }
        }

        mutating func bind(_ value: String) {
            var text = value
            let code = text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    // A null pointer would bind NULL, not an empty text.
                    guard let start = chars.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
                    return sqlite3_bind_text(handle, index, start, Int32(chars.count), Self.transient)
                }
            }
            advance(code)
        }

        mutating func bind(_ value: String?) {
            if let value { bind(value) } else { bindNull() }
        }

        mutating func bind(_ value: [UInt8]) {
            // A null pointer would bind NULL, not an empty blob.
            advance(value.isEmpty
                ? sqlite3_bind_zeroblob(handle, index, 0)
                : value.withUnsafeBytes { bytes in sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient) })
        }

        mutating func bindNull() {
            advance(sqlite3_bind_null(handle, index))
        }

        private mutating func advance(_ code: Int32) {
            if failure == SQLITE_OK { failure = code }
            index += 1
        }
    }
}

extension BoundInsert {
    /// The most rows one statement inserts: SQLite starts and finishes a statement (opening
    /// its tables and indexes, beginning and ending its part of the transaction) once however
    /// many rows it inserts, and that had cost a batch as much as the insertion itself.
    static let rowsPerStatement = 16

    /// `rows` in consecutive slices of at most `rowsPerStatement`.
    static func groups<Rows: Collection>(of rows: Rows) -> [Rows.SubSequence] {
        var groups: [Rows.SubSequence] = []
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: rowsPerStatement, limitedBy: rows.endIndex) ?? rows.endIndex
            groups.append(rows[start..<end])
            start = end
        }
        return groups
    }

    /// INSERTs of one to `rowsPerStatement` rows into one table, each prepared when first
    /// needed and kept in the connection's statement cache.
    struct Cache {
        private let sql: (Int) -> String
        private var statements: [Int: BoundInsert] = [:]

        /// `INSERT OR ROLLBACK INTO table (columns) VALUES values, values, …`; `values` is one
        /// row's parenthesised list of `?` parameters and constants.
        ///
        /// OR ROLLBACK (https://sqlite.org/lang_conflict.html): a row that breaks a UNIQUE,
        /// NOT NULL or CHECK constraint ends the whole transaction, as its error would anyway
        /// once it reached the registry's caller, and not only the statement. SQLite then need
        /// not journal the statement's pages to undo its earlier rows. `run` refuses to go on
        /// outside a transaction, so nothing after the refused row can commit on its own.
        init(table: String, columns: String, values: String) {
            sql = { rows in
                "INSERT OR ROLLBACK INTO \(table) (\(columns)) VALUES " + Array(repeating: values, count: rows).joined(separator: ", ")
            }
        }

        /// Inserts `rows` rows (at most `rowsPerStatement`), their values bound row after row
        /// by `bind`, and returns their row ids, in order.
        ///
        /// A table without explicit row ids gives the rows of one INSERT consecutive ids, each
        /// one more than the largest before it (https://sqlite.org/autoinc.html; for an
        /// AUTOINCREMENT table, than the largest ever), as the transaction is the only writer.
        mutating func run(_ db: Database, rows: Int, _ bind: (inout Row) -> Void) throws -> ClosedRange<Int64> {
            precondition(rows > 0 && rows <= BoundInsert.rowsPerStatement, "\(rows) rows in one INSERT")
            let statement = try statements[rows] ?? BoundInsert(db, sql: sql(rows), cached: true)
            statements[rows] = statement
            try statement.run(bind)
            guard db.changesCount == rows else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(db.changesCount) rows inserted of \(rows)", sql: statement.statement.sql)
            }
            let last = db.lastInsertedRowID
            return (last - Int64(rows) + 1)...last
        }
    }
}
