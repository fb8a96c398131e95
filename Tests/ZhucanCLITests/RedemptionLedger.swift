/// The codes a crash test redeems, and what the server answered for each.
actor RedemptionLedger {
    private var pending: [String]
    /// Codes answered 200 with `redeemed: true`, in order.
    private(set) var redeemed: [String] = []
    /// Codes answered otherwise, with the answer's status and reason.
    private(set) var refused: [String: String] = [:]
    /// Codes sent without an answer (the server died first).
    private(set) var unanswered: [String] = []

    init(codes: [String]) {
        pending = codes.reversed()
    }

    /// The next code to redeem, until none are left.
    func next() -> String? { pending.popLast() }

    /// Codes never sent.
    var remaining: Int { pending.count }

    /// Records an answer.
    func record(_ code: String, status: Int, redeemed wasRedeemed: Bool, reason: String) {
        if status == 200 && wasRedeemed { redeemed.append(code) } else { refused[code] = "\(status) \(reason)" }
    }

    /// Records a request that got no answer.
    func recordUnanswered(_ code: String) { unanswered.append(code) }
}
