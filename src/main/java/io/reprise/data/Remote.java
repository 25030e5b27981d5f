package io.reprise.data;

import java.nio.file.Path;

/** A configured remote; only local paths are supported in this version. */
record Remote(String name, ObjectDb db) {

    static Remote resolve(Repo repo, String requested) {
        String name = requested != null ? requested : repo.config.defaultRemote();
        if (name == null) {
            throw new DataException("No remote given and no default remote set; add one with"
                    + " 'reprise data remote add -d <name> <path>' or pass -r <name>.");
        }
        String url = repo.config.remotes().get(name);
        if (url == null) {
            throw new DataException("Remote '" + name + "' does not exist; list them with 'reprise data remote list'.");
        }
        if (DvcConfig.isUrl(url) && !url.startsWith("file://")) {
            throw new DataException("Remote '" + name + "' is " + url
                    + ": only local-path remotes are supported so far;" + " use dvc for this remote.");
        }
        Path root = url.startsWith("file://") ? Path.of(java.net.URI.create(url)) : repo.config.resolvePath(url);
        return new Remote(name, new ObjectDb(root));
    }
}
