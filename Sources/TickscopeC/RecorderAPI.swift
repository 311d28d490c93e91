import PackCodec
import Timeline
import TickscopeRecorder

#if canImport(Glibc)
import Glibc
#endif

/// A `ts_recorder`: the recorder, the components declared so far and the
/// frame being gathered.
final class RecorderHandle {
    let recorder: Recorder
    var components: [ComponentType] = []
    var frame: Frame?
    /// Why a call on the current frame failed: the frame is then refused
    /// at commit, whole, even if the caller ignored that call's status.
    var frameFailure: String?
    /// The columns and ids of the last committed frame, by archetype
    /// (its component names) and field: a column that arrives unchanged is
    /// shared with it instead of copied (the store stores it once anyway).
    var previousColumns: [String: Column] = [:]
    var previousIDs: [String: [EntityID]] = [:]

    init(recorder: Recorder) { self.recorder = recorder }

    /// Runs a call that adds to the current frame; a failure spoils the frame.
    func addingToFrame(_ body: () throws(CFailure) -> Void) throws(CFailure) {
        do { try body() } catch {
            if frame != nil, frameFailure == nil { frameFailure = error.message }
            throw error
        }
    }

    var schema: Schema { Schema(components: components) }

    func component(_ name: String) throws(CFailure) -> ComponentType {
        guard let found = components.first(where: { $0.name == name }) else {
            throw .argument("component \(name) is not declared (ts_recorder_declare)")
        }
        return found
    }
}

/// Loads a key file named by a C string, or none.
func loadKey(_ keyFile: UnsafePointer<CChar>?) throws(CFailure) -> EncryptionKey? {
    guard let keyFile else { return nil }
    do { return try EncryptionKey(contentsOfFile: String(cString: keyFile)) } catch { throw .argument("\(error)") }
}

@_cdecl("ts_abi_version")
public func ts_abi_version() -> UInt32 { 0x0001_0000 }

@_cdecl("ts_last_error")
public func ts_last_error() -> UnsafePointer<CChar> { LastError.current }

@_cdecl("ts_recorder_open")
public func ts_recorder_open(
    _ path: UnsafePointer<CChar>?, _ branch: UnsafePointer<CChar>?, _ keyFile: UnsafePointer<CChar>?,
    _ queueLimit: UInt64, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Int32 {
    cCall { () throws(CFailure) in
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        let path = try string(path, "path")
        let branch = branch.map { String(cString: $0) } ?? CheckpointStore.mainBranch
        let key = try loadKey(keyFile)
        var options = Recorder.Options()
        if queueLimit > 0 { options.queueLimitBytes = Int(clamping: queueLimit) }
        do {
            let recorder = try Recorder(store: path, branch: branch, key: key, options: options)
            out.pointee = Handles.open(RecorderHandle(recorder: recorder))
        } catch { throw .store("\(error)") }
    }
}

@_cdecl("ts_recorder_declare")
public func ts_recorder_declare(
    _ handle: UnsafeMutableRawPointer?, _ component: UnsafePointer<CChar>?, _ fieldCount: Int,
    _ names: UnsafePointer<UnsafePointer<CChar>?>?, _ types: UnsafePointer<Int32>?
) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        let name = try string(component, "component")
        guard fieldCount > 0, fieldCount <= 4096 else { throw .argument("component \(name): \(fieldCount) fields (1 to 4096)") }
        guard let names, let types else { throw .argument("component \(name): field_names or field_types is NULL") }
        var fields: [Field] = []
        for index in 0..<fieldCount {
            let fieldName = try string(names[index], "field_names[\(index)]")
            guard let type = FieldType(rawValue: UInt8(clamping: types[index])), type.width != nil, types[index] > 0 else {
                throw .argument("component \(name): field \(fieldName) has type \(types[index]), not a ts_type")
            }
            fields.append(Field(fieldName, type))
        }
        let declared = ComponentType(name: name, fields: fields)
        var schema = recorder.components
        if let existing = schema.first(where: { $0.name == name }) {
            guard existing == declared else { throw .argument("component \(name) is already declared with other fields") }
            return
        }
        schema.append(declared)
        do { try Schema(components: schema).validate() } catch { throw .argument("component \(name): \(error)") }
        recorder.components = schema
    }
}

@_cdecl("ts_frame_begin")
public func ts_frame_begin(_ handle: UnsafeMutableRawPointer?, _ tick: UInt64, _ worldTime: Double) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        recorder.frame = Frame(tick: tick, worldTime: worldTime)
        recorder.frameFailure = nil
    }
}

