//! Reading a shard file (header, checksum, every kind of payload item) must never panic or
//! allocate without bound, whatever the bytes: merge treats a shard as untrusted input.
#![no_main]

use csu_sim::output::shard::ShardFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("csu-sim-fuzz-shard-{}.csu", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(shard) = ShardFile::open(&path) {
        let _ = shard.header.file_name();
        if let Ok(mut payload) = shard.payload() {
            // A run's replications of two cells, an analysis's sets of two cells and its
            // searches, then the end: each read fails cleanly when the bytes are not that.
            for _ in 0..4 {
                if payload.replication(2).is_err() {
                    break;
                }
            }
            let _ = payload.set(2);
            let _ = payload.search();
            let _ = payload.end();
        }
    }
    let _ = std::fs::remove_file(&path);
});
