import FoundationEssentials
import PackCodec
import Timeline

/// Bookmarks: a letter for a checkpoint, with an optional note. Kept in
/// the store's folder in the file `MARKS` (one `LETTER CHECKPOINT NOTE`
/// line each, replaced atomically; encrypted in an encrypted store), so
/// they outlive the session and show to everyone who opens the store. The
/// store's own files are untouched.
public struct MarkBook: Sendable, Equatable {
    /// One mark.
    public struct Mark: Sendable, Equatable {
        /// `a`-`z` (any letter).
        public var letter: Character
        /// The bookmarked checkpoint.
        public var checkpoint: CheckpointID
        /// Free text, possibly empty.
        public var note: String
    }

    /// The `MARKS` file.
    public let path: String
    /// The marks, by letter.
    public private(set) var marks: [Mark] = []
    /// Why the file could not be read, if it could not.
    public private(set) var problem: String?

    /// The side file's name in the store's folder.
    public static let fileName = "MARKS"

    /// Reads the marks of `store` (none when the file is absent).
    public init(store: CheckpointStore) {
        path = store.path + "/" + Self.fileName
        do {
            guard let read = try store.sideFiles.read(Self.fileName) else { return }
            (marks, problem) = Self.parse(read, path: path)
        } catch {
            problem = error.description
        }
    }

    /// The marks in a `MARKS` file's bytes, and the first line that did not parse.
    static func parse(_ bytes: [UInt8], path: String) -> (marks: [Mark], problem: String?) {
        var marks: [Mark] = []
        var problem: String?
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            if line.isEmpty { continue }
            guard fields.count >= 2, fields[0].count == 1, let letter = fields[0].first, letter.isLetter, let id = CheckpointID(String(fields[1])) else {
                problem = problem ?? "\(path):\(number + 1): not a mark line (LETTER CHECKPOINT NOTE)"
                continue
            }
            marks.append(Mark(letter: letter, checkpoint: id, note: fields.count > 2 ? String(fields[2]) : ""))
        }
        return (marks, problem)
    }

    /// The mark with `letter`, if set.
    public subscript(letter: Character) -> Mark? { marks.first { $0.letter == letter } }

    /// Sets `letter` to `checkpoint` and writes the file into `store`. The
    /// file is read again under the store's side-file lock and only this
    /// letter changes, so marks other sessions set meanwhile are kept (and
    /// show here from now on).
    public mutating func set(_ letter: Character, to checkpoint: CheckpointID, note: String, in store: CheckpointStore) throws(TimelineError) {
        let path = self.path
        var merged: [Mark] = []
        try store.sideFiles.update(Self.fileName) { (current) throws(TimelineError) -> [UInt8] in
            var updated = current.map { Self.parse($0, path: path).marks } ?? []
            updated.removeAll { $0.letter == letter }
            updated.append(Mark(letter: letter, checkpoint: checkpoint, note: String(note.map { $0.isNewline ? " " : $0 })))
            updated.sort { $0.letter < $1.letter }
            merged = updated
            return Array(updated.map { "\($0.letter) \($0.checkpoint)" + ($0.note.isEmpty ? "" : " \($0.note)") + "\n" }.joined().utf8)
        }
        marks = merged
    }
}
