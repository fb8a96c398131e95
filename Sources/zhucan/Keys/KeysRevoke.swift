import ArgumentParser
import Foundation
import ZhucanEnvelope
import ZhucanIssuer

/// `zhucan keys revoke`: a retired issuer key that verifiers must refuse from now on.
struct KeysRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a retired issuer key (stolen or lost): verifiers refuse everything it signed.",
        discussion: """
            A retired key's signatures dated before its retirement keep verifying, so a copy of its private key \
            (a backup, a stolen disk) can sign certificates that look genuine. Revoking it publishes a trust list \
            that marks it revoked: verifiers and nodes with that list answer key_not_valid_at_signing for anything \
            it signed. Rotate first if it is the active key. Holders' codes are minted by the active key and keep \
            working; the certificates the revoked key signed no longer verify as certificates: issue them again with \
            `zhucan reissue --signed-by KID`. Needs the root key.
            """
    )
    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("The issuer key's id (16 hex digits, as `keys rotate` and `verify` print it).", valueName: "kid"))
    var key: String

    @Option(help: "Why (recorded in the transparency log).")
    var reason: String

    func run() async throws {
        let opened = try workspace.open()
        let revocation = try CommandFailure.mappingIssuerErrors {
            try opened.revokeIssuerKey(keyID: key.lowercased(), reason: reason, now: Clock.now)
        }
        print(LanguageOption.Language.current.render(
            "签发密钥 \(key.lowercased()) 已吊销，信任列表 \(revocation.trustList.sequence) 已发布 / issuer key \(key.lowercased()) revoked; trust list \(revocation.trustList.sequence) published, expires \(Timestamp.iso(revocation.trustList.expiresAt))"
        ))
        if revocation.liveCertificates > 0 {
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(
                "注意：该密钥签发的 \(revocation.liveCertificates) 张有效证件不再能作为证件核验，请重新签发（zhucan reissue），持证人的身份码和服务码不受影响 / note: \(revocation.liveCertificates) live certificates were signed by this key: they no longer verify as certificates (their holders' codes, signed by the active key, keep working); issue them again with `zhucan reissue --dir \(opened.directory.path) --signed-by \(key.lowercased())`"
            ) + "\n").utf8))
        }
        FileHandle.standardError.write(Data("distribute the new trust list to offline verifiers; nodes fetch it on their next refresh\n".utf8))
    }
}
