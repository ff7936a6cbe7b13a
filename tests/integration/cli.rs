//! The binary end to end: runs, determinism across thread counts, validation, bad input.

use crate::util::{Dir, csu_sim, fixture, root, run_baseline, run_into, stderr};

#[test]
fn the_baseline_runs_end_to_end_with_few_replications() {
    let dir = Dir::new("baseline");
    let (out, output) = run_baseline(&dir, &["--replications", "8"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("net cost/head"), "{stdout}");
    for option in ["national", "network", "hubs", "framework"] {
        assert!(stdout.contains(option));
    }
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    // 4 options x 3 N x every metric, plus the header.
    assert_eq!(summary.lines().count(), 1 + 12 * csu_sim::model::N_METRICS);
    let replications = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    assert_eq!(replications.lines().count(), 1 + 12 * 8);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["meta"]["seed"], 20121001);
    assert_eq!(json["results"].as_array().unwrap().len(), 12);
    assert!(
        json["results"][0]["metrics"]["cost_per_head_incl_unmet"]["mean"]
            .as_f64()
            .unwrap()
            > 5.0
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn output_bytes_are_identical_for_one_and_two_threads() {
    let dir = Dir::new("threads");
    let scenario = dir.write(
        "s.toml",
        "replications = 25\nunits = [10, 23]\n[sweep]\n\"risk.p_fail_annual\" = [0.03, 0.3]\n",
    );
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(&format!("out{threads}"));
        let output = csu_sim(&[
            "run",
            scenario.to_str().unwrap(),
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        outputs.push(["summary.csv", "summary.json", "replications.csv"].map(|f| std::fs::read(out.join(f)).unwrap()));
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn every_shipped_scenario_validates() {
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let output = csu_sim(&["validate", path.to_str().unwrap()]);
            assert!(output.status.success(), "{}: {}", path.display(), stderr(&output));
            count += 1;
        }
    }
    assert!(count >= 4, "baseline plus at least three policy scenarios");
    let output = csu_sim(&["validate", fixture("valid/zero_noise.toml").to_str().unwrap()]);
    assert!(output.status.success());
}

#[test]
fn a_missing_scenario_file_is_bad_input() {
    let output = csu_sim(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("could not read scenario"));
}

#[test]
fn a_small_custom_register_runs() {
    let dir = Dir::new("register");
    dir.write("ccgs.csv", "code,name,population,lat,lon,wave\nA,a,300000,52.0,-1.0,1\nB,b,200000,52.5,-1.5,\nC,c,250000,53.0,-2.0,4\nD,d,150000,51.5,-0.5,2\nE,e,400000,51.0,0.5,3\n");
    let scenario = dir.write("s.toml", "ccgs = \"ccgs.csv\"\nreplications = 5\nunits = [4, 5]\noptions = [\"hubs\", \"network\", \"framework\", \"national\"]\n");
    let out = dir.join("out");
    let output = run_into(&scenario, &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    // 4 options x 2 N, each with every metric, over the register's 1.3 m people: national's
    // shared fixed cost is the register-independent GBP 3.16 m (docs/model.md section 5).
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 1 + 8 * csu_sim::model::N_METRICS);
    let shared = summary
        .lines()
        .find(|l| l.contains(",national,4,cost_shared_fixed_m,"))
        .unwrap();
    let mean = |line: &str| line.split(',').nth(6).unwrap().parse::<f64>().unwrap();
    assert!((mean(shared) - 3.16).abs() < 1e-12, "{shared}");
    let per_head = summary.lines().find(|l| l.contains(",hubs,5,cost_per_head,")).unwrap();
    let total = summary.lines().find(|l| l.contains(",hubs,5,cost_total_m,")).unwrap();
    assert!((mean(per_head) * 1.3e6 / 1e6 - mean(total)).abs() < 1e-9 * mean(total));
}

/// Reads every file of an output folder (charts included), by relative path.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for sub in ["", "charts"] {
        let folder = dir.join(sub);
        let mut entries: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for path in entries {
            files.push((
                path.strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
    files
}

#[test]
fn an_interrupted_run_leaves_the_previous_outputs_intact() {
    let baseline = root().join("scenarios/baseline.toml");
    for signal in ["-TERM", "-INT"] {
        let dir = Dir::new("interrupt");
        let out = dir.join("out");
        let args = |replications: &'static str| {
            [
                "run",
                baseline.to_str().unwrap(),
                "--replications",
                replications,
                "--quiet",
                "--out",
                out.to_str().unwrap(),
            ]
            .map(String::from)
        };
        let first = csu_sim(&args("5").each_ref().map(String::as_str));
        assert!(first.status.success(), "{}", stderr(&first));
        let before = snapshot(&out);
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_csu-sim"))
            .args(args("1000000"))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the run has created its staging folder beside the output folder, so the
        // signal lands mid-run.
        let started = std::time::Instant::now();
        while !std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains(".staging-"))
        {
            assert!(started.elapsed().as_secs() < 30, "the run never started");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(130), "{signal}: {}", stderr(&output));
        assert!(stderr(&output).contains("nothing was written"), "{}", stderr(&output));
        assert_eq!(snapshot(&out), before, "{signal}: the earlier outputs changed");
    }
}

/// The baseline's summary at a fixed seed, byte for byte: optimisations of the engine must not
/// change results. A deliberate change to the model or the random streams regenerates this file
/// (`csu-sim run scenarios/baseline.toml --replications 40`) and says why in its commit.
#[test]
fn the_baseline_summary_is_byte_identical_to_the_pinned_one() {
    let dir = Dir::new("pinned");
    let (out, _) = run_baseline(&dir, &["--replications", "40", "--quiet"]);
    let pinned = std::fs::read(fixture("pinned/baseline_40_summary.csv")).unwrap();
    let summary = std::fs::read(out.join("summary.csv")).unwrap();
    assert!(
        summary == pinned,
        "summary.csv differs from fixtures/pinned/baseline_40_summary.csv"
    );
}

/// docs/model.md version 5: with `risk.national_site_factor = 0` every version 4 metric is
/// unchanged. `baseline_40_summary_v4.csv` is the summary the version 4 engine wrote (commit
/// 693e10a, `csu-sim run scenarios/baseline.toml --replications 40`), kept as it was: the
/// version 5 engine at factor 0 must reproduce it byte for byte.
#[test]
fn factor_0_reproduces_the_version_4_baseline_byte_for_byte() {
    let dir = Dir::new("pinned_v4");
    let (out, _) = run_baseline(
        &dir,
        &[
            "--replications",
            "40",
            "--quiet",
            "--set",
            "risk.national_site_factor=0",
        ],
    );
    let pinned = std::fs::read(fixture("pinned/baseline_40_summary_v4.csv")).unwrap();
    let summary = std::fs::read(out.join("summary.csv")).unwrap();
    assert!(
        summary == pinned,
        "summary.csv at factor 0 differs from the version 4 engine's"
    );
}

/// `csu-sim keys` lists every key of docs/model.md section 9 with its default and range.
#[test]
fn keys_lists_every_key_with_default_range_and_source() {
    // Issue 27: the short form fits 100 columns and lists the keys of a run too.
    let short = String::from_utf8(csu_sim(&["keys"]).stdout).unwrap();
    assert!(
        short.lines().all(|l| l.chars().count() <= 100),
        "a line over 100 columns"
    );
    for key in ["units", "options", "seed", "replications", "risk.national_site_factor"] {
        assert!(
            short.lines().any(|l| l.split_whitespace().next() == Some(key)),
            "{key} missing"
        );
    }
    let output = csu_sim(&["keys", "--long"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    // A few rows as docs/model.md section 9 gives them: key, default, range, source.
    for (key, default, range, source) in [
        (
            "risk.p_checkpoint",
            "0.11538461538461539",
            "a number from 0 to 1",
            "fact",
        ),
        ("value.unmet_penalty", "1", "a number from 0 to 100", "assumption"),
        ("value.leverage_max", "0", "a number from 0 to 0.1", "assumption"),
        (
            "value.leverage_half",
            "10000000",
            "a number > 0 and <= 1000000000000",
            "assumption",
        ),
        (
            "functions.business_intelligence.efficient_scale",
            "5000000",
            "a number from 1 to",
            "fact",
        ),
        ("time.months", "30", "an integer from 1 to 600", "setting"),
        ("choice.budget_mean", "13", "a number from 0 to 1000000", "calibrated"),
    ] {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(key))
            .unwrap_or_else(|| panic!("{key} missing:\n{text}"));
        let fields: Vec<&str> = row.split("  ").map(str::trim).filter(|f| !f.is_empty()).collect();
        assert_eq!(fields[1], default, "{row}");
        assert!(row.contains(range) && fields.contains(&source), "{row}");
    }
    for path in [
        "time.wave_weights",
        "choice.preferences",
        "procurement.framework",
        "value.choice_per_head",
    ] {
        assert!(text.contains(path), "{path}");
    }
}
