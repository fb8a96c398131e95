/// Lists of service IDs, one array shared by everyone with the same list: a province's holders
/// gain or lose a few dozen distinct lists of benefits, and a million separate arrays of fifteen
/// strings took 300 MB.
struct ServiceListPool {
    private var lists: [[String]: [String]] = [:]

    /// The pool's array equal to `list`, which becomes the pool's when it has none.
    mutating func shared(_ list: [String]) -> [String] {
        if let shared = lists[list] { return shared }
        lists[list] = list
        return list
    }
}
