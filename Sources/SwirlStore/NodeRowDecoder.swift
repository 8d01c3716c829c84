import Foundation
import SwirlEngine
import Synchronization

/// Decodes node rows while they are still being read: rows are gathered into chunks of bytes, and each full chunk
/// is decoded on another core while the store reads the next. A 100,000-node workflow spent a quarter of a
/// second reading rows and as long again decoding them; overlapped, the two take little more than the longer.
/// A workflow smaller than one chunk is decoded on the calling thread, with no hand-off.
///
/// Full chunks wait in a shared list, and whoever is free takes the next one: a worker the queue started, or the
/// reading thread once it has read the last row. (With a hand-off per chunk, the reading thread sat in
/// `group.wait()` holding one of the two cores' worker slots, and the rest was decoded on one core.)
final class NodeRowDecoder: @unchecked Sendable {
    /// Rows per chunk.
    static let chunkRows = 4_096

    private let decoder: JSONDecoder
    private let queue = DispatchQueue(label: "swirl.node-decode", attributes: .concurrent)
    private let group = DispatchGroup()
    /// The rows being gathered (only the reading thread touches it).
    private var pending = NodeRows()
    /// Decoded chunks by position; each buffer is moved into the result at the end.
    private let chunks = Mutex<[Int: DecodedChunk]>([:])
    private let failure = Mutex<(any Error)?>(nil)
    private var submitted = 0
    /// Full chunks no one has taken yet, by position.
    private let waiting = Mutex<[(position: Int, rows: NodeRows)]>([])

    /// - Parameter decoder: the Codable decoder for rows outside the fast shape (see `NodeJSON`).
    init(decoder: JSONDecoder) {
        self.decoder = decoder
    }

    /// Adds one row's JSON (copied: the bytes may be SQLite's, valid only until the next step).
    func append(_ row: UnsafeBufferPointer<UInt8>) {
        pending.append(row)
        if pending.count == Self.chunkRows {
            let chunk = (position: submitted, rows: pending)
            pending = NodeRows()
            submitted += 1
            waiting.withLock { $0.append(chunk) }
            queue.async(group: group) { [self] in decodeWaitingChunk() }
        }
    }

    /// Takes one waiting chunk, if any is left, and decodes it; false when none was left.
    @discardableResult
    private func decodeWaitingChunk() -> Bool {
        let next = waiting.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { return false }
        let decoded = DecodedChunk(nodes: decode(next.rows))
        chunks.withLock { $0[next.position] = decoded }
        return true
    }

    /// Every appended row's node, in order; throws the first error of a row that could not be decoded.
    func finish() throws -> ContiguousArray<NodeStatus> {
        if pending.count > 0 {
            let last = DecodedChunk(nodes: decode(pending))
            chunks.withLock { $0[submitted] = last }
            submitted += 1
        }
        while decodeWaitingChunk() {}
        group.wait()
        let parts = chunks.withLock { parts in
            defer { parts.removeAll() }
            return (0..<submitted).compactMap { parts[$0]?.nodes }
        }
        let total = parts.reduce(0) { $0 + $1.count }
        let offsets = parts.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        // Moved in parallel: 100,000 nodes are tens of megabytes, and the destination's pages are new.
        let nodes = ContiguousArray<NodeStatus>(unsafeUninitializedCapacity: total) { buffer, initialized in
            let destination = DecodedChunk(nodes: buffer)
            let sources = parts.map(DecodedChunk.init)
            DispatchQueue.concurrentPerform(iterations: sources.count) { index in
                let part = sources[index].nodes
                if let source = part.baseAddress, part.count > 0 {
                    (destination.nodes.baseAddress! + offsets[index]).moveInitialize(from: source, count: part.count)
                }
                part.deallocate()
            }
            initialized = total
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return nodes
    }

    /// Decodes one chunk into a buffer of its own (a row that fails becomes a placeholder and records the error).
    private func decode(_ rows: NodeRows) -> UnsafeMutableBufferPointer<NodeStatus> {
        let buffer = UnsafeMutableBufferPointer<NodeStatus>.allocate(capacity: rows.count)
        rows.bytes.withUnsafeBufferPointer { bytes in
            for index in 0..<rows.count {
                let text = UnsafeBufferPointer(rebasing: bytes[rows.range(index)])
                let node: NodeStatus
                do {
                    node = try NodeJSON.decode(bytes: text) ?? decoder.decode(NodeStatus.self, from: Data(text))
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    node = NodeStatus(id: "", name: "", displayName: "", type: .pod)
                }
                (buffer.baseAddress! + index).initialize(to: node)
            }
        }
        return buffer
    }
}

/// A decoded chunk's nodes, handed from the thread that decoded them to the one that gathers them.
private struct DecodedChunk: @unchecked Sendable {
    let nodes: UnsafeMutableBufferPointer<NodeStatus>
}

/// Node rows' JSON, one after another in one buffer.
struct NodeRows {
    var bytes: [UInt8] = []
    /// Where each row ends in `bytes`.
    var ends: [Int] = []

    var count: Int { ends.count }

    mutating func append(_ row: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: row)
        ends.append(bytes.count)
    }

    func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }
}
