//! Write the seed corpus of every fuzz target: real objects made by code (see the
//! library's `seeds`), one file each, into `<dir>/<target>/seed-NN`.
//!
//! Usage: `seeds [DIR]` (default `fuzz/corpus`). Existing files are kept, so a corpus the
//! fuzzer grew stays; seeds are overwritten with the same bytes.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("fuzz/corpus"), PathBuf::from);
    let mut total = 0;
    for (target, inputs) in aviso_fuzz::seeds() {
        let d = dir.join(target);
        if let Err(e) = std::fs::create_dir_all(&d) {
            eprintln!("seeds: cannot create {}: {e}", d.display());
            return ExitCode::FAILURE;
        }
        for (i, input) in inputs.iter().enumerate() {
            let p = d.join(format!("seed-{i:02}"));
            if let Err(e) = std::fs::write(&p, input) {
                eprintln!("seeds: cannot write {}: {e}", p.display());
                return ExitCode::FAILURE;
            }
        }
        println!("{target:<12} {:>3} seeds", inputs.len());
        total += inputs.len();
    }
    println!("{:<12} {total:>3} seeds in {}", "total", dir.display());
    ExitCode::SUCCESS
}
