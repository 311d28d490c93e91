import COpenSSL

/// AES-256-GCM through OpenSSL's EVP cipher API: 12-byte nonces,
/// 16-byte tags, additional authenticated data.
package enum AESGCM {
    package static let nonceSize = 12
    package static let tagSize = 16

    /// Encrypts `plaintext`, appending `nonce ‖ ciphertext ‖ tag` to `output`.
    /// The C functions are `EVP_EncryptInit_ex`, `EVP_EncryptUpdate`,
    /// `EVP_EncryptFinal_ex` and `EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_GET_TAG)`.
    package static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: EncryptionKey, nonce: [UInt8],
        authenticating aad: [UInt8], appendingTo output: inout [UInt8]
    ) throws(PackError) {
        precondition(nonce.count == nonceSize)
        guard plaintext.count < Int(Int32.max) else {
            throw .sizeLimitExceeded(what: "an encrypted block", declared: UInt64(plaintext.count), limit: UInt64(Int32.max))
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw .library("OpenSSL: cannot create a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let start = output.count
        output.append(contentsOf: nonce)
        output.append(contentsOf: repeatElement(0, count: plaintext.count + tagSize))
        let ok: Bool = key.withBytes { keyBytes in
            output.withUnsafeMutableBytes { buffer -> Bool in
                guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
                    EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1,
                    EVP_EncryptInit_ex(context, nil, nil, keyBytes, nonce) == 1
                else { return false }
                var length: Int32 = 0
                if !aad.isEmpty {
                    guard EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else { return false }
                }
                let body = buffer.baseAddress!.advanced(by: start + nonceSize).assumingMemoryBound(to: UInt8.self)
                if plaintext.count > 0 {
                    guard EVP_EncryptUpdate(context, body, &length, plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(plaintext.count)) == 1
                    else { return false }
                }
                guard EVP_EncryptFinal_ex(context, body.advanced(by: plaintext.count), &length) == 1 else { return false }
                return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), body.advanced(by: plaintext.count)) == 1
            }
        }
        guard ok else { throw .library("OpenSSL AES-256-GCM encryption failed") }
    }

    /// Decrypts `nonce ‖ ciphertext ‖ tag` into `destination`, which must be
    /// exactly the ciphertext's size.
    /// - Returns: whether the tag verified; on `false` the destination holds
    ///   no usable data.
    package static func open(
        _ sealed: UnsafeRawBufferPointer, key: EncryptionKey, authenticating aad: [UInt8],
        into destination: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard sealed.count >= nonceSize + tagSize, destination.count == sealed.count - nonceSize - tagSize,
            destination.count < Int(Int32.max),
            let context = EVP_CIPHER_CTX_new()
        else { return false }
        defer { EVP_CIPHER_CTX_free(context) }
        let base = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let bodyCount = destination.count
        return key.withBytes { keyBytes -> Bool in
            guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1,
                EVP_DecryptInit_ex(context, nil, nil, keyBytes, base) == 1
            else { return false }
            var length: Int32 = 0
            if !aad.isEmpty {
                guard EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else { return false }
            }
            if bodyCount > 0 {
                guard EVP_DecryptUpdate(context, destination.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, base + nonceSize, Int32(bodyCount)) == 1
                else { return false }
            }
            let tag = UnsafeMutableRawPointer(mutating: base + nonceSize + bodyCount)
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), tag) == 1 else { return false }
            var scratch = [UInt8](repeating: 0, count: 16)
            return EVP_DecryptFinal_ex(context, &scratch, &length) == 1
        }
    }
}
