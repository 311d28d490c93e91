import CLZ4
import CNcurses
import Testing

/// The C modules import what the other modules need: the ncurses shim's
/// wide-character declarations and macro stand-ins, and lz4's frame API
/// (used by foreign formats).
@Suite struct SystemLibraryTests {
    @Test("the ncurses shim declares wcwidth: in a UTF-8 locale a CJK character is two cells wide")
    func wideCharacters() {
        // In the C locale wcwidth answers -1 for anything beyond ASCII; the UI
        // must switch to a UTF-8 locale the same way.
        #expect(setlocale(LC_CTYPE, "C.UTF-8") != nil)
        #expect(wcwidth(0x65E5) == 2) // 日
        #expect(wcwidth(0x41) == 1)
    }

    @Test("attribute bits and mouse masks the shim re-exports are distinct and non-zero")
    func shimConstants() {
        let attributes = [NC_A_BOLD, NC_A_REVERSE, NC_A_DIM, NC_A_UNDERLINE, NC_A_ITALIC]
        #expect(attributes.allSatisfy { $0 != 0 })
        #expect(Set(attributes).count == attributes.count)
        #expect(NC_BUTTON1_PRESSED != 0 && NC_BUTTON4_PRESSED != NC_BUTTON5_PRESSED)
        #expect(nc_key_f(1) == KEY_F0 + 1)
    }

    @Test("the lz4 frame API round-trips through the system liblz4")
    func lz4Frame() {
        let input = [UInt8]((0..<10_000).map { UInt8(truncatingIfNeeded: $0 / 7) })
        let bound = LZ4F_compressFrameBound(input.count, nil)
        var frame = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBytes { source in
            frame.withUnsafeMutableBytes { LZ4F_compressFrame($0.baseAddress, bound, source.baseAddress, input.count, nil) }
        }
        #expect(LZ4F_isError(written) == 0)
        var context: OpaquePointer?
        #expect(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION)) == 0)
        defer { LZ4F_freeDecompressionContext(context) }
        var output = [UInt8](repeating: 0, count: input.count)
        var outputSize = output.count
        var inputSize = written
        let status = frame.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { LZ4F_decompress(context, $0.baseAddress, &outputSize, source.baseAddress, &inputSize, nil) }
        }
        #expect(status == 0)
        #expect(output == input)
    }
}
