package io.lakeshift.orchestration.airflow;

import io.lakeshift.core.config.Secret;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Masks every credential this client knows in a text about to leave it (an exception message).
 * A second line of defence: messages are built without credentials, but Airflow's own error
 * details may quote a request back (FastAPI's 422 answers do).
 */
final class Redactor {

    private final List<String> secrets = new CopyOnWriteArrayList<>();

    void add(String secret) {
        // very short values would mask ordinary words; they are no secret worth the name anyway
        if (secret != null && secret.length() >= 4 && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, Secret.MASK);
        }
        return result;
    }
}
