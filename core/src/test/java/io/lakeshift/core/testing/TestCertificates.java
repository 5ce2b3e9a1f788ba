package io.lakeshift.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code localhost}
 * and {@code 127.0.0.1}, written as PEM files (for PostgreSQL and Lakeshift's {@code caFile}) and
 * as PKCS12 keystore and truststore (for Kafka), for tests of encrypted connections.
 *
 * @param caPem the CA certificate (PEM)
 * @param serverCertPem the server certificate (PEM)
 * @param serverKeyPem the server's private key (PEM, owner-only as PostgreSQL demands)
 * @param keyStore PKCS12 with the server key and its chain, alias {@code server}
 * @param trustStore PKCS12 with the CA certificate
 * @param password the password of both PKCS12 files
 */
public record TestCertificates(Path caPem, Path serverCertPem, Path serverKeyPem, Path keyStore, Path trustStore,
        String password) {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A new CA and a server certificate for localhost/127.0.0.1, written to {@code dir}. */
    public static TestCertificates create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=Lakeshift test CA " + SERIAL.incrementAndGet());
            X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(), caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKeys);
            KeyPair serverKeys = rsa();
            X509Certificate server = sign(new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(),
                    new X500Name("CN=localhost"), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")})), caKeys);
            String password = "test-" + Long.toHexString(SERIAL.incrementAndGet());
            TestCertificates certs = new TestCertificates(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                    dir.resolve("server.key"), dir.resolve("server.p12"), dir.resolve("truststore.p12"), password);
            Files.writeString(certs.caPem(), pem(ca));
            Files.writeString(certs.serverCertPem(), pem(server));
            Files.deleteIfExists(certs.serverKeyPem());
            Files.createFile(certs.serverKeyPem(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(certs.serverKeyPem(), pem(serverKeys.getPrivate()));
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", serverKeys.getPrivate(), password.toCharArray(), new Certificate[] {server, ca});
            store(keyStore, certs.keyStore(), password);
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("ca", ca);
            store(trustStore, certs.trustStore(), password);
            return certs;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create test certificates in " + dir, e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void store(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
