//! Shards and merge (`--shard K/N`, `csu-sim merge`): merged shards are the unsharded run to
//! the byte, and a bad set of shards is refused with nothing written.

use std::path::Path;

use proptest::prelude::*;
use sha2::{Digest, Sha256};

use crate::util::{Dir, assert_same_files, csu_sim, root, stderr};

/// The tables a run writes that do not depend on the machine (run.json and the report also
/// hold the elapsed time and thread count).
pub(crate) const RUN_TABLES: [&str; 8] = [
    "results.xlsx",
    "summary.csv",
    "comparisons.csv",
    "facts.csv",
    "replications.csv",
    "summary.json",
    "regions.csv",
    "units.csv",
];

/// A small uncertainty analysis (one N, a few dozen parameter sets), for tests of its shards.
pub(crate) const SMALL_PLAN: [&str; 14] = [
    "--samples",
    "8",
    "--replications",
    "2",
    "--trajectories",
    "2",
    "--oat-replications",
    "3",
    "--bootstrap",
    "200",
    "--confirm-replications",
    "20",
    "--set",
    "units=[10]",
];

/// The analysis's tables.
pub(crate) const UNCERTAINTY_TABLES: [&str; 12] = [
    "confirmation.csv",
    "decisions.csv",
    "psa_held.csv",
    "design.csv",
    "morris.csv",
    "probability_best.csv",
    "psa.csv",
    "sobol.csv",
    "switching.csv",
    "tornado.csv",
    "voi.csv",
    "scenario.toml",
];

