package io.lakeshift.camel.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/** Opens the reader of a layout's format over text or bytes. */
public final class RecordReaders {

    private static final char BOM = '\uFEFF';

    private RecordReaders() {
    }

    /**
     * A reader of {@code text}; closing the returned reader does not close {@code text}.
     *
     * @throws UnreadableInputException when the input cannot be read as the layout says (no header, ...)
     */
    public static RecordReader open(Reader text, RecordLayout layout) throws IOException, UnreadableInputException {
        Reader in = skipByteOrderMark(text);
        return switch (layout.format()) {
            case CSV -> new CsvRecordReader(in, layout);
            case FIXED_WIDTH -> new FixedWidthRecordReader(in, layout);
            case JSONL -> new JsonLinesRecordReader(in, layout);
        };
    }

    /**
     * Decodes bytes strictly: a byte sequence that is not valid in the charset fails the read with a
     * {@link java.nio.charset.CharacterCodingException} instead of turning into replacement characters.
     */
    public static Reader decode(InputStream bytes, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(bytes, decoder);
    }

    /** Drops a leading byte order mark, which Java's UTF-8 decoder keeps as a character. */
    static Reader skipByteOrderMark(Reader in) throws IOException {
        PushbackReader pushback = new PushbackReader(in, 1);
        int first = pushback.read();
        if (first >= 0 && first != BOM) {
            pushback.unread(first);
        }
        return pushback;
    }
}
