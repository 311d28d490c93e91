/// A box listing every key binding, read from the key map itself.
struct HelpOverlay {
    var keyMap: KeyMap
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        var lines: [(String, String)] = []
        for binding in keyMap.bindings {
            if let index = lines.firstIndex(where: { $0.1 == binding.description }) {
                lines[index].0 += " " + binding.key.label
            } else {
                lines.append((binding.key.label, binding.description))
            }
        }
        let width = min(area.width - 2, 76), height = min(area.height - 2, lines.count + 3)
        guard width > 10, height > 3 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(box, style: theme.base)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y, style: theme.border)
        buffer.put(" keys ", x: box.x + 2, y: box.y, style: theme.title)
        for (index, (keys, description)) in lines.prefix(height - 3).enumerated() {
            buffer.put(pad(keys, 12), x: box.x + 2, y: box.y + 1 + index, style: theme.header, limit: 12)
            buffer.put(description, x: box.x + 15, y: box.y + 1 + index, style: theme.base, limit: width - 16)
        }
        buffer.put("any key closes this", x: box.x + 2, y: box.y + height - 2, style: theme.dim)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y + height - 1, style: theme.border)
    }
}
