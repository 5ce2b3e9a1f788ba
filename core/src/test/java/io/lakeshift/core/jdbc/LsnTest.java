package io.lakeshift.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void readsEveryFormAPositionIsWrittenIn() {
        assertThat(Lsn.parse("0/16B3748")).isEqualTo(0x16B3748L);
        assertThat(Lsn.parse("1A/FF")).isEqualTo((0x1AL << 32) | 0xFF);
        assertThat(Lsn.parse("lsn=16/B374D848")).as("as the full reload records it").isEqualTo(0x16B374D848L);
        assertThat(Lsn.parse(" 16/b374d848 ")).isEqualTo(0x16B374D848L);
        assertThat(Lsn.parse("12345")).as("as the change events' source.seq[0] holds it").isEqualTo(12345L);
    }

    @Test
    void writesPostgresNotation() {
        assertThat(Lsn.format(Lsn.parse("3/A0B1C2D3"))).isEqualTo("3/A0B1C2D3");
        assertThat(Lsn.format(0)).isEqualTo("0/0");
        assertThat(Lsn.position(0x16B374D848L)).isEqualTo("lsn=16/B374D848");
    }

    @Test
    void refusesWhatIsNoPosition() {
        for (String bad : new String[] {"x", "lsn=", "16/", "/5", "-1", "1/100000000", "lsn=16/XYZ"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a source position").hasMessageContaining("lsn=16/B374D848");
        }
        assertThatThrownBy(() -> Lsn.parse(" ")).hasMessageContaining("missing");
        assertThatThrownBy(() -> Lsn.parse(null)).hasMessageContaining("missing");
    }
}
