import Foundation

/// How many certificates a running batch had stored, sampled over time: whether its rate
/// holds as the registry grows.
struct BatchProgressSamples {
    let rows: Int
    private var samples: [(seconds: Double, stored: Int)] = []

    init(rows: Int) {
        self.rows = rows
    }

    mutating func record(seconds: Double, stored: Int) {
        samples.append((seconds, min(stored, rows)))
    }

    /// When the batch had stored `count` certificates, between the samples around it.
    func seconds(reaching count: Int) -> Double? {
        guard let after = samples.firstIndex(where: { $0.stored >= count }) else { return nil }
        guard after > 0, samples[after].stored > samples[after - 1].stored else { return samples[after].seconds }
        let (from, to) = (samples[after - 1], samples[after])
        return from.seconds + (to.seconds - from.seconds) * Double(count - from.stored) / Double(to.stored - from.stored)
    }

    /// Rows per second from `start` to `end` certificates stored.
    func rate(from start: Int, to end: Int) -> Double? {
        guard let from = seconds(reaching: start), let to = seconds(reaching: end), to > from else { return nil }
        return Double(end - start) / (to - from)
    }

    /// The benchmark's table row: the first quarter counts from the first stored chunk (the
    /// file is read and checked before it), the last ends with the last chunk (before the
    /// status list is published).
    func row(_ name: String) -> String {
        let first = samples.first(where: { $0.stored > 0 })?.stored ?? 1
        guard let early = rate(from: first, to: rows / 4), let late = rate(from: rows * 3 / 4, to: rows) else {
            return "| \(name) | - | - | - |"
        }
        return String(format: "| %@ | %.0f | %.0f | %.2f |", name, early, late, late / early)
    }
}
