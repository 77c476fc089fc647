import Dispatch
import Foundation
import Synchronization

/// A fresh scratch folder under the temporary directory, and the path of `name` in it.
public func scratch(_ name: String) -> String {
    let dir = NSTemporaryDirectory() + "admit-bench-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/" + name
}

/// Waits for an async closure from synchronous benchmark code.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T {
    let box = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let value = try! await body()
        box.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return box.withLock { $0! }
}
