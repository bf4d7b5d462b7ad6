import ArgumentParser
import BatonAudit
import BatonCrypto
import Foundation

/// `baton audit verify|who`: checks an audit log and answers "who authorized this?".
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify an audit log, or trace who authorized an action.",
        subcommands: [Verify.self, Who.self, ExcessiveAgency.self])

    static let defaultAuditor = AuditLog().auditorKey.publicKey.hex

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Detect edited, dropped or reordered records.")
        @Option(help: "The auditor's public key (hex); default: Baton's seeded auditor.") var auditor: String = AuditCommand.defaultAuditor
        @Argument(help: "The JSON Lines audit log.") var file: String

        func run() throws {
            let key = try Ed25519.PublicKey(hex: auditor)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            if let problem = AuditVerifier.verify(text, auditor: key) {
                Console.out("\(file): TAMPERED — \(problem)")
                throw ExitCode(1)
            }
            let count = text.split(separator: "\n").count
            Console.out("\(file): intact — \(count) record(s), hash chain and signatures verified")
        }
    }

    struct Who: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reconstruct who authorized an agent to perform an action.")
        @Option(help: "The receiving agent (name or AIP identifier).") var agent: String
        @Option(help: "The action (scope) it performed.") var action: String
        @OptionGroup var log: AuditLogOptions

        func run() throws {
            let records = try log.records()
            let found = AuditVerifier.who(records, agent: agent, action: action)
            if found.isEmpty { Console.out("no record of \(agent) performing \(action)"); throw ExitCode(1) }
            for r in found {
                Console.out(
                    "record \(r.sequence) [\(r.session)] at \(r.time): \(r.caller) → \(r.receiver) for \(r.scope): \(r.decision)\(r.code.map { " (\($0))" } ?? "")"
                )
                Console.out("  on behalf of: \(r.principal ?? "no principal named")")
                Console.out("  issued by:    \(r.issuer ?? "?")")
                for (i, hop) in r.chain.enumerated() {
                    Console.out("  hop \(i + 1): \(hop.delegator) → \(hop.delegate)  scopes \(hop.scopes)  \"\(hop.context ?? "")\"")
                }
            }
        }
    }

    struct ExcessiveAgency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "excessive-agency", abstract: "List agents whose delegated tools are much broader than the tools they used.")
        @OptionGroup var log: AuditLogOptions

        func run() throws {
            let records = try log.records()
            let findings = AuditVerifier.excessiveAgency(records)
            if findings.isEmpty { Console.out("no agent holds tools it did not use") }
            for f in findings {
                Console.out(
                    "[\(f.session)] \(f.caller): granted \(f.granted.count) tool(s), used \(f.used.count): unused \(f.unused.joined(separator: ", "))"
                )
            }
        }
    }
}

/// The audit log a query reads, and the auditor whose signatures it checks (a query still answers
/// from a log that is not intact, with a warning).
struct AuditLogOptions: ParsableArguments {
    @Option(help: "The auditor's public key (hex).") var auditor: String = AuditCommand.defaultAuditor
    @Argument(help: "The JSON Lines audit log.") var file: String

    /// The log's records; exit code 2 with the reason when the file does not parse.
    func records() throws -> [AuditRecord] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        if let problem = AuditVerifier.verify(text, auditor: try Ed25519.PublicKey(hex: auditor)) {
            Console.err("warning: the log is not intact: \(problem)")
        }
        switch AuditVerifier.parse(text) {
        case let .success(records): return records
        case let .failure(problem):
            Console.err("\(file): \(problem)")
            throw ExitCode(2)
        }
    }
}
