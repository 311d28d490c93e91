extension Array {
    /// `withUnsafeBytes` for bodies that throw ``PackError``: the standard
    /// library's version is `rethrows` and would widen the error to `any Error`.
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(PackError) -> R) throws(PackError) -> R {
        let result: Result<R, PackError> = withUnsafeBytes { bytes in
            Result { () throws(PackError) in try body(bytes) }
        }
        return try result.get()
    }

    /// `withUnsafeMutableBytes` for bodies that throw ``PackError``.
    package mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(PackError) -> R) throws(PackError) -> R {
        let result: Result<R, PackError> = withUnsafeMutableBytes { bytes in
            Result { () throws(PackError) in try body(bytes) }
        }
        return try result.get()
    }
}
