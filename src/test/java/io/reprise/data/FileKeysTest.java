package io.reprise.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileKeysTest {
    @TempDir
    Path dir;

    @Test
    void readsTheKeysFieldsWhereTheJdkOpensThem() {
        // The build opens sun.nio.fs to the tests as the jar's manifest does to `reprise`.
        assertThat(FileKeys.direct()).isTrue();
    }

    @Test
    void theSameFileHashesAlikeAndAnotherDoesNot() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "same");
        Path b = Files.writeString(dir.resolve("b"), "same");
        Path link = Files.createLink(dir.resolve("a-link"), a);
        assertThat(identity(a)).isEqualTo(identity(a)).isEqualTo(identity(link)).isNotEqualTo(identity(b));
    }

    @Test
    void aKeyOfAnotherKindHashesByItsStringForm() {
        assertThat(identity("(dev=1,ino=2)"))
                .isEqualTo(identity("(dev=1,ino=2)"))
                .isNotEqualTo(identity("(dev=1,ino=3)"));
    }

    private static String identity(Path p) throws IOException {
        return identity(Files.readAttributes(p, BasicFileAttributes.class).fileKey());
    }

    private static String identity(Object key) {
        WalkHash h = new WalkHash();
        FileKeys.addTo(h, key);
        return h.hex();
    }
}
