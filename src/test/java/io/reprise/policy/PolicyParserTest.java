package io.reprise.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.model.Metric;
import io.reprise.model.Param;
import io.reprise.model.Run;
import io.reprise.model.RunData;
import io.reprise.model.RunInfo;
import io.reprise.model.RunStatus;
import io.reprise.model.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void theDocumentedExampleParsesIntoItsRules() throws Exception {
        Policy p = PolicyParser.parse(Files.readString(Path.of("docs/policy-example.yaml")), "example");
        assertThat(p.rules()).extracting(Rule::name).containsExactly("sandbox", "team");
        assertThat(p.ruleFor("sandbox-ana").orElseThrow().mode()).isEqualTo(Mode.WARN);
        assertThat(p.ruleFor("churn").orElseThrow().name()).isEqualTo("team");
        Rule team = p.rules().get(1);
        assertThat(team.requirements())
                .hasSize(6)
                .filteredOn(r -> r.at() == Stage.START)
                .hasSize(2);
        assertThat(p.mentions("seed")).isTrue();
        assertThat(p.mentions("lr")).isFalse();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of(
                        "rules:\n  - experiments: x\n    mode: enforc\n",
                        "p.yaml:3: mode must be 'enforce' or 'warn', not 'enforc'"),
                Arguments.of(
                        "rules:\n  - experiments: x\n    mode: warn\n    requir: {}\n",
                        "p.yaml:4: unknown key 'requir' in a rule"),
                Arguments.of("rules:\n  - mode: warn\n", "p.yaml:2: a rule needs 'experiments:'"),
                Arguments.of(
                        "rules:\n  - experiments: x\n    mode: warn\n    require:\n      tags:\n        - key: c\n          regex: '[0-9'\n",
                        "p.yaml:7: bad regex '[0-9'"),
                Arguments.of(
                        "rules:\n  - experiments: x\n    mode: warn\n    require:\n      params:\n        - {key: seed, at: start}\n",
                        "p.yaml:6: params can only be checked 'at: finish'"),
                Arguments.of(
                        "rules:\n  - experiments: x\n    mode: warn\n    require:\n      tags:\n        - {key: a, at: later}\n",
                        "p.yaml:6: 'at' must be 'start' or 'finish'"),
                Arguments.of("rules: [\n", "p.yaml:2: not valid YAML"),
                Arguments.of("rule:\n  - x\n", "p.yaml:1: unknown key 'rule' in the policy"),
                Arguments.of("version: 2\nrules: []\n", "p.yaml:1: unsupported version '2'"),
                Arguments.of("# nothing yet\n", "p.yaml:1: the policy is empty"),
                Arguments.of(
                        "rules:\n  - experiments: x\n    mode: warn\n    require:\n      metrics: yes\n",
                        "p.yaml:5: 'metrics' must be true, false"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badFilesAreRefusedWithTheLineAndTheReason(String text, String expected) {
        assertThatThrownBy(() -> PolicyParser.parse(text, "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @CsvSource({
        "team-*, team-a, true",
        "team-*, /Users/ana/team-a, false",
        "*, /Users/ana/x, true",
        "exp-?, exp-1, true",
        "exp-?, exp-12, false",
        "a.b, aXb, false",
    })
    void experimentGlobs(String glob, String name, boolean matches) {
        assertThat(Glob.name(glob).matches(name)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({
        "configs/*.yaml, configs/train.yaml, true",
        "configs/*.yaml, configs/sub/train.yaml, false",
        "**/*.yaml, configs/sub/train.yaml, true",
        "**/*.yaml, train.yaml, true",
        "configs/**, configs/a/b, true",
        "*.yaml, configs/train.yaml, false",
    })
    void artifactGlobs(String glob, String path, boolean matches) {
        assertThat(Glob.path(glob).matches(path)).isEqualTo(matches);
    }

    @Test
    void aCompleteFinishedRunIsCompliantAndEachGapIsOneReasonWithAHint() throws Exception {
        Rule team = PolicyParser.parse(Files.readString(Path.of("docs/policy-example.yaml")), "x")
                .rules()
                .get(1);
        List<Tag> tags = List.of(
                new Tag("mlflow.source.git.commit", SHA), new Tag("mlflow.user", "ana"), new Tag("data_version", "v3"));
        Run good = run(RunStatus.FINISHED, tags, List.of(new Param("seed", "42")), true);
        assertThat(Evaluator.verdict(
                        team, RunView.of(good, RunStatus.FINISHED, r -> Optional.of(List.of("configs/t.yaml")))))
                .isEqualTo(new Verdict(Verdict.Outcome.COMPLIANT, List.of(), "team", Mode.ENFORCE));

        Run bad = run(
                RunStatus.FINISHED,
                List.of(new Tag("mlflow.source.git.commit", "HEAD"), new Tag("mlflow.user", "ana")),
                List.of(new Param("seed", "random")),
                false);
        Verdict v =
                Evaluator.verdict(team, RunView.of(bad, RunStatus.FINISHED, r -> Optional.of(List.of("model.pkl"))));
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.NON_COMPLIANT);
        assertThat(v.reasons())
                .containsExactly(
                        "tag 'mlflow.source.git.commit' is 'HEAD', which does not match /[0-9a-f]{40}/: run your script"
                                + " from a committed git checkout (MLflow sends the commit itself)",
                        "tag 'data_version' is missing: mlflow.set_tag('data_version', <dvc md5, dataset tag or"
                                + " path@rev>)",
                        "param 'seed' is 'random', which does not match /[0-9]+/: mlflow.log_param('seed', SEED) after"
                                + " seeding your RNGs",
                        "no artifact matches 'configs/*.y*ml': mlflow.log_artifact('train.yaml',"
                                + " artifact_path='configs')",
                        "no metric was logged: log at least one before the run ends, e.g."
                                + " mlflow.log_metric('accuracy', acc)");
    }

    @Test
    void aRunningRunIsPendingUnlessAStartRequirementFails() {
        Rule r = PolicyParser.parse(
                        "rules:\n- experiments: '*'\n  mode: warn\n  require:\n    tags: [{key: owner, at: start}, late]\n"
                                + "    clean_tree: true\n",
                        "p")
                .rules()
                .get(0);
        assertThat(Evaluator.verdict(r, RunView.creating(List.of(new Tag("owner", "ana"))))
                        .outcome())
                .isEqualTo(Verdict.Outcome.PENDING);
        Verdict missing = Evaluator.verdict(r, RunView.creating(List.of()));
        assertThat(missing.outcome()).isEqualTo(Verdict.Outcome.NON_COMPLIANT);
        assertThat(missing.reasons())
                .containsExactly("tag 'owner' is missing: pass tags={'owner': '...'} to mlflow.start_run()");
        Run dirty = run(
                RunStatus.FINISHED,
                List.of(new Tag("owner", "a"), new Tag("late", "x"), new Tag("reprise.git.dirty", "true")),
                List.of(),
                false);
        assertThat(Evaluator.verdict(r, RunView.of(dirty, RunStatus.FINISHED, x -> Optional.empty()))
                        .reasons())
                .containsExactly("the working tree had uncommitted changes ('reprise.git.dirty' is 'true'): commit (or"
                        + " stash) your changes and start the run with 'reprise run', which records the tree state");
    }

    private static Run run(RunStatus status, List<Tag> tags, List<Param> params, boolean metric) {
        RunInfo info = new RunInfo("r1", "1", "n", "ana", status, 1L, 2L, "mlflow-artifacts:/1/r1/artifacts", null);
        List<Metric> metrics = metric ? List.of(new Metric("acc", 0.9, 1, 0)) : List.of();
        return new Run(info, new RunData(metrics, params, tags), List.of());
    }
}
