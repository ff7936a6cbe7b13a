//! Issue 27: input that forgives the usual slips. Each slip a newcomer makes gets the help it
//! needs: what was probably meant, in the message, and warnings for values that are allowed
//! but look like a slip of units.

use crate::util::{Dir, csu_sim, root, stderr};

fn baseline() -> String {
    root().join("scenarios/baseline.toml").to_str().unwrap().to_string()
}

/// `--sweep` explains percentages as `--set` does, takes FROM:TO:STEP, and explains `..`.
#[test]
fn r27_sweeps_take_ranges_and_explain_percentages() {
    let dir = Dir::new("slips-sweep");
    let out = dir.join("out");
    let run = |sweep: &str| {
        csu_sim(&[
            "run",
            &baseline(),
            "--sweep",
            sweep,
            "--replications",
            "2",
            "--outputs",
            "summary",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let percent = run("risk.p_fail_annual=1%,3%");
    assert_eq!(percent.status.code(), Some(2));
    assert!(stderr(&percent).contains("1% is 0.01"), "{}", stderr(&percent));
    let dots = run("units=10..35");
    assert!(stderr(&dots).contains("FROM:TO:STEP"), "{}", stderr(&dots));
    let range = run("units=10:35:5");
    assert!(range.status.success(), "{}", stderr(&range));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    for n in [10, 15, 20, 25, 30, 35] {
        assert!(summary.contains(&format!(",{n},")), "N = {n}");
    }
    let shares = run("risk.p_fail_annual=0.1:0.3:0.1");
    assert!(shares.status.success(), "{}", stderr(&shares));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.contains(",0.3,") && !summary.contains("0.30000000000000004"));
}

/// A lone value where a list is due shows the list; a key without its section, or `N`, is
/// found; `validate` takes `--set` and `--sweep`.
#[test]
fn r27_messages_suggest_what_was_meant() {
    let dir = Dir::new("slips-messages");
    let file = dir.write("s.toml", "units = 40\nN = 23\np_fail_annual = 0.05\n");
    let output = csu_sim(&["validate", file.to_str().unwrap()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(message.contains("found an integer: write [40]"), "{message}");
    assert!(!message.contains("a integer"), "{message}");
    assert!(message.contains("the key 'units', a list"), "{message}");
    assert!(message.contains("did you mean 'risk.p_fail_annual'"), "{message}");
    let ok = csu_sim(&[
        "validate",
        &baseline(),
        "--set",
        "risk.p_weak=0.3",
        "--sweep",
        "units=10:20:10",
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("N [10, 20]"));
}

/// Values allowed but far from their defaults are warned of, on validate and on run, saying
/// what was probably meant; a plain scenario gets no warning.
#[test]
fn r27_unit_slips_are_warned_of() {
    let dir = Dir::new("slips-warnings");
    let file = dir.write(
        "s.toml",
        "units = [10]\noptions = [\"hubs\"]\nreplications = 3\n[functions.business_support]\nheadroom = 10\n[costs]\nnational_overhead = 10\nin_house_premium = 20\n",
    );
    let output = csu_sim(&["validate", file.to_str().unwrap()]);
    assert!(output.status.success());
    let warnings = stderr(&output);
    assert_eq!(warnings.matches("warning:").count(), 3, "{warnings}");
    assert!(
        warnings.contains("s.toml:5: key 'functions.business_support.headroom'")
            && warnings.contains("write 0.1 for 10%")
    );
    assert!(warnings.contains("write 10000000"), "{warnings}");
    let run = csu_sim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(run.status.success() && stderr(&run).contains("warning:"));
    let plain = csu_sim(&["validate", &baseline()]);
    assert!(!stderr(&plain).contains("warning"), "{}", stderr(&plain));
}
