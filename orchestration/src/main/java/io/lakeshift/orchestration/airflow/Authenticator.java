package io.lakeshift.orchestration.airflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Supplies the Authorization header of each request. */
interface Authenticator {

    /** No Authorization header: an Airflow without authentication, and the token exchange itself. */
    Authenticator NONE = new Authenticator() {
        @Override
        public String authorization() {
            return null;
        }

        @Override
        public String describe() {
            return "no credentials (set airflow.username and airflow.password, or airflow.token)";
        }
    };

    /** The header value, or null to send none. May call Airflow (the token exchange). */
    String authorization();

    /**
     * Called once per request after Airflow answered 401. Returns true when a new credential may
     * succeed (an expired token is dropped and fetched again), false when retrying cannot help.
     */
    default boolean invalidate() {
        return false;
    }

    /** What was tried, for an error message; never the credential itself. */
    String describe();

    /** HTTP basic auth, Airflow 2's usual setup ({@code auth_backends = ...basic_auth}). */
    static Authenticator basic(String username, String password) {
        String header = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new Authenticator() {
            @Override
            public String authorization() {
                return header;
            }

            @Override
            public String describe() {
                return "basic auth as user '" + username + "' (airflow.username, airflow.password)";
            }
        };
    }

    /** A bearer token given in the configuration; nothing to refresh it with. */
    static Authenticator staticToken(String token) {
        String header = "Bearer " + token;
        return new Authenticator() {
            @Override
            public String authorization() {
                return header;
            }

            @Override
            public String describe() {
                return "the static token (airflow.token)";
            }
        };
    }
}
