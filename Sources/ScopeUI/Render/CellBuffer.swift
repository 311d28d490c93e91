/// A colour of the terminal's palette.
public enum Color: Hashable, Sendable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
    /// One of the 256 indexed colours (used only when the terminal has them).
    case indexed(UInt8)
}

/// How a cell is drawn.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var isBold: Bool
    public var isReversed: Bool
    public var isUnderlined: Bool

    /// Creates a style.
    public init(_ foreground: Color = .default, on background: Color = .default, bold: Bool = false, reversed: Bool = false, underlined: Bool = false) {
        self.foreground = foreground
        self.background = background
        isBold = bold
        isReversed = reversed
        isUnderlined = underlined
    }

    /// The terminal's default look.
    public static let plain = Style()
}

/// One screen cell: a character and its style. A double-width character
/// occupies its cell and the next, which holds an empty continuation.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// Whether this cell is the right half of a double-width character.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    /// Whether the cell at `x`, `y` is inside.
    public func contains(x: Int, y: Int) -> Bool { x >= self.x && x < self.x + width && y >= self.y && y < self.y + height }
}

/// The screen as a grid of cells, which widgets draw into and tests read
/// directly; a terminal backend only copies it out. Drawing outside the
/// grid is clipped, never an error.
public struct CellBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A blank buffer.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills a rectangle with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style) {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) { self[x, y] = Cell(character, style: style) }
        }
    }

    /// Writes `text` from column `x` of row `y`, at most `limit` cells wide
    /// (to the edge by default), cutting what does not fit.
    /// - Returns: the number of cells written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let end = min(width, x + (limit ?? width))
        if let written = putPrintableASCII(text, x: x, y: y, end: end, style: style) { return written }
        var column = x
        for character in text {
            let cellWidth = Self.displayWidth(of: character)
            if cellWidth == 0 { continue }
            if column + cellWidth > end { break }
            if column >= 0 {
                self[column, y] = Cell(character, style: style)
                if cellWidth == 2 { self[column + 1, y] = Cell(" ", style: style, isContinuation: true) }
            }
            column += cellWidth
        }
        return column - x
    }

    /// ``put(_:x:y:style:limit:)`` for text that is all printable ASCII
    /// (nearly every cell of a table): a cell a byte, without breaking the
    /// text into grapheme clusters; `nil` for any other text.
    private mutating func putPrintableASCII(_ text: String, x: Int, y: Int, end: Int, style: Style) -> Int? {
        let written = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard Self.isPrintableASCII(bytes) else { return nil }
            var column = x
            for byte in bytes {
                if column + 1 > end { break }
                if column >= 0 { self[column, y] = Cell(Character(Unicode.Scalar(byte)), style: style) }
                column += 1
            }
            return column - x
        }
        return written ?? nil
    }

    /// Whether UTF-8 `bytes` are all printable ASCII: one cell a byte.
    private static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The text of each row, trailing spaces kept, continuation cells skipped.
    public var lines: [String] {
        (0..<height).map { y in
            String((0..<width).compactMap { x in self[x, y].isContinuation ? nil : self[x, y].character })
        }
    }

    /// The rows as text with trailing spaces removed, joined by newlines:
    /// what `--print` shows.
    public var text: String {
        lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    /// How many cells a line of text takes.
    public static func displayWidth(of text: String) -> Int {
        // Printable ASCII: a cell a byte, without breaking the text into grapheme clusters.
        if text.utf8.withContiguousStorageIfAvailable(isPrintableASCII) == true { return text.utf8.count }
        return text.reduce(0) { $0 + displayWidth(of: $1) }
    }

    /// How many cells a character takes: 2 for East Asian wide and emoji,
    /// 0 for combining marks and controls, else 1.
    public static func displayWidth(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        // Printable ASCII, nearly every cell of a table, without a look at the Unicode tables.
        if v >= 0x20, v < 0x7F { return 1 }
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark { return 0 }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// East Asian wide characters and emoji.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
}

extension CellBuffer {
    /// ASCII stand-ins for the marks the screen draws.
    static let asciiStandIns: [Character: Character] = [
        "…": "~", "▶": ">", "▲": "^", "▼": "v", "●": "o", "┼": "+", "─": "-", "│": "|", "├": "[", "┤": "]", "←": "<", "→": ">",
    ]

    /// Replaces every character that is not ASCII (a mark of the screen by
    /// its stand-in, anything else, data included, by `?`; both halves of
    /// a double-width one), for `--ascii` terminals.
    public mutating func makeASCII() {
        for index in cells.indices where !cells[index].character.isASCII {
            let character = cells[index].character
            cells[index].character = Self.asciiStandIns[character] ?? "?"
        }
        for index in cells.indices where cells[index].isContinuation {
            cells[index].character = "?"
            cells[index].isContinuation = false
        }
    }
}
