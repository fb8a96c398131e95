import Foundation
import Logging
import ServiceLifecycle
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanIssuer

/// Signs the trust and status lists again once half their validity has passed
/// (`Workspace.republishExpiringLists`), checking every tenth of the status list's validity
/// (at least every second, at most every minute). Verifiers, and above all the nodes that
/// fetch the lists, then never hold an expired list while the issuer runs.
///
/// A problem that lasts is logged again every hour, not once: a trust list waiting for the
/// root key, kept offline, is a warning months before verifiers feel it, and one line at
/// start-up would be long gone from any log by then.
///
/// It also watches the catalogue: from a month before the last day the published editions
/// cover (yearly editions, the next to be published before 31 December), it warns every hour,
/// since on a day no edition covers service codes are refused.
struct ListRepublisher: Service {
    let workspace: Workspace
    let logger: Logger

    /// How long a problem that persists goes unmentioned.
    static let reminderInterval = Duration.seconds(3_600)

    func run() async throws {
        let validity = max(1, workspace.configuration.statusListValiditySeconds)
        let interval = Duration.milliseconds(min(60_000, max(1_000, validity * 100)))
        try? await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            // When each problem (a list, the root key, the lock) was last logged.
            var logged: [String: ContinuousClock.Instant] = [:]
            // How far the catalogue editions reached at the last pass.
            var covered: CatalogueCoverage?
            while true {
                let now = Int64(Date().timeIntervalSince1970)
                do {
                    let pass = try workspace.republishExpiringLists(now: now)
                    logged["lock"] = nil
                    for kind in pass.republished {
                        logger.info("list republished before expiry", metadata: ["list": .string(kind.rawValue)])
                        if logged.removeValue(forKey: kind.rawValue) != nil {
                            logger.notice("the list is republished again", metadata: ["list": .string(kind.rawValue)])
                        }
                    }
                    for (kind, error) in pass.failures {
                        guard Self.isDue(kind.rawValue, in: &logged, at: clock.now) else { continue }
                        logger.error("cannot republish the list; verifiers will answer status_unknown once it expires", metadata: [
                            "list": .string(kind.rawValue), "error": .string("\(error)"),
                        ])
                    }
                    if let expiresAt = pass.trustListAwaitingRootKey {
                        if Self.isDue("root-key", in: &logged, at: clock.now) {
                            let days = (expiresAt - now) / 86_400
                            logger.log(
                                level: days < 14 ? .error : .warning,
                                "the trust list is due and the root key is offline: bring keys/root.key.pem back and run zhucan trust-list publish before it expires, or every verifier answers status_unknown",
                                metadata: ["list": "trust-list", "expires": .string(Timestamp.iso(expiresAt)), "days.left": .stringConvertible(days)]
                            )
                        }
                    } else {
                        logged["root-key"] = nil
                    }
                } catch {
                    if Self.isDue("lock", in: &logged, at: clock.now) {
                        logger.error("cannot republish the lists; verifiers will answer status_unknown once they expire", metadata: ["error": "\(error)"])
                    }
                }
                checkCatalogue(now: now, covered: &covered, logged: &logged, at: clock.now)
                try await Task.sleep(for: interval)
            }
        }
    }

    /// From how many days before the last day the published catalogue editions cover the
    /// service warns.
    private static let catalogueWarningDays = 30

    /// From how many days before that day the warning is an error.
    private static let catalogueErrorDays = 7

    /// Warns, every hour, from a month before the published catalogue editions end, and says
    /// so as an error in the last week and when none is in force: on a day no edition covers,
    /// service codes are refused. How far they reach is logged when it changes.
    private func checkCatalogue(now: Int64, covered: inout CatalogueCoverage?, logged: inout [String: ContinuousClock.Instant], at instant: ContinuousClock.Instant) {
        let today = ChinaTime.date(of: now)
        guard let coverage = try? workspace.catalogueCoverage(from: today) else { return }
        defer { covered = coverage }
        if case .through(let lastDay) = coverage, covered != coverage {
            logger.notice("the published catalogue editions cover through their last day", metadata: ["catalogue.last_day": .string(lastDay.description)])
        }
        // Each its own reminder: the day none is in force is said at once, not an hour after
        // the last "ending soon".
        switch coverage {
        case .nonePublished:
            logged["catalogue-none"] = nil
            logged["catalogue-ending"] = nil
        case .noneInForce:
            logged["catalogue-ending"] = nil
            if Self.isDue("catalogue-none", in: &logged, at: instant) {
                logger.error("no published catalogue is in force today: service codes are refused until an edition for today is published (zhucan catalogue publish)")
            }
        case .through(let lastDay):
            logged["catalogue-none"] = nil
            let days = lastDay.daysSinceEpoch - today.daysSinceEpoch
            guard days <= Self.catalogueWarningDays else {
                logged["catalogue-ending"] = nil
                return
            }
            guard Self.isDue("catalogue-ending", in: &logged, at: instant) else { return }
            logger.log(
                level: days < Self.catalogueErrorDays ? .error : .warning,
                "the published catalogue editions end soon: publish the next edition (zhucan catalogue publish) before then, or service codes are refused from the day after",
                metadata: ["catalogue.last_day": .string(lastDay.description), "days.left": .stringConvertible(days)]
            )
        }
    }

    /// Whether the problem `key` is to be logged at `now` (never logged, or not within the
    /// reminder interval), noting it as logged if so.
    private static func isDue(_ key: String, in logged: inout [String: ContinuousClock.Instant], at now: ContinuousClock.Instant) -> Bool {
        if let last = logged[key], now - last < reminderInterval { return false }
        logged[key] = now
        return true
    }
}
