/// Every failure of the Biscuit module. `code` is stable and machine-readable;
/// `referenceKind` names the matching error of the Rust reference implementation
/// (as the conformance samples spell it), so results can be compared with it.
public enum BiscuitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a well-formed token, or a signature does not verify.
    case format(FormatError)
    /// The Datalog ran, and authorization failed.
    case logic(LogicError)
    /// Evaluating an expression or running the rules failed (overflow, wrong type, run limits …).
    case execution(ExecutionError)
    /// Datalog source text could not be parsed.
    case parse(ParseError)
    /// The token is sealed: no block can be appended.
    case alreadySealed
    /// A builder was asked for something impossible (e.g. a fact with a variable).
    case invalidBuilder(String)

    /// A stable, machine-readable name of the failure, e.g. `invalid_signature`.
    public var code: String {
        switch self {
        case let .format(e): return e.code
        case let .logic(e): return e.code
        case let .execution(e): return "execution_\(e.code)"
        case let .parse(e): return "parse_\(e.code)"
        case .alreadySealed: return "already_sealed"
        case .invalidBuilder: return "invalid_builder"
        }
    }

    /// The reference implementation's error path, e.g. `Format.Signature.InvalidSignature`,
    /// `FailedLogic.Unauthorized`, `Execution.Overflow`.
    public var referenceKind: String {
        switch self {
        case let .format(e): return "Format.\(e.referenceKind)"
        case let .logic(e): return "FailedLogic.\(e.referenceKind)"
        case let .execution(e): return e.isRunLimit ? "RunLimit.\(e.referenceName)" : "Execution.\(e.referenceName)"
        case .parse: return "Language"
        case .alreadySealed: return "AlreadySealed"
        case .invalidBuilder: return "Language"
        }
    }

    /// A readable message with the failure's details.
    public var description: String {
        switch self {
        case let .format(e): return e.description
        case let .logic(e): return e.description
        case let .execution(e): return "execution error: \(e)"
        case let .parse(e): return "parse error: \(e)"
        case .alreadySealed: return "the token is sealed"
        case let .invalidBuilder(why): return "invalid builder input: \(why)"
        }
    }
}

/// Malformed tokens and failed signatures.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The outer protobuf could not be decoded, or a field is out of range.
    case deserialization(String)
    /// A block's protobuf could not be decoded.
    case blockDeserialization(String)
    /// A signature has the wrong size.
    case invalidSignatureSize(Int)
    /// A key has the wrong size.
    case invalidKeySize(Int)
    /// A signature does not verify.
    case invalidSignature(String)
    /// The key algorithm is not supported by this implementation (P-256).
    case unsupportedAlgorithm(String)
    /// A block's Datalog version is outside 3...6, or uses features its version lacks.
    case unsupportedVersion(minimum: UInt32, maximum: UInt32, actual: UInt32)
    /// A block repeats a symbol already defined.
    case symbolTableOverlap(String)
    /// A block repeats a public key already defined.
    case publicKeyTableOverlap
    /// A symbol index points nowhere.
    case unknownSymbol(UInt64)
    /// A public key index points nowhere.
    case unknownPublicKey(Int64)
    /// Base64 or hex text is malformed.
    case invalidEncoding(String)
    /// The root key id names no key the caller knows.
    case unknownRootKey(UInt32?)

    /// A stable, machine-readable name of the failure, e.g. `invalid_signature`.
    public var code: String {
        switch self {
        case .deserialization: return "deserialization"
        case .blockDeserialization: return "block_deserialization"
        case .invalidSignatureSize: return "invalid_signature_size"
        case .invalidKeySize: return "invalid_key_size"
        case .invalidSignature: return "invalid_signature"
        case .unsupportedAlgorithm: return "unsupported_algorithm"
        case .unsupportedVersion: return "unsupported_version"
        case .symbolTableOverlap: return "symbol_table_overlap"
        case .publicKeyTableOverlap: return "public_key_table_overlap"
        case .unknownSymbol: return "unknown_symbol"
        case .unknownPublicKey: return "unknown_public_key"
        case .invalidEncoding: return "invalid_encoding"
        case .unknownRootKey: return "unknown_root_key"
        }
    }

    /// The name of the matching error in the Rust reference implementation.
    public var referenceKind: String {
        switch self {
        case .deserialization: return "DeserializationError"
        case .blockDeserialization: return "BlockDeserializationError"
        case .invalidSignatureSize: return "BlockSignatureDeserializationError"
        case .invalidKeySize: return "InvalidKeySize"
        case .invalidSignature: return "Signature.InvalidSignature"
        case .unsupportedAlgorithm: return "UnsupportedAlgorithm"
        case .unsupportedVersion: return "Version"
        case .symbolTableOverlap: return "SymbolTableOverlap"
        case .publicKeyTableOverlap: return "PublicKeyTableOverlap"
        case .unknownSymbol: return "UnknownSymbol"
        case .unknownPublicKey: return "UnknownPublicKey"
        case .invalidEncoding: return "Base64"
        case .unknownRootKey: return "UnknownPublicKey"
        }
    }

    /// A readable message with the failure's details.
    public var description: String {
        switch self {
        case let .deserialization(why): return "deserialization error: \(why)"
        case let .blockDeserialization(why): return "block deserialization error: \(why)"
        case let .invalidSignatureSize(n): return "invalid signature size: \(n) bytes"
        case let .invalidKeySize(n): return "invalid key size: \(n) bytes"
        case let .invalidSignature(why): return "invalid signature: \(why)"
        case let .unsupportedAlgorithm(name): return "unsupported algorithm: \(name)"
        case let .unsupportedVersion(lo, hi, v): return "unsupported block version \(v) (supported: \(lo) to \(hi))"
        case let .symbolTableOverlap(s): return "symbol table overlap: \"\(s)\" is already defined"
        case .publicKeyTableOverlap: return "public key table overlap"
        case let .unknownSymbol(i): return "unknown symbol index \(i)"
        case let .unknownPublicKey(i): return "unknown public key index \(i)"
        case let .invalidEncoding(why): return "invalid encoding: \(why)"
        case let .unknownRootKey(id): return "unknown root key id \(id.map(String.init) ?? "none")"
        }
    }
}

