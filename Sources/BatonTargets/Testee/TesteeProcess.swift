import BatonModel
import Foundation
import Synchronization

/// An implementation under test running as a subprocess that speaks the testee
/// protocol `baton-testee/1` (docs/TESTEE-PROTOCOL.md): newline-delimited JSON
/// requests on its standard input, answers on its standard output.
///
/// The process is started lazily (on the first use of `descriptor` or of a call)
/// and greeted with a handshake. Requests go one at a time with increasing ids.
/// Whatever the testee does (crash, hang, garbage, wrong id, a line over 1 MiB,
/// closing stdout) becomes an `Outcome` with verdict `.error` for that call; a
/// testee whose answer stream can no longer be trusted is killed (its whole process
/// group) and started again, with a fresh handshake, on the next call.
///
/// Thread-safe: calls are serialised. `close()` (also run on deinit) asks the
/// testee to shut down, then terminates it.
public final class TesteeProcess: ImplementationUnderTest, Sendable {
    /// The protocol name sent in the handshake.
    public static let protocolName = "baton-testee/1"
    /// The longest answer line accepted (1 MiB, excluding the newline).
    public static let maxLineBytes = 1 << 20
    /// The error code with which a testee declines a request it does not implement.
    public static let unsupportedCode = Outcome.unsupportedCode

    /// The program and its arguments.
    public let command: [String]
    /// How long one request (writing it and reading its answer) may take.
    public let timeout: Duration
    /// Variables added to (or replacing those of) Baton's own environment.
    public let environment: [String: String]

    /// The process and the protocol's state, touched only under the mutex (calls are serialised).
    private let session: Mutex<Session>
    /// Where the blocking pipe I/O runs.
    private let queue = DispatchQueue(label: "baton.testee-process")

    /// Prepares (but does not start) a testee.
    public init(command: [String], timeout: Duration = .seconds(10), environment: [String: String] = [:]) {
        self.command = command
        self.timeout = timeout
        self.environment = environment
        session = Mutex(Session(command: command, timeout: timeout, environment: environment))
    }

    /// A testee from one command line: split into words when it is made of simple
    /// (optionally quoted) words, otherwise run by `/bin/sh -c`.
    public convenience init(commandLine: String, timeout: Duration = .seconds(10), environment: [String: String] = [:]) {
        self.init(command: ShellWords.split(commandLine) ?? ["/bin/sh", "-c", commandLine], timeout: timeout, environment: environment)
    }

    deinit { close() }

    /// The testee's handshake. When the first handshake failed: the command as the
    /// name, no profiles, no roles (and `startupFailure` says why).
    public var descriptor: ImplementationDescriptor {
        session.withLock { session in
            switch session.greetIfNeeded() {
            case let .success(d): return d
            case .failure:
                return ImplementationDescriptor(name: command.joined(separator: " "), version: "unknown", profiles: [], roles: [], options: [])
            }
        }
    }

