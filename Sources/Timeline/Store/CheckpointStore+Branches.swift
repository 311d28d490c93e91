import PackCodec

extension CheckpointStore {
    /// The last live checkpoint recorded on `branch`.
    public func lastCheckpoint(onBranch branch: String) -> Checkpoint? {
        allCheckpoints.values.filter { $0.branch == branch && !deleted.contains($0.id) }.max { $0.id < $1.id }
    }

    /// The live checkpoints from the root of the recording to `id`,
    /// following parent links (across fork points), oldest first.
    public func chain(to id: CheckpointID) -> [Checkpoint] {
        var result: [Checkpoint] = []
        var next: CheckpointID? = id
        var seen = Set<CheckpointID>()
        while let current = next, let checkpoint = allCheckpoints[current], seen.insert(current).inserted {
            if !deleted.contains(current) { result.append(checkpoint) }
            next = checkpoint.parent
        }
        return result.reversed()
    }

    /// What a branch shows on its timeline: the chain to its last
    /// checkpoint, or to its fork point while it has none of its own.
    public func timeline(of branch: String) throws(TimelineError) -> [Checkpoint] {
        guard let info = branchTable[branch] else { throw .unknownBranch(branch) }
        if let last = lastCheckpoint(onBranch: branch) { return chain(to: last.id) }
        return info.forkedFrom.map { chain(to: $0) } ?? []
    }

    /// The checkpoint a simulation resumed on `branch` goes on from: the
    /// branch's last checkpoint, or its fork point while it has none.
    /// - Throws: when the branch is unknown, or its fork point was deleted
    ///   (resuming from an earlier world instead would be a silent lie).
    public func resumePoint(ofBranch branch: String) throws(TimelineError) -> Checkpoint {
        guard let info = branchTable[branch] else { throw .unknownBranch(branch) }
        if let last = lastCheckpoint(onBranch: branch) { return last }
        guard let fork = info.forkedFrom else { throw .invalidRequest("branch \(branch) has no checkpoint to resume from") }
        guard let point = checkpoint(fork) else {
            throw .invalidRequest("branch \(branch) was forked from \(fork), which has been deleted; fork again from a checkpoint that exists")
        }
        return point
    }

    /// Makes a new branch that starts at checkpoint `base` (of any branch).
    /// With `edits`, the edited world is committed as the branch's first
    /// checkpoint, whose parent is `base`.
    /// - Returns: the branch and, with edits, its first checkpoint.
    @discardableResult
    public func fork(
        from base: CheckpointID, name: String, edits: [WorldEdit] = [], info: CheckpointInfo = CheckpointInfo()
    ) throws(TimelineError) -> (branch: Branch, checkpoint: Checkpoint?) {
        try requireWritable()
        try BranchName.validate(name)
        guard branchTable[name] == nil else { throw .branchExists(name) }
        guard checkpoint(base) != nil else { throw .unknownCheckpoint(base.description) }
        var world: Snapshot?
        if !edits.isEmpty {
            var snapshot = try self.snapshot(base)
            for edit in edits { try edit.apply(to: &snapshot) }
            world = snapshot
        }
        guard let world else {
            let branch = Branch(name: name, forkedFrom: base, createdAt: now())
            try commitRecords([.branch(branch)])
            return (branch, nil)
        }
        // The branch record and the edited checkpoint are one commit: a fork
        // interrupted at any instant leaves both or neither.
        let first = try commit(world, branch: name, parent: base, info: info, options: WriteOptions(codec: .zstd(level: 1)), forkedFrom: base)
        return (branchTable[name]!, first)
    }
}

/// A change to a world, applied when forking.
public enum WorldEdit: Sendable, Equatable {
    /// Sets one field of one entity: `--set 42.Health.value=10`.
    case set(entity: EntityID, component: String, field: String, value: String)
    /// Removes an entity.
    case despawn(EntityID)
    /// Adds an entity with the components its values name
    /// (`Component.field` → value as text); fields not given are zero,
    /// false or empty.
    case spawn(EntityID, values: [String: String])

