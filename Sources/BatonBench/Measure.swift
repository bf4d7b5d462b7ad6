import Synchronization

/// Timing of one operation: warm-up, then several batches of a fixed number of
/// calls, each batch timed with `ContinuousClock`; the per-call time is the
/// median over batches.
struct Measurement {
    var name: String
    /// Median nanoseconds per call.
    var medianNs: Double
    /// Fastest and slowest batch, nanoseconds per call.
    var minNs: Double
    var maxNs: Double
    var batches: Int
    var iterations: Int
}

struct BenchConfig {
    var warmup = 200
    var batches = 15
    var iterations = 200
}

/// Keeps results alive so the optimizer cannot drop the measured work.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// A running checksum of measured results, printed to stderr at the end, so that the
/// optimizer cannot drop the measured work. It is fed once per warm-up call and once per
/// batch, never inside a timed loop, so the lock costs nothing that is measured.
private let sink = Mutex<UInt64>(0)

@inline(never)
func sinkValue(_ value: Int) { sink.withLock { $0 = $0 &* 31 &+ UInt64(truncatingIfNeeded: value) } }

/// The checksum so far.
var checksum: UInt64 { sink.withLock { $0 } }

func measure(_ name: String, _ config: BenchConfig, _ body: () throws -> Int) rethrows -> Measurement {
    let clock = ContinuousClock()
    for _ in 0..<config.warmup { sinkValue(try body()) }
    var perCall: [Double] = []
    perCall.reserveCapacity(config.batches)
    for _ in 0..<config.batches {
        var acc = 0
        let start = clock.now
        for _ in 0..<config.iterations { acc &+= try body() }
        let elapsed = clock.now - start
        sinkValue(acc)
        perCall.append(nanoseconds(elapsed) / Double(config.iterations))
    }
    perCall.sort()
    let n = perCall.count
    let median = n % 2 == 1 ? perCall[n / 2] : (perCall[n / 2 - 1] + perCall[n / 2]) / 2
    return Measurement(
        name: name, medianNs: median, minNs: perCall.first ?? 0, maxNs: perCall.last ?? 0,
        batches: config.batches, iterations: config.iterations)
}

func nanoseconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) * 1e9 + Double(c.attoseconds) / 1e9
}
