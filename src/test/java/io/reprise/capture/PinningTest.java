package io.reprise.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.reprise.capture.DependencyFile.Pinning;
import io.reprise.capture.DependencyFiles.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinningTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "numpy==1.26.4\\npandas===2.2.0                         | PINNED",
                "# tools\\n--index-url https://x\\n-r base.txt\\ntorch==2.3.0 ; sys_platform=='linux' | PINNED",
                "numpy==1.26.4\\npandas>=2                             | UNPINNED",
                "numpy                                                  | UNPINNED",
                "numpy==1.*                                             | UNPINNED",
                "-e .                                                   | UNPINNED",
                "numpy==1.26.4 \\\\\\n    --hash=sha256:abc                | LOCKED",
                "scikit-learn[alldeps]==1.5.0                           | PINNED",
                "# nothing here                                         | UNKNOWN",
            })
    void requirementsVerdicts(String text, Pinning expected) {
        Verdict v = Requirements.verdict(text.strip().replace("\\n", "\n").replace("\\\\", "\\"));
        assertThat(v.pinning()).as(v.detail()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "dependencies:\\n  - python=3.11.7\\n  - numpy=1.26.4=py311h\\n  - pip:\\n    - torch==2.3.0 | PINNED",
                "dependencies:\\n  - python=3.11\\n  - numpy                             | UNPINNED",
                "dependencies:\\n  - numpy=1.26\\n  - pip:\\n    - torch>=2                     | UNPINNED",
                "name: empty                                                                | UNKNOWN",
            })
    void condaEnvironmentVerdicts(String text, Pinning expected) {
        Verdict v = CondaEnvironment.verdict(text.strip().replace("\\n", "\n"));
        assertThat(v.pinning()).as(v.detail()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "uv.lock, LOCKED",
        "poetry.lock, LOCKED",
        "Pipfile.lock, LOCKED",
        "conda-lock.yml, LOCKED",
        "package-lock.json, LOCKED",
        "go.sum, LOCKED",
        "Cargo.lock, LOCKED"
    })
    void lockFilesAreLocked(String name, Pinning expected) {
        assertThat(DependencyFiles.verdict(Path.of(name), "").pinning()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "<version>1.2.3</version>                  | PINNED",
                "<version>[1.0,2.0)</version>              | UNPINNED",
                "<version>1.0-SNAPSHOT</version>           | UNPINNED",
                "<version>LATEST</version>                 | UNPINNED",
            })
    void mavenVerdicts(String pom, Pinning expected) {
        assertThat(DependencyFiles.verdict(Path.of("pom.xml"), pom).pinning()).isEqualTo(expected);
    }
}
