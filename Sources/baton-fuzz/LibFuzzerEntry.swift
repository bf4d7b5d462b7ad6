#if BATON_LIBFUZZER
import BatonFuzzing
import CLibFuzzer
import Foundation

// Built with `-Xswiftc -sanitize=fuzzer,address -Xswiftc -DBATON_LIBFUZZER`, this
// executable is a libFuzzer binary: libFuzzer's driver parses the command line
// and calls `LLVMFuzzerTestOneInput` with each input, for the target named by
// the environment variable BATON_FUZZ_TARGET.
//
// SwiftPM links executables with `--defsym main=<module>_main` (so that tests can
// link the module), which leaves no room for libFuzzer's own `main`. So this file
// defines `baton_fuzz_main` in place of `@main`: it hands argc/argv to libFuzzer's
// driver (`LLVMFuzzerRunDriver`), which then behaves exactly as libFuzzer's `main`.
// `baton-fuzz replay …` and `baton-fuzz seeds …` still work in this build.

/// The target chosen by BATON_FUZZ_TARGET (checked in `baton_fuzz_main` before fuzzing).
private let selectedTarget: FuzzTarget? = ProcessInfo.processInfo.environment["BATON_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))

/// libFuzzer's callback: runs the selected target; a broken invariant aborts, so
/// libFuzzer records the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func batonFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selectedTarget else { return -1 }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try target.run(bytes)
    } catch {
        fatalError("broken invariant: \(error)")
    }
    return 0
}

/// The process entry point (SwiftPM aliases `main` to it).
@_cdecl("baton_fuzz_main")
public func batonFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let first = arguments.first, FuzzCommandLine.commands.contains(first) {
        return FuzzCommandLine.run(arguments)
    }
    guard selectedTarget != nil else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("baton-fuzz: set BATON_FUZZ_TARGET to one of: \(names)\n".utf8))
        return 2
    }
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values, batonFuzzTestOneInput)
}
#endif
