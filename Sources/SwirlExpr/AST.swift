/// A node of a parsed expr-lang expression. `column` points at the token that gives the node its meaning (the
/// operator of a binary expression, the name of a call) so errors can be reported where the reader looks.
struct Node: Sendable {
    indirect enum Kind: Sendable {
        case literal(ExprValue)
        case identifier(String)
        /// `#` (name "") or `#index` / `#acc` inside a closure.
        case pointer(String)
        case unary(String, Node)
        case binary(String, Node, Node)
        case ternary(Node, Node, Node)
        /// `a.b` / `a?.b`.
        case member(Node, String, optional: Bool)
        /// `a[i]` / `a?.[i]`.
        case index(Node, Node, optional: Bool)
        /// `a[i:j]`.
        case slice(Node, Node?, Node?)
        /// `name(args)`; `sprig.name(args)` has name "sprig.name".
        case call(String, [Node])
        /// `value.Method(args)`: the Go methods expr-lang exposes on times and durations (`now().Format(…)`).
        case methodCall(Node, String, [Node])
        /// The predicate argument of `filter`, `map`, `all`… evaluated once per element with `#` bound.
        case closure(Node)
        case array([Node])
        case map([(String, Node)])
    }

    var kind: Kind
    var column: Int
    /// Height of the tree below this node; bounded by the parser so evaluation cannot exhaust the stack.
    var depth: Int

    init(_ kind: Kind, column: Int, children: [Node] = []) {
        self.kind = kind
        self.column = column
        self.depth = 1 + (children.map(\.depth).max() ?? 0)
    }
}
