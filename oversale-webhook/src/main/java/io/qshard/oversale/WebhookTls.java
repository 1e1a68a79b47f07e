package io.qshard.oversale;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * The webhook's serving certificate: a chain in {@code tls.crt} and a key in {@code tls.key} (PKCS#1 or PKCS#8, RSA
 * or EC), PEM, as a Kubernetes TLS Secret holds them. Validated when created (so a bad pair fails at startup naming
 * the file) and again before a rotated pair is swapped in. Immutable.
 *
 * @param cert the certificate chain file
 * @param key  the private key file
 */
public record WebhookTls(Path cert, Path key) {
    /** @throws IllegalArgumentException naming the file when either cannot be read or parsed */
    public WebhookTls {
        validate(cert, key);
    }

    /** Reads both files again. @throws IllegalArgumentException naming the file that is wrong */
    public void validate() {
        validate(cert, key);
    }

    private static void validate(Path cert, Path key) {
        try (InputStream in = Files.newInputStream(cert)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + cert + " holds no certificate");
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read --tls-cert " + cert + ": " + e.getMessage(), e);
        }
        try (Reader r = Files.newBufferedReader(key);
                PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof PEMKeyPair) && !(o instanceof PrivateKeyInfo)) {
                throw new IllegalArgumentException("--tls-key " + key + " holds no PEM private key");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --tls-key " + key + ": " + e.getMessage(), e);
        }
    }
}
