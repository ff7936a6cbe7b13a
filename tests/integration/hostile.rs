//! Issue 17's hostile inputs, each a case that failed before its fix: it exits 2 naming its
//! source, or runs to a whole, reproducible result.

use std::process::{Command, Stdio};

use crate::util::{Dir, csu_sim, root, run_into, stderr};

fn baseline() -> String {
    root().join("scenarios/baseline.toml").to_str().unwrap().to_string()
}

/// Runs `csu-sim run` on a scenario text with extra arguments; returns the output.
fn run_text(dir: &Dir, text: &str, extra: &[&str]) -> std::process::Output {
    let scenario = dir.write("s.toml", text);
    run_into(&scenario, &dir.join("out"), extra)
}

fn refused(output: &std::process::Output, fragments: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "wanted '{fragment}' in:\n{message}");
    }
}

#[test]
fn r17_the_largest_seed_is_written_and_read_back() {
    let dir = Dir::new("hostile-seed");
    let output = run_text(
        &dir,
        "replications = 2\nunits = [10]\noptions = [\"hubs\"]\n",
        &["--seed", "18446744073709551615"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("out/run.json")).unwrap()).unwrap();
    let resolved = run["resolved_scenario"].as_str().unwrap();
    let again = csu_sim::scenario::Scenario::parse(resolved, "resolved", "r").unwrap();
    assert_eq!(again.seed, u64::MAX);
    // A seed too large for a TOML integer says how to write it.
    refused(
        &run_text(&dir, "seed = 18446744073709551615\n", &[]),
        &["seed", "written as a string"],
    );
}

#[test]
fn r17_names_are_short_plain_text_and_escaped_when_written_back() {
    let dir = Dir::new("hostile-name");
    refused(
        &run_text(&dir, &format!("name = \"{}\"\n", "x".repeat(101)), &[]),
        &["name", "at most 100"],
    );
    refused(
        &run_text(&dir, "name = \"a\\nb\"\n", &[]),
        &["name", "control character"],
    );
    let output = run_text(
        &dir,
        "name = 'quote\" and back\\\\slash'\nreplications = 2\nunits = [10]\noptions = [\"hubs\"]\n",
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("out/run.json")).unwrap()).unwrap();
    let again = csu_sim::scenario::Scenario::parse(run["resolved_scenario"].as_str().unwrap(), "r", "r").unwrap();
    assert_eq!(again.name, "quote\" and back\\\\slash");
    // The name is written once, in the run's metadata, never on the tables' rows.
    assert_eq!(run["scenario"], "quote\" and back\\\\slash");
    for table in ["summary.csv", "comparisons.csv", "facts.csv", "replications.csv"] {
        let text = std::fs::read_to_string(dir.join("out").join(table)).unwrap();
        assert!(!text.contains("slash"), "{table} repeats the name");
    }
}

#[test]
fn r17_workloads_and_threads_are_bounded_together_not_one_by_one() {
    let dir = Dir::new("hostile-limits");
    refused(
        &run_text(
            &dir,
            "replications = 10000000\nunits = [10, 23, 35]\n[sweep]\n\"risk.p_weak\" = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\n",
            &[],
        ),
        &["replication-runs", "hours"],
    );
    let swept = dir.write(
        "swept.toml",
        "units = [10, 23, 35]\n[sweep]\n\"risk.p_weak\" = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]\n",
    );
    refused(
        &csu_sim(&["run", swept.to_str().unwrap(), "--replications", "9000000"]),
        &["--replications 9000000", "hours"],
    );
    refused(
        &csu_sim(&["run", &baseline(), "--threads", "100000"]),
        &["--threads 100000", "per core"],
    );
    refused(
        &run_text(&dir, "[sweep]\n\"risk.p_weak\" = [0.1, 0.2, 0.1]\n", &[]),
        &["sweep.risk.p_weak", "listed twice"],
    );
    refused(
        &run_text(&dir, "[time]\nwave_weights = [1e308, 1e308, 1e308, 1e308]\n", &[]),
        &["time.wave_weights", "<= 1000000000"],
    );
    refused(
        &run_text(&dir, "[procurement]\nhubs = [1e10, 1e10, 1e10]\n", &[]),
        &["procurement.hubs", "600"],
    );
}

