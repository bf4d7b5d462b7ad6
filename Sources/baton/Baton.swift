import ArgumentParser

/// `baton`: a conformance harness and attack range for delegation tokens between AI agents.
@main
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Conformance harness and attack range for delegation tokens between AI agents.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ListCommand.self, ExplainCommand.self, InspectCommand.self, VerifyCommand.self, MintCommand.self, KillMatrixCommand.self,
            AuditCommand.self, MutateCommand.self, ServeAgentCommand.self, ServeSTSCommand.self, ServeGatewayCommand.self,
            VectorsCommand.self, CoverageCommand.self, DiffCommand.self, MergeCommand.self, InitCommand.self,
        ])
}
