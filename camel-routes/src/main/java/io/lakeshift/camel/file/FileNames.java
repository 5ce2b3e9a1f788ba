package io.lakeshift.camel.file;

/**
 * File names as they may appear in logs, status and reason files: anyone who can drop a file chooses
 * its name, so line breaks and other control or formatting characters are shown escaped
 * ({@code \n}, {@code \u202E}) and cannot forge a log line or hide the real name.
 */
final class FileNames {

    private FileNames() {
    }

    static String printable(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\\'
                    || switch (Character.getType(c)) {
                        case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.FORMAT -> true;
                        default -> false;
                    };
            if (unsafe && sb == null) {
                sb = new StringBuilder(name.length() + 8).append(name, 0, i);
            }
            if (sb != null) {
                if (!unsafe) {
                    sb.append(c);
                } else if (c == '\\') {
                    sb.append("\\\\");
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else {
                    sb.append(String.format("\\u%04X", (int) c));
                }
            }
        }
        return sb == null ? name : sb.toString();
    }
}
