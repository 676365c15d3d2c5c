package dev.twostep.tokens;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalIssuerTest {

    @Test
    void signsTokensThatVerifyWithThePublishedKey(@TempDir Path directory) throws Exception {
        LocalIssuer issuer = LocalIssuer.in(directory.resolve("auth"));

        String token = issuer.token("dana", Duration.ofMinutes(5), List.of("deployer", "viewer"));

        JwtClaims claims = consumer(publicKey(issuer.publicKeyFile())).processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("dana");
        assertThat(claims.getIssuer()).isEqualTo(LocalIssuer.ISSUER);
        assertThat(claims.getStringListClaimValue(LocalIssuer.ROLES_CLAIM)).containsExactly("deployer", "viewer");
    }

    @Test
    void keepsTheSameKeyAcrossUses(@TempDir Path directory) throws Exception {
        String first = Files.readString(LocalIssuer.in(directory).publicKeyFile());
        LocalIssuer again = LocalIssuer.in(directory);

        assertThat(Files.readString(again.publicKeyFile())).isEqualTo(first);
        String token = again.token("ci-bot", Duration.ofMinutes(1), List.of("ci"));
        assertThat(consumer(publicKey(again.publicKeyFile())).processToClaims(token).getSubject()).isEqualTo("ci-bot");
    }

    @Test
    void anotherIssuersKeyDoesNotVerify(@TempDir Path directory) throws Exception {
        LocalIssuer ours = LocalIssuer.in(directory.resolve("ours"));
        LocalIssuer theirs = LocalIssuer.in(directory.resolve("theirs"));

        String forged = theirs.token("mallory", Duration.ofMinutes(1), List.of("sre"));

        assertThatThrownBy(() -> consumer(publicKey(ours.publicKeyFile())).processToClaims(forged))
                .isInstanceOf(InvalidJwtException.class);
    }

    private static org.jose4j.jwt.consumer.JwtConsumer consumer(PublicKey key) {
        return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(LocalIssuer.ISSUER)
                .setRequireExpirationTime().setRequireSubject().build();
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
