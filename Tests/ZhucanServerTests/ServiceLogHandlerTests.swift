import Foundation
import Logging
import Testing
import ZhucanHTTP
import ZhucanServer
import ZhucanTesting

@Suite("Server: the service's log handler")
struct ServiceLogHandlerTests {
    /// The lines `body` logs through a handler writing to a file.
    static func lines(_ body: (Logger) -> Void) throws -> [String] {
        let folder = try TemporaryDirectory()
        let path = folder.url.appendingPathComponent("log").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        try #require(descriptor >= 0)
        var logger = Logger(label: "zhucan.test") { label in ServiceLogHandler(label: label, descriptor: descriptor) }
        logger.logLevel = .debug
        body(logger)
        close(descriptor)
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("StreamLogHandler's format: timestamp, level, label, metadata sorted by key (the call's over the logger's), [source], message")
    func format() throws {
        let lines = try Self.lines { logger in
            var logger = logger
            logger[metadataKey: "request.id"] = "r-1"
            logger[metadataKey: "b"] = "logger"
            logger.info("request", metadata: ["b": "call", "a": "1", "http.status": .stringConvertible(200)])
            logger.debug("bare")
            logger.trace("below the level")
        }
        try #require(lines.count == 2)
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info zhucan\.test: a=1 b=call http\.status=200 request\.id=r-1 \[ZhucanServerTests\] request$/#
        #expect(lines[0].wholeMatch(of: pattern) != nil, "\(lines[0])")
        #expect(lines[1].hasSuffix(" debug zhucan.test: b=logger request.id=r-1 [ZhucanServerTests] bare"), "\(lines[1])")
    }

    @Test("Lines from many threads at once each stay whole")
    func concurrent() async throws {
        let lines = try Self.lines { logger in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for index in 0..<200 {
                    logger.info("line", metadata: ["thread": .stringConvertible(thread), "index": .stringConvertible(index), "pad": .string(String(repeating: "x", count: 300))])
                }
            }
        }
        #expect(lines.count == 1_600)
        let pattern = #/^\S+ info zhucan\.test: index=\d+ pad=x{300} thread=\d \[ZhucanServerTests\] line$/#
        #expect(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil })
        // Every (thread, index) once.
        #expect(Set(lines.map { line in line.split(separator: " ").filter { $0.hasPrefix("index=") || $0.hasPrefix("thread=") }.joined() }).count == 1_600)
    }
}
