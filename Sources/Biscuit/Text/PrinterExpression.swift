/// Rebuilds the infix text of a postfix expression, exactly as the reference does:
/// operands are printed as terms, operators are applied to the printed text of
/// their operands without adding parentheses (only explicit `parens` ops print them).
enum PrinterExpression {
    /// Deepest closure nesting printed; deeper expressions are reported invalid.
    static let maximumDepth = 256

    /// The text of `ops`, or nil when they do not form a single well-formed
    /// expression (stack underflow, leftover operands, or nesting too deep).
    static func render(_ ops: [Op], depth: Int = 0) -> String? {
        guard depth <= maximumDepth else { return nil }
        var stack: [String] = []
        for op in ops {
            switch op {
            case let .value(term):
                stack.append(PrinterTerm.render(term))
            case let .unary(unary):
                guard let operand = stack.popLast() else { return nil }
                stack.append(apply(unary, to: operand))
            case let .binary(binary):
                guard let right = stack.popLast(), let left = stack.popLast() else { return nil }
                stack.append(apply(binary, left, right))
            case let .closure(params, body):
                guard let text = render(body, depth: depth + 1) else { return nil }
                if params.isEmpty {
                    stack.append(text)
                } else {
                    let names = params.map { "$" + $0 }.joined(separator: ", ")
                    stack.append(names + " -> " + text)
                }
            }
        }
        return stack.count == 1 ? stack[0] : nil
    }

    static func apply(_ op: UnaryOp, to value: String) -> String {
        switch op {
        case .negate: return "!" + value
        case .parens: return "(" + value + ")"
        case .length: return value + ".length()"
        case .typeOf: return value + ".type()"
        case let .ffi(name): return value + ".extern::" + name + "()"
        }
    }

    static func apply(_ op: BinaryOp, _ left: String, _ right: String) -> String {
        switch op {
        case .lessThan: return infix(left, "<", right)
        case .greaterThan: return infix(left, ">", right)
        case .lessOrEqual: return infix(left, "<=", right)
        case .greaterOrEqual: return infix(left, ">=", right)
        case .equal: return infix(left, "===", right)
        case .notEqual: return infix(left, "!==", right)
        case .heterogeneousEqual: return infix(left, "==", right)
        case .heterogeneousNotEqual: return infix(left, "!=", right)
        case .contains: return method(left, "contains", right)
        case .prefix: return method(left, "starts_with", right)
        case .suffix: return method(left, "ends_with", right)
        case .regex: return method(left, "matches", right)
        case .add: return infix(left, "+", right)
        case .sub: return infix(left, "-", right)
        case .mul: return infix(left, "*", right)
        case .div: return infix(left, "/", right)
        // The strict (non short-circuiting) boolean operators print with a `!` suffix.
        case .and: return infix(left, "&&!", right)
        case .or: return infix(left, "||!", right)
        case .intersection: return method(left, "intersection", right)
        case .union: return method(left, "union", right)
        case .bitwiseAnd: return infix(left, "&", right)
        case .bitwiseOr: return infix(left, "|", right)
        case .bitwiseXor: return infix(left, "^", right)
        case .lazyAnd: return infix(left, "&&", right)
        case .lazyOr: return infix(left, "||", right)
        case .all: return method(left, "all", right)
        case .any: return method(left, "any", right)
        case .get: return method(left, "get", right)
        case let .ffi(name): return method(left, "extern::" + name, right)
        case .tryOr: return method(left, "try_or", right)
        }
    }

    private static func infix(_ left: String, _ symbol: String, _ right: String) -> String {
        left + " " + symbol + " " + right
    }

    private static func method(_ left: String, _ name: String, _ right: String) -> String {
        left + "." + name + "(" + right + ")"
    }
}
