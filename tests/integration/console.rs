//! Issue 27: what the console prints can be read without misreading it: each footnote says
//! what the table above it shows, a sweep says each warning once, and labels carry units.

use crate::util::{Dir, csu_sim, root, stderr};

fn console(args: &[&str]) -> String {
    let dir = Dir::new("console");
    let baseline = root().join("scenarios/baseline.toml");
    let out = dir.join("out");
    let mut all = vec![
        "run",
        baseline.to_str().unwrap(),
        "--outputs",
        "summary",
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let output = csu_sim(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn r27_footnotes_say_what_their_table_shows_and_labels_carry_units() {
    let text = console(&["--replications", "60", "--set", "value.choice_per_head=0.5"]);
    let summary_end = text.find("Means over replications").expect("the summary's footnote");
    let verdict = text.find("cheapest (net)").unwrap();
    assert!(summary_end < verdict, "the summary's footnote sits under the summary");
    assert!(
        text[summary_end..verdict]
            .replace('\n', " ")
            .contains("confidence interval of the mean")
    );
    let verdict_note = text
        .find("Margins: the mean paired difference")
        .expect("the verdict's footnote");
    assert!(verdict_note > verdict);
    assert!(
        !text[..verdict].contains("paired differences"),
        "no paired-difference note under the summary"
    );
    for label in ["util p95 %", "CCGs uncontr. at go-live", "unit failures"] {
        assert!(text.contains(label), "{label}");
    }
    assert!(!text.contains("-0.00"), "a negative zero:\n{text}");
    // util p95 is a percentage: whole numbers up to 100 in its column.
    let header = text.lines().next().unwrap();
    let at = header.find("util p95 %").unwrap() + "util p95 %".len();
    for row in text.lines().skip(2).take(12) {
        let cell: f64 = row[..at].split_whitespace().last().unwrap().parse().unwrap();
        assert!((0.0..=100.0).contains(&cell) && cell.fract() == 0.0, "{row}");
    }
}

#[test]
fn r27_a_sweep_says_each_warning_once() {
    let text = console(&["--replications", "20", "--sweep", "value.choice_per_head=0,1,2,3,4"]);
    let framework = text
        .lines()
        .filter(|l| l.trim_start().starts_with("- framework at N"))
        .count();
    assert_eq!(framework, 1, "{text}");
    assert!(
        text.contains("framework at N = 10, 23 and 35, at every sweep point"),
        "{text}"
    );
}
