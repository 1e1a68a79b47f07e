package io.qshard.kube.process;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations such as {@code 90s}, {@code 30m}, {@code 24h}, {@code 2d} or plain seconds into seconds. */
public final class DurationConverter implements ITypeConverter<Long> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd]?)");

    @Override
    public Long convert(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration like 90s, 30m, 24h or 2d");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> amount * 60;
            case "h" -> amount * 3600;
            case "d" -> amount * 86_400;
            default -> amount;
        };
    }
}
