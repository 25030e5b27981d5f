package io.reprise.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reprise.audit.PyModule.Call;
import io.reprise.audit.PyTokenizer.Kind;
import io.reprise.audit.PyTokenizer.Token;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyParserTest {
    private static List<String> callNames(String source) {
        return PyParser.parse("m.py", source).calls().stream().map(Call::name).toList();
    }

    private static Call call(PyModule m, String name) {
        return m.calls().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no call of " + name));
    }

    private static Call call(String source, String name) {
        return PyParser.parse("m.py", source).calls().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no call of " + name + " in " + callNames(source)));
    }

    @Test
    void callsMentionedInCommentsAndStringsAreNotCalls() {
        String source = """
                import random
                # random.seed(1) in a comment
                s = "random.seed(2) in a string"
                t = '''random.seed(3)
                in a triple-quoted string'''
                u = r"random.seed(4)" + b'random.seed(5)' + Rb"random.seed(6)"
                doc = \"\"\"random.seed(7) \"quoted\" \\\"\"\" still inside\"\"\"
                v = f"{x!r:>10} random.seed(8) {{random.seed(9)}}"
                """;
        assertThat(callNames(source)).doesNotContain("random.seed");
    }

    @Test
    void importAliasesResolve() {
        String source = """
                import numpy as np
                import torch.nn as nn, os.path
                from numpy import random as npr
                from numpy.random import default_rng as rng_of
                from sklearn.ensemble import (RandomForestClassifier as RF,
                                              ExtraTreesClassifier)
                import tensorflow as tf
                np.random.seed(1)
                npr.shuffle(x)
                rng_of(42)
                RF(n_estimators=10)
                ExtraTreesClassifier()
                tf.random.set_seed(3)
                nn.Linear(2, 3)
                os.path.join("a", "b")
                """;
        assertThat(callNames(source))
                .contains(
                        "numpy.random.seed",
                        "numpy.random.shuffle",
                        "numpy.random.default_rng",
                        "sklearn.ensemble.RandomForestClassifier",
                        "sklearn.ensemble.ExtraTreesClassifier",
                        "tensorflow.random.set_seed",
                        "torch.nn.Linear",
                        "os.path.join");
    }

    @Test
    void importsInsideCompoundStatementsCount() {
        PyModule m = PyParser.parse("m.py", """
                try: import mlflow as ml
                except ImportError: ml = None
                if True: import numpy; numpy.random.seed(0)
                def f():
                    from torch import manual_seed
                    manual_seed(1)
                """);
        assertThat(m.imports())
                .extracting(PyModule.Import::module)
                .contains("mlflow", "numpy", "torch", "torch.manual_seed");
        assertThat(m.calls()).extracting(Call::name).contains("numpy.random.seed", "torch.manual_seed");
    }

    @Test
    void keywordAndPositionalArgumentsWithLiterals() {
        Call c = call("""
                from sklearn.ensemble import RandomForestClassifier
                clf = RandomForestClassifier(
                    n_estimators=100,   # a comment between arguments
                    max_depth=cfg["max_depth"],
                    min_samples_leaf=-1,
                    criterion="gini" "x",
                    class_weight=None,
                    **extra)
                """, "sklearn.ensemble.RandomForestClassifier");
        assertThat(c.line()).isEqualTo(2);
        assertThat(c.keyword("n_estimators").literal().kind()).isEqualTo(PyModule.Literal.Kind.NUMBER);
        assertThat(c.keyword("max_depth").literal()).isNull();
        assertThat(c.keyword("max_depth").text()).isEqualTo("cfg [ \"max_depth\" ]");
        assertThat(c.keyword("min_samples_leaf").literal().value()).isEqualTo("-1");
        assertThat(c.keyword("criterion").literal().value()).isEqualTo("ginix");
        assertThat(c.keyword("class_weight").literal().kind()).isEqualTo(PyModule.Literal.Kind.NONE);
        assertThat(c.args()).extracting(PyModule.Arg::keyword).contains("**");
    }

    @Test
    void backslashContinuationAndBracketsJoinLines() {
        PyModule m = PyParser.parse("m.py", """
                import torch
                torch.backends.cudnn.deterministic = \\
                    True
                x = [1,
                     2]; torch.manual_seed(
                  7)
                """);
        assertThat(m.assignments()).anySatisfy(a -> {
            assertThat(a.target()).isEqualTo("torch.backends.cudnn.deterministic");
            assertThat(a.value()).isEqualTo("True");
            assertThat(a.line()).isEqualTo(2);
        });
        Call seed = m.calls().stream()
                .filter(c -> c.name().equals("torch.manual_seed"))
                .findFirst()
                .orElseThrow();
        assertThat(seed.line()).isEqualTo(5);
        assertThat(seed.positional(0).text()).isEqualTo("7");
    }

    @Test
    void fStringsWithNestedQuotesAndFormatSpecsAreOneToken() {
        List<Token> tokens = PyTokenizer.tokenize("""
                a = f"{d["k"]:{width}.{prec}f} and {'x' + "y"!r} {{literal}}"
                b = f'''multi
                {x
                 + 1} line'''
                """);
        assertThat(tokens.stream().filter(t -> t.kind() == Kind.STRING).toList())
                .hasSize(2)
                .allSatisfy(t -> assertThat(t.formatted()).isTrue());
        assertThat(tokens.stream().filter(t -> t.kind() == Kind.NEWLINE)).hasSize(2);
        // a backslash does not escape braces in (raw) f-strings
        assertThat(PyTokenizer.tokenize("p = rf'({name})(\\{{)'\nq = 1\n").stream()
                        .filter(t -> t.kind() == Kind.STRING))
                .singleElement()
                .satisfies(t -> assertThat(t.formatted()).isTrue());
    }

    @Test
    void callsInsideFStringReplacementFieldsAreCalls() {
        PyModule m = PyParser.parse("m.py", """
                import numpy as np
                from sklearn.ensemble import RandomForestClassifier as RF
                print(f"noise {np.random.rand():.3f} and {{np.random.randn()}} as text")
                s = f"{RF(n_estimators=100, max_depth=d)!r} {x=} {y!s:>{width(3)}}"
                t = f'''{
                    np.random.default_rng(
                        7)
                }'''
                u = rf"{f'{np.random.seed(1)}'}"
                v = f"{a == b} {c != d} {e <= f}"
                """);
        assertThat(m.calls())
                .extracting(Call::name)
                .containsExactlyInAnyOrder(
                        "print",
                        "numpy.random.rand",
                        "sklearn.ensemble.RandomForestClassifier",
                        "width",
                        "numpy.random.default_rng",
                        "numpy.random.seed")
                .doesNotContain("numpy.random.randn"); // {{...}} is text
        Call rf = call(m, "sklearn.ensemble.RandomForestClassifier");
        assertThat(rf.line()).isEqualTo(4);
        assertThat(rf.column()).isEqualTo(8);
        assertThat(rf.keyword("n_estimators").literal().value()).isEqualTo("100");
        assertThat(rf.keyword("max_depth").literal()).isNull();
        assertThat(call(m, "numpy.random.default_rng").line()).isEqualTo(6);
        assertThat(call(m, "numpy.random.default_rng").positional(0).text()).isEqualTo("7");
        // the f-strings are still one token each in the statements: "print(...)" has one argument
        assertThat(call(m, "print").args()).hasSize(1);
        assertThat(m.assignments()).isEmpty(); // {x=} is not an assignment
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {"x = f'{(a}'|1|closing '}' does not match '('", "x = f'{a!r x}'|1|f-string: expecting '}'"})
    void brokenReplacementFieldsAreSyntaxErrors(String source, int line, String message) {
        assertThatThrownBy(() -> PyTokenizer.tokenize(source))
                .isInstanceOfSatisfying(
                        PyTokenizer.SyntaxError.class, e -> assertThat(e.line).isEqualTo(line))
                .hasMessage(message);
    }

    @Test
    void osEnvironAssignmentsAreRecorded() {
        PyModule m = PyParser.parse("m.py", """
                import os
                os.environ["PYTHONHASHSEED"] = "0"
                os.environ['MLFLOW_TRACKING_URI'] = 'http://x:5000'
                """);
        assertThat(m.assignments())
                .extracting(PyModule.Assignment::target)
                .containsExactly("os.environ[\"PYTHONHASHSEED\"]", "os.environ[\"MLFLOW_TRACKING_URI\"]");
    }

    @Test
    void definitionsAreNotCallsAndDictEntriesAreFound() {
        PyModule m = PyParser.parse("m.py", """
                def train(lr=0.1):
                    pass
                class Model(Base):
                    pass
                params = {"n_estimators": 200, 'lr': cfg.lr, "max_depth": -3}
                """);
        assertThat(m.calls()).extracting(Call::name).doesNotContain("train", "Model");
        assertThat(m.dictEntries()).extracting(PyModule.DictEntry::key).containsExactly("n_estimators", "max_depth");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "x = 'unterminated|1|unterminated string literal",
                "x = '''never closed|1|unterminated triple-quoted string",
                "f(1, 2|1|'(' was never closed",
                "x = 1)|1|unmatched ')'",
                "x = [1}|1|closing '}' does not match '['",
                "a = 1\\nb = $|2|invalid character '$'"
            })
    void invalidSourceIsASyntaxErrorWithItsLine(String source, int line, String message) {
        assertThatThrownBy(() -> PyTokenizer.tokenize(source.replace("\\n", "\n")))
                .isInstanceOfSatisfying(
                        PyTokenizer.SyntaxError.class, e -> assertThat(e.line).isEqualTo(line))
                .hasMessage(message);
    }

    @Test
    void numbersWithExponentsAndUnderscores() {
        List<Token> tokens = PyTokenizer.tokenize("lr = 1e-3 + 1_000 + 0x1F + .5j\n");
        assertThat(tokens.stream().filter(t -> t.kind() == Kind.NUMBER).map(Token::text))
                .containsExactly("1e-3", "1_000", "0x1F", ".5j");
    }
}
