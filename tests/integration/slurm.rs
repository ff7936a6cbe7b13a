//! A real Slurm cluster, started on this machine: a study submitted as a job array of shards
//! (`docs/slurm/shards.sbatch`, the script README gives) and merged is the unsharded study, to
//! the byte. Needs root and Debian's `slurm-wlm` and `munge`, which `.ci/run` installs; marked
//! `#[ignore]`, run with `--ignored` (CI always does), and it fails, never skips, when they are
//! missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::shards::{RUN_TABLES, SMALL_PLAN, UNCERTAINTY_TABLES};
use crate::util::{Dir, assert_same_files, csu_sim, root, stderr};

/// A one-node cluster: munged (unless one already runs), slurmctld and slurmd, stopped when
/// dropped.
struct Cluster {
    dir: Dir,
    conf: PathBuf,
    started_munge: bool,
}

fn command(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not be run ({e}): .ci/run installs slurm-wlm and munge"))
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn wait_for(what: &str, seconds: u64, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed().as_secs() < seconds,
            "{what} did not happen within {seconds} s"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

impl Cluster {
    fn start() -> Cluster {
        // SAFETY: geteuid has no preconditions.
        assert_eq!(
            unsafe { libc::geteuid() },
            0,
            "the Slurm test starts daemons and must run as root"
        );
        let dir = Dir::new("slurm");
        for sub in ["state", "spool"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let host = text(&command("hostname", &["-s"])).trim().to_string();
        let node = text(&command("slurmd", &["-C"])).lines().next().unwrap().to_string();
        let conf = std::fs::read_to_string(root().join("docs/slurm/slurm.conf"))
            .unwrap()
            .replace("@HOST@", &host)
            .replace("@NODE@", &node)
            .replace("@DIR@", dir.path.to_str().unwrap());
        let conf = dir.write("slurm.conf", conf);
        let munge_works = || {
            Command::new("munge")
                .arg("-n")
                .output()
                .is_ok_and(|o| o.status.success())
        };
        let started_munge = !munge_works();
        if started_munge {
            std::fs::create_dir_all("/run/munge").unwrap();
            assert!(command("chown", &["munge:munge", "/run/munge"]).status.success());
            let munged = command("runuser", &["-u", "munge", "--", "/usr/sbin/munged"]);
            assert!(munged.status.success(), "munged: {}", stderr(&munged));
            wait_for("munged answering", 30, munge_works);
        }
        let cluster = Cluster {
            dir,
            conf,
            started_munge,
        };
        for daemon in ["slurmctld", "slurmd"] {
            let started = cluster.slurm(daemon, &[]);
            assert!(started.status.success(), "{daemon}: {}", stderr(&started));
        }
        wait_for("the node to be idle", 60, || {
            text(&cluster.slurm("sinfo", &["-h", "-o", "%t"])).trim() == "idle"
        });
        cluster
    }

    /// Runs a Slurm program against this cluster's configuration.
    fn slurm(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .env("SLURM_CONF", &self.conf)
            .env("CSU_SIM", env!("CARGO_BIN_EXE_csu-sim"))
            .output()
            .unwrap_or_else(|e| panic!("{program} could not be run ({e}): .ci/run installs slurm-wlm"))
    }

    /// Submits the README's script as an array of `tasks`, waits for every task, and returns
    /// the tasks' logs.
    fn array(&self, tasks: u64, work: &Path, script_args: &[&str]) -> Vec<String> {
        let script = root().join("docs/slurm/shards.sbatch");
        let array = format!("--array=1-{tasks}");
        let mut args = vec!["--wait", "--parsable", &array, "--chdir", work.to_str().unwrap()];
        args.push(script.to_str().unwrap());
        args.extend_from_slice(script_args);
        let submitted = self.slurm("sbatch", &args);
        assert!(
            submitted.status.success(),
            "sbatch: {}\n{}",
            stderr(&submitted),
            text(&submitted)
        );
        let job = text(&submitted).trim().to_string();
        (1..=tasks)
            .map(|k| std::fs::read_to_string(work.join(format!("csu-sim-{job}_{k}.out"))).unwrap())
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for pid_file in ["slurmd.pid", "slurmctld.pid"] {
            if let Ok(pid) = std::fs::read_to_string(self.dir.join(pid_file)) {
                let _ = Command::new("kill").arg(pid.trim()).status();
            }
        }
        std::thread::sleep(Duration::from_secs(2));
        if self.started_munge
            && let Ok(pid) = std::fs::read_to_string("/run/munge/munged.pid")
        {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

#[test]
#[ignore = "needs root, Slurm and munge (Debian's slurm-wlm, munge): run with --ignored (CI does)"]
fn a_slurm_job_array_of_shards_merges_to_the_unsharded_study() {
    let cluster = Cluster::start();
    println!("{}", text(&cluster.slurm("sinfo", &[])));
    let work = Dir::new("slurm-work");
    let ok = |args: &[&str]| {
        let output = csu_sim(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    };
    let path = |name: &str| work.join(name).to_str().unwrap().to_string();

    // A run: the baseline at two N, 200 replications, in four shards.
    let baseline = root().join("scenarios/baseline.toml");
    let flags = ["--replications", "200", "--set", "units=[10, 23]"];
    let mut script_args = vec!["run", baseline.to_str().unwrap(), "shards"];
    script_args.extend_from_slice(&flags);
    for log in cluster.array(4, &work.path, &script_args) {
        print!("{log}");
    }
    ok(&["merge", &path("shards"), "--out", &path("merged"), "--quiet"]);
    let whole_out = path("whole");
    let mut whole = vec!["run", baseline.to_str().unwrap(), "--out", &whole_out];
    whole.extend_from_slice(&flags);
    whole.push("--quiet");
    ok(&whole);
    assert_same_files(&work.join("whole"), &work.join("merged"), &RUN_TABLES);

    // The uncertainty analysis, a small plan, in four shards.
    let uncertainty = root().join("scenarios/uncertainty.toml");
    let plan = SMALL_PLAN;
    let mut script_args = vec!["uncertainty", uncertainty.to_str().unwrap(), "ushards"];
    script_args.extend_from_slice(&plan);
    for log in cluster.array(4, &work.path, &script_args) {
        print!("{log}");
    }
    ok(&["merge", &path("ushards"), "--out", &path("umerged"), "--quiet"]);
    let uwhole_out = path("uwhole");
    let mut whole = vec!["uncertainty", uncertainty.to_str().unwrap(), "--out", &uwhole_out];
    whole.extend_from_slice(&plan);
    whole.push("--quiet");
    ok(&whole);
    assert_same_files(&work.join("uwhole"), &work.join("umerged"), &UNCERTAINTY_TABLES);
}
