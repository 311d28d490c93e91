import Timeline

/// The archetypes of the checkpoint shown, one a line: how many entities,
/// then the components, shortened to their first three or two letters
/// (`Pos+Vel+Hea`) when the names do not fit, so archetypes stay told
/// apart. The one in the table is marked, in the selection style while the
/// list has the focus (`a`, `Tab`).
struct ArchetypeList {
    /// The archetypes, in the checkpoint's order.
    var archetypes: [StoredArchetype]
    /// The one the table shows.
    var selected: Int
    var isFocused: Bool
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        // After the count's seven cells and a space.
        let room = area.width - 8
        for (index, archetype) in archetypes.enumerated().prefix(area.height) {
            var names = archetype.signature.description
            if names.isEmpty { names = "(no components)" }
            for letters in [3, 2] where names.count > room {
                names = archetype.components.map { String($0.name.prefix(letters)) }.joined(separator: "+")
            }
            if names.count > room { names = room > 1 ? String(names.prefix(room - 1)) + "…" : "" }
            let label = pad(String(archetype.entityCount), 7, right: true) + " " + names
            let style = index == selected ? (isFocused ? theme.selected : theme.header) : theme.base
            buffer.fill(Rect(x: area.x, y: area.y + index, width: area.width, height: 1), style: style)
            buffer.put(label, x: area.x, y: area.y + index, style: style, limit: area.width)
        }
    }
}
