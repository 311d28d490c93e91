// OpenSSL libcrypto (Debian: libssl-dev): EVP ciphers and digests, random bytes.
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
