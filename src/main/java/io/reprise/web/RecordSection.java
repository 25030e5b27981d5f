package io.reprise.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The Reprise record of a run: {@code reprise/manifest.json} (docs/capture-manifest.md) as sections. */
final class RecordSection {
    static final String MANIFEST = "reprise/manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");
    private static final Pattern SCP_URL = Pattern.compile("^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(.+)$");
    private static final int MAX_PACKAGES_SHOWN = 2000;

    private final Artifacts artifacts;

    RecordSection(Artifacts artifacts) {
        this.artifacts = artifacts;
    }

    /** Renders the record, or says why there is none. */
    void render(Html h, String root, String runId) {
        h.raw("<section id=\"record\"><h2>Reprise record</h2>");
        Optional<Artifacts.Head> head = artifacts.head(root, MANIFEST, 8 * 1024 * 1024);
        JsonNode m = head.map(RecordSection::parse).orElse(null);
        if (m == null || !m.isObject()) {
            h.raw("<p class=\"note\">No readable ")
                    .text(MANIFEST)
                    .raw(": this run was not captured with ")
                    .raw("<code>reprise run</code>.</p></section>");
            return;
        }
        command(h, m);
        git(h, root, runId, m.path("git"));
        dependencies(h, runId, m);
        python(h, m.path("python"));
        system(h, m.path("system"));
        map(h, "Environment variables", m.path("environment"));
        data(h, m.path("data"));
        if (m.path("warnings").size() > 0) {
            h.raw("<h3>Warnings</h3><ul>");
            m.path("warnings").forEach(w -> h.el("li", w.asText()));
            h.raw("</ul>");
        }
        h.raw("</section>");
    }

    private static JsonNode parse(Artifacts.Head head) {
        try {
            return JSON.readTree(new String(head.bytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    private static void command(Html h, JsonNode m) {
        JsonNode c = m.path("command");
        JsonNode run = m.path("run");
        h.raw("<h3>Command</h3><dl class=\"kv\">");
        kv(h, "Command", c.path("line"));
        kv(h, "Working directory", c.path("workdir_in_repo"));
        kv(h, "User", c.path("user"));
        kv(h, "Seed", c.path("seed"));
        kv(h, "Exit code", run.path("exit_code"));
        kv(h, "Duration (ms)", run.path("duration_ms"));
        kv(h, "Reprise version", m.path("reprise_version"));
        h.raw("</dl>");
    }

    private void git(Html h, String root, String runId, JsonNode g) {
        h.raw("<h3>Code</h3>");
        if (g.isMissingNode()) {
            h.raw("<p class=\"note\">Not run from a git work tree.</p>");
            return;
        }
        h.raw("<dl class=\"kv\"><dt>Commit</dt><dd>");
        String commit = g.path("commit").asText("");
        Optional<String> web = commitUrl(g.path("remote_url").asText(""), commit);
        if (web.isPresent()) {
            h.raw("<a id=\"commit-link\" href=\"")
                    .text(web.get())
                    .raw("\" rel=\"noreferrer\">")
                    .text(commit)
                    .raw("</a>");
        } else {
            h.raw("<code>").text(commit).raw("</code>");
        }
        h.raw("</dd>");
        kv(h, "Branch", g.path("branch"));
        kv(h, "Remote", g.path("remote_url"));
        kv(h, "Uncommitted changes", g.path("dirty").asBoolean() ? "yes" : "no");
        if (g.path("untracked").size() > 0) {
            StringBuilder b = new StringBuilder();
            g.path("untracked")
                    .forEach(u -> b.append(b.isEmpty() ? "" : ", ")
                            .append(u.path("path").asText()));
            kv(h, "Untracked files", b.toString());
        }
        h.raw("</dl>");
        String diff = g.path("diff_artifact").asText("");
        if (!diff.isEmpty()) {
            h.raw("<h4>Uncommitted diff</h4>");
            Optional<Artifacts.Head> d = artifacts.head(root, diff, Artifacts.PREVIEW_BYTES);
            if (d.isEmpty()) {
                h.raw("<p class=\"note\">The diff artifact is missing.</p>");
            } else {
                Previews.diff(h, new String(d.get().bytes(), StandardCharsets.UTF_8));
                if (d.get().cut()) {
                    h.raw("<p class=\"note\">The diff is cut: ")
                            .link(RunPage.artifactLink(runId, diff), "see the whole artifact")
                            .raw(".</p>");
                }
            }
        }
    }

    private static void dependencies(Html h, String runId, JsonNode m) {
        JsonNode deps = m.path("dependencies");
        JsonNode configs = m.path("configs");
        if (deps.size() == 0 && configs.size() == 0) {
            return;
        }
        h.raw("<h3>Dependency and config files</h3><table><thead><tr><th scope=\"col\">File</th>")
                .raw("<th scope=\"col\">Pinning</th><th scope=\"col\">sha256</th></tr></thead><tbody>");
        for (JsonNode d : deps) {
            String path = d.path("path").asText();
            h.raw("<tr><td>")
                    .link(RunPage.artifactLink(runId, "reprise/deps/" + path), path)
                    .raw("</td>");
            h.raw("<td>")
                    .text(d.path("pinning").asText())
                    .raw(" <span class=\"note\">")
                    .text(d.path("detail").asText())
                    .raw("</span></td>");
            h.raw("<td><code>").text(d.path("sha256").asText()).raw("</code></td></tr>");
        }
        for (JsonNode c : configs) {
            String path = c.path("path").asText();
            String art = c.path("artifact").asText("");
            h.raw("<tr><td>");
            if (art.isEmpty()) {
                h.text(path);
            } else {
                h.link(RunPage.artifactLink(runId, art), path);
            }
            h.raw("</td><td>config</td><td><code>")
                    .text(c.path("sha256").asText())
                    .raw("</code></td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void python(Html h, JsonNode p) {
        if (p.isMissingNode()) {
            return;
        }
        h.raw("<h3>Python</h3><dl class=\"kv\">");
        kv(h, "Version", p.path("version"));
        kv(h, "Implementation", p.path("implementation"));
        kv(h, "Executable", p.path("executable"));
        h.raw("</dl>");
        JsonNode pk = p.path("packages");
        if (pk.size() > 0) {
            h.raw("<details><summary>").text(pk.size() + " installed packages").raw("</summary><pre>");
            int n = 0;
            for (JsonNode line : pk) {
                if (n++ >= MAX_PACKAGES_SHOWN) {
                    break;
                }
                h.text(line.asText()).raw("\n");
            }
            h.raw("</pre></details>");
        }
    }

    private static void system(Html h, JsonNode s) {
        if (s.isMissingNode()) {
            return;
        }
        h.raw("<h3>Machine</h3><dl class=\"kv\">");
        kv(h, "OS", s.path("os"));
        kv(h, "Kernel", s.path("kernel"));
        kv(h, "CPU", s.path("cpu_model"));
        kv(h, "Cores", s.path("cores"));
        if (s.has("memory_bytes")) {
            kv(
                    h,
                    "Memory",
                    String.format(
                            Locale.ROOT, "%.1f GiB", s.path("memory_bytes").asDouble() / (1L << 30)));
        }
        if (s.path("gpus").size() > 0) {
            StringBuilder b = new StringBuilder();
            s.path("gpus").forEach(g -> b.append(b.isEmpty() ? "" : "; ").append(g.asText()));
            kv(h, "GPUs", b.toString());
        }
        h.raw("</dl>");
    }

    private static void map(Html h, String title, JsonNode obj) {
        if (obj.size() == 0) {
            return;
        }
        h.el("h3", title).raw("<dl class=\"kv\">");
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            kv(h, e.getKey(), e.getValue());
        }
        h.raw("</dl>");
    }

    private static void data(Html h, JsonNode d) {
        if (d.isMissingNode()) {
            return;
        }
        h.raw("<h3>Data</h3><dl class=\"kv\">");
        kv(h, "Data version", d.path("version"));
        h.raw("</dl>");
        if (d.path("inputs").size() > 0) {
            h.raw("<table id=\"data-inputs\"><thead><tr><th scope=\"col\">Path</th><th scope=\"col\">md5</th>")
                    .raw(
                            "<th scope=\"col\">Size</th><th scope=\"col\">Files</th><th scope=\"col\">Source</th></tr></thead><tbody>");
            for (JsonNode i : d.path("inputs")) {
                h.raw("<tr>")
                        .el("td", i.path("path").asText())
                        .raw("<td><code>")
                        .text(i.path("md5").asText())
                        .raw("</code></td>");
                h.raw("<td class=\"num\">")
                        .text(i.path("size").asText())
                        .raw("</td><td class=\"num\">")
                        .text(i.path("nfiles").asText())
                        .raw("</td>")
                        .el("td", i.path("source").asText())
                        .raw("</tr>");
            }
            h.raw("</tbody></table>");
        }
    }

    private static void kv(Html h, String key, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull()) {
            kv(h, key, value.isTextual() ? value.asText() : value.toString());
        }
    }

    private static void kv(Html h, String key, String value) {
        h.el("dt", key).el("dd", value);
    }

    /**
     * The commit's web page for GitHub and GitLab remotes (https or scp-style ssh URLs); other hosts
     * have no URL scheme we can be sure of, so they get none.
     */
    static Optional<String> commitUrl(String remote, String commit) {
        if (!SHA.matcher(commit).matches()) {
            return Optional.empty();
        }
        String host;
        String path;
        java.util.regex.Matcher scp = SCP_URL.matcher(remote);
        if (scp.matches()) {
            host = scp.group(1);
            path = scp.group(2);
        } else {
            try {
                URI u = new URI(remote);
                if (u.getHost() == null || u.getPath() == null) {
                    return Optional.empty();
                }
                host = u.getHost();
                path = u.getPath();
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        path = path.replaceAll("^/+", "").replaceAll("\\.git/?$", "").replaceAll("/+$", "");
        if (path.isEmpty() || !path.matches("[A-Za-z0-9._/-]+")) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("github.com")) {
            return Optional.of("https://github.com/" + path + "/commit/" + commit);
        }
        if (h.equals("gitlab.com") || h.startsWith("gitlab.")) {
            return Optional.of("https://" + h + "/" + path + "/-/commit/" + commit);
        }
        return Optional.empty();
    }
}