/// The largest wave weights accepted behave as equal weights, as 1e308 should have.
#[test]
fn r17_equal_huge_wave_weights_are_equal_weights() {
    let dir = Dir::new("hostile-waves");
    let summary = |weights: &str, name: &str| {
        let scenario = dir.write(
            &format!("{name}.toml"),
            format!("name = \"w\"\nreplications = 3\nunits = [10]\n[time]\nwave_weights = {weights}\n"),
        );
        let out = dir.join(name);
        let output = run_into(&scenario, &out, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        std::fs::read(out.join("summary.csv")).unwrap()
    };
    assert!(summary("[1e9, 1e9, 1e9, 1e9]", "huge") == summary("[1, 1, 1, 1]", "unit"));
}

#[test]
fn r17_special_files_are_refused_not_read_forever() {
    let dir = Dir::new("hostile-files");
    let fifo = dir.join("fifo.toml");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    refused(&csu_sim(&["run", fifo.to_str().unwrap()]), &["not a regular file"]);
    let scenario = dir.write("s.toml", "ccgs = \"/dev/zero\"\n");
    refused(
        &csu_sim(&["run", scenario.to_str().unwrap()]),
        &["ccgs", "not a regular file"],
    );
    refused(&csu_sim(&["run", dir.path.to_str().unwrap()]), &["not a regular file"]);
}

#[test]
fn r17_many_mistakes_fit_on_one_screen() {
    let dir = Dir::new("hostile-many");
    let text: String = (0..5000).map(|i| format!("bogus_{i} = 1\n")).collect();
    let output = run_text(&dir, &text, &[]);
    refused(&output, &["5000 problems", "and 4980 more"]);
    assert!(stderr(&output).lines().count() <= 24);
}

#[test]
fn r17_standard_output_errors_are_handled() {
    let dir = Dir::new("hostile-stdout");
    let scenario = dir.write("s.toml", "replications = 2\nunits = [10]\noptions = [\"hubs\"]\n");
    let out = dir.join("out");
    let args = ["run", scenario.to_str().unwrap(), "--out", out.to_str().unwrap()];
    // A full device: an error naming standard output, exit 1, not a panic (101).
    let full = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .args(args)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(1), "{}", stderr(&full));
    assert!(
        stderr(&full).contains("could not write to standard output"),
        "{}",
        stderr(&full)
    );
    // A reader that has gone: the output ends quietly.
    let mut child = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(status.code() == Some(0), "{status:?}");
}

#[test]
fn r17_an_os_error_is_named_once() {
    let dir = Dir::new("hostile-os");
    let file = dir.write("plain", "x");
    let out = file.join("out");
    let output = csu_sim(&[
        "run",
        &baseline(),
        "--replications",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output).matches("os error").count(), 1, "{}", stderr(&output));
}

