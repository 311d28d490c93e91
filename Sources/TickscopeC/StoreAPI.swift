import Formats
import PackCodec
import Timeline

#if canImport(Glibc)
import Glibc
#endif

/// A `ts_store`: anything Tickscope reads, opened as a timeline (a store,
/// or another format's worlds in a throwaway store kept as long as the
/// handle), and its branch names as C strings that live as long as the handle.
final class StoreHandle {
    let timeline: AnyTimeline
    var store: CheckpointStore { timeline.store }
    let branchNames: [UnsafeMutablePointer<CChar>]

    init(timeline: AnyTimeline) {
        self.timeline = timeline
        branchNames = timeline.store.branches.map { strdup($0.name)! }
    }

    deinit { for name in branchNames { free(name) } }
}

/// A `ts_world`: one checkpoint's world, read whole.
final class WorldHandle {
    let world: Snapshot
    let checkpoint: CheckpointID

    init(world: Snapshot, checkpoint: CheckpointID) {
        self.world = world
        self.checkpoint = checkpoint
    }

    /// The archetypes that have `component`.
    func archetypes(with component: String) -> [Archetype] {
        world.archetypes.filter { $0.components.contains { $0.name == component } }
    }
}

@_cdecl("ts_store_open")
public func ts_store_open(_ path: UnsafePointer<CChar>?, _ keyFile: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    cCall { () throws(CFailure) in
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        let path = try string(path, "path")
        let key = try loadKey(keyFile)
        do { out.pointee = Handles.open(StoreHandle(timeline: try AnyTimeline.open(path, key: key))) } catch { throw .store("\(error)") }
    }
}

@_cdecl("ts_store_branch_count")
public func ts_store_branch_count(_ handle: UnsafeRawPointer?) -> Int {
    (try? Handles.get(handle, as: StoreHandle.self, "store"))?.branchNames.count ?? 0
}

@_cdecl("ts_store_branch_name")
public func ts_store_branch_name(_ handle: UnsafeRawPointer?, _ index: Int) -> UnsafePointer<CChar>? {
    guard let store = try? Handles.get(handle, as: StoreHandle.self, "store"), store.branchNames.indices.contains(index) else { return nil }
    return UnsafePointer(store.branchNames[index])
}

@_cdecl("ts_store_checkpoints")
public func ts_store_checkpoints(
    _ handle: UnsafeRawPointer?, _ branch: UnsafePointer<CChar>?, _ ids: UnsafeMutablePointer<UInt64>?, _ ticks: UnsafeMutablePointer<UInt64>?,
    _ capacity: Int, _ count: UnsafeMutablePointer<Int>?
) -> Int32 {
    cCall { () throws(CFailure) in
        let store = try Handles.get(handle, as: StoreHandle.self, "store")
        let name = try string(branch, "branch")
        guard let count else { throw .argument("count is NULL") }
        let timeline: [Checkpoint]
        do { timeline = try store.store.timeline(of: name) } catch { throw .notFound("\(error)") }
        count.pointee = timeline.count
        for (index, checkpoint) in timeline.prefix(max(0, capacity)).enumerated() {
            ids?[index] = checkpoint.id.rawValue
            ticks?[index] = checkpoint.tick
        }
    }
}

