package io.lakeshift.core.envelope;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of change an event carries; the codes are Debezium's. */
public enum Op {
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    /** A row read by a snapshot (initial load), not a change. */
    READ("r");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** True when the event leaves a row behind ({@code after} is set). */
    public boolean upserts() {
        return this != DELETE;
    }

    @JsonCreator
    public static Op fromCode(String code) {
        for (Op op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op '" + code + "', expected one of c, u, d, r");
    }
}
