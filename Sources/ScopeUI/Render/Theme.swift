/// The styles every part of the screen uses. Passed in, never global.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var base: Style
    public var title: Style
    public var border: Style
    public var header: Style
    public var selected: Style
    public var changed: Style
    public var spawned: Style
    public var dim: Style
    public var status: Style
    public var error: Style
    /// Box-drawing characters: UTF-8 lines, or ASCII for `--ascii`.
    public var box: BoxCharacters

    /// The default dark theme.
    public static let dark = Theme(
        name: "dark", base: Style(.white), title: Style(.cyan, bold: true), border: Style(.blue), header: Style(.yellow, bold: true),
        selected: Style(.black, on: .cyan), changed: Style(.black, on: .yellow), spawned: Style(.green, bold: true),
        dim: Style(.blue), status: Style(.black, on: .white), error: Style(.white, on: .red, bold: true), box: .unicode)

    /// No colours at all, for `NO_COLOR` and monochrome terminals: emphasis
    /// by bold, reverse and underline only.
    public static let monochrome = Theme(
        name: "mono", base: .plain, title: Style(bold: true), border: .plain, header: Style(bold: true, underlined: true),
        selected: Style(reversed: true), changed: Style(bold: true, underlined: true), spawned: Style(bold: true),
        dim: .plain, status: Style(reversed: true), error: Style(bold: true, reversed: true), box: .unicode)

    /// This theme with ASCII box drawing.
    public var ascii: Theme {
        var copy = self
        copy.box = .ascii
        return copy
    }
}

/// The characters of lines and markers.
public struct BoxCharacters: Sendable, Equatable {
    public var horizontal: Character, vertical: Character, marker: Character, fork: Character

    public static let unicode = BoxCharacters(horizontal: "─", vertical: "│", marker: "●", fork: "┼")
    public static let ascii = BoxCharacters(horizontal: "-", vertical: "|", marker: "o", fork: "+")
}