    /// Starts the testee and performs the handshake (once), off the cooperative pool; returns why
    /// it failed, if it did. `descriptor` and every call do this on first use too, but a caller in
    /// an async context should start the testee here rather than block a thread on `descriptor`.
    @discardableResult
    public func start() async -> TesteeFailure? {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.startupFailure) }
        }
    }

    /// Why the testee could not be started and greeted the first time, if it could not.
    public var startupFailure: TesteeFailure? {
        session.withLock { session in
            if case let .failure(f) = session.greetIfNeeded() { return f }
            return nil
        }
    }

    /// How many processes have been started so far (1 + restarts).
    public var launches: Int { session.withLock { $0.launchCount } }

    /// The last lines the current process wrote to standard error.
    public var stderrTail: [String] { session.withLock { $0.connection?.stderrLines ?? [] } }

    public func mint(_ request: MintRequest) async -> IssueResult {
        await issue("mint", request)
    }

    public func delegate(_ request: DelegateRequest) async -> IssueResult {
        await issue("delegate", request)
    }

    public func verify(_ request: VerifyRequest) async -> Outcome {
        let answer: TesteeAnswer
        switch await call("verify", VerifyParams(request: request)) {
        case let .failure(message): return .failed(message.text)
        case let .success(a): answer = a
        }
        switch answer {
        case let .refused(code, message, _) where code == Self.unsupportedCode:
            return Self.unsupported(message)
        case let .refused(code, message, _):
            return .failed("the testee could not process verify: \(code)" + (message.map { ": \($0)" } ?? ""))
        case let .result(result):
            let details = result["details"]?.stringArray
            guard let valid = result["valid"]?.boolValue else {
                return .failed("the testee's verify answer is malformed: result has no boolean 'valid': \(Self.prefix(of: result))")
            }
            if valid { return Outcome(verdict: .accept, details: details) }
            return Outcome(
                verdict: .reject, code: result["code"]?.stringValue, step: result["step"]?.stringValue,
                message: result["message"]?.stringValue, details: details)
        }
    }

    public func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        switch await call("sts_setup", setup) {
        case let .failure(message): return .failed(.failed(message.text))
        case let .success(.refused(code, message, _)) where code == Self.unsupportedCode: return .failed(Self.unsupported(message))
        case let .success(.refused(code, message, _)):
            return .failed(.failed("the testee could not set up its token service: \(code)" + (message.map { ": \($0)" } ?? "")))
        case let .success(.result(result)):
            guard let issuer = result["issuer"]?.stringValue, let jwks = result["jwks"] else {
                return .failed(
                    .failed("the testee's sts_setup answer is malformed: it needs a string 'issuer' and a 'jwks' object: \(Self.prefix(of: result))"))
            }
            var identities: [String: String] = [:]
            for (name, value) in result["identities"]?.objectValue ?? [:] { if let s = value.stringValue { identities[name] = s } }
            return .ready(
                TokenServiceInfo(
                    issuer: issuer, jwks: jwks.stringValue ?? jwks.serialized, identities: identities, layout: result["layout"]?.stringValue))
        }
    }

    public func login(_ request: LoginRequest) async -> IssueResult { await issue("sts_login", request) }

    public func exchange(_ call: ExchangeCall) async -> IssueResult { await issue("sts_exchange", call) }

    public func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult {
        switch await call("agent_task", AgentTaskParams(request: request)) {
        case let .failure(message): return .failed(.failed(message.text))
        case let .success(.refused(code, message, _)) where code == Self.unsupportedCode: return .failed(Self.unsupported(message))
        case let .success(.refused(code, message, _)):
            return .failed(.failed("the testee could not process agent_task: \(code)" + (message.map { ": \($0)" } ?? "")))
        case let .success(.result(result)): return Self.agentTaskResult(from: result)
        }
    }

    /// Asks the testee to shut down (best effort, a short wait), then terminates its
    /// process group. A later call starts a new process.
    public func close() {
        session.withLock { session in
            guard let connection = session.connection else { return }
            session.connection = nil
            let budget = min(timeout, .seconds(2))
            if let line = try? Session.encodeRequest(id: session.takeId(), op: "shutdown", params: [String: String]()) {
                let deadline = TesteeConnection.Deadline(budget)
                if (try? connection.send(line, deadline: deadline)) != nil { _ = try? connection.receive(deadline: deadline) }
            }
            connection.close(grace: budget)
        }
    }

    // MARK: - calls

    private func issue<Params: Encodable & Sendable>(_ op: String, _ params: Params) async -> IssueResult {
        switch await call(op, params) {
        case let .failure(message): return .refused(.failed(message.text))
        case let .success(.refused(code, message, _)) where code == Self.unsupportedCode:
            return .refused(Self.unsupported(message))
        case let .success(.refused(code, message, step)):
            return .refused(.rejected(code, step: step, message: message))
        case let .success(.result(result)):
            guard let token = result["token"]?.stringValue else {
                return .refused(.failed("the testee's \(op) answer is malformed: result has no string 'token': \(Self.prefix(of: result))"))
            }
            return .token(token)
        }
    }

    /// One request and its answer, or a message saying what went wrong (the testee
    /// is killed when its stream cannot be trusted any more).
    /// Runs on the testee's own serial queue: the pipes are read and written with blocking calls
    /// under deadlines, which must not hold a thread of the cooperative pool.
    func call<Params: Encodable & Sendable>(_ op: String, _ params: Params) async -> Result<TesteeAnswer, FailureMessage> {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.session.withLock { $0.call(op, params) }) }
        }
    }
}

/// A testee process and the protocol's state: the current connection, the first handshake's
/// outcome, the next request id. Lives inside `TesteeProcess`'s mutex.
private struct Session {
    let command: [String]
    let timeout: Duration
    let environment: [String: String]
    var connection: TesteeConnection?
    /// The first handshake's outcome: the descriptor, or why the testee is unusable.
    var greeting: Result<ImplementationDescriptor, TesteeFailure>?
    var nextId = 1
    var launchCount = 0

    init(command: [String], timeout: Duration, environment: [String: String]) {
        self.command = command
        self.timeout = timeout
        self.environment = environment
    }

    /// One request and its answer, or a message saying what went wrong (the testee
    /// is killed when its stream cannot be trusted any more).
    mutating func call<Params: Encodable & Sendable>(_ op: String, _ params: Params) -> Result<TesteeAnswer, FailureMessage> {
        do {
            if case let .failure(f) = greetIfNeeded() {
                return .failure(FailureMessage("\(op): the testee failed its handshake, so no request was sent: \(f)"))
            }
            if connection == nil {
                do throws(TesteeFailure) {
                    _ = try launchAndGreet()
                } catch {
                    return .failure(FailureMessage("\(op): restarting the testee failed: \(error)"))
                }
            }
            guard let connection else { return .failure(FailureMessage("\(op): the testee is not running")) }
            let id = takeId()
            do throws(TesteeFailure) {
                return .success(try exchange(connection, id: id, op: op, params: params))
            } catch {
                if error.requiresRestart {
                    connection.kill()
                    self.connection = nil
                }
                return .failure(FailureMessage("\(op) (request id \(id)): \(error)"))
            }
        }
    }