/// A check that failed during authorization.
public enum FailedCheck: Equatable, Sendable {
    /// A check of token block `blockId` (its `checkId`-th check), printed as `rule`.
    case block(blockId: Int, checkId: Int, rule: String)
    /// The authorizer's `checkId`-th check, printed as `rule`.
    case authorizer(checkId: Int, rule: String)
}

/// The policy that matched.
public enum MatchedPolicy: Equatable, Sendable {
    /// The allow policy at this index matched.
    case allow(Int)
    /// The deny policy at this index matched.
    case deny(Int)
}

/// Authorization failures.
public enum LogicError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A policy matched (allow or deny) but checks failed, or a deny policy matched.
    case unauthorized(policy: MatchedPolicy, checks: [FailedCheck])
    /// No policy matched.
    case noMatchingPolicy(checks: [FailedCheck])
    /// A block carries a rule whose head uses a variable absent from its body.
    case invalidBlockRule(blockId: Int, rule: String)

    /// A stable, machine-readable name of the failure, e.g. `unauthorized`.
    public var code: String {
        switch self {
        case .unauthorized: return "unauthorized"
        case .noMatchingPolicy: return "no_matching_policy"
        case .invalidBlockRule: return "invalid_block_rule"
        }
    }

    /// The name of the matching error in the Rust reference implementation.
    public var referenceKind: String {
        switch self {
        case .unauthorized: return "Unauthorized"
        case .noMatchingPolicy: return "NoMatchingPolicy"
        case .invalidBlockRule: return "InvalidBlockRule"
        }
    }

    /// The failed checks, if any.
    public var failedChecks: [FailedCheck] {
        switch self {
        case let .unauthorized(_, checks), let .noMatchingPolicy(checks): return checks
        case .invalidBlockRule: return []
        }
    }

    /// A readable message listing the failed checks.
    public var description: String {
        let checks = failedChecks.map { check -> String in
            switch check {
            case let .block(b, c, rule): return "check #\(c) in block #\(b): \(rule)"
            case let .authorizer(c, rule): return "check #\(c) in the authorizer: \(rule)"
            }
        }.joined(separator: "; ")
        switch self {
        case let .unauthorized(.allow(i), _): return "authorization failed: allow policy #\(i) matched but checks failed: \(checks)"
        case let .unauthorized(.deny(i), _):
            return "authorization failed: deny policy #\(i) matched" + (checks.isEmpty ? "" : "; failed checks: \(checks)")
        case .noMatchingPolicy: return "authorization failed: no policy matched" + (checks.isEmpty ? "" : "; failed checks: \(checks)")
        case let .invalidBlockRule(b, rule): return "invalid rule in block #\(b): \(rule)"
        }
    }
}
