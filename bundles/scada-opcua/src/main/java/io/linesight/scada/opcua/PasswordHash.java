package io.linesight.scada.opcua;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted password hash as stored in the configuration: {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
 * (PBKDF2WithHmacSHA256, salt and hash in standard Base64). The clear password is never stored; a
 * password is checked by hashing it with the stored salt and iterations and comparing in constant time.
 */
final class PasswordHash {

    /** The scheme prefix; a later scheme gets a new prefix, so stored hashes stay readable. */
    static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; a login costs a fraction of a second. */
    static final int DEFAULT_ITERATIONS = 600_000;
    /** Fewer would make a stolen configuration cheap to brute-force. */
    static final int MIN_ITERATIONS = 10_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a new random salt. */
    static PasswordHash create(String password, int iterations) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the hash)
     */
    static PasswordHash parse(String stored) {
        String[] parts = stored == null ? new String[0] : stored.trim().split(":", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            throw new IllegalArgumentException("not a password hash of the form " + SCHEME + ":<iterations>:<salt>:<hash>"
                    + " (make one with scada:hashpassword)");
        }
        int iterations;
        byte[] salt;
        byte[] hash;
        try {
            iterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            hash = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed password hash (" + e.getMessage() + ")");
        }
        checkIterations(iterations);
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("password hash with a salt under 8 bytes or a hash under 16 bytes");
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** True if {@code password} hashes to the stored hash; the comparison takes the same time either way. */
    boolean matches(String password) {
        byte[] candidate = derive(password == null ? "" : password, salt, iterations, hash.length);
        return MessageDigest.isEqual(candidate, hash);
    }

    int iterations() {
        return iterations;
    }

    /** The stored form, {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}. */
    @Override
    public String toString() {
        return SCHEME + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("password hash with " + iterations + " iterations; at least "
                    + MIN_ITERATIONS + " are required");
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations, int bytes) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime has PBKDF2WithHmacSHA256; without it no login can be checked.
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