/// Issue 18's small things: one replication has no interval (not "[NaN, NaN]"),
/// `--replications 0` asks for at least one (not about runs taking days), and preference
/// shares are summed as a reader would write them.
#[test]
fn r18_one_replication_zero_replications_and_share_sums_read_plainly() {
    let dir = Dir::new("small-things");
    let scenario = dir.write("s.toml", "units = [10]\n");
    let out = dir.join("out");
    let one = csu_sim(&[
        "run",
        scenario.to_str().unwrap(),
        "--replications",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(one.status.success(), "{}", stderr(&one));
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(!text.contains("NaN"), "{text}");
    assert!(text.contains("[no CI: n = 1]") && text.contains("[no CI] vs"), "{text}");
    let zero = csu_sim(&["run", scenario.to_str().unwrap(), "--replications", "0"]);
    refused(&zero, &["--replications 0", "at least one replication"]);
    assert!(!stderr(&zero).contains("days"));
    let shares = dir.write(
        "p.toml",
        "[choice]\npreferences = { csu = 0.5, in_house = 0.32, outside_nhs = 0.13 }\n",
    );
    let output = csu_sim(&["validate", shares.to_str().unwrap()]);
    refused(&output, &["shares sum to 0.95, not 1"]);
}

/// Issue 18: `--set seed=5 --seed 6` took 6 silently; a key given twice is refused.
#[test]
fn r18_a_key_given_twice_on_the_command_line_is_refused() {
    refused(
        &csu_sim(&["run", &baseline(), "--set", "seed=5", "--seed", "6"]),
        &["--set seed=5 and --seed", "give it once"],
    );
    refused(
        &csu_sim(&["run", &baseline(), "--set", "replications=5", "--replications", "6"]),
        &["--set replications=5 and --replications"],
    );
}

/// Issue 18: `--sweep units=10,15,20` was refused as not numeric; it sets the N values.
#[test]
fn r18_sweeping_units_sets_the_n_values() {
    let dir = Dir::new("sweep-units");
    let scenario = dir.write("s.toml", "replications = 2\noptions = [\"hubs\"]\n");
    let out = dir.join("out");
    let output = run_into(&scenario, &out, &["--sweep", "units=10,15,20"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    for n in ["10", "15", "20"] {
        assert!(summary.contains(&format!(",hubs,{n},net_cost_per_head,")), "N = {n}");
    }
    refused(
        &csu_sim(&["run", scenario.to_str().unwrap(), "--sweep", "units=10,10"]),
        &["units", "twice"],
    );
}

/// Issue 18: a `--set` value was blamed on the scenario file's line ("baseline.toml:13" for
/// `--set 'units=[300]'`), and the limits disagreed (N = 0 was told "from 1 to 5000").
#[test]
fn r18_set_values_are_blamed_on_the_flag_with_the_registers_limit() {
    let too_many = csu_sim(&["run", &baseline(), "--set", "units=[300]"]);
    refused(&too_many, &["--set units=[300]", "211 CCGs"]);
    assert!(!stderr(&too_many).contains("baseline.toml"), "{}", stderr(&too_many));
    let zero = csu_sim(&["run", &baseline(), "--set", "units=[0,10]"]);
    refused(&zero, &["--set units=[0,10]", "number of CCGs"]);
    assert!(!stderr(&zero).contains("5000"), "{}", stderr(&zero));
}

/// Issue 18: a non-numeric `--set` value was told "string values must be quoted", which
/// invites quoting; it is told a number is expected, and a percentage how to write it.
#[test]
fn r18_a_word_or_percentage_given_for_a_number_is_told_a_number_is_expected() {
    refused(
        &csu_sim(&["run", &baseline(), "--set", "risk.p_fail_annual=high"]),
        &["risk.p_fail_annual", "expected a number, found 'high'", "from 0 to 1"],
    );
    let percent = csu_sim(&["run", &baseline(), "--set", "risk.p_fail_annual=6%"]);
    refused(&percent, &["6% is 0.06"]);
    assert!(!stderr(&percent).contains("quoted"), "{}", stderr(&percent));
}

/// A write that fails mid-run names its cause, not just that the run stopped. A file size
/// limit (with SIGXFSZ ignored, so the write fails with EFBIG instead of killing the process)
/// stands in for a full disk: `replications.csv` outgrows 1 MB in the first replications.
#[test]
fn r17_a_write_that_fails_mid_run_names_its_cause() {
    use std::os::unix::process::CommandExt;
    let dir = Dir::new("hostile-full");
    let out = dir.join("out");
    let mut command = Command::new(env!("CARGO_BIN_EXE_csu-sim"));
    command
        .args(["run", &baseline(), "--replications", "2000", "--quiet", "--out"])
        .arg(&out);
    // SAFETY: the closure runs in the child between fork and exec and calls only
    // async-signal-safe functions (signal, setrlimit).
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 1 << 20,
                rlim_max: 1 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("File too large"), "the cause is named: {message}");
    assert!(message.contains("replications.csv"), "the file is named: {message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert!(!message.contains("interrupted after"), "{message}");
    assert!(!out.exists(), "a failed run leaves no folder");
}

/// SIGTERM at start-up stops the run cleanly (exit 130, nothing written): the handler is in
/// place before the thread pool starts. A register of 3,000 CCGs makes loading (its distances)
/// long enough to watch: once `/proc` shows SIGTERM caught, the process must still be on its
/// two threads (main and the signal handler's), with the 16 workers yet to start.
#[test]
fn r17_sigterm_while_starting_stops_cleanly() {
    let dir = Dir::new("hostile-start");
    let mut csv = String::from("code,name,population,lat,lon\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "C{i},CCG {i},{},{},{}\n",
            100_000 + i,
            50.0 + (i % 60) as f64 * 0.1,
            -3.0 + (i / 60) as f64 * 0.08
        ));
    }
    dir.write("big.csv", csv);
    let scenario = dir.write(
        "s.toml",
        "ccgs = \"big.csv\"\nreplications = 100000\nunits = [10]\noptions = [\"hubs\"]\n",
    );
    let out = dir.join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .args(["run", scenario.to_str().unwrap(), "--threads", "16", "--quiet", "--out"])
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let field = |status: &str, name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap()
    };
    let started = std::time::Instant::now();
    let threads = loop {
        let status = std::fs::read_to_string(&status_path).unwrap();
        let caught = u64::from_str_radix(&field(&status, "SigCgt:"), 16).unwrap();
        if caught & (1 << (libc::SIGTERM - 1)) != 0 {
            break field(&status, "Threads:").parse::<u32>().unwrap();
        }
        assert!(started.elapsed().as_secs() < 30, "no handler was installed");
    };
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        threads <= 2,
        "the handler came after the workers started ({threads} threads)"
    );
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(stderr(&output).contains("nothing was written"), "{}", stderr(&output));
    assert!(!out.exists());
}