@_cdecl("ts_store_read")
public func ts_store_read(
    _ handle: UnsafeMutableRawPointer?, _ branch: UnsafePointer<CChar>?, _ checkpoint: UInt64, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Int32 {
    cCall { () throws(CFailure) in
        let store = try Handles.get(handle, as: StoreHandle.self, "store")
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        let id: CheckpointID
        if checkpoint == 0 {
            let name = try string(branch, "branch (with checkpoint 0)")
            do { id = try store.store.resumePoint(ofBranch: name).id } catch { throw .notFound("\(error)") }
        } else {
            id = CheckpointID(rawValue: checkpoint)
            guard store.store.checkpoint(id) != nil else { throw .notFound("no checkpoint \(id) in \(store.store.path)") }
        }
        out.pointee = try openWorld(id, of: store)
    }
}

/// A handle for one checkpoint's world, read whole.
private func openWorld(_ id: CheckpointID, of store: StoreHandle) throws(CFailure) -> UnsafeMutableRawPointer {
    do { return Handles.open(WorldHandle(world: try store.store.snapshot(id), checkpoint: id)) } catch { throw .store("\(error)") }
}

@_cdecl("ts_store_read_tick")
public func ts_store_read_tick(
    _ handle: UnsafeMutableRawPointer?, _ branch: UnsafePointer<CChar>?, _ tick: UInt64, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Int32 {
    cCall { () throws(CFailure) in
        let store = try Handles.get(handle, as: StoreHandle.self, "store")
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        let name = try string(branch, "branch")
        let checkpoint: Checkpoint
        do { checkpoint = try store.store.resolve("\(name)@\(tick)") } catch { throw .notFound("\(error) (no checkpoint at tick \(tick) on \(name))") }
        out.pointee = try openWorld(checkpoint.id, of: store)
    }
}

@_cdecl("ts_store_close")
public func ts_store_close(_ handle: UnsafeMutableRawPointer?) {
    guard let handle, (try? Handles.get(handle, as: StoreHandle.self, "store")) != nil else { return }
    Handles.close(handle)
}

@_cdecl("ts_world_checkpoint")
public func ts_world_checkpoint(_ handle: UnsafeRawPointer?) -> UInt64 {
    (try? Handles.get(handle, as: WorldHandle.self, "world"))?.checkpoint.rawValue ?? 0
}

@_cdecl("ts_world_tick")
public func ts_world_tick(_ handle: UnsafeRawPointer?) -> UInt64 {
    (try? Handles.get(handle, as: WorldHandle.self, "world"))?.world.resources.tick ?? 0
}

@_cdecl("ts_world_time")
public func ts_world_time(_ handle: UnsafeRawPointer?) -> Double {
    (try? Handles.get(handle, as: WorldHandle.self, "world"))?.world.resources.worldTime ?? 0
}

@_cdecl("ts_world_count")
public func ts_world_count(_ handle: UnsafeRawPointer?, _ component: UnsafePointer<CChar>?) -> Int {
    guard let world = try? Handles.get(handle, as: WorldHandle.self, "world"), let component else { return 0 }
    return world.archetypes(with: String(cString: component)).reduce(0) { $0 + $1.count }
}

@_cdecl("ts_world_field_type")
public func ts_world_field_type(_ handle: UnsafeRawPointer?, _ component: UnsafePointer<CChar>?, _ field: UnsafePointer<CChar>?) -> Int32 {
    guard let world = try? Handles.get(handle, as: WorldHandle.self, "world"), let component, let field else { return 0 }
    let componentName = String(cString: component), fieldName = String(cString: field)
    let type = world.world.schema.components.first { $0.name == componentName }?.fields.first { $0.name == fieldName }?.type
    return Int32(type?.rawValue ?? 0)
}

@_cdecl("ts_world_ids")
public func ts_world_ids(_ handle: UnsafeRawPointer?, _ component: UnsafePointer<CChar>?, _ ids: UnsafeMutablePointer<UInt64>?, _ capacity: Int) -> Int32 {
    cCall { () throws(CFailure) in
        let world = try Handles.get(handle, as: WorldHandle.self, "world")
        let name = try string(component, "component")
        let archetypes = world.archetypes(with: name)
        let total = archetypes.reduce(0) { $0 + $1.count }
        guard capacity >= total else { throw .argument("\(name): room for \(capacity) ids, \(total) needed") }
        guard total == 0 || ids != nil else { throw .argument("ids is NULL") }
        var index = 0
        for archetype in archetypes {
            for entity in archetype.entities {
                ids![index] = entity.rawValue
                index += 1
            }
        }
    }
}

@_cdecl("ts_world_read_field")
public func ts_world_read_field(
    _ handle: UnsafeRawPointer?, _ component: UnsafePointer<CChar>?, _ field: UnsafePointer<CChar>?, _ type: Int32,
    _ out: UnsafeMutableRawPointer?, _ capacity: Int, _ stride: Int
) -> Int32 {
    cCall { () throws(CFailure) in
        let world = try Handles.get(handle, as: WorldHandle.self, "world")
        let componentName = try string(component, "component"), fieldName = try string(field, "field")
        guard let declared = world.world.schema.components.first(where: { $0.name == componentName }) else {
            throw .argument("the world has no component \(componentName)")
        }
        guard let found = declared.fields.first(where: { $0.name == fieldName }) else {
            throw .argument("component \(componentName) has no field \(fieldName)")
        }
        guard let width = found.type.width, Int32(found.type.rawValue) == type else {
            throw .argument("\(componentName).\(fieldName) is \(found.type), not ts_type \(type)")
        }
        guard stride == 0 || stride >= width else { throw .argument("a stride of \(stride) bytes is less than a value (\(width))") }
        let archetypes = world.archetypes(with: componentName)
        let total = archetypes.reduce(0) { $0 + $1.count }
        guard capacity >= total else { throw .argument("\(componentName).\(fieldName): room for \(capacity) values, \(total) needed") }
        guard total == 0 || out != nil else { throw .argument("out is NULL") }
        let step = stride == 0 ? width : stride
        var index = 0
        for archetype in archetypes {
            let column = archetype.columns[archetype.columnIndex(component: componentName, field: fieldName)!]
            column.storage.withUnsafeBytes { bytes in
                if step == width {
                    (out! + index * width).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                } else {
                    for row in 0..<column.count {
                        (out! + (index + row) * step).copyMemory(from: bytes.baseAddress! + row * width, byteCount: width)
                    }
                }
            }
            index += column.count
        }
    }
}

@_cdecl("ts_world_free")
public func ts_world_free(_ handle: UnsafeMutableRawPointer?) {
    guard let handle, (try? Handles.get(handle, as: WorldHandle.self, "world")) != nil else { return }
    Handles.close(handle)
}