fn ok(args: &[&str]) {
    let output = csu_sim(args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
}

/// Runs `command SCENARIO args` whole into `dir/whole`, as `n` shards into `dir/shards`, and
/// merges them into `dir/merged`; returns (whole, merged).
fn whole_and_merged(
    dir: &Dir,
    command: &str,
    scenario: &Path,
    args: &[&str],
    n: u64,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let (whole, shards, merged) = (dir.join("whole"), dir.join("shards"), dir.join("merged"));
    let scenario = scenario.to_str().unwrap();
    let with = |extra: &[&str]| {
        let mut all = vec![command, scenario, "--quiet"];
        all.extend_from_slice(args);
        all.extend_from_slice(extra);
        all.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |extra: &[&str]| {
        let all = with(extra);
        ok(&all.iter().map(String::as_str).collect::<Vec<_>>());
    };
    run(&["--out", whole.to_str().unwrap()]);
    // The shards run in reverse order, as a scheduler may run them.
    for k in (1..=n).rev() {
        run(&["--out", shards.to_str().unwrap(), "--shard", &format!("{k}/{n}")]);
    }
    ok(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--quiet",
    ]);
    (whole, merged)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// For random scenarios (options, N values, a sweep or none, seed, replications) and any
    /// number of shards from 1 to 7, so blocks of every size including empty ones, merging the
    /// shards gives the unsharded run's tables byte for byte.
    #[test]
    fn merged_shards_are_the_unsharded_run(
        n in 1u64..=7,
        replications in 1u64..=30,
        seed in 0u64..1_000_000,
        options in prop::sample::subsequence(vec!["national", "network", "hubs", "framework"], 1..=4),
        units in prop::sample::select(vec!["[10]", "[5, 12]", "[23]"]),
        sweep in prop::bool::ANY,
    ) {
        let dir = Dir::new("shards-prop");
        let options: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
        let mut text = format!(
            "name = \"p\"\nseed = {seed}\nreplications = {replications}\nunits = {units}\noptions = [{}]\n",
            options.join(", ")
        );
        if sweep {
            text.push_str("[sweep]\n\"risk.p_weak\" = [0.1, 0.4]\n");
        }
        let scenario = dir.write("s.toml", text);
        let (whole, merged) = whole_and_merged(&dir, "run", &scenario, &[], n);
        assert_same_files(&whole, &merged, &RUN_TABLES);
    }
}

#[test]
fn a_sharded_baseline_with_its_flags_merges_to_the_whole_run() {
    // Flags that shape the study travel with the shards: --set, --sweep, --seed.
    let dir = Dir::new("shards-flags");
    let args = [
        "--replications",
        "37",
        "--seed",
        "11",
        "--set",
        "units=[10, 23]",
        "--sweep",
        "onboarding.per_unit_month=1,3",
    ];
    let (whole, merged) = whole_and_merged(&dir, "run", &root().join("scenarios/baseline.toml"), &args, 4);
    assert_same_files(&whole, &merged, &RUN_TABLES);
}

#[test]
fn an_uncertainty_analysis_in_shards_merges_to_the_whole_analysis() {
    let dir = Dir::new("shards-uncertainty");
    let args = SMALL_PLAN;
    let (whole, merged) = whole_and_merged(
        &dir,
        "uncertainty",
        &root().join("scenarios/uncertainty.toml"),
        &args,
        3,
    );
    assert_same_files(&whole, &merged, &UNCERTAINTY_TABLES);
    // Issue 26: the pages say the same number of parameter sets (they differed, 45 and 33).
    let sets = |folder: &std::path::Path| {
        let page = std::fs::read_to_string(folder.join("uncertainty.html")).unwrap();
        let at = page.find(" parameter sets, each run").unwrap();
        let start = page[..at].rfind(' ').unwrap();
        page[start + 1..at].to_string()
    };
    assert_eq!(sets(&whole), sets(&merged));
}

/// Rewrites a shard file's header with `edit` and gives it a valid checksum again, as another
/// build of csu-sim would have written it.
pub(crate) fn rewritten(path: &Path, edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let body = &bytes[..bytes.len() - 32];
    let magic = body.iter().position(|&b| b == b'\n').unwrap() + 1;
    let end = magic + body[magic..].iter().position(|&b| b == b'\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_slice(&body[magic..end]).unwrap();
    edit(&mut header);
    let mut out = body[..magic].to_vec();
    out.extend(serde_json::to_vec(&header).unwrap());
    out.extend(&body[end..]);
    let digest = Sha256::digest(&out);
    out.extend(digest.as_slice());
    out
}

/// Every bad set of shards exits 2, names what is wrong, and writes nothing.
#[test]
fn bad_shard_sets_are_refused_and_nothing_is_written() {
    let dir = Dir::new("shards-bad");
    let baseline = root().join("scenarios/baseline.toml");
    let baseline = baseline.to_str().unwrap();
    let shard = |folder: &str, spec: &str, extra: &[&str]| {
        let out = dir.join(folder);
        let mut args = vec!["run", baseline, "--replications", "9", "--set", "units=[10]", "--quiet"];
        args.extend_from_slice(&["--out", out.to_str().unwrap(), "--shard", spec]);
        args.extend_from_slice(extra);
        ok(&args);
    };
    for k in 1..=4 {
        shard("good", &format!("{k}/4"), &[]);
    }
    shard("other", "3/4", &["--seed", "5"]);
    shard("three", "3/3", &[]);
    let good = |k: u64| dir.join(&format!("good/shard-{k}-of-4.csu"));
    let copy = |name: &str, bytes: Vec<u8>| dir.write(name, bytes);
    let original = std::fs::read(good(2)).unwrap();
    let truncated = copy("truncated.csu", original[..original.len() / 2].to_vec());
    let mut flipped = original.clone();
    let middle = flipped.len() - 100;
    flipped[middle] ^= 1;
    let corrupted = copy("corrupted.csu", flipped);
    let old = copy("old.csu", rewritten(&good(2), |h| h["version"] = "0.0.1".into()));
    let misplaced = copy(
        "misplaced.csu",
        rewritten(&good(2), |h| h["parts"][0]["start"] = 0.into()),
    );
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let text = |p: &std::path::PathBuf| p.to_str().unwrap().to_string();
    let cases: Vec<(&str, Vec<String>, &[&str])> = vec![
        (
            "a missing shard",
            vec![text(&good(1)), text(&good(2)), text(&good(4))],
            &["missing: 3"],
        ),
        (
            "a duplicate",
            vec![
                text(&good(1)),
                text(&good(2)),
                text(&good(2)),
                text(&good(3)),
                text(&good(4)),
            ],
            &["shard 2 of 4 is given twice"],
        ),
        (
            "another scenario",
            vec![
                text(&good(1)),
                text(&good(2)),
                text(&dir.join("other/shard-3-of-4.csu")),
                text(&good(4)),
            ],
            &["another study"],
        ),
        (
            "another split",
            vec![
                text(&good(1)),
                text(&good(2)),
                text(&dir.join("three/shard-3-of-3.csu")),
                text(&good(4)),
            ],
            &["split differently"],
        ),
        (
            "another version",
            vec![text(&good(1)), text(&old), text(&good(3)), text(&good(4))],
            &["csu-sim 0.0.1", "version that ran the shards"],
        ),
        (
            "a truncated file",
            vec![text(&good(1)), text(&truncated), text(&good(3)), text(&good(4))],
            &["truncated.csu", "truncated or corrupted"],
        ),
        (
            "a corrupted file",
            vec![text(&good(1)), text(&corrupted), text(&good(3)), text(&good(4))],
            &["corrupted.csu", "truncated or corrupted"],
        ),
        (
            "a header that lies about its part",
            vec![text(&good(1)), text(&misplaced), text(&good(3)), text(&good(4))],
            &["does not describe a shard"],
        ),
        ("an empty folder", vec![text(&empty)], &["no shard files"]),
        (
            "no such file",
            vec![text(&dir.join("nowhere.csu"))],
            &["nowhere.csu", "No such file"],
        ),
    ];
    let out = dir.join("merged");
    for (what, files, fragments) in cases {
        let mut args = vec!["merge".to_string()];
        args.extend(files);
        args.extend(["--out".to_string(), text(&out)]);
        let output = csu_sim(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{what}: {message}");
        for fragment in fragments {
            assert!(message.contains(fragment), "{what}: wanted '{fragment}' in {message}");
        }
        assert_eq!(
            message.matches("os error").count().min(1),
            message.matches("os error").count(),
            "{what}: {message}"
        );
        assert!(!out.exists(), "{what}: something was written");
    }
    // Bad --shard values, on both commands, write nothing either.
    let uncertainty = root().join("scenarios/uncertainty.toml");
    for command in [baseline.to_string(), text(&uncertainty)] {
        let sub = if command == baseline { "run" } else { "uncertainty" };
        for (spec, fragment) in [
            ("0/4", "K must be from 1 to N"),
            ("5/4", "K must be from 1 to N"),
            ("1/0", "N must be from 1"),
            ("2", "K/N"),
        ] {
            let output = csu_sim(&[sub, &command, "--shard", spec, "--out", &text(&out), "--quiet"]);
            let message = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{sub} --shard {spec}: {message}");
            assert!(
                message.contains(&format!("--shard {spec}")) && message.contains(fragment),
                "{message}"
            );
            assert!(!out.exists(), "{sub} --shard {spec} wrote something");
        }
    }
}

/// Merge rebuilds the study from what the shards embed: with a register of its own, the
/// scenario and register files can be gone by the time the shards are merged.
#[test]
fn merge_needs_neither_the_scenario_nor_the_register_file() {
    let dir = Dir::new("shards-embedded");
    let register = dir.write(
        "r.csv",
        "code,name,population,lat,lon\nA,a,300000,52,-1\nB,b,200000,53,-1.5\nC,c,250000,51.5,-0.5\nD,d,400000,52.5,-2\nE,e,100000,54,-1.2\n",
    );
    let scenario = dir.write("s.toml", "ccgs = \"r.csv\"\nunits = [4, 5]\nreplications = 23\n");
    let (whole, shards, merged) = (dir.join("whole"), dir.join("shards"), dir.join("merged"));
    let s = scenario.to_str().unwrap();
    ok(&["run", s, "--quiet", "--out", whole.to_str().unwrap()]);
    for k in 1..=3 {
        ok(&[
            "run",
            s,
            "--quiet",
            "--out",
            shards.to_str().unwrap(),
            "--shard",
            &format!("{k}/3"),
        ]);
    }
    std::fs::remove_file(&register).unwrap();
    std::fs::remove_file(&scenario).unwrap();
    ok(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--quiet",
    ]);
    assert_same_files(&whole, &merged, &RUN_TABLES);
}
