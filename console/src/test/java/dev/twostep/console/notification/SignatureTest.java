package dev.twostep.console.notification;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureTest {

    @Test
    void isTheHexHmacSha256OfTheBodyKeyedWithTheSecretText() {
        // RFC 4231-style known answer (the widely published HMAC-SHA256("key", "The quick brown fox ...") vector)
        assertThat(Signature.of("key", "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void secretsAreLongAndNeverRepeat() {
        String one = Signature.newSecret();
        assertThat(one).hasSize(64).matches("[0-9a-f]+");
        assertThat(Signature.newSecret()).isNotEqualTo(one);
    }
}