    /// Runs the first handshake once; later returns its recorded outcome.
    mutating func greetIfNeeded() -> Result<ImplementationDescriptor, TesteeFailure> {
        if let greeting { return greeting }
        let result: Result<ImplementationDescriptor, TesteeFailure>
        do throws(TesteeFailure) { result = .success(try launchAndGreet()) } catch { result = .failure(error) }
        greeting = result
        return result
    }

    /// Starts a process and performs the handshake; on success it becomes the current connection.
    mutating func launchAndGreet() throws(TesteeFailure) -> ImplementationDescriptor {
        launchCount += 1
        let fresh = try TesteeConnection(command: command, environment: environment, maxLineBytes: TesteeProcess.maxLineBytes)
        do {
            let answer = try exchange(fresh, id: takeId(), op: "handshake", params: ["protocol": TesteeProcess.protocolName])
            let descriptor = try TesteeProcess.descriptor(from: answer)
            connection = fresh
            return descriptor
        } catch {
            fresh.kill()
            throw error
        }
    }

    /// Writes one request and reads its answer before the deadline.
    func exchange<Params: Encodable>(_ connection: TesteeConnection, id: Int, op: String, params: Params) throws(TesteeFailure) -> TesteeAnswer {
        let deadline = TesteeConnection.Deadline(timeout)
        let line: [UInt8]
        do { line = try Self.encodeRequest(id: id, op: op, params: params) } catch {
            throw .malformedAnswer("Baton could not encode the \(op) request: \(error)")
        }
        try connection.send(line, deadline: deadline)
        var answerLine: [UInt8]
        repeat { answerLine = try connection.receive(deadline: deadline) } while answerLine.allSatisfy { $0 == 0x20 || $0 == 0x09 }
        return try TesteeAnswer(line: answerLine, expectedId: id)
    }

    static func encodeRequest<Params: Encodable>(id: Int, op: String, params: Params) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(RequestEnvelope(id: id, op: op, params: params))) + [UInt8(ascii: "\n")]
    }

    mutating func takeId() -> Int {
        defer { nextId += 1 }
        return nextId
    }
}

extension TesteeProcess {
    // MARK: - mapping

    static func descriptor(from answer: TesteeAnswer) throws(TesteeFailure) -> ImplementationDescriptor {
        switch answer {
        case let .refused(code, message, _):
            throw .handshakeRejected("the testee refused it: \(code)" + (message.map { ": \($0)" } ?? ""))
        case let .result(r):
            guard let name = r["name"]?.stringValue, let profiles = r["profiles"]?.stringArray, let roles = r["roles"]?.stringArray else {
                throw .handshakeRejected("the result needs a string 'name' and string arrays 'profiles' and 'roles': \(prefix(of: r))")
            }
            return ImplementationDescriptor(
                name: name, version: r["version"]?.stringValue ?? "unknown", profiles: profiles.map { TokenProfile($0) },
                roles: roles.compactMap(ImplementationRole.init(rawValue:)),
                options: (r["options"]?.stringArray ?? []).map(ImplementationOption.init(rawValue:)))
        }
    }

    /// The `.error` outcome for an `unsupported` answer: `ScenarioRunner` skips the case with this message.
    static func unsupported(_ message: String?) -> Outcome {
        .unsupported(message ?? "the testee does not implement this")
    }

    static func prefix(of object: [String: TesteeJSON]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(object.mapValues(EncodableJSON.init))).map { String(decoding: $0, as: UTF8.self) } ?? "\(object)"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// An error message for a failed call (a `Result` failure needs an `Error`).
struct FailureMessage: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

/// `{"id": …, "op": …, "params": {…}}`.
private struct RequestEnvelope<Params: Encodable>: Encodable {
    let id: Int
    let op: String
    let params: Params
}

/// Verify params with `token` written as `null` when no token was presented, as the protocol says.
struct VerifyParams: Encodable {
    let request: VerifyRequest
    private enum Key: String, CodingKey { case token }

    func encode(to encoder: Encoder) throws {
        try request.encode(to: encoder)
        if request.token == nil {
            var c = encoder.container(keyedBy: Key.self)
            try c.encodeNil(forKey: .token)
        }
    }
}

/// Re-encodes a `TesteeJSON` value (for quoting answers in messages).
struct EncodableJSON: Encodable {
    let value: TesteeJSON
    init(_ value: TesteeJSON) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .integer(i): try c.encode(i)
        case let .number(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a.map(EncodableJSON.init))
        case let .object(o): try c.encode(o.mapValues(EncodableJSON.init))
        }
    }
}
