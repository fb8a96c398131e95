import Foundation

extension SignedObjectVerifier {
    /// `check` applied to each of `objects`, the results in the same order, the checks spread
    /// over every core. Re-verifying what an issuer signed is a signature per object, and
    /// signatures are independent: one core would leave the others idle (a million ES256
    /// certificates took 49 s on one of two cores).
    package static func onEveryCore<Object: Sendable, Result: Sendable>(
        _ objects: [Object], _ check: @Sendable (Object) -> Result
    ) -> [Result] {
        let results = ResultSlots<Result>(count: objects.count)
        DispatchQueue.concurrentPerform(iterations: objects.count) { index in
            results[index] = check(objects[index])
        }
        return results.values
    }
}

/// Slots written by concurrent workers, one slot each, then read once they have all finished.
///
/// `@unchecked Sendable`: each slot is written by exactly one worker, through a raw buffer
/// (no shared array to copy or check for exclusive access), and `values` is read only after
/// `concurrentPerform` has returned, which orders those writes before the read.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }

    subscript(index: Int) -> Value? {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }

    /// Every slot's value; a slot left unwritten is a programming error.
    var values: [Value] { buffer.map { $0! } }
}
