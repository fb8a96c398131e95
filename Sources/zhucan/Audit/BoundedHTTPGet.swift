import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET whose answer is read within limits, for a service the auditor need not
/// trust: at most `maxBytes` of body, the whole exchange within a deadline, and no redirect
/// followed.
///
/// `URLSession.data(for:)` holds a body of any size in memory, and a request's
/// `timeoutInterval` bounds only silence: a 1 GiB answer took 4.5 GB, and a server sending a
/// byte every few seconds was never given up on. Here a data task's delegate counts the body
/// as it arrives and cancels the task past the limit, and a timer ends the exchange at the
/// deadline. A redirect (RFC 9110 §15.4) is answered, not followed: following one sent the
/// `Authorization` header to whatever host it named.
///
/// `@unchecked Sendable`: URLSession calls the delegate on its own queue while the caller's
/// task and the timer finish it; every mutable property is guarded by `lock`.
final class BoundedHTTPGet: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What became of the request.
    enum Outcome: Sendable {
        /// The service answered in full: its status and body.
        case answered(status: Int, body: Data)
        /// The body ran past the limit; the rest was not read.
        case tooLarge
        /// The whole answer did not arrive before the deadline.
        case timedOut
        /// The service redirected to this address; nothing was sent there.
        case redirected(to: String)
        /// The request failed (no connection, a connection cut short).
        case failed(String)
    }

    private let maxBytes: Int
    private let lock = NSLock()
    private var body = Data()
    private var task: URLSessionDataTask?
    private var continuation: CheckedContinuation<Outcome, Never>?
    private var isFinished = false
    /// The outcome when it came before `start`, with nobody waiting for it yet.
    private var earlyOutcome: Outcome?

    private init(maxBytes: Int) {
        self.maxBytes = maxBytes
        super.init()
    }

    /// Sends `request` and reads its answer: at most `maxBytes` of body, all of it within
    /// `timeout`, and a redirect refused.
    static func get(_ request: URLRequest, maxBytes: Int, timeout: Duration) async -> Outcome {
        let reader = BoundedHTTPGet(maxBytes: maxBytes)
        let configuration = URLSessionConfiguration.ephemeral
        // Entries are personal data: nothing is cached, and no cookie or credential is kept.
        configuration.urlCache = nil
        configuration.urlCredentialStorage = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: reader, delegateQueue: nil)
        // A session holds its delegate until it is invalidated.
        defer { session.finishTasksAndInvalidate() }
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            reader.finish(.timedOut, cancelling: true)
        }
        defer { timer.cancel() }
        let task = session.dataTask(with: request)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                reader.start(task, continuation: continuation)
            }
        } onCancel: {
            reader.finish(.failed("cancelled"), cancelling: true)
        }
    }

    private func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<Outcome, Never>) {
        lock.lock()
        if isFinished {
            let outcome = earlyOutcome ?? .failed("cancelled")
            earlyOutcome = nil
            lock.unlock()
            continuation.resume(returning: outcome)
            return
        }
        self.task = task
        self.continuation = continuation
        lock.unlock()
        task.resume()
    }

    /// Ends the exchange with `outcome`, once: later calls do nothing.
    /// - Parameter cancelling: whether the transfer may still be running and must stop.
    private func finish(_ outcome: Outcome, cancelling: Bool) {
        lock.lock()
        guard !isFinished else {
            lock.unlock()
            return
        }
        isFinished = true
        body = Data()
        let waiting = continuation, running = task
        continuation = nil
        task = nil
        if waiting == nil { earlyOutcome = outcome }
        lock.unlock()
        waiting?.resume(returning: outcome)
        if cancelling { running?.cancel() }
    }

    // MARK: URLSessionDataDelegate

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        let overflows = !isFinished && body.count + data.count > maxBytes
        if !isFinished, !overflows { body.append(data) }
        lock.unlock()
        if overflows { finish(.tooLarge, cancelling: true) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        // nil: the 3xx itself is the answer, and the task ends by itself (cancelling it while
        // URLSession handles the redirect's answer could race its own completion).
        completionHandler(nil)
        finish(.redirected(to: request.url?.absoluteString ?? "another address"), cancelling: false)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            let outcome: Outcome = (error as? URLError)?.code == .timedOut ? .timedOut : .failed(error.localizedDescription)
            finish(outcome, cancelling: false)
            return
        }
        lock.lock()
        let received = body
        lock.unlock()
        finish(.answered(status: (task.response as? HTTPURLResponse)?.statusCode ?? 0, body: received), cancelling: false)
    }
}
