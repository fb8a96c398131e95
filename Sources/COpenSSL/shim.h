#ifndef ZHUCAN_COPENSSL_SHIM_H
#define ZHUCAN_COPENSSL_SHIM_H

// System OpenSSL 3 (Debian: libssl-dev), libcrypto only.
// Swift cannot import macros with arguments or variadic functions; each one the Swift code
// needs is wrapped here in a `static inline` function named `zhucan_<what it does>`.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <string.h>

/// OPENSSL_free is a macro over CRYPTO_free(ptr, __FILE__, __LINE__).
static inline void zhucan_openssl_free(void *pointer) {
    OPENSSL_free(pointer);
}

/// BIO_get_mem_data is a macro over BIO_ctrl; returns the length and points *data at the bytes
/// (the BIO keeps ownership).
static inline long zhucan_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

/// EVP_PKEY_Q_keygen is variadic: "EC" takes a curve name, "SM2" and "ED25519" take nothing.
/// Returns a new key owned by the caller, or NULL (error queued).
static inline EVP_PKEY *zhucan_generate_key(const char *type, const char *curve) {
    if (curve != NULL) {
        return EVP_PKEY_Q_keygen(NULL, NULL, type, curve);
    }
    return EVP_PKEY_Q_keygen(NULL, NULL, type);
}

/// The passphrase handed to OpenSSL's PEM password callback. `bytes` may be NULL: then the
/// callback fails instead of prompting on the terminal, which OpenSSL's default would do.
typedef struct {
    const unsigned char *bytes;
    size_t length;
} zhucan_passphrase;

/// pem_password_cb over a `zhucan_passphrase`: copies it into OpenSSL's buffer.
static inline int zhucan_passphrase_callback(char *buffer, int size, int rwflag, void *userdata) {
    (void)rwflag;
    const zhucan_passphrase *passphrase = (const zhucan_passphrase *)userdata;
    if (passphrase == NULL || passphrase->bytes == NULL || size < 0 || passphrase->length > (size_t)size) {
        return -1;
    }
    memcpy(buffer, passphrase->bytes, passphrase->length);
    return (int)passphrase->length;
}

/// PEM_read_bio_PrivateKey with the callback above (never prompts).
static inline EVP_PKEY *zhucan_read_private_key(BIO *bio, const zhucan_passphrase *passphrase) {
    return PEM_read_bio_PrivateKey(bio, NULL, zhucan_passphrase_callback, (void *)passphrase);
}

/// d2i_PKCS8PrivateKey_bio with the callback above: DER EncryptedPrivateKeyInfo (RFC 5958
/// §3). It reads nothing else.
static inline EVP_PKEY *zhucan_read_encrypted_private_key_der(BIO *bio, const zhucan_passphrase *passphrase) {
    return d2i_PKCS8PrivateKey_bio(bio, NULL, zhucan_passphrase_callback, (void *)passphrase);
}

/// DER OneAsymmetricKey / PrivateKeyInfo (RFC 5958 §2), unencrypted; the info is freed here,
/// the key belongs to the caller.
static inline EVP_PKEY *zhucan_read_plain_private_key_der(BIO *bio) {
    PKCS8_PRIV_KEY_INFO *info = d2i_PKCS8_PRIV_KEY_INFO_bio(bio, NULL);
    if (info == NULL) {
        return NULL;
    }
    EVP_PKEY *key = EVP_PKCS82PKEY(info);
    PKCS8_PRIV_KEY_INFO_free(info);
    return key;
}

#endif
