import HTTPTypes
import Synchronization

/// The service's routes by path template, so that a request for a known path with another
/// method gets 405 and an `Allow` header (RFC 9110 §15.5.6) rather than 404. Filled once,
/// after the router's routes are added (middleware must be added before them).
package final class RouteTable: Sendable {
    private let templates = Mutex<[(segments: [Substring], methods: Set<HTTPRequest.Method>)]>([])

    /// Records the routes, `{name}` standing for one path segment.
    package func fill(_ routes: [(method: HTTPRequest.Method, path: String)]) {
        templates.withLock { templates in
            for route in routes {
                let segments = route.path.split(separator: "/")
                if let index = templates.firstIndex(where: { $0.segments == segments }) {
                    templates[index].methods.insert(route.method)
                } else {
                    templates.append((segments, [route.method]))
                }
            }
        }
    }

    /// The methods `path` allows, `HEAD` with `GET`, sorted; empty for an unknown path.
    package func allowedMethods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        var methods = templates.withLock { templates in
            templates.filter { template in
                template.segments.count == segments.count
                    && zip(template.segments, segments).allSatisfy { pattern, segment in pattern.first == "{" || pattern == segment }
            }.reduce(into: Set<HTTPRequest.Method>()) { $0.formUnion($1.methods) }
        }
        if methods.contains(.get) { methods.insert(.head) }
        return methods.map(\.rawValue).sorted()
    }
}
