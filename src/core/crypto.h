/* crypto.h — the few cryptographic operations labimpact needs, all through
 * libsodium: random tokens, SHA-256, argon2id password hashes, constant-time
 * comparison. Never log what passes through here. */
#ifndef LI_CRYPTO_H
#define LI_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_TOKEN_LEN 43   /* base64url of 32 random bytes, no padding */
#define CRYPTO_HASH_HEX 65    /* SHA-256 hex + NUL */
#define CRYPTO_PWHASH_LEN 128 /* argon2id encoded string + NUL */

/* Initialises libsodium; -1 when it cannot (the program must not go on). */
int crypto_init(void);
/* 256 random bits as base64url text into out[CRYPTO_TOKEN_LEN + 1]. */
void crypto_token(char out[CRYPTO_TOKEN_LEN + 1]);
/* SHA-256 of s[0..n) as lowercase hex into out[CRYPTO_HASH_HEX]. */
void crypto_sha256_hex(const void *s, size_t n, char out[CRYPTO_HASH_HEX]);
/* argon2id hash (libsodium's interactive limits) of `password`; 0 or -1. */
int crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_LEN]);
/* True when `password` matches the encoded `hash`. */
bool crypto_password_verify(const char *hash, const char *password);
/* Constant-time equality of two NUL-terminated strings (length may leak). */
bool crypto_streq(const char *a, const char *b);
/* A random password of `len` characters (letters, digits, a few symbols). */
void crypto_random_password(char *out, size_t len);

#endif
