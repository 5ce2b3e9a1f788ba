package io.lakeshift.tests.up;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports free on this machine right now, for the parts a test starts. */
final class FreePorts {

    private FreePorts() {
    }

    static int one() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port whose next port is free too: {@code up} gives its parts consecutive metrics ports. */
    static int twoInARow() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket first = new ServerSocket(0)) {
                int port = first.getLocalPort();
                if (port < 65535) {
                    try (ServerSocket second = new ServerSocket(port + 1)) {
                        return port;
                    } catch (IOException taken) {
                        // try another pair
                    }
                }
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }
}
