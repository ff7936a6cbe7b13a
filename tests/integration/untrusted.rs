//! Issue 26: a shard is untrusted input, and every command has limits. Each test is one of
//! the red team's reproducers: crafted shards with recomputed checksums, a FIFO, a closed pipe,
//! more shards than the open-file limit. Every one must exit 0 with the right outputs or 2 with
//! a named cause; none may panic, hang or write anything.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

use crate::shards::rewritten;
use crate::util::{Dir, csu_sim, root, stderr};

fn text(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// Runs the baseline at N = 10 with `replications`, as shards K of `of` for each K in `ks`,
/// into `dir/name`; returns the folder.
fn shards(
    dir: &Dir,
    name: &str,
    replications: u64,
    of: u64,
    ks: impl IntoIterator<Item = u64>,
    extra: &[&str],
) -> PathBuf {
    let out = dir.join(name);
    let baseline = root().join("scenarios/baseline.toml");
    for k in ks {
        let mut args = vec![
            "run".to_string(),
            text(&baseline),
            "--replications".to_string(),
            replications.to_string(),
            "--set".to_string(),
            "units=[10]".to_string(),
            "--set".to_string(),
            "options=[\"national\",\"hubs\"]".to_string(),
            "--quiet".to_string(),
            "--out".to_string(),
            text(&out),
            "--shard".to_string(),
            format!("{k}/{of}"),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let output = csu_sim(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(output.status.success(), "{}", stderr(&output));
    }
    out
}

/// Runs merge and asserts exit 2, every fragment in the message, no panic and nothing written.
fn refused(files: &[PathBuf], out: &Path, fragments: &[&str]) -> String {
    let mut args = vec!["merge".to_string()];
    args.extend(files.iter().map(|p| text(p)));
    args.extend(["--out".to_string(), text(out)]);
    let output = csu_sim(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "wanted '{fragment}' in {message}");
    }
    assert!(!message.contains("panicked"), "{message}");
    assert!(!out.exists(), "something was written");
    let parent = out.parent().unwrap();
    let lock = parent.join(format!(".{}.lock", out.file_name().unwrap().to_str().unwrap()));
    assert!(!lock.exists(), "a refused merge left {}", lock.display());
    message
}

/// Replaces the payload's first f64 (the first cell's first metric, cost_total_m) with `value`
/// and gives the file a valid checksum again.
fn with_first_value(path: &Path, value: f64) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let mut body = bytes[..bytes.len() - 32].to_vec();
    let magic = body.iter().position(|&b| b == b'\n').unwrap() + 1;
    let payload = magic + body[magic..].iter().position(|&b| b == b'\n').unwrap() + 1;
    body[payload..payload + 8].copy_from_slice(&value.to_le_bytes());
    let digest = Sha256::digest(&body);
    body.extend(digest.as_slice());
    body
}

/// A shard relabelled as the only shard of a 5-replication study, checksum recomputed, is
/// refused: the study it records has 20 replications.
#[test]
fn r26_a_shard_that_lies_about_its_study_is_refused() {
    let dir = Dir::new("untrusted-totals");
    let folder = shards(&dir, "s", 20, 4, [1], &[]);
    let liar = dir.write(
        "liar.csu",
        rewritten(&folder.join("shard-1-of-4.csu"), |h| {
            h["of"] = 1.into();
            h["parts"][0]["total"] = 5.into();
            h["parts"][0]["end"] = 5.into();
        }),
    );
    refused(
        &[liar],
        &dir.join("merged"),
        &["says the study has 5 replications", "has 20"],
    );
    // No parts at all: refused, not a panic.
    let empty = dir.write(
        "empty.csu",
        rewritten(&folder.join("shard-1-of-4.csu"), |h| h["parts"] = serde_json::json!([])),
    );
    refused(&[empty], &dir.join("merged"), &["does not describe a shard"]);
}

/// NaN, infinity and 1e308 in a payload, checksum recomputed, are refused naming the shard,
/// the replication, the cell and the metric.
#[test]
fn r26_absurd_payload_values_are_refused_naming_the_cell() {
    let dir = Dir::new("untrusted-values");
    let folder = shards(&dir, "s", 4, 2, [1, 2], &[]);
    for value in [f64::NAN, f64::INFINITY, 1e308, -5.0] {
        let bad = dir.write(
            "shard-1-of-2.csu",
            with_first_value(&folder.join("shard-1-of-2.csu"), value),
        );
        refused(
            &[bad, folder.join("shard-2-of-2.csu")],
            &dir.join("merged"),
            &[
                "shard-1-of-2.csu: replication 1: national at N = 10: cost_total_m",
                "cannot come from the model",
            ],
        );
    }
}

/// A lone shard of 10^15 says how many are missing, in a bounded message, at once.
#[test]
fn r26_a_huge_shard_count_is_reported_as_ranges() {
    let dir = Dir::new("untrusted-of");
    let folder = shards(&dir, "s", 4, 2, [1], &[]);
    let huge = dir.write(
        "huge.csu",
        rewritten(&folder.join("shard-1-of-2.csu"), |h| {
            h["of"] = 1_000_000_000_000_000u64.into();
            h["parts"][0]["end"] = 0.into();
        }),
    );
    let message = refused(&[huge], &dir.join("merged"), &[]);
    assert!(message.len() < 600, "{} bytes", message.len());
}

/// A FIFO named like a shard is refused at once, without opening it (which would block).
#[test]
fn r26_a_fifo_named_like_a_shard_is_refused_without_blocking() {
    let dir = Dir::new("untrusted-fifo");
    let folder = dir.join("fifo");
    std::fs::create_dir_all(&folder).unwrap();
    let fifo = folder.join("shard-1-of-1.csu");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    refused(&[folder], &dir.join("merged"), &["not a regular file"]);
    assert!(started.elapsed().as_secs() < 20);
}

/// An error printed to a closed stderr does not panic: the exit code still says bad input.
#[test]
fn r26_an_error_to_a_closed_stderr_exits_2_without_a_panic() {
    let baseline = root().join("scenarios/baseline.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .args(["run", baseline.to_str().unwrap(), "--replications", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2));
}

/// More shards than the open-file limit merge, one open at a time: 1,100 shards of one
/// replication each under `ulimit -n 256`, made from one real shard whose header is rewritten
/// for each K (the payloads are the same replication; the merge checks them all).
#[test]
fn r26_more_shards_than_the_open_file_limit_merge() {
    let dir = Dir::new("untrusted-many");
    let n = 1100u64;
    let folder = shards(&dir, "s", n, n, [1], &["--outputs", "summary"]);
    let first = folder.join(format!("shard-1-of-{n}.csu"));
    for k in 2..=n {
        let bytes = rewritten(&first, |h| {
            h["shard"] = k.into();
            h["parts"][0]["start"] = (k - 1).into();
            h["parts"][0]["end"] = k.into();
        });
        std::fs::write(folder.join(format!("shard-{k}-of-{n}.csu")), bytes).unwrap();
    }
    let out = dir.join("merged");
    let script = format!(
        "ulimit -n 256 && exec '{}' merge '{}' --out '{}' --quiet",
        env!("CARGO_BIN_EXE_csu-sim"),
        text(&folder),
        text(&out)
    );
    let output = Command::new("bash").arg("-c").arg(&script).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut summary = String::new();
    std::fs::File::open(out.join("summary.csv"))
        .unwrap()
        .read_to_string(&mut summary)
        .unwrap();
    assert!(
        summary.lines().skip(1).all(|l| l.contains(&format!(",{n},"))),
        "n = {n} in every row"
    );
}

/// Shards run with another --outputs are refused as such, not as corruption.
#[test]
fn r26_shards_with_other_outputs_are_named_as_such() {
    let dir = Dir::new("untrusted-outputs");
    let one = shards(&dir, "a", 4, 2, [1], &["--outputs", "summary"]);
    let two = shards(&dir, "b", 4, 2, [2], &[]);
    refused(
        &[one.join("shard-1-of-2.csu"), two.join("shard-2-of-2.csu")],
        &dir.join("merged"),
        &["other arguments", "--outputs"],
    );
}

/// A scenario whose path starts with '-' shards with `--` and merges; a file of the shard's
/// name that is not a shard of this study is never replaced; shards beyond the first embed
/// the register's hash, not its text.
#[test]
fn r26_shard_paths_and_files_are_handled_with_care() {
    let dir = Dir::new("untrusted-paths");
    let scenario = dir.write(
        "-b.toml",
        "name = \"dash\"\nreplications = 4\nunits = [10]\noptions = [\"hubs\"]\n",
    );
    let out = dir.join("s");
    for k in 1..=2 {
        let output = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
            .current_dir(&dir.path)
            .args([
                "run",
                "--quiet",
                "--out",
                &text(&out),
                "--shard",
                &format!("{k}/2"),
                "--",
                "-b.toml",
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let merged = dir.join("merged");
    let output = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .current_dir(&dir.path)
        .args(["merge", &text(&out), "--out", &text(&merged), "--quiet"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(merged.join("summary.csv").exists());
    let _ = scenario;
    // Shard 2 holds the scenario's hash, not its text.
    let second = std::fs::read(out.join("shard-2-of-2.csu")).unwrap();
    assert!(!String::from_utf8_lossy(&second).contains("name = \\\"dash\\\""));
    // A user's file where a shard would go stays as it was.
    let users = dir.join("mine");
    std::fs::create_dir_all(&users).unwrap();
    std::fs::write(users.join("shard-1-of-2.csu"), "my notes").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .current_dir(&dir.path)
        .args([
            "run",
            "--quiet",
            "--out",
            &text(&users),
            "--shard",
            "1/2",
            "--",
            "-b.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("is not a shard of this study"));
    assert_eq!(
        std::fs::read_to_string(users.join("shard-1-of-2.csu")).unwrap(),
        "my notes"
    );
    // This study's own shard is replaced by a rerun (the same bytes again); another study's
    // (another seed) is refused and the shard stays as it was.
    let shard = out.join("shard-1-of-2.csu");
    let before = std::fs::read(&shard).unwrap();
    let rerun = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_csu-sim"))
            .current_dir(&dir.path)
            .args(["run", "--quiet", "--out", &text(&out), "--shard", "1/2"])
            .args(extra)
            .args(["--", "-b.toml"])
            .output()
            .unwrap()
    };
    let output = rerun(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&shard).unwrap(), before);
    let output = rerun(&["--seed", "99"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("is not a shard of this study"));
    assert_eq!(std::fs::read(&shard).unwrap(), before);
}

/// Register text that a spreadsheet would run as a formula reaches units.csv and regions.csv
/// quoted, as text; numbers stay numbers; bidi controls do not reach the report.
#[test]
fn r26_register_text_is_not_a_formula_in_the_csvs() {
    let dir = Dir::new("untrusted-formula");
    let register = "code,name,population,lat,lon,region\n\
                    =HYPERLINK(\"x\"),\u{202E}Evil CCG,500000,52.0,-1.0,=cmd|' /C calc'!A0\n\
                    B2,Plain CCG,600000,53.0,-1.5,@North\n";
    dir.write("ccgs.csv", register);
    let scenario = dir.write(
        "f.toml",
        "name = \"f\"\nccgs = \"ccgs.csv\"\nunits = [1]\noptions = [\"hubs\"]\nreplications = 5\n",
    );
    let out = dir.join("out");
    let output = csu_sim(&["run", &text(&scenario), "--out", &text(&out), "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let units = std::fs::read_to_string(out.join("units.csv")).unwrap();
    let regions = std::fs::read_to_string(out.join("regions.csv")).unwrap();
    for csv in [&units, &regions] {
        for line in csv.lines() {
            for field in line.split(',') {
                let field = field.trim_matches('"');
                assert!(!field.starts_with(['=', '+', '@']), "a formula cell: {field} in {line}");
            }
        }
    }
    assert!(regions.contains("'=cmd|") && regions.contains("'@North"));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains('\u{202E}'));
}

/// Issue 26's messages: a rule's share above 1 is one problem, not also "missing"; a tiny beta
/// sd is named, not "NaN to NaN"; `--target-ci` with one replication says why it cannot be
/// reached; `init` refuses control characters and paths, writing nothing.
#[test]
fn r26_messages_say_what_is_wrong_once_and_plainly() {
    let dir = Dir::new("untrusted-messages");
    let share = dir.write("share.toml", "[decision]\nmax_unmet_share = 2\n");
    let output = csu_sim(&["validate", &text(&share)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        message.contains("has 1 problem") && !message.contains("missing"),
        "{message}"
    );
    let beta = dir.write("beta.toml", "[uncertain]\n\"risk.p_weak\" = { beta = [0.5, 1e-200] }\n");
    let message = stderr(&csu_sim(&["validate", &text(&beta)]));
    assert!(
        message.contains("cannot be computed") && !message.contains("NaN") && message.len() < 400,
        "{message}"
    );
    let baseline = root().join("scenarios/baseline.toml");
    let output = csu_sim(&[
        "run",
        &text(&baseline),
        "--target-ci",
        "0.5",
        "--replications",
        "1",
        "--set",
        "units=[10]",
        "--outputs",
        "summary",
        "--out",
        &text(&dir.join("tci")),
    ]);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("give --replications at least 2") && !printed.contains("inf"),
        "{printed}"
    );
    for name in ["bad\u{1}name", "../../x", "/tmp/y"] {
        let output = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
            .current_dir(&dir.path)
            .args(["init", name])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name:?}: {}", stderr(&output));
        assert!(!stderr(&output).contains("TOML"), "{}", stderr(&output));
    }
    let written: Vec<_> = std::fs::read_dir(&dir.path)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "toml")
                && e.file_name() != "share.toml"
                && e.file_name() != "beta.toml"
        })
        .collect();
    assert!(written.is_empty(), "init wrote {written:?}");
}

/// A shard of an older format (its first line 'csu-sim shard 1', checksum valid) is refused
/// with the reason and the remedy, not misread: format 2 added each unit's serving months.
#[test]
fn r27_a_shard_of_an_older_format_is_refused_with_the_remedy() {
    let dir = Dir::new("untrusted-format");
    let folder = shards(&dir, "s", 8, 2, [1], &[]);
    let bytes = std::fs::read(folder.join("shard-1-of-2.csu")).unwrap();
    let mut body = bytes[..bytes.len() - 32].to_vec();
    assert!(body.starts_with(b"csu-sim shard 2\n"));
    body[14] = b'1';
    let digest = Sha256::digest(&body);
    body.extend(digest.as_slice());
    let old = dir.write("old.csu", body);
    refused(
        &[old],
        &dir.join("merged"),
        &["another shard format", "run the shards again with this build"],
    );
}
