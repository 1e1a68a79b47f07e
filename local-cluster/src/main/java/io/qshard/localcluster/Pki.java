package io.qshard.localcluster;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for a local control plane (and, later, admission webhooks):
 * issues serving certificates with DNS and IP subject alternative names. RSA 2048, SHA-256, valid for
 * one year. Immutable after creation; thread-safe.
 */
public final class Pki {
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair caKey;
    private final X509Certificate caCert;

    private Pki(KeyPair caKey, X509Certificate caCert) {
        this.caKey = caKey;
        this.caCert = caCert;
    }

    /** A new self-signed CA named {@code commonName}. */
    public static Pki newCa(String commonName) {
        KeyPair key = rsaKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            X509v3CertificateBuilder b = builder(name, name, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Pki(key, sign(b, key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA certificate, PEM-encoded. */
    public String caPem() {
        return pem(caCert);
    }

    /**
     * Issues a serving certificate for {@code commonName} with the given subject alternative names;
     * names that parse as IP literals become IP SANs, the rest DNS SANs.
     */
    public KeyAndCert issueServing(String commonName, List<String> sans) {
        KeyPair key = rsaKeyPair();
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            names.add(
                    isIpLiteral(san)
                            ? new GeneralName(GeneralName.iPAddress, san)
                            : new GeneralName(GeneralName.dNSName, san));
        }
        try {
            X509v3CertificateBuilder b =
                    builder(new X500Name("CN=" + caCertName()), new X500Name("CN=" + commonName), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate cert = sign(b, caKey);
            return new KeyAndCert(pem(key.getPrivate()), pem(cert));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bare RSA key pair as PEM (PKCS#8 private, PKIX public), e.g. for service-account token signing. */
    public static KeyAndCert signingKeyPair() {
        KeyPair key = rsaKeyPair();
        return new KeyAndCert(pem(key.getPrivate()), pem(key.getPublic()));
    }

    /**
     * A PEM private key and a PEM certificate (or public key, for {@link #signingKeyPair()}).
     *
     * @param keyPem  the private key
     * @param certPem the certificate or public key
     */
    public record KeyAndCert(String keyPem, String certPem) {
        /** Writes {@code <dir>/<base>.key} and {@code <dir>/<base>.crt} (mode per umask) and returns their paths. */
        public Path[] write(Path dir, String base) {
            try {
                Path key = Files.writeString(dir.resolve(base + ".key"), keyPem);
                Path cert = Files.writeString(dir.resolve(base + ".crt"), certPem);
                return new Path[] {key, cert};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private String caCertName() {
        return caCert.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(64, RANDOM).abs(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)),
                subject,
                key.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    private static boolean isIpLiteral(String s) {
        if (!s.matches("[0-9.]+") && !s.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            // private keys as PKCS#8 ("PRIVATE KEY"), which Go, Java and openssl all read
            w.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
