import AIP
import BatonCrypto
import BatonHarness
import BatonModel
import Biscuit
import BiscuitForge

/// Carries out a Biscuit attack on real token bytes: blocks really signed, bytes really
/// flipped. See `BiscuitForge.Forge` for the primitives.
struct BiscuitForger {
    var state: RunState
    var salt: String

    func apply(_ attack: BiscuitAttack, to text: String) throws -> String {
        let token: BiscuitToken
        do { token = try BiscuitToken(bytes: BiscuitToken.decodeBase64(text)) } catch {
            throw ForgeFailure("the source token cannot be decoded: \(error)")
        }
        let next = Ed25519.PrivateKey.derived(from: "\(state.seed):forge:\(salt)")
        let forged: BiscuitToken
        switch attack {
        case let .append(spec):
            forged = try append(spec, to: token, nextKey: next)
        case let .tamperPayload(block, offset, bit):
            forged = try Forge.tamperPayload(token, block: block, byte: offset, bit: bit)
        case let .flipTokenBit(offset, bit):
            return Base64URL.encode(Forge.flipBit(token.serialized(), byte: offset, bit: bit))
        case let .resign(block, key):
            forged = try Forge.resign(token, block: block, with: state.key(key, salt: salt))
        case let .dropBlock(i):
            forged = try Forge.dropBlock(token, at: i)
        case let .truncate(n):
            forged = try Forge.truncate(token, toBlocks: n)
        case let .reorder(order):
            forged = try Forge.reorder(token, order: order)
        case let .duplicateBlock(i):
            forged = try Forge.duplicateBlock(token, at: i)
        case let .substituteRoot(key):
            forged = try Forge.substituteRoot(token, attackerRoot: state.key(key, salt: salt))
        case let .rewriteBlock(block, datalog, signer):
            let source = try DatalogParser.parseBlock(datalog)
            forged = try Forge.rewriteBlock(token, block: block, with: source, signer: state.key(signer, salt: salt))
        case let .stripSignature(block):
            forged = try Forge.replaceSignature(token, block: block, with: [])
        case .seal:
            forged = try token.sealed()
        case let .provenance(spec):
            forged = try appendProvenance(spec, to: token, nextKey: next)
        case let .appendWithoutProof(spec, signer):
            let holder = (try? AIPChain(blocks: token.decodedBlocks(), strict: false))?.effective.holder ?? "unknown"
            var facts: [Fact] = [
                Fact(name: "delegator", terms: [.string(spec.delegator.map(state.identity) ?? holder)]),
                Fact(name: "delegate", terms: [.string(spec.delegate.map(state.identity) ?? holder)]),
            ]
            if let c = spec.context { facts.append(Fact(name: "context", terms: [.string(c)])) }
            var source = BlockSource(facts: facts)
            if let scopes = spec.scopes { source.checks.append(CanonicalDatalog.toolCheck(ScopeSet(scopes: scopes, patterns: true))) }
            forged = try Forge.appendWithoutProof(token, source, signer: state.key(signer, salt: salt), nextKey: next)
        case let .tamperExternalSignature(block):
            forged = try Forge.tamperExternalSignature(token, block: block)
        }
        return forged.base64()
    }

    /// A provenance block appended by the holder (or a third party signing it).
    func appendProvenance(_ spec: BiscuitAttack.ProvenanceBlock, to token: BiscuitToken, nextKey: Ed25519.PrivateKey) throws -> BiscuitToken {
        let chain = try? AIPChain(blocks: token.decodedBlocks(), strict: false)
        let facts = spec.facts.map { field -> Fact in
            let term: Term
            switch field.value {
            case let .string(v): term = .string(v)
            case let .integer(v): term = .integer(v)
            case let .bool(v): term = .bool(v)
            case let .agent(v): term = .string(state.identity(v))
            case .lastDelegator: term = .string(chain?.delegations.last?.delegator ?? "unknown")
            }
            return Fact(name: field.name, terms: [term])
        }
        let source = BlockSource(facts: facts)
        if let signer = spec.signedBy {
            let block = try token.thirdPartyRequest.sign(source, with: state.key(signer, salt: salt))
            return try token.appendingThirdParty(block, nextKey: nextKey)
        }
        return try token.appending(source, nextKey: nextKey)
    }

    /// A block appended by whoever holds the token: the proof key signs it, so it
    /// verifies as Biscuit; what it claims is up to the attacker.
    func append(_ spec: BiscuitAttack.AppendBlock, to token: BiscuitToken, nextKey: Ed25519.PrivateKey) throws -> BiscuitToken {
        let holder = (try? AIPChain(blocks: token.decodedBlocks(), strict: false))?.effective.holder ?? "unknown"
        var facts: [Fact] = [
            Fact(name: "delegator", terms: [.string(spec.delegator.map(state.identity) ?? holder)]),
            Fact(name: "delegate", terms: [.string(spec.delegate.map(state.identity) ?? holder)]),
        ]
        if let c = spec.context { facts.append(Fact(name: "context", terms: [.string(c)])) }
        if let p = spec.principal { facts.append(Fact(name: "principal", terms: [.string(p)])) }
        if let b = spec.budgetCents { facts.append(Fact(name: "budget_ceiling", terms: [.integer(b)])) }
        var source = BlockSource(facts: facts)
        if let scopes = spec.scopes { source.checks.append(CanonicalDatalog.toolCheck(ScopeSet(scopes: scopes, patterns: true))) }
        if let e = spec.expiresIn { source.checks.append(CanonicalDatalog.timeCheck(expiry: UInt64(max(0, state.clock.now + e)))) }
        if let text = spec.datalog {
            let extra = try DatalogParser.parseBlock(text)
            source.facts += extra.facts
            source.rules += extra.rules
            source.checks += extra.checks
            source.scopes += extra.scopes
        }
        if let signer = spec.signedBy {
            let block = try token.thirdPartyRequest.sign(source, with: state.key(signer, salt: salt))
            return try token.appendingThirdParty(block, nextKey: nextKey)
        }
        return try token.appending(source, nextKey: nextKey)
    }
}
