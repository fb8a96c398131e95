import ZhucanIdentifiers

/// How far the published catalogue editions reach from a day (`Workspace.catalogueCoverage`).
/// On a day no edition covers, service codes are refused (`Workspace.serviceCode`).
package enum CatalogueCoverage: Sendable, Equatable {
    /// No edition is published: service codes name none.
    case nonePublished
    /// Editions are published, and none is in force that day.
    case noneInForce
    /// They cover every day from it through this one, without a gap.
    case through(CivilDate)
}
