import Formats

/// Reads a whole input file, or standard input for `-`.
func readInput(_ path: String) throws -> [UInt8] { try InputFiles.read(path) }

/// The names in a folder (without `.` and `..`), sorted.
func directoryEntries(_ path: String) throws -> [String] { try InputFiles.entries(of: path) }

/// Whether `path` is a directory.
func isDirectory(_ path: String) -> Bool { InputFiles.isDirectory(path) }
