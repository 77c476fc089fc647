import AdmitCore
import CUdev
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// The udev monitor and enumeration for one subsystem (`input`, `tty`): the one file
/// that calls libudev. Events are read from the netlink socket with a DispatchSource.
public final class UdevMonitor: HotplugMonitor, @unchecked Sendable {
    private let subsystem: String
    // Touched on `queue` after `start`, and by `stop`/`deinit` once the source is cancelled.
    private var context: OpaquePointer?
    private var monitor: OpaquePointer?
    private var source: (any DispatchSourceRead)?

    /// A monitor of `subsystem`; nothing is opened until `start`.
    public init(subsystem: String) {
        self.subsystem = subsystem
    }

    deinit {
        stop()
    }

    public func start(queue: DispatchQueue, handler: @escaping @Sendable (HotplugEvent) -> Void) throws(DeviceError) {
        let operation = "listen for \(subsystem) devices on"
        guard let context = udev_new() else { throw DeviceError(operation, "udev", errno: errno) }
        self.context = context
        guard let monitor = udev_monitor_new_from_netlink(context, "udev") else {
            throw DeviceError(operation, "the udev netlink socket", errno: errno, detail: "AF_NETLINK must be allowed")
        }
        self.monitor = monitor
        var status = udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, nil)
        if status >= 0 { status = udev_monitor_enable_receiving(monitor) }
        if status < 0 { throw DeviceError(operation, "the udev netlink socket", errno: -status) }
        let fd = udev_monitor_get_fd(monitor)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler {
            while let device = udev_monitor_receive_device(monitor) {
                defer { udev_device_unref(device) }
                guard let node = Self.node(of: device), let action = udev_device_get_action(device) else { continue }
                switch String(cString: action) {
                case "add", "change": handler(.added(node))
                case "remove": handler(.removed(node))
                default: break
                }
            }
        }
        // The monitor (and its socket) is released only once the source can no longer read it.
        source.setCancelHandler { [self] in release() }
        self.source = source
        source.resume()
    }

    public func enumerate() throws(DeviceError) -> [DeviceNode] {
        guard let context = context ?? udev_new() else { throw DeviceError("enumerate", subsystem, errno: errno) }
        defer { if self.context == nil { udev_unref(context) } }
        guard let enumeration = udev_enumerate_new(context) else { throw DeviceError("enumerate", subsystem, errno: errno) }
        defer { udev_enumerate_unref(enumeration) }
        _ = udev_enumerate_add_match_subsystem(enumeration, subsystem)
        let status = udev_enumerate_scan_devices(enumeration)
        if status < 0 { throw DeviceError("enumerate", subsystem, errno: -status) }
        var nodes: [DeviceNode] = []
        var entry = udev_enumerate_get_list_entry(enumeration)
        while let current = entry {
            if let path = udev_list_entry_get_name(current), let device = udev_device_new_from_syspath(context, path) {
                if let node = Self.node(of: device) { nodes.append(node) }
                udev_device_unref(device)
            }
            entry = udev_list_entry_get_next(current)
        }
        return nodes.sorted { $0.node < $1.node }
    }

    public func stop() {
        if let source {
            self.source = nil
            source.cancel()
        } else {
            release()
        }
    }

    private func release() {
        if let monitor { udev_monitor_unref(monitor) }
        if let context { udev_unref(context) }
        monitor = nil
        context = nil
    }

    /// The node, links and (for input devices) the parent's name and ids.
    private static func node(of device: OpaquePointer) -> DeviceNode? {
        guard let devnode = udev_device_get_devnode(device) else { return nil }
        let node = String(cString: devnode)
        var links: [String] = []
        var entry = udev_device_get_devlinks_list_entry(device)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) { links.append(String(cString: name)) }
            entry = udev_list_entry_get_next(current)
        }
        var identity: InputDeviceIdentity?
        if let parent = udev_device_get_parent_with_subsystem_devtype(device, "input", nil) {
            func attribute(_ name: String) -> String? {
                udev_device_get_sysattr_value(parent, name).map { String(cString: $0) }
            }
            identity = InputDeviceIdentity(
                node: node, links: links, name: attribute("name") ?? "",
                vendor: UInt16(attribute("id/vendor") ?? "", radix: 16) ?? 0,
                product: UInt16(attribute("id/product") ?? "", radix: 16) ?? 0)
        }
        var properties: [String: String] = [:]
        for name in DeviceNode.propertyNames {
            if let value = udev_device_get_property_value(device, name) { properties[name] = String(cString: value) }
        }
        return DeviceNode(node: node, links: links.sorted(), identity: identity, properties: properties)
    }
}
