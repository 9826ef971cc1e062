//! Tidy checks, after rust-analyzer's: ARCHITECTURE.md's code map names every crate and
//! module that exists, no crate depends on what its "Never" line forbids, and the crates
//! that must not read a clock or touch IO do not.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md")
}

/// The crates of the workspace: the folders under `crates/`.
fn crates() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| root().join("crates").join(n).join("Cargo.toml").exists())
        .collect();
    names.sort();
    names
}

/// The text of a crate's section in the code map, from its heading to the next one.
fn section(doc: &str, krate: &str) -> String {
    let heading = format!("### `crates/{krate}`");
    let Some(start) = doc.find(&heading) else {
        panic!("ARCHITECTURE.md has no section headed {heading}");
    };
    let rest = &doc[start + heading.len()..];
    let end = rest
        .find("\n### ")
        .or_else(|| rest.find("\n## "))
        .unwrap_or(rest.len());
    rest[..end].to_owned()
}

/// Every `.rs` file under `dir`, as paths relative to it.
fn rust_files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(base).expect("inside").to_owned());
        }
    }
}

fn modules(krate: &str) -> Vec<PathBuf> {
    let src = root().join("crates").join(krate).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    files.sort();
    files
}

/// How the code map names a module file: `x/mod.rs` as `x/`, anything else by file name.
fn named_as(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_string_lossy().into_owned();
    match name.as_str() {
        "lib.rs" | "main.rs" => None,
        "mod.rs" => Some(format!(
            "{}/",
            file.parent()?.file_name()?.to_string_lossy()
        )),
        _ => Some(name),
    }
}

#[test]
fn the_code_map_names_every_crate_and_module() {
    let doc = architecture();
    let mut missing = Vec::new();
    for krate in crates() {
        let text = section(&doc, &krate);
        // Backquoted names, read as paths: `x.rs`, `dir/x.rs` and `a/dir/` all name theirs.
        let spans: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
        for file in modules(&krate) {
            if let Some(name) = named_as(&file) {
                let slashed = format!("/{name}");
                if !spans.iter().any(|s| *s == name || s.ends_with(&slashed)) {
                    missing.push(format!("crates/{krate}/src/{}", file.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name these modules (write `file.rs`, or `dir/` for a dir/mod.rs, in the crate's section): {missing:#?}"
    );
}

/// The names a crate's "**Never:**" paragraph forbids it to depend on: the backquoted
/// names after "depend on", up to the end of that sentence. `crate/feature` forbids a
/// feature of a dependency.
fn forbidden(section: &str) -> BTreeSet<String> {
    let Some(never) = section.find("**Never:**") else {
        return BTreeSet::new();
    };
    let para = section[never..].split("\n\n").next().unwrap_or_default();
    let mut names = BTreeSet::new();
    let mut rest = para;
    while let Some(at) = rest.find("depend on") {
        let sentence = rest[at..].split(". ").next().unwrap_or_default();
        let sentence = sentence.split(".\n").next().unwrap_or(sentence);
        names.extend(sentence.split('`').skip(1).step_by(2).map(str::to_owned));
        rest = &rest[at + "depend on".len()..];
    }
    names
}

/// A crate's normal dependencies with the features it turns on.
fn dependencies(krate: &str) -> Vec<(String, Vec<String>)> {
    let path = root().join("crates").join(krate).join("Cargo.toml");
    let manifest: toml::Table = std::fs::read_to_string(&path)
        .expect("Cargo.toml")
        .parse()
        .expect("valid Cargo.toml");
    let Some(deps) = manifest.get("dependencies").and_then(|d| d.as_table()) else {
        return Vec::new();
    };
    deps.iter()
        .map(|(name, spec)| {
            let features = spec
                .get("features")
                .and_then(|f| f.as_array())
                .map(|f| {
                    f.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (name.clone(), features)
        })
        .collect()
}

#[test]
fn no_crate_depends_on_what_its_never_line_forbids() {
    let doc = architecture();
    let mut broken = Vec::new();
    let mut checked = 0;
    for krate in crates() {
        let banned = forbidden(&section(&doc, &krate));
        checked += banned.len();
        for (dep, features) in dependencies(&krate) {
            if banned.contains(&dep) {
                broken.push(format!("{krate} depends on {dep}"));
            }
            for f in features {
                if banned.contains(&format!("{dep}/{f}")) {
                    broken.push(format!("{krate} turns on {dep}/{f}"));
                }
            }
        }
    }
    assert!(
        checked > 0,
        "no Never line names a dependency; the check would prove nothing"
    );
    assert!(
        broken.is_empty(),
        "forbidden by ARCHITECTURE.md: {broken:#?}"
    );
}

/// Source text that a crate must not contain (but in the one file that owns it), with the
/// invariant it would break.
const FORBIDDEN_CODE: &[(&str, &str, &[&str], &str)] = &[
    (
        "engine",
        "",
        &[
            "SystemTime::now",
            "Instant::now",
            "tokio::",
            "std::fs",
            "std::net",
            "sqlx::",
        ],
        "the engine is sans-IO and reads no clock",
    ),
    (
        "storage",
        "",
        &["SystemTime::now", "Instant::now"],
        "storage reads no clock; callers pass now",
    ),
    (
        "server",
        "clock.rs",
        &["sqlx::", "SystemTime::now", "Utc::now", "now_utc()"],
        "the server has no SQL and reads time only from clock.rs",
    ),
    (
        "server",
        "extract.rs",
        &[
            "): Query<",
            "): Path<",
            "): Json<",
            "axum::extract::Path<",
            ": WebSocketUpgrade,",
            "multipart: Multipart,",
        ],
        "handlers take extract.rs's extractors, whose rejections speak the error shape",
    ),
];

#[test]
fn pure_crates_read_no_clock_and_the_server_one() {
    let mut found = Vec::new();
    for (krate, owner, patterns, why) in FORBIDDEN_CODE {
        let src = root().join("crates").join(krate).join("src");
        for file in modules(krate) {
            if file == Path::new(owner) {
                continue;
            }
            let text = std::fs::read_to_string(src.join(&file)).expect("source");
            for p in *patterns {
                if text.contains(p) {
                    found.push(format!(
                        "crates/{krate}/src/{}: {p} ({why})",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_never_line_parser_reads_what_it_should() {
    let text = "Intro.\n**Never:** read a clock, or depend on `tokio`, `serde` or\n`sqlx`. Other `thing`.\n\nNext.";
    let names: Vec<String> = forbidden(text).into_iter().collect();
    assert_eq!(names, ["serde", "sqlx", "tokio"]);
}
