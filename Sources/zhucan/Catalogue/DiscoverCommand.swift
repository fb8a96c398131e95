import ArgumentParser
import Foundation
import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanSpreadsheet

/// `zhucan catalogue discover`: who is newly entitled and not yet served (主动推送).
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "List holders newly entitled to a benefit and not yet served, for staff to contact (主动推送).",
        discussion: """
            Judges every active holder, records since when each entitlement holds, and lists those entitled since \
            --since (default: all) and neither redeemed nor recorded as delivered. The list is unmasked (names, ID \
            numbers): it is for the issuer's own staff. Every listing is recorded in the transparency log as \
            personal-data-exported, with --by, --purpose and the number of rows.
            """
    )

    @OptionGroup var workspace: WorkspaceOption
    @Option(help: ArgumentHelp("Only entitlements first seen on or after this date, yyyy-MM-dd.", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Only this benefit (catalogue id).", valueName: "id")) var service: String?
    @Option(help: ArgumentHelp("Write the list to a file (.xlsx or .csv) instead of the terminal.", valueName: "file")) var out: String?
    @Option(help: ArgumentHelp("Who exports (default: $USER).", valueName: "name")) var by: String?
    @Option(help: ArgumentHelp("What the list is for.", valueName: "text")) var purpose = "主动推送：联系新增可享人员 / proactive contact of the newly entitled"
    @Option(help: ArgumentHelp("Date to judge at, yyyy-MM-dd (default: today).", valueName: "date")) var at: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var language: LanguageOption
    @OptionGroup var database: DatabaseOption

    /// The exported columns, Chinese first.
    static let header = ["事项编号 service", "事项名称 name", "残疾人证号 certificate", "姓名 holder", "身份证号 idNumber", "户籍地 region",
                         "残疾类别 category", "残疾等级 level", "社保卡号 sscCard", "可享起始 since"]

    func run() async throws {
        let date = try PersonListInput.date(at, option: "--at")
        let sinceTime = try since.map { text -> Int64 in
            guard let day = try? CivilDate(text) else { throw CommandFailure.input("--since 须为 yyyy-MM-dd 格式的日期 / --since must be yyyy-MM-dd") }
            return Self.startOfDay(day)
        }
        // Checked before the discovery, as recordExport checks them again: the log records who
        // exported and why, each on one line.
        let actor = try CommandFailure.mappingIssuerErrors { try Workspace.loggedText(by ?? Self.loginName, ("导出人", "--by (who exports)")) }
        let purpose = try CommandFailure.mappingIssuerErrors { try Workspace.loggedText(self.purpose, ("用途", "--purpose")) }
        // Before discovery records anything.
        if let out { try Files.checkTableOutput(out) }
        let opened = try workspace.open()
        let now = Clock.now
        let redemptions = try await database.redemptions(through: date, logger: DatabaseOption.commandLogger)
        let found = try CommandFailure.mappingIssuerErrors {
            try opened.discover(on: date, since: sinceTime, serviceID: service, now: now, redemptions: redemptions)
        }
        let catalogue = found.catalogue
        // Rows made as they are written: a first discovery over a province lists millions.
        let rows = found.lazy.map(Self.row)
        // Recorded before anything is shown, or a file takes its name: a list that left is a
        // list that is logged.
        func record() throws {
            try CommandFailure.mappingIssuerErrors { try opened.recordExport(by: actor, purpose: purpose, rows: found.count, now: now) }
        }
        if let out {
            try Files.writeTable(header: Self.header, rows: rows, sheetName: "主动推送", to: out, beforeReplacing: record)
        } else {
            try record()
        }
        if json, out == nil {
            try JSONOutput.print(
                ["catalogueVersion": catalogue.version, "date": date.description, "since": since ?? NSNull()],
                streaming: "holders",
                rows.map { Dictionary(uniqueKeysWithValues: zip(["service", "name", "certificate", "holder", "idNumber", "region", "category", "level", "sscCard", "since"], $0)) }
            )
            return
        }
        if out == nil {
            for row in rows {
                print(row.joined(separator: "\t"))
            }
        }
        let counts = found.countsByService
        for service in catalogue.services where counts[service.id] != nil {
            FileHandle.standardError.write(Data("  \(service.id)  \(language.lang == .en ? service.name.en : service.name.zh)：\(language.say("待联系 \(counts[service.id] ?? 0) 人", "\(counts[service.id] ?? 0) to contact"))\n".utf8))
        }
        let summary = language.say(
            "新增可享且未享受 \(found.count) 人次（目录 \(catalogue.version)，\(date)）\(out.map { "，已写入 \($0)" } ?? "")；已记入日志（\(actor)）",
            "\(found.count) entitlements newly held and not yet served (catalogue \(catalogue.version), \(date))\(out.map { ", written to \($0)" } ?? ""); logged as exported by \(actor)")
        FileHandle.standardError.write(Data((summary + "\n").utf8))
    }

    /// One row of the list, unmasked.
    static func row(_ item: Workspace.Discovery) -> [String] {
        let holder = item.holder
        let category = DisabilityCategory(rawValue: holder.category)?.chineseName ?? "\(holder.category)"
        let level = DisabilityLevel(rawValue: holder.level)?.chineseName ?? "\(holder.level)"
        return [
            item.service.id, item.service.name.zh, holder.number, holder.name, holder.citizenID, holder.region,
            category, level, holder.socialSecurityCard ?? "", CivilDate(Date(timeIntervalSince1970: TimeInterval(item.since))).description,
        ]
    }

    /// The operator by default: `$USER`, else the account running the command.
    static var loginName: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    /// The first second of `day` in China Standard Time (UTC+8).
    static func startOfDay(_ day: CivilDate) -> Int64 {
        Int64(day.daysSinceEpoch) * 86_400 - 8 * 3_600
    }
}
