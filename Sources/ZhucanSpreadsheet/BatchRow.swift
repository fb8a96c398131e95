import ZhucanIdentifiers

/// One valid row of a batch file: a person to issue a disability certificate to.
///
/// Every field has passed its identifier validator. **Privacy:** `name` and `citizenID` print
/// masked (their `description`s are masked), so a row can be interpolated into a log line.
package struct BatchRow: Sendable, Hashable {
    /// The 1-based physical line number where the record starts in the file (the header is
    /// line 1), so that an operator can find it in a text editor.
    package let line: Int

    /// The holder's name (姓名).
    package let name: PersonName

    /// The holder's citizen ID number (身份证号).
    package let citizenID: CitizenIDNumber

    /// The disability category (残疾类别).
    package let category: DisabilityCategory

    /// The disability level (残疾等级).
    package let level: DisabilityLevel

    /// The region of the holder's household registration (户籍地).
    package let region: RegionCode

    /// The holder's social-security card number (社保卡号), when the file gives one.
    package let socialSecurityCard: SocialSecurityCardNumber?

    /// The first day of validity (有效期起始); `nil` means the issuance date.
    package let validFrom: CivilDate?

    /// Creates a row from validated values.
    package init(
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
package struct BatchRowProblem: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based row staff see: the line where the record starts in a CSV file, or the
    /// sheet's row.
    package let line: Int

    /// Every fault found in the row, joined by `; `, each naming the row and column as staff
    /// see them, Chinese then English, e.g. `第 3 行 B 列 身份证号：校验位错误 / row 3, column B
    /// (身份证号): bad check character at position 18: expected '7', got '3'`.
    ///
    /// Never contains any cell's content, so never the row's name or ID number: faults name
    /// the column (as written in the header), the character position and the rule broken.
    package let reason: String

    /// Creates a problem.
    package init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// The reason: each fault names its row and column (第 N 行 C 列 …).
    package var description: String { reason }
}
