package io.lakeshift.core.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;

/**
 * A PKCS12 truststore written from a PEM bundle of CA certificates, for the drivers that take no
 * PEM (MySQL Connector/J, Debezium's binlog connectors). The file is owner-only (0600) and its
 * password is generated here and kept in memory only: {@link #toString()} never shows it.
 *
 * @param path the PKCS12 file
 * @param password its generated password
 */
public record PemTrustStore(Path path, String password) {

    public static final String TYPE = "PKCS12";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Reads every certificate of {@code caFile} and writes them to {@code target} as trusted entries.
     *
     * @throws IllegalArgumentException when {@code caFile} holds no PEM certificate
     */
    public static PemTrustStore write(Path caFile, Path target) throws IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(caFile + " is not a PEM bundle of certificates: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(caFile + " holds no certificate");
        }
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            KeyStore store = KeyStore.getInstance(TYPE);
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.deleteIfExists(target);
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.TRUNCATE_EXISTING)) {
                store.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the truststore " + target + ": " + e.getMessage(), e);
        }
        return new PemTrustStore(target, password);
    }

    @Override
    public String toString() {
        return "PemTrustStore[path=" + path + ", password=****]";
    }
}
