package dev.holdfast.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JdbcUrlTest {
    @Test
    void addsAndReplacesParameters() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=x");
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=hf_1", url.with("currentSchema", "hf_1").toString());
        assertEquals("postgres", url.param("user"));
    }

    @Test
    void replacesOrAddsTheDatabase() {
        assertEquals("jdbc:mariadb://h:3306/hf_1?user=root", JdbcUrl.parse("jdbc:mariadb://h:3306/test?user=root").withDatabase("hf_1").toString());
        assertEquals("jdbc:mariadb://h:3306/hf_1", JdbcUrl.parse("jdbc:mariadb://h:3306").withDatabase("hf_1").toString());
        assertEquals("jdbc:mariadb://h:3306/?user=root", JdbcUrl.parse("jdbc:mariadb://h:3306/test?user=root").withDatabase("").toString());
    }

    @Test
    void redactsThePassword() {
        assertEquals("jdbc:mariadb://h/?user=u&password=***", JdbcUrl.parse("jdbc:mariadb://h/?user=u&password=secret").redacted());
    }
}
