package io.reprise.data;

import java.util.List;

/** Remote options that {@code reprise data remote modify} writes: the ones dvc's schema knows and we read. */
final class RemoteOptions {
    /** Options of any remote, then dvc-s3's, then dvc-http's. */
    static final List<String> KNOWN = List.of(
            "url",
            "jobs",
            "verify",
            "endpointurl",
            "region",
            "profile",
            "credentialpath",
            "configpath",
            "access_key_id",
            "secret_access_key",
            "session_token",
            "use_ssl",
            "ssl_verify",
            "listobjects",
            "sse",
            "sse_kms_key_id",
            "acl",
            "auth",
            "user",
            "password",
            "ask_password",
            "custom_auth_header",
            "method",
            "connect_timeout",
            "read_timeout");

    private RemoteOptions() {}
}
