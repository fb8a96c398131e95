import ZhucanIdentifiers

extension [Catalogue] {
    /// Of editions in the order they were published, the newest in force on `date`: the next
    /// year's may already be published beside this year's (Docs/catalogue.md §7).
    package func inForce(on date: CivilDate) -> Catalogue? {
        last { $0.isInForce(on: date) }
    }
}
