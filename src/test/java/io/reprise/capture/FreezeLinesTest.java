package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FreezeLinesTest {
    @Test
    void pinsByLowerCaseNameForEachFormPipFreezeWrites() {
        assertThat(FreezeLines.byName(List.of(
                        "NumPy==1.26.4", "mypkg @ file:///home/me/mypkg", "editable-thing", "torch==2.3.0+cu121")))
                .containsExactly(
                        java.util.Map.entry("editable-thing", ""),
                        java.util.Map.entry("mypkg", "@ file:///home/me/mypkg"),
                        java.util.Map.entry("numpy", "1.26.4"),
                        java.util.Map.entry("torch", "2.3.0+cu121"));
    }
}
