package dev.twostep.tokens;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The token issuer of a local platform and of the tests: an RSA key pair kept in a directory, and bearer tokens
 * signed with it. The services verify these tokens exactly as they verify an OIDC provider's, through the public
 * key file, so nothing about authentication is switched off locally.
 */
public final class LocalIssuer {

    /** The {@code iss} claim of every local token; the services expect it unless configured otherwise. */
    public static final String ISSUER = "twostep-local";
    /** The claim that carries the roles, as MicroProfile JWT reads it by default. */
    public static final String ROLES_CLAIM = "groups";

    /** The file, in the issuer's directory, that the services verify tokens with. */
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    static final String SIGNING_KEY_FILE = "signing-key.pem";

    private final PrivateKey signingKey;
    private final Path publicKey;

    private LocalIssuer(PrivateKey signingKey, Path publicKey) {
        this.signingKey = signingKey;
        this.publicKey = publicKey;
    }

    /**
     * The issuer whose keys live in {@code directory}, making them on first use. Several processes may race to make
     * them: each writes a complete pair into a directory of its own and renames it into place, which fails for all
     * but the first, so everyone ends up with the same pair and nobody reads a half-written file.
     */
    public static LocalIssuer in(Path directory) {
        Path keys = directory.toAbsolutePath().normalize();
        try {
            if (!Files.exists(keys.resolve(SIGNING_KEY_FILE))) {
                Files.createDirectories(keys.getParent());
                KeyPair pair = newKeyPair();
                Path staged = Files.createTempDirectory(keys.getParent(), ".keys-");
                Files.writeString(staged.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.writeString(staged.resolve(SIGNING_KEY_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                try {
                    Files.move(staged, keys, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileSystemException lostTheRace) {
                    deleteQuietly(staged);
                }
            }
            return new LocalIssuer(readPrivateKey(keys.resolve(SIGNING_KEY_FILE)), keys.resolve(PUBLIC_KEY_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local signing key in " + keys, e);
        }
    }

    /** The PEM file the services verify tokens with ({@code mp.jwt.verify.publickey.location}). */
    public Path publicKeyFile() {
        return publicKey;
    }

    /** A token for {@code subject}, who holds {@code roles}, valid for {@code validity} from now. */
    public String token(String subject, Duration validity, List<String> roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setStringListClaim(ROLES_CLAIM, roles);
        claims.setJwtId(UUID.randomUUID().toString());
        Instant now = Instant.now();
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(validity).getEpochSecond()));
        JsonWebSignature signature = new JsonWebSignature();
        signature.setPayload(claims.toJson());
        signature.setKey(signingKey);
        signature.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        signature.setHeader("typ", "JWT");
        try {
            return signature.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token for " + subject, e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys", e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not a PKCS#8 RSA private key; delete it to make a new one", e);
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }

    private static void deleteQuietly(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }
}
