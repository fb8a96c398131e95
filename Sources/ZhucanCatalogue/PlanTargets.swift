import Foundation

/// The targets of the city plan the catalogue serves, each with the seed's own words, and the
/// plan's benefit items (惠残事项) with the catalogue services that carry them: what
/// `zhucan report plan` measures the registry against.
///
/// The plan is a draft for review (送审稿) for 2021–2025; `Resources/pinghu-plan.json` holds
/// it, compiled into the binary.
package struct PlanTargets: Decodable, Sendable {
    /// A target: at least `atLeast` percent, in the plan's words.
    package struct Target: Decodable, Sendable {
        package let atLeast: Double
        package let quote: String

        package init(atLeast: Double, quote: String) {
            self.atLeast = atLeast
            self.quote = quote
        }
    }

    /// A per-service target.
    package struct ServiceTarget: Decodable, Sendable {
        package let service: String
        package let atLeast: Double
        package let quote: String
    }

    /// A target the registry cannot measure, and why.
    package struct Unmeasured: Decodable, Sendable {
        package let quote: String
        /// Chinese, then English.
        package let why: String
    }

    /// One of the plan's benefit items and the catalogue services that deliver it (empty
    /// when none does yet).
    package struct Item: Decodable, Sendable {
        package let zh: String
        package let en: String
        package let services: [String]
    }

    package let title: String
    package let status: String
    package let period: String
    /// 残疾人电子证照覆盖率.
    package let eCertificateShare: Target
    /// 惠残事项覆盖率.
    package let catalogueCoverage: Target
    /// 劳动年龄段持证残疾人就业率.
    package let employmentRate: Target
    /// 应届高校残疾人毕业生就业率: employed graduates ÷ graduates, not a service's coverage
    /// (the graduate-employment plan goes to graduates not yet employed).
    package let graduateEmploymentRate: Target
    /// Targets that need data the registry does not hold, said as such rather than measured
    /// against a service that covers only part of the people they count.
    package let unmeasured: [Unmeasured]
    package let services: [ServiceTarget]
    package let items: [Item]

    /// The Pinghu plan's targets.
    package static let pinghu: PlanTargets = {
        do {
            return try JSONDecoder().decode(PlanTargets.self, from: Data(PackageResources.pinghu_plan_json))
        } catch {
            preconditionFailure("Resources/pinghu-plan.json does not decode: \(error)")
        }
    }()

    /// The per-service target of `serviceID`, if the plan sets one.
    package func target(for serviceID: String) -> ServiceTarget? {
        services.first { $0.service == serviceID }
    }
}
