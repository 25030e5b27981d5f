package io.reprise.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reprise.model.ErrorCode;
import org.junit.jupiter.api.Test;

/** The value quoting and error bodies clients compare with MLflow's, text for text. */
class PythonJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String dumps(String json) throws Exception {
        return Values.pythonJson(MAPPER.readTree(json));
    }

    @Test
    void printsLikePythonJsonDumpsWithSortedKeysAndCompactSeparators() throws Exception {
        assertThat(dumps("{\"b\": [1, true, null], \"a\": \"x\"}")).isEqualTo("{\"a\":\"x\",\"b\":[1,true,null]}");
        assertThat(dumps("\"caf\\u00e9 \\\"q\\\"\"")).isEqualTo("\"caf\\u00e9 \\\"q\\\"\"");
    }

    @Test
    void floatsUsePythonsRepr() {
        assertThat(PythonJson.pythonFloat(1.0)).isEqualTo("1.0");
        assertThat(PythonJson.pythonFloat(0.1)).isEqualTo("0.1");
        assertThat(PythonJson.pythonFloat(1e20)).isEqualTo("1e+20");
        assertThat(PythonJson.pythonFloat(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(PythonJson.pythonFloat(123456789.0)).isEqualTo("123456789.0");
        assertThat(PythonJson.pythonFloat(-2.5e16)).isEqualTo("-2.5e+16");
        assertThat(PythonJson.pythonFloat(0.0001)).isEqualTo("0.0001");
    }

    @Test
    void invalidTypeMessageMatchesMlflowsSchemaCheck() throws Exception {
        assertThat(Req.invalidType("name", MAPPER.readTree("5")).getMessage())
                .isEqualTo("Invalid value 5 for parameter 'name' supplied:  Hint: Value was of type 'int'."
                        + " See the API docs for more information about request parameters.");
    }

    @Test
    void errorBodiesCarryMlflow3Classification() {
        assertThat(ErrorBody.of(ErrorCode.RESOURCE_DOES_NOT_EXIST, "gone").toString())
                .isEqualTo("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"gone\",\"sqlstate\":\"KAM00\","
                        + "\"error_class\":\"RESOURCE_NOT_FOUND\"}");
        assertThat(ErrorBody.of(ErrorCode.INTERNAL_ERROR, "x").get("sqlstate").asText())
                .isEqualTo("XXM00");
        assertThat(ErrorBody.of(ErrorCode.RESOURCE_CONFLICT, "x").has("sqlstate"))
                .isFalse();
    }
}
