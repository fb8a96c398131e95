import ZhucanIdentifiers

/// One valid row of a batch file: a person to issue a disability certificate to.
///
/// Every field has passed its identifier validator. **Privacy:** `name` and `citizenID` print
/// masked (their `description`s are masked), so a row can be interpolated into a log line.
public struct BatchRow: Sendable, Hashable {
    /// The 1-based physical line number where the record starts in the file (the header is
    /// line 1), so that an operator can find it in a text editor.
    public let line: Int

    /// The holder's name (姓名).
    public let name: PersonName

    /// The holder's citizen ID number (身份证号).
    public let citizenID: CitizenIDNumber

    /// The disability category (残疾类别).
    public let category: DisabilityCategory

    /// The disability level (残疾等级).
    public let level: DisabilityLevel

    /// The region of the holder's household registration (户籍地).
    public let region: RegionCode

    /// The holder's social-security card number (社保卡号), when the file gives one.
    public let socialSecurityCard: SocialSecurityCardNumber?

    /// The first day of validity (有效期起始); `nil` means the issuance date.
    public let validFrom: CivilDate?

    /// Creates a row from validated values.
    public init(
        line: Int,
        name: PersonName,
        citizenID: CitizenIDNumber,
        category: DisabilityCategory,
        level: DisabilityLevel,
        region: RegionCode,
        socialSecurityCard: SocialSecurityCardNumber? = nil,
        validFrom: CivilDate? = nil
    ) {
        self.line = line
        self.name = name
        self.citizenID = citizenID
        self.category = category
        self.level = level
        self.region = region
        self.socialSecurityCard = socialSecurityCard
        self.validFrom = validFrom
    }
}

// Kept beside BatchRow rather than in a file of its own: it is the other half of one row's
// outcome and has no behaviour.
/// A row of a batch file that cannot be issued, and why.
public struct BatchRowProblem: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based physical line number where the record starts in the file.
    public let line: Int

    /// Every fault found in the row, as `column: fault` joined by `; `, e.g.
    /// `id_number: bad check character at position 18: expected '7', got '3'; level: must be 1–4`.
    ///
    /// Never contains any cell's content, so never the row's name or ID number: faults name
    /// the column (as written in the header), the character position and the rule broken.
    public let reason: String

    /// Creates a problem.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String { "line \(line): \(reason)" }
}
