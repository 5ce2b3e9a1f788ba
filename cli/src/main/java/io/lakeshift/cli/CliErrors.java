package io.lakeshift.cli;

/** Turns an exception into the one or two lines an operator reads. */
final class CliErrors {

    private CliErrors() {
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        String[] lines = message.split("\\R");
        return lines.length <= 2 ? message : lines[0] + "\n" + lines[1];
    }
}