@_cdecl("ts_frame_archetype")
public func ts_frame_archetype(
    _ handle: UnsafeMutableRawPointer?, _ componentCount: Int, _ components: UnsafePointer<UnsafePointer<CChar>?>?,
    _ ids: UnsafePointer<UInt64>?, _ entityCount: Int
) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        try recorder.addingToFrame { () throws(CFailure) in
            guard recorder.frame != nil else { throw .state("no frame begun (ts_frame_begin)") }
            guard componentCount > 0, let components else { throw .argument("an archetype needs at least one component") }
            guard entityCount >= 0, entityCount <= 1 << 29 else { throw .argument("\(entityCount) entities in an archetype (at most 2^29)") }
            guard entityCount == 0 || ids != nil else { throw .argument("ids is NULL") }
            var types: [ComponentType] = []
            for index in 0..<componentCount {
                let type = try recorder.component(try string(components[index], "components[\(index)]"))
                guard !types.contains(type) else { throw .argument("component \(type.name) is named twice in one archetype") }
                types.append(type)
            }
            // Schema order, whatever order the caller named them in.
            let order = recorder.components.map(\.name)
            types.sort { order.firstIndex(of: $0.name)! < order.firstIndex(of: $1.name)! }
            // EntityID is a UInt64 in a struct: the ids are copied as they are, unless they did not change.
            let archetypeKey = types.map(\.name).joined(separator: ",")
            if let previous = recorder.previousIDs[archetypeKey], previous.count == entityCount,
                entityCount == 0 || previous.withUnsafeBytes({ memcmp($0.baseAddress!, ids!, entityCount * 8) == 0 }) {
                recorder.frame!.parts.append(Frame.Part(components: types, ids: previous, idsAsCommitted: true))
                return
            }
            var entities = recorder.recorder.buffers.takeIDs(capacity: entityCount)
            if entityCount > 0 {
                UnsafeRawPointer(ids!).withMemoryRebound(to: EntityID.self, capacity: entityCount) {
                    entities.append(contentsOf: UnsafeBufferPointer(start: $0, count: entityCount))
                }
            }
            recorder.frame!.parts.append(Frame.Part(components: types, ids: entities))
        }
    }
}

@_cdecl("ts_frame_column")
public func ts_frame_column(
    _ handle: UnsafeMutableRawPointer?, _ component: UnsafePointer<CChar>?, _ field: UnsafePointer<CChar>?,
    _ data: UnsafeRawPointer?, _ count: Int, _ stride: Int
) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        try recorder.addingToFrame { () throws(CFailure) in
            guard let part = recorder.frame?.parts.last else { throw .state("no archetype in the frame (ts_frame_archetype)") }
            let componentName = try string(component, "component"), fieldName = try string(field, "field")
            guard let type = part.components.first(where: { $0.name == componentName }) else {
                throw .argument("the archetype added last has no component \(componentName)")
            }
            guard let declared = type.fields.first(where: { $0.name == fieldName }) else {
                throw .argument("component \(componentName) has no field \(fieldName)")
            }
            guard count == part.ids.count else {
                throw .argument("\(componentName).\(fieldName): \(count) values for an archetype of \(part.ids.count) entities")
            }
            let width = declared.type.width!
            guard stride == 0 || stride >= width else { throw .argument("\(componentName).\(fieldName): a stride of \(stride) bytes is less than a value (\(width))") }
            guard count == 0 || data != nil else { throw .argument("\(componentName).\(fieldName): data is NULL") }
            let key = part.components.map(\.name).joined(separator: ",") + "|\(componentName).\(fieldName)"
            if stride == 0 || stride == width, let previous = recorder.previousColumns[key], previous.count == count,
                count == 0 || previous.storage.withUnsafeBytes({ memcmp($0.baseAddress!, data!, count * width) == 0 }) {
                recorder.frame!.parts[recorder.frame!.parts.count - 1].columns["\(componentName).\(fieldName)"] = previous
                return
            }
            // The one copy: from the caller's buffer into a column buffer of an earlier frame.
            var storage = recorder.recorder.buffers.takeBytes(capacity: count * width)
            if count > 0, let data {
                if stride == 0 || stride == width {
                    storage.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count * width))
                } else {
                    for index in 0..<count { storage.append(contentsOf: UnsafeRawBufferPointer(start: data + index * stride, count: width)) }
                }
            }
            let column: Column
            do { column = try Column(fixedWidth: declared.type, count: count, storage: storage) } catch {
                throw .argument("\(componentName).\(fieldName): \(error)")
            }
            recorder.frame!.parts[recorder.frame!.parts.count - 1].columns["\(componentName).\(fieldName)"] = column
        }
    }
}

@_cdecl("ts_frame_commit")
public func ts_frame_commit(_ handle: UnsafeMutableRawPointer?) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        guard let frame = recorder.frame else { throw .state("no frame begun (ts_frame_begin)") }
        recorder.frame = nil
        if let failure = recorder.frameFailure {
            throw .argument("frame of tick \(frame.tick) dropped, nothing of it committed: an earlier call on it failed: \(failure)")
        }
        let world = try frame.snapshot(schema: recorder.schema)
        do { try recorder.recorder.record(world) } catch { throw .store("\(error)") }
        recorder.previousColumns = [:]
        recorder.previousIDs = [:]
        for part in frame.parts {
            let archetypeKey = part.components.map(\.name).joined(separator: ",")
            recorder.previousIDs[archetypeKey] = part.ids
            for (field, column) in part.columns { recorder.previousColumns[archetypeKey + "|" + field] = column }
        }
    }
}

@_cdecl("ts_recorder_flush")
public func ts_recorder_flush(_ handle: UnsafeMutableRawPointer?) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        do { try recorder.recorder.flush() } catch { throw .store("\(error)") }
    }
}

@_cdecl("ts_recorder_close")
public func ts_recorder_close(_ handle: UnsafeMutableRawPointer?) -> Int32 {
    guard handle != nil else { return Status.ok }
    return cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        Handles.close(handle!)
        do { try recorder.recorder.close() } catch { throw .store("\(error)") }
    }
}
