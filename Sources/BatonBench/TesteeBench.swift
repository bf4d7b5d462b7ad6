import BatonModel
import BatonTargets
import Foundation

/// Verify round trips per second through the testee protocol against a trivial testee
/// (Interop/trivial_testee.py): the harness's own cost per request, pipes and JSON included.
struct TesteeBench {
    var commandLine: String
    var requests: Int

    struct Result {
        var requests: Int
        var seconds: Double
        var perSecond: Double { Double(requests) / seconds }
    }

    func run() async throws -> Result {
        let testee = TesteeProcess(commandLine: commandLine, timeout: .seconds(10))
        defer { testee.close() }
        let json = """
            {"profile": "aip-chained", "token": "\(String(repeating: "A", count: 400))", "root_key": "\(String(repeating: "0", count: 64))",
             "audience": "aip:web:acme.com/writer", "required_scope": "write:draft", "now": 1780000000, "require_signed_delegation": false}
            """
        let request = try JSONDecoder().decode(VerifyRequest.self, from: Data(json.utf8))
        for _ in 0..<200 { guard await testee.verify(request).verdict == .accept else { throw BenchFailure("the trivial testee did not accept") } }
        let start = ContinuousClock.now
        for _ in 0..<requests {
            guard await testee.verify(request).verdict == .accept else { throw BenchFailure("a round trip failed") }
        }
        let d = ContinuousClock.now - start
        return Result(requests: requests, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
