package io.reprise.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.model.MlflowException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The path check on its own; {@code PathTraversalTest} sends the same tricks over HTTP. */
class SafePathTest {
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "a/b.txt -> a/b.txt",
                "a//b/./c -> a/b/c",
                "dir/ -> dir",
                "%41%20b -> A b",
                "100%.txt -> 100%.txt",
                "100%25.txt -> 100%.txt",
                "a+b -> a+b",
                "a;b.txt -> a;b.txt",
                "...  -> ...",
                "..a/b.. -> ..a/b..",
                ".hidden -> .hidden",
                "r%C3%A9sum%C3%A9 -> résumé",
                "model/MLmodel -> model/MLmodel"
            })
    void acceptsNamesMlflowAccepts(String raw, String expected) {
        assertThat(SafePath.relative(raw.strip())).isEqualTo(expected.strip());
    }

    @Test
    void nothingIsTheRoot() {
        assertThat(SafePath.relative(null)).isEmpty();
        assertThat(SafePath.relative("")).isEmpty();
        assertThat(SafePath.relative("./")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "..",
                "../x",
                "a/../../x",
                "a/..",
                "%2e%2e/x",
                ".%2E/x",
                "%252e%252e%252fx",
                "..%2fx",
                "..\\x",
                "a\\b",
                "..%5cx",
                "a/..;/x",
                "a/..;p=1/x",
                "a/.;/x",
                "a/..%3b/x",
                "/etc/passwd",
                "%2fetc%2fpasswd",
                "C:\\x",
                "C:/x",
                "c:x",
                "file:/etc/passwd",
                "FILE:///etc/passwd",
                "x#frag",
                "x%23frag",
                "a\u0000b",
                "a%00b",
                "a%01b",
                "a\nb",
                "a%0d%0ab",
                "a%7fb",
                "%c0%ae%c0%ae/x",
                "%u002e%u002e/x",
                "%U002E%U002E%U002Fx",
                "a%ffb",
                "a\uFFFDb"
            })
    void refusesEveryTraversalTrick(String raw) {
        assertThatThrownBy(() -> SafePath.relative(raw))
                .isInstanceOf(MlflowException.class)
                .hasMessage("Invalid path");
    }

    @Test
    void encodingNestedBeyondTenRoundsIsRefused() {
        String twelveTimes = "%" + "25".repeat(11) + "41";

        assertThat(SafePath.relative("%" + "25".repeat(8) + "41")).isEqualTo("A");
        assertThatThrownBy(() -> SafePath.relative(twelveTimes)).hasMessage("Invalid path");
    }

    @Test
    void resolveStaysUnderTheRoot() {
        Path root = Path.of("/srv/artifacts");

        assertThat(SafePath.resolve(root, "0/run/artifacts/a.txt")).isEqualTo(root.resolve("0/run/artifacts/a.txt"));
        assertThat(SafePath.resolve(root, "")).isEqualTo(root);
    }
}