/// Issue 18, defect 6: `run.json` lists each change once (a `--set` replaces the file's
/// value), with command-line and `[sweep]` sweeps and the `--seed` and `--replications` flags,
/// as a map of key to value and source, the same map `summary.json` holds.
#[test]
fn r18_run_json_changes_are_one_map_of_every_change_and_its_source() {
    let dir = Dir::new("changes");
    let scenario = dir.write(
        "s.toml",
        "units = [10]\noptions = [\"hubs\", \"national\"]\nreplications = 2\n[sweep]\n\"risk.p_weak\" = [0.1, 0.3]\n",
    );
    let output = run_into(
        &scenario,
        &dir.join("out"),
        &[
            "--set",
            "options=[\"hubs\"]",
            "--sweep",
            "risk.p_fail_annual=0.01,0.02",
            "--seed",
            "9",
            "--replications",
            "3",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let read = |file: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.join("out").join(file)).unwrap()).unwrap()
    };
    let changes = read("run.json")["changes"].clone();
    assert_eq!(changes, read("summary.json")["meta"]["changes"]);
    let file = scenario.to_str().unwrap();
    let expected = serde_json::json!({
        "units": {"value": [10], "from": format!("{file}:1")},
        "options": {"value": ["hubs"], "from": "--set options=[\"hubs\"]"},
        "replications": {"value": 3, "from": "--replications 3"},
        "seed": {"value": 9, "from": "--seed 9"},
        "sweep.risk.p_weak": {"value": [0.1, 0.3], "from": format!("{file}:5")},
        "sweep.risk.p_fail_annual": {"value": [0.01, 0.02], "from": "--sweep risk.p_fail_annual=0.01,0.02"},
    });
    assert_eq!(changes, expected);
    // The report's table, a list rather than a map, shows a key set twice once too.
    let report = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    assert_eq!(
        report.matches("<tr><td>options</td>").count(),
        1,
        "options listed twice"
    );
}

