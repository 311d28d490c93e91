/// The rules for branch names, checked by every command and API that makes
/// or renames a branch: 1 to 100 characters, printable, and none of `@`
/// (it separates a store from a branch: `STORE@BRANCH`), `/` or `\`, so a
/// name is never a path and never injects a line into `log`.
public enum BranchName {
    /// The longest name, in characters.
    public static let maximumLength = 100

    /// Throws ``TimelineError/invalidBranchName(_:reason:)`` saying what is wrong.
    public static func validate(_ name: String) throws(TimelineError) {
        if name.isEmpty { throw .invalidBranchName(name, reason: "it is empty") }
        if name.count > maximumLength { throw .invalidBranchName(name, reason: "it is longer than \(maximumLength) characters") }
        if name == "." || name == ".." { throw .invalidBranchName(name, reason: "it is . or ..") }
        for scalar in name.unicodeScalars {
            switch scalar {
            case "@": throw .invalidBranchName(name, reason: "it contains @, which separates a store from a branch")
            case "/", "\\": throw .invalidBranchName(name, reason: "it contains a slash")
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                    throw .invalidBranchName(name, reason: "it contains a control or unprintable character (U+\(String(scalar.value, radix: 16, uppercase: true)))")
                default: break
                }
            }
        }
        if name.first!.isWhitespace || name.last!.isWhitespace { throw .invalidBranchName(name, reason: "it starts or ends with a space") }
    }
}
