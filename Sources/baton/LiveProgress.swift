import BatonModel
import BatonReports
import Foundation
import Synchronization

/// The live line of `baton run` on a terminal (standard error a TTY, `--quiet` not given): redrawn
/// after each case, when a scenario starts, and every quarter second while a request has been waiting
/// for a second or more. Result lines go to standard output above it, so the line is cleared before
/// each one and drawn again after; at the end it is cleared for good. Nothing of it reaches a report.
final class LiveProgress: Sendable {
    private let state: Mutex<ProgressLine.State>
    private let ticker: Mutex<Task<Void, Never>?> = Mutex(nil)
    private static let clearLine = "\r\u{1B}[2K"

    /// Whether a live line should be drawn: standard error is a terminal that can take it.
    static func wanted(quiet: Bool) -> Bool {
        !quiet && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    init(total: Int) {
        state = Mutex(ProgressLine.State(total: total))
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                guard let self else { return }
                if self.state.withLock({ $0.requestSentAt.map { Self.now() - $0 >= ProgressLine.slowRequest } ?? false }) { self.draw() }
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The terminal's width, 80 when it cannot be read.
    static func columns() -> Int {
        var size = winsize()
        let read = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        return read == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    func starting(_ scenario: String) {
        state.withLock { $0.current = scenario }
        draw()
    }

    /// Counts a finished case and prints its result line (if any) above the live line.
    func finished(_ result: CaseResult, line: String?) {
        state.withLock { $0.record(result) }
        if let line {
            FileHandle.standardError.write(Data(Self.clearLine.utf8))
            Console.out(line)
        }
        draw()
    }

    func requestSent() { state.withLock { $0.requestSentAt = Self.now() } }
    func requestAnswered() { state.withLock { $0.requestSentAt = nil } }

    /// Clears the line and stops redrawing it.
    func finish() {
        ticker.withLock {
            $0?.cancel()
            $0 = nil
        }
        FileHandle.standardError.write(Data(Self.clearLine.utf8))
    }

    private func draw() {
        let line = ProgressLine.render(state.withLock { $0 }, now: Self.now(), width: Self.columns())
        FileHandle.standardError.write(Data((Self.clearLine + line).utf8))
    }
}

/// An implementation under test whose requests the live line times: each call marks the request sent,
/// then answered. Used only while a live line is drawn, and only for implementations outside the
/// process (the reference answers in microseconds).
struct TimedImplementation: ImplementationUnderTest {
    let base: any ImplementationUnderTest
    let progress: LiveProgress

    var descriptor: ImplementationDescriptor { base.descriptor }

    private func timed<T>(_ call: () async -> T) async -> T {
        progress.requestSent()
        defer { progress.requestAnswered() }
        return await call()
    }

    func mint(_ request: MintRequest) async -> IssueResult { await timed { await base.mint(request) } }
    func delegate(_ request: DelegateRequest) async -> IssueResult { await timed { await base.delegate(request) } }
    func verify(_ request: VerifyRequest) async -> Outcome { await timed { await base.verify(request) } }
    func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult { await timed { await base.setUpTokenService(setup) } }
    func login(_ request: LoginRequest) async -> IssueResult { await timed { await base.login(request) } }
    func exchange(_ call: ExchangeCall) async -> IssueResult { await timed { await base.exchange(call) } }
    func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult { await timed { await base.agentTask(request) } }
    func gatewayCall(_ call: GatewayCall) async -> GatewayDecision { await timed { await base.gatewayCall(call) } }
}