/// Issue 18, defects 3 and 4: a word or percentage written for a number in a file says a
/// number is expected (not "quote it"), and hides nothing: the file's other mistakes, the
/// checks between keys, and every bad row of a register are reported in one pass.
#[test]
fn r18_every_mistake_is_reported_in_one_pass() {
    let dir = Dir::new("one-pass");
    let output = run_text(
        &dir,
        "[market]\nprice_margin = 20%\n[risk]\np_fail_annual = 2\np_weak = high\n[time]\ngo_live_month = 40\nmonths = 30\n",
        &[],
    );
    refused(
        &output,
        &[
            "has 4 problems",
            "s.toml:2: key 'market.price_margin': expected a number, found '20%'",
            "20% is 0.2",
            "s.toml:4: key 'risk.p_fail_annual': 2 is out of range",
            "s.toml:5: key 'risk.p_weak': expected a number, found 'high'",
            "s.toml:7: key 'time.go_live_month'",
        ],
    );
    assert!(!stderr(&output).contains("quoted"), "{}", stderr(&output));

    // The file's mistakes, every bad flag, and N against the register's 211 CCGs, together.
    let output = run_text(
        &dir,
        "units = [10, 300]\n[risk]\np_weak = 3\n",
        &[
            "--set",
            "risk.p_fail_annual=9",
            "--set",
            "choice.switch_wait_months=-1",
            "--replications",
            "0",
        ],
    );
    refused(
        &output,
        &[
            "s.toml:3: key 'risk.p_weak': 3 is out of range",
            "--set risk.p_fail_annual=9: key 'risk.p_fail_annual': 9 is out of range",
            "--set choice.switch_wait_months=-1",
            "--replications 0 is out of range",
            "s.toml:1: key 'units': N = 300 is more than the 211 CCGs of the register",
        ],
    );
    assert!(!dir.join("out").exists());
    // N beyond the register is reported with a bad --set too, naming --set.
    let output = run_text(
        &dir,
        "units = [10]\n",
        &["--set", "units=[300]", "--set", "risk.p_weak=3"],
    );
    refused(
        &output,
        &[
            "--set units=[300]: key 'units': N = 300 is more than the 211 CCGs",
            "--set risk.p_weak=3",
        ],
    );

    dir.write(
        "bad.csv",
        "code,name,population,lat,lon\nA,a,0,52,-1\nB,b,100,52,-1\nC,c,100,40,-1\nB,d,100,52,-1\n",
    );
    let output = run_text(&dir, "ccgs = \"bad.csv\"\nunits = [1]\noptions = [\"hubs\"]\n", &[]);
    refused(
        &output,
        &[
            "has 3 problems",
            "line 2, column 'population'",
            "line 4, column 'lat'",
            "line 5, column 'code'",
        ],
    );
}

/// Issue 18: `csu-sim init NAME` writes a scenario that runs as it is, lists every key of
/// `csu-sim keys`, and with every key uncommented is still the defaults; it never overwrites.
#[test]
fn r18_init_writes_a_scenario_of_every_key_at_its_default() {
    let dir = Dir::new("init");
    let file = dir.join("study.toml");
    let output = csu_sim(&["init", "my study", "--out", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&file).unwrap();
    let plain = csu_sim::scenario::Scenario::parse(&text, "study.toml", "study").unwrap();
    assert_eq!(plain.name, "my study");
    assert_eq!(plain.params, csu_sim::model::Params::default());
    // Every key `csu-sim keys` lists is in the file.
    let keys = String::from_utf8(csu_sim(&["keys", "--long"]).stdout).unwrap();
    let run_keys = ["name", "seed", "replications", "options", "units", "ccgs"];
    for key in keys
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|k| !run_keys.contains(k))
    {
        let (_, leaf) = key.rsplit_once('.').unwrap_or(("", key));
        assert!(text.contains(&format!("\n# {leaf} = ")), "{key} is missing");
    }
    // Uncommented, every key states its default: the same scenario.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") && !rest.starts_with(['[', '"']) && !rest.starts_with("ccgs") => {
                rest.to_string()
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let full = csu_sim::scenario::Scenario::parse(&uncommented, "study.toml", "study").unwrap();
    assert_eq!(full.params, plain.params);
    assert!(full.changes.len() > 60, "{} keys set", full.changes.len());
    // It runs, and a second init to the same file is refused.
    let ran = run_into(&file, &dir.join("out"), &["--replications", "2", "--set", "units=[10]"]);
    assert!(ran.status.success(), "{}", stderr(&ran));
    refused(
        &csu_sim(&["init", "my study", "--out", file.to_str().unwrap()]),
        &["already exists", "never overwrites"],
    );
    refused(
        &csu_sim(&["init", "a\nb", "--out", dir.join("x.toml").to_str().unwrap()]),
        &["name"],
    );
    assert!(!dir.join("x.toml").exists());
}

