import Interop
import PackCodec
import Timeline

extension SnapshotDiff {
    /// The diff's members in `--json` output: spawned, despawned, moved and
    /// changed, each changed cell's two values named `old` and `new` (or
    /// what `valueNames` says: `diverge` says `a` and `b`).
    func jsonMembers(valueNames: (String, String) = ("old", "new")) -> [(String, JSONValue)] {
        [
            ("spawned", .array(spawned.map { .number(String($0.rawValue)) })),
            ("despawned", .array(despawned.map { .number(String($0.rawValue)) })),
            ("moved", .array(moved.map { move in
                .object([("entity", .number(String(move.entity.rawValue))),
                         ("from", .array(move.from.map { .string($0) })), ("to", .array(move.to.map { .string($0) }))])
            })),
            ("changed", .array(changed.map { change in
                .object([("entity", .number(String(change.entity.rawValue))), ("component", .string(change.component)),
                         ("field", .string(change.field)), (valueNames.0, JSONLines.json(change.old)), (valueNames.1, JSONLines.json(change.new))])
            })),
        ]
    }
}
