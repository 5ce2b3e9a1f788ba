package io.lakeshift.camel.file;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void lineBreaksAndFormattingCharactersAreShownEscaped() {
        assertThat(FileNames.printable("orders.csv")).isEqualTo("orders.csv");
        assertThat(FileNames.printable("Zoë 😀.csv")).isEqualTo("Zoë 😀.csv");
        assertThat(FileNames.printable("a\nINFO forged\tline\r.csv")).isEqualTo("a\\nINFO forged\\tline\\r.csv");
        assertThat(FileNames.printable("invoice\u202Efdp.exe")).isEqualTo("invoice\\u202Efdp.exe");
        assertThat(FileNames.printable("back\\slash")).isEqualTo("back\\\\slash");
    }
}
