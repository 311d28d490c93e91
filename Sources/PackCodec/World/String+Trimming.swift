extension StringProtocol {
    /// The text without the spaces and tabs (and other blanks that are not
    /// line breaks) at either end: what a prompt, a config line or a schema
    /// line means once its padding is gone.
    ///
    /// Here rather than Foundation's `trimmingCharacters(in: .whitespaces)`
    /// so that no module needs Foundation (whose libraries would add about
    /// 6 MB to every process's resident memory).
    package var trimmingBlanks: String {
        func isBlank(_ character: Character) -> Bool { character.isWhitespace && !character.isNewline }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
