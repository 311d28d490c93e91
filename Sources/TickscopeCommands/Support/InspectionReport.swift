import Interop
import PackCodec

/// What `inspect` prints, gathered once and rendered as text or JSON.
struct InspectionReport {
    struct Block {
        var number: Int
        var label: String
        var descriptor: BlockDescriptor
        var checksumOK: Bool
    }

    var path: String
    var byteCount: Int
    var header: FileHeader
    var contents: TableOfContents
    var digest: [UInt8]
    var blocks: [Block]

    init(reader: SnapshotReader, path: String) {
        self.path = path
        byteCount = reader.byteCount
        header = reader.header
        contents = reader.contents
        digest = reader.footer.digest
        blocks = reader.contents.blocks.enumerated().map { number, descriptor in
            let ok = (try? reader.checkChecksum(number, descriptor: descriptor)) != nil
            return Block(number: number, label: reader.contents.label(ofBlock: number), descriptor: descriptor, checksumOK: ok)
        }
    }

    var rawTotal: UInt64 { blocks.reduce(0) { $0 + $1.descriptor.rawLength } }
    var storedTotal: UInt64 { blocks.reduce(0) { $0 + $1.descriptor.storedLength } }

    var textLines: [String] {
        var lines: [String] = []
        lines.append("\(path): Tickscope snapshot, format \(header.major).\(header.minor), \(byteCount) bytes\(header.isEncrypted ? ", encrypted (AES-256-GCM)" : "")")
        let r = contents.resources
        lines.append("tick \(r.tick), world time \(r.worldTime), seed \(r.seed)")
        for key in r.custom.keys.sorted() { lines.append("  resource \(key) = \(r.custom[key]!)") }
        for key in contents.metadata.keys.sorted() { lines.append("  metadata \(key) = \(contents.metadata[key]!)") }
        lines.append("schema: \(counted(contents.schema.components.count, "component"))")
        for component in contents.schema.components {
            let fields = component.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
            lines.append("  \(component.name) v\(component.version) { \(fields) }")
        }
        let entities = contents.archetypes.reduce(0) { $0 + $1.entityCount }
        lines.append("archetypes: \(contents.archetypes.count), entities: \(entities)")
        for (index, archetype) in contents.archetypes.enumerated() {
            lines.append("  [\(index)] \(archetype.components.map(\.name).joined(separator: " + ")): \(archetype.entityCount) entities")
        }
        lines.append("blocks:")
        lines.append(pad("#", 4) + pad("column", 34) + pad("codec", 8) + pad("filter", 13) + padLeft("raw", 12) + padLeft("stored", 12) + padLeft("ratio", 8) + "  checksum  range")
        for block in blocks {
            let d = block.descriptor
            lines.append(
                pad(String(block.number), 4) + pad(block.label, 34) + pad(d.codec.description, 8) + pad(d.filter.description, 13)
                    + padLeft(String(d.rawLength), 12) + padLeft(String(d.storedLength), 12) + padLeft(ratio(d.rawLength, d.storedLength), 8)
                    + "  " + (block.checksumOK ? "ok      " : "MISMATCH") + (d.statistics.map { "  " + Self.describe($0) } ?? ""))
        }
        let covered = header.format == .version1 ? "file sha256" : "header and table sha256"
        lines.append("total: \(rawTotal) raw bytes in \(storedTotal) stored (ratio \(ratio(rawTotal, storedTotal))); \(covered) \(digest.hexString)")
        let bad = blocks.filter { !$0.checksumOK }.count
        lines.append(bad == 0 ? "checksums: all \(counted(blocks.count, "block")) ok" : "checksums: \(bad) of \(blocks.count) blocks MISMATCH")
        return lines
    }

    var json: JSONValue {
        func number(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }
        let r = contents.resources
        return .object([
            ("path", .string(path)),
            ("format", .string("tickscope-snapshot")),
            ("version", .string("\(header.major).\(header.minor)")),
            ("bytes", number(byteCount)),
            ("encrypted", .bool(header.isEncrypted)),
            ("sha256", .string(digest.hexString)),
            ("sha256_covers", .string(header.format == .version1 ? "file" : "header and table of contents")),
            ("resources", .object([
                ("tick", number(r.tick)), ("world_time", r.worldTime.isFinite ? .number(r.worldTime.description) : .string(r.worldTime.description)),
                ("seed", number(r.seed)),
                ("custom", .object(r.custom.keys.sorted().map { ($0, .string(r.custom[$0]!)) })),
            ])),
            ("metadata", .object(contents.metadata.keys.sorted().map { ($0, .string(contents.metadata[$0]!)) })),
            ("schema", .array(contents.schema.components.map { component in
                .object([
                    ("name", .string(component.name)), ("version", number(component.version)),
                    ("fields", .array(component.fields.map { .object([("name", .string($0.name)), ("type", .string($0.type.name))]) })),
                ])
            })),
            ("archetypes", .array(contents.archetypes.map { archetype in
                .object([("components", .array(archetype.components.map { .string($0.name) })), ("entities", number(archetype.entityCount))])
            })),
            ("blocks", .array(blocks.map { block in
                let d = block.descriptor
                return .object([
                    ("block", number(block.number)), ("column", .string(block.label)),
                    ("codec", .string(d.codec.description)), ("filter", .string(d.filter.description)),
                    ("offset", number(d.offset)), ("raw_bytes", number(d.rawLength)), ("stored_bytes", number(d.storedLength)),
                    ("checksum", .string(block.checksumOK ? "ok" : "mismatch")),
                ] + (d.statistics.map { statistics in
                    [("statistics", .object([
                        ("min", Self.json(statistics.minimum)), ("max", Self.json(statistics.maximum)),
                        ("nan_count", number(statistics.nanCount)),
                    ]))]
                } ?? []))
            })),
            ("raw_bytes", number(rawTotal)),
            ("stored_bytes", number(storedTotal)),
        ])
    }

    /// A block's statistics as the blocks table shows them: `min…max`, and
    /// the NaNs when there are any.
    static func describe(_ statistics: ColumnStatistics) -> String {
        "\(statistics.minimum)…\(statistics.maximum)" + (statistics.nanCount > 0 ? ", \(statistics.nanCount) NaN" : "")
    }

    static func json(_ bound: ColumnStatistics.Bound) -> JSONValue {
        switch bound {
        case .signed(let value): .number(String(value))
        case .unsigned(let value): .number(String(value))
        case .float(let value): value.isFinite ? .number(String(value)) : .string(String(value))
        }
    }

    private func ratio(_ raw: UInt64, _ stored: UInt64) -> String {
        guard stored > 0 else { return "-" }
        let value = Double(raw) / Double(stored)
        return String(Double(Int((value * 100).rounded())) / 100)
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

func padLeft(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}
