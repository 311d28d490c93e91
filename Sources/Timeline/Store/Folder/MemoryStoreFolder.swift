import PackCodec

/// A store folder in memory that can lose power, as LevelDB's
/// `fault_injection_test` does: every file keeps what was written apart from
/// what a sync made durable, and the folder keeps its entries apart from
/// what a folder sync made durable. After ``cutAfter`` sync points the power
/// goes: that sync and everything after it fails, and ``afterPowerCut()``
/// is the folder as a machine would find it on reboot, holding only what
/// was durable. A SIGKILL keeps the page cache, so kill tests cannot see a
/// missing or misordered sync; this can. Internal: the power-cut tests and
/// the `fuzz-store-folder` target use it.
final class MemoryStoreFolder: StoreFolder {
    /// A file's contents, shared by every name that refers to it.
    final class Inode {
        var data: [UInt8]
        var durable: [UInt8]
        init(data: [UInt8] = [], durable: [UInt8] = []) {
            self.data = data
            self.durable = durable
        }
    }

    let path: String
    private(set) var names: [String: Inode] = [:]
    private var durableNames: [String: Inode] = [:]
    /// How many sync points succeed before the power goes; `nil`: never.
    var cutAfter: Int?
    /// Sync points passed so far.
    private(set) var syncs = 0
    /// Whether the power went.
    private(set) var isDead = false
    /// Makes every folder sync fail with EIO (a disk that refuses it).
    var failFolderSync = false
    /// Bytes the files may still grow by before the disk is full; `nil`:
    /// no limit. A write that would grow past it writes what fits and
    /// fails with ENOSPC, as `pwrite` does on a full disk.
    var spaceLeft: Int?
    fileprivate var isLocked = false

    init(path: String = "/power-cut/store") { self.path = path }

    /// The folder after a reboot: only durable entries, with only their
    /// durable bytes.
    func afterPowerCut() -> MemoryStoreFolder {
        let folder = MemoryStoreFolder(path: path)
        for (name, inode) in durableNames {
            let copy = Inode(data: inode.durable, durable: inode.durable)
            folder.names[name] = copy
            folder.durableNames[name] = copy
        }
        return folder
    }

    /// Puts a file with `bytes` in the folder, durable at once (how a test
    /// or the fuzzer plants a file).
    func setFile(_ name: String, _ bytes: [UInt8]) {
        let inode = Inode(data: bytes, durable: bytes)
        names[name] = inode
        durableNames[name] = inode
    }

    /// Every file's current bytes, by name (for comparing folders).
    var contents: [String: [UInt8]] { names.mapValues(\.data) }

    static let powerCut = TimelineError.invalidRequest("the power went")

    func alive() throws(TimelineError) { if isDead { throw Self.powerCut } }

    func syncPoint() throws(TimelineError) {
        try alive()
        if let cutAfter, syncs >= cutAfter {
            isDead = true
            throw Self.powerCut
        }
        syncs += 1
    }

    func open(_ name: String, mode: StoreFileMode) throws(TimelineError) -> any StoreFileHandle {
        try alive()
        switch mode {
        case .createNew:
            guard names[name] == nil else { throw .file(path: pathOf(name), .io(operation: "cannot create", path: pathOf(name), errno: 17)) }
            names[name] = Inode()
        case .read, .readWrite:
            guard names[name] != nil else { throw .file(path: pathOf(name), .io(operation: "cannot open", path: pathOf(name), errno: 2)) }
        }
        return MemoryFile(inode: names[name]!, path: pathOf(name), folder: self)
    }

    func entries() throws(TimelineError) -> [StoreFolderEntry] {
        try alive()
        return names.keys.sorted().map { StoreFolderEntry(name: $0, kind: .regularFile) }
    }

