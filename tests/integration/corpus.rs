//! Bad input, file by file: every scenario in fixtures/invalid/ and a set of bad registers
//! must exit with code 2, name the file, line and key with what is allowed, fit on one screen,
//! and write nothing.

use std::path::Path;

use crate::util::{Dir, csu_sim, fixture, stderr};

/// Most lines a message may take: one screen.
const SCREEN_LINES: usize = 24;

/// Runs a bad input and checks the common standard, with `named` the file the message must
/// name; returns the message, or what is wrong with it.
fn rejected(
    scenario: &Path,
    named: &Path,
    out: &Path,
    fragments: &[&str],
    line: Option<usize>,
) -> Result<String, String> {
    let output = csu_sim(&["run", scenario.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let message = stderr(&output);
    let name = named.display().to_string();
    let fail = |what: String| Err(format!("{}: {what}\n{message}", scenario.display()));
    if output.status.code() != Some(2) {
        return fail(format!("exit code {:?}", output.status.code()));
    }
    if !message.contains(&name) {
        return fail(format!("{name} is not named"));
    }
    if let Some(missing) = fragments.iter().find(|f| !message.contains(*f)) {
        return fail(format!("wanted '{missing}'"));
    }
    if let Some(line) = line.filter(|l| !message.contains(&format!("{name}:{l}"))) {
        return fail(format!("wanted line {line}"));
    }
    if message.lines().count() > SCREEN_LINES {
        return fail("more than one screen".to_string());
    }
    if out.exists() {
        return fail("something was written".to_string());
    }
    Ok(message)
}

#[test]
fn every_bad_scenario_in_the_corpus_is_rejected_with_file_line_and_key() {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{}: no '# expect:' line", path.display()));
        let fragments: Vec<&str> = expect.split(" | ").collect();
        let line = text.lines().position(|l| l.contains("# <<")).map(|idx| idx + 1);
        let dir = Dir::new("corpus");
        let out = dir.join("out");
        if let Err(failure) = rejected(&path, &path, &out, &fragments, line) {
            failures.push(failure);
        }
        count += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {count} files failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(count >= 40, "the corpus has {count} files");
}

const HEAD: &str = "code,name,population,lat,lon\n";

/// Writes a register and a scenario that uses it; checks the rejection names `fragments`.
fn check_register(contents: &[u8], fragments: &[&str]) {
    let dir = Dir::new("register");
    dir.write("ccgs.csv", contents);
    let scenario = dir.write("s.toml", "ccgs = \"ccgs.csv\"\nunits = [1]\noptions = [\"hubs\"]\n");
    if let Err(failure) = rejected(&scenario, &dir.join("ccgs.csv"), &dir.join("out"), fragments, None) {
        panic!("{failure}");
    }
}

#[test]
fn bad_registers_are_rejected_naming_row_and_column() {
    check_register(b"", &["line 1", "empty"]);
    check_register(
        b"code,name,lat,lon\nA,a,52,-1\n",
        &["line 1", "column 'population'", "missing required column"],
    );
    check_register(
        format!("{HEAD}A,a,lots,52,-1\n").as_bytes(),
        &["line 2", "column 'population'", "not a number"],
    );
    check_register(
        format!("{HEAD}A,a,100,52,-1\nB,b,100,52,-1\nA,c,100,52,-1\n").as_bytes(),
        &["line 4", "column 'code'", "duplicate code 'A'"],
    );
    check_register(
        b"code,name,population,lat,lon\nA,\xff\xfe,100,52,-1\n",
        &["line 2", "column 'name'", "UTF-8"],
    );
    check_register(
        format!("{HEAD}A,a,-5,52,-1\n").as_bytes(),
        &["line 2", "column 'population'", "at least 1"],
    );
    check_register(
        format!("{HEAD}A,a,0,52,-1\n").as_bytes(),
        &["line 2", "column 'population'", "at least 1"],
    );
    check_register(
        format!("{HEAD}A,a,5e12,52,-1\n").as_bytes(),
        &["line 2", "column 'population'", "at most"],
    );
    check_register(
        format!("{HEAD}A,a,100,NaN,-1\n").as_bytes(),
        &["line 2", "column 'lat'", "finite"],
    );
    check_register(
        format!("{HEAD}A,a,100,52,inf\n").as_bytes(),
        &["line 2", "column 'lon'", "finite"],
    );
    check_register(
        format!("{HEAD}A,a,100,48.0,-1\n").as_bytes(),
        &["line 2", "column 'lat'", "outside England"],
    );
    check_register(
        format!("{HEAD}A,a,100,52,12\n").as_bytes(),
        &["line 2", "column 'lon'", "outside England"],
    );
    check_register(
        format!("{HEAD}A,a,100\n").as_bytes(),
        &["line 2", "column 'lat'", "no value"],
    );
    check_register(HEAD.as_bytes(), &["no CCG rows"]);
    check_register(
        b"code,name,population,lat,lon,wave\nA,a,100,52,-1,9\n",
        &["line 2", "column 'wave'", "1, 2, 3 or 4"],
    );
}

#[test]
fn a_ten_megabyte_register_is_refused_with_the_row_limit() {
    let mut big = String::from(HEAD);
    let mut row = 0;
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&format!(
            "C{row:07},Clinical Commissioning Group number {row},250000,52.5,-1.5\n"
        ));
        row += 1;
    }
    check_register(big.as_bytes(), &["line 5002", "more than 5000 rows"]);
}

#[test]
fn every_fuzz_seed_parses_or_is_rejected_without_panicking() {
    let corpus = crate::util::root().join("tests/fuzz/corpus");
    let mut count = 0;
    for (target, entries) in ["scenario", "register"].map(|t| (t, std::fs::read_dir(corpus.join(t)).unwrap())) {
        for path in entries.map(|e| e.unwrap().path()) {
            let bytes = std::fs::read(&path).unwrap();
            if target == "scenario" {
                if let Ok(text) = std::str::from_utf8(&bytes)
                    && let Ok(scenario) = csu_sim::scenario::Scenario::parse(text, "seed.toml", "seed")
                {
                    let _ = scenario.check_register(211);
                    let _ = scenario.to_toml();
                }
            } else {
                let _ = csu_sim::model::Register::parse(&bytes, "seed.csv");
            }
            count += 1;
        }
    }
    assert!(count > 60);
}