    /// Parses `ID:Component.field=VALUE,Component.field=VALUE` (values
    /// cannot contain commas).
    public init?(spawn text: String) {
        guard let colon = text.firstIndex(of: ":"), let id = UInt64(text[..<colon]) else { return nil }
        var values: [String: String] = [:]
        for part in text[text.index(after: colon)...].split(separator: ",") {
            guard let equals = part.firstIndex(of: "="), part[..<equals].split(separator: ".").count == 2 else { return nil }
            values[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard !values.isEmpty else { return nil }
        self = .spawn(EntityID(id), values: values)
    }

    /// Parses `ENTITY.Component.field=VALUE`.
    public init?(assignment: String) {
        guard let equals = assignment.firstIndex(of: "=") else { return nil }
        let path = assignment[..<equals].split(separator: ".", maxSplits: 2).map(String.init)
        guard path.count == 3, let id = UInt64(path[0]) else { return nil }
        self = .set(entity: EntityID(id), component: path[1], field: path[2], value: String(assignment[assignment.index(after: equals)...]))
    }

    /// Applies the edit.
    /// - Throws: ``TimelineError/invalidRequest(_:)`` when the entity or
    ///   field does not exist or the value does not fit the field.
    public func apply(to snapshot: inout Snapshot) throws(TimelineError) {
        switch self {
        case let .set(entity, component, field, text):
            for a in snapshot.archetypes.indices {
                guard let row = snapshot.archetypes[a].entities.firstIndex(of: entity) else { continue }
                guard let column = snapshot.archetypes[a].columnIndex(component: component, field: field) else {
                    throw .invalidRequest("entity \(entity) has no \(component).\(field)")
                }
                let type = snapshot.archetypes[a].columns[column].type
                let value: FieldValue
                do { value = try FieldValue.parsed(text, as: type) } catch {
                    throw .invalidRequest("\(component).\(field): \(error.description)")
                }
                var rebuilt = Column(type: type)
                let old = snapshot.archetypes[a].columns[column]
                rebuilt.reserveCapacity(old.count)
                for index in 0..<old.count {
                    do { try rebuilt.append(index == row ? value : old.value(at: index)) } catch { throw .invalidRequest(error.description) }
                }
                snapshot.archetypes[a].columns[column] = rebuilt
                return
            }
            throw .invalidRequest("no entity \(entity) in the checkpoint")
        case let .despawn(entity):
            for a in snapshot.archetypes.indices {
                guard let row = snapshot.archetypes[a].entities.firstIndex(of: entity) else { continue }
                let archetype = snapshot.archetypes[a]
                var columns: [Column] = []
                for old in archetype.columns {
                    var kept = Column(type: old.type)
                    for index in 0..<old.count where index != row {
                        do { try kept.append(old.value(at: index)) } catch { throw .invalidRequest(error.description) }
                    }
                    columns.append(kept)
                }
                var entities = archetype.entities
                entities.remove(at: row)
                snapshot.archetypes[a] = Archetype(components: archetype.components, entities: entities, columns: columns)
                return
            }
            throw .invalidRequest("no entity \(entity) in the checkpoint")
        case let .spawn(entity, values):
            guard !snapshot.archetypes.contains(where: { $0.entities.contains(entity) }) else {
                throw .invalidRequest("entity \(entity) exists already")
            }
            var names = Set<String>()
            for key in values.keys {
                let parts = key.split(separator: ".").map(String.init)
                guard let component = snapshot.schema.component(named: parts[0]), component.fieldIndex(named: parts[1]) != nil else {
                    throw .invalidRequest("the schema has no field \(key)")
                }
                names.insert(component.name)
            }
            let components = snapshot.schema.components.filter { names.contains($0.name) }
            var row: [FieldValue] = []
            for component in components {
                for field in component.fields {
                    let text = values["\(component.name).\(field.name)"]
                    guard let value = text.map({ FieldValue(parsing: $0, as: field.type) }) ?? FieldValue.zero(of: field.type) else {
                        throw .invalidRequest("\(text ?? "") is not a valid \(field.type) value for \(component.name).\(field.name)")
                    }
                    row.append(value)
                }
            }
            let index = snapshot.archetypes.firstIndex { $0.components == components } ?? {
                snapshot.archetypes.append(Archetype(
                    components: components, entities: [],
                    columns: components.flatMap { $0.fields.map { Column(type: $0.type) } }))
                return snapshot.archetypes.count - 1
            }()
            for (column, value) in row.enumerated() {
                do { try snapshot.archetypes[index].columns[column].append(value) } catch { throw .invalidRequest(error.description) }
            }
            snapshot.archetypes[index].entities.append(entity)
        }
    }
}

extension FieldValue {
    /// The value a new field starts with: zero, false, or empty.
    static func zero(of type: FieldType) -> FieldValue {
        switch type {
        case .bool: .bool(false)
        case .int8, .int16, .int32, .int64: .int(0)
        case .uint8, .uint16, .uint32, .uint64: .uint(0)
        case .float32: .float32(0)
        case .float64: .float64(0)
        case .string: .string("")
        case .bytes: .bytes([])
        }
    }
}

extension FieldValue {
    /// Parses a value of `type` as a person types it: `true`, `-3`, `2.5`,
    /// `nan`, text for strings, hex for bytes; `nil` when it is not one.
    public init?(parsing text: String, as type: FieldType) {
        guard let value = try? Self.parsed(text, as: type) else { return nil }
        self = value
    }

    /// Parses a value of `type` as a person types it, or says why it is not
    /// one: "1e40 does not fit f32", "300 does not fit u8 (0 to 255)".
    /// Infinity and NaN are accepted only when typed as such (`inf`,
    /// `-inf`, `nan`), never as the result of a number too large.
    /// - Throws: ``TimelineError/invalidRequest(_:)`` with the reason.
    public static func parsed(_ text: String, as type: FieldType) throws(TimelineError) -> FieldValue {
        func range<T: FixedWidthInteger>(_: T.Type) -> String { "\(T.min) to \(T.max)" }
        let typesInfinity = ["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(text.lowercased())
        func integer<T: FixedWidthInteger>(_: T.Type) throws(TimelineError) -> FieldValue {
            guard let value = T(text) else {
                if Int64(text) != nil || UInt64(text) != nil { throw .invalidRequest("\(text) does not fit \(type) (\(range(T.self)))") }
                if let number = Double(text), number.isFinite {
                    throw .invalidRequest(number == number.rounded() ? "\(text) does not fit \(type) (\(range(T.self)))" : "\(text) is not a whole number (\(type))")
                }
                throw .invalidRequest("\(text) is not a number (\(type): \(range(T.self)))")
            }
            return T.isSigned ? .int(Int64(value)) : .uint(UInt64(value))
        }
        switch type {
        case .bool:
            guard let value = Bool(text) else { throw .invalidRequest("\(text) is not true or false") }
            return .bool(value)
        case .int8: return try integer(Int8.self)
        case .int16: return try integer(Int16.self)
        case .int32: return try integer(Int32.self)
        case .int64: return try integer(Int64.self)
        case .uint8: return try integer(UInt8.self)
        case .uint16: return try integer(UInt16.self)
        case .uint32: return try integer(UInt32.self)
        case .uint64: return try integer(UInt64.self)
        case .float32:
            guard let value = Float(text) else { throw .invalidRequest("\(text) is not a number (f32; inf, -inf and nan are)") }
            // A number too large for f32 is refused, not stored as inf.
            if value.isInfinite, !typesInfinity {
                throw .invalidRequest("\(text) does not fit f32 (largest \(Float.greatestFiniteMagnitude)); type inf to mean infinity")
            }
            return .float32(value)
        case .float64:
            guard let value = Double(text) else { throw .invalidRequest("\(text) is not a number (f64; inf, -inf and nan are)") }
            if value.isInfinite, !typesInfinity {
                throw .invalidRequest("\(text) does not fit f64 (largest \(Double.greatestFiniteMagnitude)); type inf to mean infinity")
            }
            return .float64(value)
        case .string:
            return .string(text)
        case .bytes:
            guard let bytes = [UInt8](hex: text) else { throw .invalidRequest("\(text) is not hex bytes (like 0a1b)") }
            return .bytes(bytes)
        }
    }
}

extension CheckpointStore {
    /// The checkpoint on `branch`'s timeline whose world time is nearest to
    /// `time` (the earlier one on a tie), or `nil` on an empty timeline.
    public func nearestCheckpoint(toTime time: Double, onBranch branch: String = CheckpointStore.mainBranch) throws(TimelineError) -> Checkpoint? {
        var cursor = ReplayCursor(checkpoints: try timeline(of: branch))
        return cursor.seek(toNearestTime: time) ? cursor.current : nil
    }

    /// Forks a new branch at the checkpoint nearest to `time` on `branch`.
    @discardableResult
    public func fork(
        atTime time: Double, onBranch branch: String = CheckpointStore.mainBranch, name: String, edits: [WorldEdit] = []
    ) throws(TimelineError) -> (branch: Branch, checkpoint: Checkpoint?) {
        guard let base = try nearestCheckpoint(toTime: time, onBranch: branch) else {
            throw .unknownCheckpoint("near time \(time) on \(branch)")
        }
        return try fork(from: base.id, name: name, edits: edits)
    }
}
