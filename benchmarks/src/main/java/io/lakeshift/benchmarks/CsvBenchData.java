package io.lakeshift.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CSV file of {@code lakeshift bench csv}: orders as a legacy extract writes them, with a header,
 * quoted fields holding delimiters, decimals, dates and timestamps, about 110 bytes a row.
 */
final class CsvBenchData {

    static final String TABLE = "bench.orders";

    private static final String[] STATUS = {"NEW", "PAID", "SHIPPED", "RETURNED"};
    private static final String[] CITIES = {"Berlin", "\"Lyon, Rhône\"", "Zürich", "\"Porto, \"\"Ribeira\"\"\"", "Kraków"};

    private CsvBenchData() {
    }

    /** The declared columns, as a source's {@code settings.columns}. */
    static List<Map<String, Object>> columns() {
        return List.of(
                Map.of("name", "order_id", "type", "int64"),
                Map.of("name", "customer_id", "type", "int32", "required", true),
                Map.of("name", "amount", "type", "decimal(12,2)", "required", true),
                Map.of("name", "quantity", "type", "int16"),
                Map.of("name", "ordered_on", "type", "date"),
                Map.of("name", "updated_at", "type", "timestamp"),
                Map.of("name", "status", "type", "string", "maxLength", 12),
                Map.of("name", "city", "type", "string", "maxLength", 40));
    }

    /** Writes {@code rows} rows to {@code file}; returns its size in bytes. */
    static long write(Path file, long rows) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                1 << 20)) {
            out.write("order_id,customer_id,amount,quantity,ordered_on,updated_at,status,city\n");
            StringBuilder line = new StringBuilder(160);
            for (long id = 1; id <= rows; id++) {
                int day = 1 + (int) (id % 28);
                line.setLength(0);
                line.append(id).append(',')
                        .append(1 + random.nextInt(200_000)).append(',')
                        .append(random.nextInt(100_000)).append('.').append(random.nextInt(10)).append(random.nextInt(10)).append(',')
                        .append(1 + random.nextInt(20)).append(',')
                        .append("2026-01-").append(day < 10 ? "0" : "").append(day).append(',')
                        .append("2026-01-").append(day < 10 ? "0" : "").append(day).append(' ')
                        .append(10 + random.nextInt(10)).append(':').append(10 + random.nextInt(50)).append(':')
                        .append(10 + random.nextInt(50)).append('.').append(100_000 + random.nextInt(900_000)).append(',')
                        .append(STATUS[random.nextInt(STATUS.length)]).append(',')
                        .append(CITIES[random.nextInt(CITIES.length)]).append('\n');
                out.append(line);
            }
        }
        return Files.size(file);
    }
}
