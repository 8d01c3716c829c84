#if canImport(Glibc)
    import Glibc
#endif

/// Byte-wise (UTF-8) string order, as Go compares strings and as sorted JSON keys are ordered, with `memcmp`.
/// `a.utf8.lexicographicallyPrecedes(b.utf8)` gives the same answer a byte at a time through generic iterators,
/// which made sorting 100,000 node IDs a tenth of `swirl get -o json`.
enum ByteOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let shared = min(x.count, y.count)
                if shared > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, shared)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }
}
