import Foundation
import PackCodec
import Testing
import Timeline

/// Encrypted stores from the command line: `record --key-file` makes one,
/// every store command takes the key, and nothing leaves it in the clear
/// unless asked to.
@Suite struct EncryptedStoreCommandTests {
    /// An ecosystem recording of 6 checkpoints encrypted with a new key.
    static func recorded(_ scratch: Scratch) throws -> (store: String, key: String) {
        let key = scratch.file("store.key"), store = scratch.file("rec")
        #expect(try TickscopeProcess.run(["key", "new", key]).status == 0)
        let result = try TickscopeProcess.run(["record", "ecosystem", store, "--ticks", "5", "--key-file", key])
        #expect(result.status == 0, "\(result.stderr)")
        return (store, key)
    }

    @Test("record --key-file makes a store whose files hold no component name; every command needs the key")
    func record() throws {
        let scratch = try Scratch()
        let (store, key) = try Self.recorded(scratch)
        for name in try FileManager.default.contentsOfDirectory(atPath: store) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: store + "/" + name))
            for word in ["Position", "Energy", "ecosystem", "main"] {
                #expect(bytes.range(of: Data(word.utf8)) == nil, "\(name) holds \(word)")
            }
        }
        for arguments in [["log", store], ["verify", store], ["diff", store, "c1", "c2"], ["open", store, "--print"]] {
            let refused = try TickscopeProcess.run(arguments)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr == "Error: \(store): the store is encrypted: give its key with --key-file or TICKSCOPE_KEY_FILE\n", "\(arguments)")
        }
        let log = try TickscopeProcess.run(["log", store], environment: ["TICKSCOPE_KEY_FILE": key])
        #expect(log.status == 0 && log.stdout.contains("6 checkpoints, 1 branch, "), "\(log.stderr)")
        #expect(try TickscopeProcess.run(["verify", store, "--key-file", key]).stdout.hasPrefix("\(store): ok, 6 checkpoints"))
        let screen = try TickscopeProcess.run(["open", store, "--key-file", key, "--print", "--size", "100x20"])
        #expect(screen.status == 0 && screen.stdout.contains("Position.x"), "\(screen.stderr)")
        // inspect shows what anyone can see, and the rest with the key.
        let outside = try TickscopeProcess.run(["inspect", store])
        #expect(outside.status == 0 && outside.stdout == "format: Tickscope checkpoint store\nencrypted: yes (AES-256-GCM); give --key-file to see the rest\n")
        let inside = try TickscopeProcess.run(["inspect", store, "--key-file", key])
        #expect(inside.stdout.hasPrefix("format: Tickscope checkpoint store\nencrypted: yes (AES-256-GCM)\ngeneration: 6\ncheckpoints: 6\nbranches: main\nbytes: "))
        // convert and unpack write JSON Lines in the clear only through export --decrypt.
        for arguments in [["convert", store, scratch.file("out.jsonl"), "--to", "jsonl"], ["unpack", store]] {
            let refused = try TickscopeProcess.run(arguments + ["--key-file", key])
            #expect(refused.status == 1 && refused.stdout.isEmpty && refused.stderr == "Error: \(store): the store is encrypted and JSON Lines cannot be; "
                + "`tickscope export \(store) --format jsonl --decrypt -o FILE` writes it in the clear\n")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out.jsonl")))
        // Adding to it needs the key too, and a key cannot turn a plain store into an encrypted one.
        let more = try TickscopeProcess.run(["record", "ecosystem", "--resume", store + "@main", "--ticks", "2", "--key-file", key])
        #expect(more.status == 0 && more.stdout.hasSuffix("committed c8 tick 7\n"), "\(more.stderr)")
        #expect(try TickscopeProcess.run(["record", "ecosystem", scratch.file("plain"), "--ticks", "1"]).status == 0)
        let refused = try TickscopeProcess.run(["record", "ecosystem", scratch.file("plain"), "--ticks", "1", "--key-file", key])
        #expect(refused.stderr.contains("the store is not encrypted, and a key cannot encrypt it in place"))
    }

    @Test("export from an encrypted store encrypts the snapshot file; the clear needs --decrypt")
    func export() throws {
        let scratch = try Scratch()
        let (store, key) = try Self.recorded(scratch)
        let file = scratch.file("c3.tscp")
        #expect(try TickscopeProcess.run(["export", store, "--at", "c3", "-o", file, "--key-file", key]).status == 0)
        #expect(throws: PackError.keyRequired) { try SnapshotReader(path: file).readSnapshot() }
        let world = try SnapshotReader(path: file, key: EncryptionKey(contentsOfFile: key)).readSnapshot()
        let source = try CheckpointStore.open(store, key: EncryptionKey(contentsOfFile: key))
        #expect(world == (try source.snapshot(CheckpointID(rawValue: 3))))
        let jsonl = try TickscopeProcess.run(["export", store, "--format", "jsonl", "-o", scratch.file("t.jsonl"), "--key-file", key])
        #expect(jsonl.status == 1 && jsonl.stderr.contains("give --decrypt"))
        #expect(try TickscopeProcess.run(["export", store, "--format", "jsonl", "-o", scratch.file("t.jsonl"), "--key-file", key, "--decrypt"]).status == 0)
        #expect(try String(contentsOfFile: scratch.file("t.jsonl"), encoding: .utf8).contains("Position"))
    }

    @Test("a bundled encrypted store opens in place with its key")
    func bundle() throws {
        let scratch = try Scratch()
        let (store, key) = try Self.recorded(scratch)
        let package = scratch.file("rec.xs")
        #expect(try TickscopeProcess.run(["bundle", store, package]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: package)).range(of: Data("Position".utf8)) == nil)
        let refused = try TickscopeProcess.run(["open", package, "--print"])
        #expect(refused.status == 1 && refused.stderr.contains("the store is encrypted"))
        let screen = try TickscopeProcess.run(["open", package, "--key-file", key, "--print", "--size", "100x20"])
        #expect(screen.status == 0 && screen.stdout.contains("Position.x"), "\(screen.stderr)")
    }
}
