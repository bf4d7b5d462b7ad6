#if !BATON_LIBFUZZER
import Foundation

/// `baton-fuzz` in a normal build: replays corpus files through a fuzz target
/// and writes the minted seeds. (Built with `-DBATON_LIBFUZZER`, the same target
/// becomes a libFuzzer binary instead; see LibFuzzerEntry.swift.)
@main
struct BatonFuzz {
    static func main() {
        exit(FuzzCommandLine.run(Array(CommandLine.arguments.dropFirst())))
    }
}
#endif