/// Issue 18: `--target-ci W` replicates in batches of 100 until every headline 95% CI is
/// within +/- W: it stops at the first batch where that holds (a plain run of 100 fewer does
/// not reach it), its tables equal a plain run of as many replications, on any thread count,
/// and the cap and bad values are handled.
#[test]
fn r18_target_ci_stops_at_the_first_batch_precise_enough() {
    let dir = Dir::new("target-ci");
    let baseline = baseline();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.join(name);
        let mut args = vec!["run", baseline.as_str(), "--set", "units=[10, 23]", "--quiet", "--out"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        let output = csu_sim(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        out
    };
    let widest = |out: &std::path::Path| {
        crate::util::csv_rows(&out.join("summary.csv"))
            .iter()
            .filter(|r| r["metric"] == "net_cost_per_head")
            .map(|r| (r["ci95_high"].parse::<f64>().unwrap() - r["ci95_low"].parse::<f64>().unwrap()) / 2.0)
            .fold(0.0, f64::max)
    };
    let target = "0.12";
    let one = run(
        "one",
        &["--target-ci", target, "--replications", "5000", "--threads", "1"],
    );
    let two = run(
        "two",
        &["--target-ci", target, "--replications", "5000", "--threads", "2"],
    );
    let read = |out: &std::path::Path, file: &str| std::fs::read(out.join(file)).unwrap();
    assert_eq!(read(&one, "summary.csv"), read(&two, "summary.csv"));
    let json: serde_json::Value = serde_json::from_slice(&read(&one, "run.json")).unwrap();
    let used = json["replications"].as_u64().unwrap();
    assert!(used.is_multiple_of(100) && used < 5000, "{used}");
    assert!(widest(&one) < 0.12);
    let plain = run("plain", &["--replications", &used.to_string()]);
    assert_eq!(read(&one, "summary.csv"), read(&plain, "summary.csv"));
    let fewer = run("fewer", &["--replications", &(used - 100).to_string()]);
    assert!(widest(&fewer) >= 0.12, "it could have stopped a batch earlier");
    // The cap: the run stops there and says so.
    let out = dir.join("capped");
    let output = csu_sim(&[
        "run",
        &baseline,
        "--set",
        "units=[10]",
        "--target-ci",
        "0.0001",
        "--replications",
        "200",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("not reached by the cap of 200"));
    for bad in ["0", "-1", "NaN", "inf"] {
        refused(
            &csu_sim(&[
                "run",
                &baseline,
                "--target-ci",
                bad,
                "--out",
                dir.join("bad").to_str().unwrap(),
            ]),
            &["--target-ci"],
        );
    }
    refused(
        &csu_sim(&[
            "run",
            &baseline,
            "--target-ci",
            "0.1",
            "--shard",
            "1/2",
            "--out",
            dir.join("bad").to_str().unwrap(),
        ]),
        &["--target-ci and --shard"],
    );
    assert!(!dir.join("bad").exists());
}

/// Issue 18, small things: a seed beyond 64 bits on the command line says what is allowed.
#[test]
fn r18_a_seed_too_large_for_the_flag_says_what_is_allowed() {
    let dir = Dir::new("hostile-seed-flag");
    let output = run_text(&dir, "units = [10]\n", &["--seed", "123456789012345678901"]);
    refused(
        &output,
        &["--seed", "allowed is a whole number from 0 to 18446744073709551615"],
    );
    assert!(!dir.join("out").exists());
}