    func read(_ name: String, limit: Int) throws(TimelineError) -> [UInt8]? {
        try alive()
        guard let inode = names[name] else { return nil }
        guard inode.data.count <= limit else {
            throw .file(path: pathOf(name), .sizeLimitExceeded(what: "the file", declared: UInt64(inode.data.count), limit: UInt64(limit)))
        }
        return inode.data
    }

    func replace(_ name: String, with bytes: [UInt8]) throws(TimelineError) {
        let temporary = name + ".tmp-1"
        try remove(temporary)
        let file = try open(temporary, mode: .createNew)
        try file.write(bytes, at: 0)
        try file.sync()
        try alive()
        names[name] = names.removeValue(forKey: temporary)
        try syncDirectory()
    }

    func remove(_ name: String) throws(TimelineError) {
        try alive()
        names[name] = nil
    }

    func rename(_ name: String, to newName: String) throws(TimelineError) {
        try alive()
        guard names[newName] == nil, let inode = names.removeValue(forKey: name) else {
            throw .file(path: pathOf(name), .io(operation: "cannot rename", path: pathOf(name), errno: 17))
        }
        names[newName] = inode
        try syncDirectory()
    }

    func syncDirectory() throws(TimelineError) {
        if failFolderSync {
            try alive()
            throw .file(path: path, .io(operation: "cannot sync the folder", path: path, errno: 5))
        }
        try syncPoint()
        durableNames = names
    }

    func lockWriter() throws(TimelineError) -> any StoreWriterLock {
        try alive()
        guard !isLocked else { throw .locked(path: path, holder: "another handle in this test") }
        isLocked = true
        return MemoryLock(folder: self)
    }

    func withSideFileLock<T>(_ body: () throws(TimelineError) -> T) throws(TimelineError) -> T { try body() }
}

private final class MemoryFile: StoreFileHandle {
    let inode: MemoryStoreFolder.Inode
    let path: String
    unowned let folder: MemoryStoreFolder

    init(inode: MemoryStoreFolder.Inode, path: String, folder: MemoryStoreFolder) {
        self.inode = inode
        self.path = path
        self.folder = folder
    }

    func size() throws(TimelineError) -> UInt64 {
        try folder.alive()
        return UInt64(inode.data.count)
    }

    func read(at offset: UInt64, count: Int) throws(TimelineError) -> [UInt8] {
        try folder.alive()
        guard offset <= UInt64(inode.data.count), count <= inode.data.count - Int(offset) else {
            throw .file(path: path, .truncated(needed: count, available: max(0, inode.data.count - Int(clamping: offset)), offset: Int(clamping: offset)))
        }
        return Array(inode.data[Int(offset)..<Int(offset) + count])
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(TimelineError) {
        try folder.alive()
        let start = Int(offset)
        var fitting = bytes.count
        if let room = folder.spaceLeft {
            fitting = min(bytes.count, max(0, inode.data.count + room - start))
            folder.spaceLeft = room - max(0, start + fitting - inode.data.count)
        }
        if inode.data.count < start + fitting { inode.data += [UInt8](repeating: 0, count: start + fitting - inode.data.count) }
        inode.data.replaceSubrange(start..<start + fitting, with: bytes[..<fitting])
        guard fitting == bytes.count else { throw .file(path: path, .io(operation: "cannot write", path: path, errno: 28)) }
    }

    func sync() throws(TimelineError) {
        try folder.syncPoint()
        inode.durable = inode.data
    }

    func truncate(to length: UInt64) throws(TimelineError) {
        try folder.alive()
        guard Int(length) < inode.data.count else { return }
        folder.spaceLeft = folder.spaceLeft.map { $0 + inode.data.count - Int(length) }
        inode.data.removeSubrange(Int(length)...)
    }
}

private final class MemoryLock: StoreWriterLock {
    let recoveredFrom: String? = nil
    weak var folder: MemoryStoreFolder?
    init(folder: MemoryStoreFolder) { self.folder = folder }
    deinit { folder?.isLocked = false }
}
