package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PkiTest {

    @Test
    void servingCertCarriesDnsAndIpSansAndChainsToTheCa() throws Exception {
        Pki ca = Pki.newCa("test-ca");
        Pki.KeyAndCert serving = ca.issueServing("svc", List.of("127.0.0.1", "webhook.qshard.svc"));

        X509Certificate cert = parse(serving.certPem());
        X509Certificate caCert = parse(ca.caPem());
        cert.verify(caCert.getPublicKey());
        assertThat(cert.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(2, "webhook.qshard.svc"));
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(serving.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
