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
    /// Its lent columns join `previousColumns` once its world is built.
    private var previousColumns: [String: Column] = [:]
    private var previousLent: BorrowedWorld?
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

    /// The last committed frame's column `key` (`archetype|Component.field`),
    /// building that frame here if it lent columns and the writer has not
    /// built it yet.
    func previousColumn(_ key: String) -> Column? {
        endLoan()
        return previousColumns[key]
    }

    /// Ends the loan of the last committed frame's lent columns (built by
    /// now, by the writer or here): a commit ends it whether or not its own
    /// frame is taken.
    func endLoan() {
        if let lent = previousLent.take(), let world = try? lent.settle() { previousColumns.merge(Self.columns(of: world)) { $1 } }
    }

    /// Remembers a frame just handed over, for sharing its unchanged ids
    /// and columns with the next one.
    func committed(_ frame: Frame, lent: BorrowedWorld?) {
        previousColumns = [:]
        previousIDs = [:]
        previousLent = lent
        for part in frame.parts {
            let archetypeKey = Self.key(part.components)
            previousIDs[archetypeKey] = part.ids
            for (field, column) in part.columns { previousColumns[archetypeKey + "|" + field] = column }
        }
    }

    /// Hands over a frame that lends columns: the world is built from the
    /// caller's memory on the writer thread (or at the next commit), each
    /// lent column shared with the last frame's when unchanged, else copied
    /// once into a pooled buffer. Called after ``endLoan()``, so the last
    /// frame's columns are all known.
    func lend(_ frame: Frame) -> BorrowedWorld {
        let schema = schema, pool = recorder.buffers, earlier = previousColumns
        var bytes = 0
        for part in frame.parts {
            bytes += part.ids.count * 8
            for column in part.columns.values { bytes += column.storage.count }
            for column in part.lent.values { bytes += column.count * column.width }
        }
        return BorrowedWorld(bytes: bytes) { () throws(TimelineError) in
            try frame.build(schema: schema) { part, key, lent throws(TimelineError) in
                do { return try lent.column(previous: earlier[Self.key(part.components) + "|" + key], pool: pool) } catch {
                    throw .invalidRequest("frame of tick \(frame.tick): \(key): \(error)")
                }
            }
        }
    }

    static func key(_ components: [ComponentType]) -> String { components.map(\.name).joined(separator: ",") }

    private static func columns(of world: Snapshot) -> [String: Column] {
        var columns: [String: Column] = [:]
        for archetype in world.archetypes {
            let archetypeKey = key(archetype.components)
            for (field, column) in zip(archetype.columnKeys, archetype.columns) { columns[archetypeKey + "|" + field.description] = column }
        }
        return columns
    }

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
public func ts_abi_version() -> UInt32 { 0x0001_0100 }

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
            let archetypeKey = RecorderHandle.key(types)
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
    setColumn(handle, component, field, data, count, stride, lent: false)
}

@_cdecl("ts_frame_column_lent")
public func ts_frame_column_lent(
    _ handle: UnsafeMutableRawPointer?, _ component: UnsafePointer<CChar>?, _ field: UnsafePointer<CChar>?,
    _ data: UnsafeRawPointer?, _ count: Int, _ stride: Int
) -> Int32 {
    setColumn(handle, component, field, data, count, stride, lent: true)
}

/// `ts_frame_column` and `ts_frame_column_lent`: checks the column against
/// the archetype added last, then copies it now (sharing the last frame's
/// column when the values are the same) or keeps where it lies, to be read
/// by the writer. `bool` columns are always copied: their bytes are checked.
private func setColumn(
    _ handle: UnsafeMutableRawPointer?, _ component: UnsafePointer<CChar>?, _ field: UnsafePointer<CChar>?,
    _ data: UnsafeRawPointer?, _ count: Int, _ stride: Int, lent: Bool
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
            let key = "\(componentName).\(fieldName)"
            guard count == part.ids.count else {
                throw .argument("\(key): \(count) values for an archetype of \(part.ids.count) entities")
            }
            let width = declared.type.width!
            guard stride == 0 || stride >= width else { throw .argument("\(key): a stride of \(stride) bytes is less than a value (\(width))") }
            guard count == 0 || data != nil else { throw .argument("\(key): data is NULL") }
            let values = LentColumn(type: declared.type, data: data, count: count, stride: stride)
            let last = recorder.frame!.parts.count - 1
            if lent, declared.type != .bool {
                recorder.frame!.parts[last].columns[key] = nil
                recorder.frame!.parts[last].lent[key] = values
                return
            }
            // The one copy: from the caller's buffer into a column buffer of an earlier frame.
            let previous = recorder.previousColumn(RecorderHandle.key(part.components) + "|" + key)
            do {
                recorder.frame!.parts[last].columns[key] = try values.column(previous: previous, pool: recorder.recorder.buffers)
                recorder.frame!.parts[last].lent[key] = nil
            } catch { throw .argument("\(key): \(error)") }
        }
    }
}

@_cdecl("ts_frame_commit")
public func ts_frame_commit(_ handle: UnsafeMutableRawPointer?) -> Int32 {
    cCall { () throws(CFailure) in
        let recorder = try Handles.get(handle, as: RecorderHandle.self, "recorder")
        recorder.endLoan()
        guard let frame = recorder.frame else { throw .state("no frame begun (ts_frame_begin)") }
        recorder.frame = nil
        if let failure = recorder.frameFailure {
            throw .argument("frame of tick \(frame.tick) dropped, nothing of it committed: an earlier call on it failed: \(failure)")
        }
        if frame.lendsColumns {
            try frame.checkLending()
            let world = recorder.lend(frame)
            do { try recorder.recorder.record(world) } catch { throw .store("\(error)") }
            recorder.committed(frame, lent: world)
        } else {
            let world = try frame.snapshot(schema: recorder.schema)
            do { try recorder.recorder.record(world) } catch { throw .store("\(error)") }
            recorder.committed(frame, lent: nil)
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
