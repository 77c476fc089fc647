import AdmitCore
import Dispatch

/// A device node as udev describes it, with the identity of its input device when it is one.
public struct DeviceNode: Sendable, Hashable {
    /// `/dev/input/event5`, `/dev/ttyACM0`.
    public var node: String
    /// Symlinks udev made to it (`DEVLINKS`).
    public var links: [String]
    /// Name and ids from the parent input device (`name`, `id/vendor`, `id/product`), when it has one.
    public var identity: InputDeviceIdentity?
    /// The udev properties Admit looks at (`ID_INPUT_KEYBOARD`, `ID_BUS`, `ID_VENDOR_ID`,
    /// `ID_MODEL_ID`, `ID_MODEL`, `ADMIT_SCANNER`, `ADMIT_SCANNER_CANDIDATE`), where set.
    public var properties: [String: String]

    /// Creates a node description.
    public init(node: String, links: [String] = [], identity: InputDeviceIdentity? = nil, properties: [String: String] = [:]) {
        self.node = node
        self.links = links
        self.identity = identity
        self.properties = properties
    }
}

/// A device node appearing or going away.
public enum HotplugEvent: Sendable, Hashable {
    /// Added (and processed by udev: permissions and symlinks are in place).
    case added(DeviceNode)
    /// Removed.
    case removed(DeviceNode)
}

/// Where scanners learn about devices: the udev monitor in production, a scripted
/// sequence in tests (the seam the re-plug reliability test drives).
///
/// `start` must be listening before `enumerate` returns, so a device plugged in between
/// is reported rather than missed (at worst it is reported twice; attaching is idempotent).
public protocol HotplugMonitor: AnyObject, Sendable {
    /// Starts listening; `handler` runs on `queue` for every event.
    func start(queue: DispatchQueue, handler: @escaping @Sendable (HotplugEvent) -> Void) throws(DeviceError)
    /// The device nodes present now.
    func enumerate() throws(DeviceError) -> [DeviceNode]
    /// Stops listening and releases the socket.
    func stop()
}
